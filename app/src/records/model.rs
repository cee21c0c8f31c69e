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
    pub patient_name: String,
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
