//! Read models shared by server functions and the pages that show them.

use crate::domain::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
}

impl Named {
    pub fn name(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::Ar => &self.name_ar,
            crate::i18n::Locale::En => &self.name_en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientProfile {
    pub full_name: String,
    pub latin_name: Option<String>,
    pub phone: Option<String>,
    pub national_id: String,
    pub date_of_birth: Option<time::Date>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: Uuid,
    pub role: Role,
    pub full_name: String,
    pub phone: String,
    pub specialty_ar: Option<String>,
    pub specialty_en: Option<String>,
    pub is_active: bool,
}

/// One appointment as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: Uuid,
    pub status: crate::domain::appointment::Status,
    pub start: jiff::Timestamp,
    pub end: jiff::Timestamp,
    pub timezone: String,
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub doctor_latin: Option<String>,
    pub specialty_ar: String,
    pub specialty_en: String,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_phone: String,
    pub visit_ar: String,
    pub visit_en: String,
    pub price_halalas: i32,
    pub clinic_ar: String,
    pub clinic_en: String,
    pub reason: String,
    pub rescheduled_from: Option<Uuid>,
    /// Set while this is a waitlist offer: when the hold runs out.
    pub hold_expires_at: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientHit {
    pub id: Uuid,
    pub full_name: String,
    /// `None` for a family member without a mobile of their own.
    pub phone: Option<String>,
    pub national_id: String,
}

/// A family member a patient books for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependent {
    pub id: Uuid,
    pub full_name: String,
    pub latin_name: Option<String>,
    pub date_of_birth: Option<time::Date>,
    pub relation: crate::domain::family::Relation,
}

/// One waitlist wish as its patient reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistView {
    pub id: Uuid,
    pub patient_name: String,
    pub doctor_name: Option<String>,
    pub doctor_latin: Option<String>,
    pub specialty_ar: String,
    pub specialty_en: String,
    pub from: jiff::civil::Date,
    pub until: jiff::civil::Date,
    pub status: String,
}

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
    pub interval: crate::domain::schedule::WorkingInterval,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureRow {
    pub id: Uuid,
    pub starts_on: jiff::civil::Date,
    pub ends_on: jiff::civil::Date,
    pub reason_ar: String,
    pub reason_en: String,
}
