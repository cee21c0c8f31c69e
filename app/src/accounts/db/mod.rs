//! SQL of accounts: users and their credentials, and the log-in attempt counters.

pub mod login_attempts;
pub mod users;
