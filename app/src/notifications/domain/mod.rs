//! The rules of notifications, free of I/O: what is sent for which change, on which channels,
//! when reminders are due, how failures are retried, when a provider is left alone, and what an
//! SMS costs.

pub mod circuit;
pub mod message;
pub mod quiet;
pub mod retry;
pub mod sms;
pub mod text;
