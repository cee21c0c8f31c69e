//! Notifications: what patients are told about their bookings, and when — confirmations,
//! changes, cancellations, waitlist offers and reminders — planned from the booking outbox and
//! sent by workers that survive crashes and provider outages. The rules are in `domain`; the
//! queue is the `notification_messages` table (`db`).

pub mod admin;
pub mod domain;
pub mod model;
pub mod one_tap;
pub mod preferences;

#[cfg(feature = "ssr")]
pub mod channel;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod email;
#[cfg(feature = "ssr")]
pub mod http_reply;
#[cfg(feature = "ssr")]
pub mod planner;
#[cfg(feature = "ssr")]
pub mod sender;
#[cfg(feature = "ssr")]
pub mod sms_gateway;
#[cfg(feature = "ssr")]
pub mod whatsapp;
#[cfg(feature = "ssr")]
pub mod worker;
