//! SQL of clinic setup.

pub mod clinics;
pub mod doctors;
pub mod setup;
