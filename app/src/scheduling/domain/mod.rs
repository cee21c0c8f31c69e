//! Pure rules of scheduling, shared with the browser.

pub mod appointment;
pub mod ics;
pub mod schedule;
pub mod waitlist;
