//! SQL of clinic setup.

pub mod clinics;
pub mod doctors;
pub mod holidays;
pub mod ramadan;
pub mod setup;
