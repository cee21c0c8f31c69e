//! The records' pages.

pub mod attachments;
pub mod break_glass;
pub mod chart;
pub mod encounter;
pub mod orders;
pub mod portal;
pub mod prescriptions;
pub mod vitals_trend;
