//! Read models of clinic setup, as the pages show them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A visit type as the setup screens show it; `offered` says whether the doctor in view offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitTypeInfo {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
    pub duration_minutes: i32,
    pub price_halalas: i32,
    pub buffer_before_minutes: i32,
    pub buffer_after_minutes: i32,
    pub offered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRow {
    pub id: Uuid,
    pub clinic_id: Uuid,
    /// Whether the branch opens on this weekday; hours on a closed day offer no slots.
    pub branch_open: bool,
    pub interval: crate::clinic::domain::hours::WorkingInterval,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureRow {
    pub id: Uuid,
    pub starts_on: jiff::civil::Date,
    pub ends_on: jiff::civil::Date,
    pub reason_ar: String,
    pub reason_en: String,
}

#[derive(Debug, Clone)]
pub struct ClinicRules {
    pub id: Uuid,
    pub timezone: String,
    pub booking_horizon_days: i32,
    pub min_notice_minutes: i32,
    pub cancel_cutoff_minutes: i32,
    pub max_active_bookings: i32,
    pub waitlist_hold_minutes: i32,
    /// Open weekdays, 0 = Sunday.
    pub working_days: Vec<i16>,
}

impl ClinicRules {
    /// The branch's time zone; the setup form only stores names jiff knows.
    #[cfg(feature = "ssr")]
    pub fn tz(&self) -> Result<jiff::tz::TimeZone, crate::kernel::error::AppError> {
        jiff::tz::TimeZone::get(&self.timezone).map_err(|e| {
            crate::kernel::error::internal(&format!("time zone {:?}", self.timezone), e)
        })
    }

    pub fn week(&self) -> crate::clinic::domain::working_week::WorkingWeek {
        // The column's check constraint keeps it a valid, non-empty week.
        crate::clinic::domain::working_week::WorkingWeek::from_days(
            self.working_days.iter().copied(),
        )
        .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DoctorRow {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub name_ar: String,
    pub latin_name: Option<String>,
    pub specialty_id: Uuid,
    pub specialty_ar: String,
    pub specialty_en: String,
    pub sex: Option<String>,
    pub bio_ar: Option<String>,
    pub bio_en: Option<String>,
    pub languages: Vec<String>,
}

/// One interval of Ramadan hours with its row's id and branch.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RamadanRow {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub interval: crate::clinic::domain::hours::WorkingInterval,
}

/// One holiday of a branch as setup shows it: its rule, its next days, and that year's move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayLine {
    pub rule: crate::clinic::domain::holidays::HolidayRule,
    pub next: Option<crate::clinic::domain::holidays::Occurrence>,
    pub shift: i8,
}
