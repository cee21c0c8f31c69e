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
    /// Ramadan hours: used instead of the regular week on the days of Ramadan, every year.
    /// Such an interval may end after midnight (`end` before `start`).
    #[serde(default)]
    pub ramadan: bool,
}

/// Whole days without appointments, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub from: Date,
    pub until: Date,
    /// Why, in Arabic and English, for a closure of the whole branch (a holiday) only: a
    /// doctor's leave is shown to patients without its reason, which is the staff's business.
    #[serde(default)]
    pub reason_ar: Option<String>,
    #[serde(default)]
    pub reason_en: Option<String>,
}
