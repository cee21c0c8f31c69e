//! The records' pages.

pub mod encounter;
pub mod portal;
pub mod prescriptions;
