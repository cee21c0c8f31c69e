//! The records' pages.

pub mod attachments;
pub mod encounter;
pub mod portal;
pub mod prescriptions;
pub mod vitals_trend;
