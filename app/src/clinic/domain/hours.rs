//! A doctor's working hours and the days a clinic or doctor is closed, as setup stores them.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingInterval {
    /// 0 = Sunday … 6 = Saturday, as Gulf working weeks are written.
    pub weekday: i8,
    pub start: Time,
    pub end: Time,
    /// Set on both ends for an override (e.g. Ramadan hours) that replaces the regular week.
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
}

/// Whole days without appointments, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub from: Date,
    pub until: Date,
}
