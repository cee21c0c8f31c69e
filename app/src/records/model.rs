//! What the records pages show, shared by the server functions and the pages.

use serde::{Deserialize, Serialize};

/// One ICD-10-CM code with its English title (the classification has no official Arabic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Icd10Entry {
    pub code: String,
    pub title: String,
    /// A code that can stand on a claim (a leaf), not a heading of more specific codes.
    pub billable: bool,
}

/// An addendum to a signed note: who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddendumView {
    pub author_name: String,
    pub body: String,
    pub created_at: jiff::Timestamp,
}

/// The consultation screen's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncounterPage {
    pub id: uuid::Uuid,
    pub header: ChartHeader,
    pub signed: bool,
    pub opened_at: jiff::Timestamp,
    pub signed_at: Option<jiff::Timestamp>,
    pub note: crate::records::domain::note::Note,
    pub diagnoses: Vec<Icd10Entry>,
    pub addenda: Vec<AddendumView>,
    /// This consultation's measurements, newest first.
    pub vitals: Vec<(jiff::Timestamp, crate::records::domain::vitals::Vitals)>,
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllergyView {
    pub substance: String,
    pub reaction: String,
    pub severity: crate::records::domain::allergy::Severity,
}

/// What every chart page shows on top: who the patient is, and what they must not be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartHeader {
    pub full_name: String,
    pub latin_name: Option<String>,
    pub age_years: Option<i16>,
    /// `male` or `female`.
    pub sex: Option<String>,
    /// All but the last four digits hidden.
    pub national_id_masked: String,
    pub allergies: Vec<AllergyView>,
}
