//! The records' pages.

pub mod encounter;
