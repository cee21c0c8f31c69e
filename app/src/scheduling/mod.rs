//! Scheduling: availability, booking, appointments and their status, the staff day and week,
//! and the waitlist. Slot rules live in `domain`; the guarantee against double booking lives
//! in PostgreSQL; `booking` and `waitlist` are the transactions.

pub mod actions;
pub mod domain;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod booking;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod calendar_file;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod held;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod transition;
#[cfg(feature = "ssr")]
pub mod waitlist;
