//! Read models of appointments and waitlist wishes, as the pages show them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One appointment as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: Uuid,
    pub status: crate::scheduling::domain::appointment::Status,
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
    /// The patient said they will come (a one-tap link from a message).
    pub attendance_confirmed: bool,
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

#[cfg(feature = "ssr")]
impl AppointmentView {
    /// Whom the access policy weighs a read of this appointment against.
    pub fn parties(&self) -> crate::kernel::access::Parties {
        crate::kernel::access::Parties {
            patient_id: self.patient_id,
            doctor_id: self.doctor_id,
        }
    }
}

/// One doctor at one branch, as the search lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoctorCard {
    pub id: Uuid,
    pub name_ar: String,
    pub latin_name: Option<String>,
    pub specialty: crate::kernel::values::Named,
    /// The branch this card books at.
    pub clinic: crate::kernel::values::Named,
    pub next_slot: Option<jiff::Timestamp>,
    pub timezone: String,
    pub languages: Vec<String>,
    pub bio_ar: Option<String>,
    pub bio_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoctorSearch {
    pub specialties: Vec<crate::kernel::values::Named>,
    pub branches: Vec<crate::kernel::values::Named>,
    pub results: Vec<DoctorCard>,
}

/// Days shown on a doctor's calendar strip.
pub const CALENDAR_DAYS: i64 = 14;

/// A visit type as the calendar offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitOption {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
    pub duration_minutes: i32,
    pub price_halalas: i32,
}

/// A day of the strip and how many free times it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: jiff::civil::Date,
    pub free: usize,
    /// Why the branch is closed that day (a holiday), Arabic and English.
    pub closed: Option<(String, String)>,
    /// The doctor is away that day (their leave; its reason is not the patient's).
    pub away: bool,
    /// The day falls in Ramadan.
    pub ramadan: bool,
}

/// A doctor's calendar page: the doctor at one branch, the visit types, the days ahead with
/// their free counts, and the free times of the chosen day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoctorCalendar {
    pub doctor: DoctorCard,
    /// Every branch the doctor works at, this one included.
    pub branches: Vec<crate::kernel::values::Named>,
    pub visits: Vec<VisitOption>,
    pub visit_id: Option<Uuid>,
    pub days: Vec<CalendarDay>,
    pub day: Option<jiff::civil::Date>,
    pub slots: Vec<crate::scheduling::domain::schedule::Slot>,
    /// Where the strips before and after this one begin, while they are bookable.
    pub earlier: Option<jiff::civil::Date>,
    pub later: Option<jiff::civil::Date>,
}
