//! Pure rules of clinic setup, shared with the browser.

pub mod hours;
pub mod profiles;
pub mod setup;
pub mod specialty;
pub mod working_week;
