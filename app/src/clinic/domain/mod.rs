//! Pure rules of clinic setup, shared with the browser.

pub mod holidays;
pub mod hours;
pub mod prayer;
pub mod profiles;
pub mod ramadan;
pub mod reminders;
pub mod setup;
pub mod specialty;
pub mod working_week;
