//! SQL of scheduling: schedules, bookings, appointments and the waitlist.

pub mod schedule;
pub mod search;
pub mod waitlist;
