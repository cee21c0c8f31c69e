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
    pub prescriptions: Vec<PrescriptionLine>,
    /// The patient's last measurements across visits, oldest first, for the trend chart.
    pub history: Vec<(jiff::Timestamp, crate::records::domain::vitals::Vitals)>,
    /// Every file in the patient's chart, newest first.
    pub attachments: Vec<AttachmentView>,
    /// This consultation's lab and imaging orders, newest first, with their results.
    pub orders: Vec<OrderView>,
    /// The largest file the upload form accepts, for its hint.
    pub max_upload_mb: usize,
    pub timezone: String,
}

/// A file in the chart as a list shows it; the bytes are fetched from `/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: uuid::Uuid,
    pub encounter_id: Option<uuid::Uuid>,
    /// The lab or imaging order the file reports on.
    pub order_id: Option<uuid::Uuid>,
    pub kind: crate::records::domain::attachment::AttachmentKind,
    pub title: String,
    pub file_type: crate::records::domain::attachment::FileType,
    pub size_bytes: i32,
    pub shared: bool,
    pub created_at: jiff::Timestamp,
    pub uploaded_by: String,
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
    /// Active problems, each coded with its ICD-10-CM title.
    pub problems: Vec<ProblemView>,
    /// What the patient takes now.
    pub medications: Vec<MedicationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicationView {
    pub id: uuid::Uuid,
    pub drug: String,
    pub dose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemView {
    pub id: uuid::Uuid,
    pub code: String,
    pub title: String,
    pub note: String,
}

/// An issued prescription line, as the consultation screen and the portal list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionLine {
    pub id: uuid::Uuid,
    pub rx: crate::records::domain::prescription::Prescription,
    /// The doctor's reason for prescribing despite a matching allergy.
    pub allergy_override: Option<String>,
    pub issued_at: jiff::Timestamp,
    pub doctor_name: String,
}

/// The clinic and doctor a paper is issued by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    pub clinic_ar: String,
    pub clinic_en: String,
    pub address_ar: Option<String>,
    pub address_en: Option<String>,
    pub clinic_phone: Option<String>,
    pub doctor_name: String,
    pub doctor_latin: Option<String>,
    pub licence_number: Option<String>,
    pub specialty_ar: String,
    pub specialty_en: String,
}

/// The printable A5 prescription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionPaper {
    pub line: PrescriptionLine,
    pub issuer: Issuer,
    pub patient: ChartHeader,
    pub timezone: String,
    /// The page the QR code opens, and the code drawn as SVG markup.
    pub verify_url: String,
    pub qr_svg: String,
    /// The first digits of the content's SHA-256, printed for a pharmacist to compare.
    pub fingerprint: String,
}

/// What the public verification page may show: enough to tell the paper is genuine and
/// matches, not who the patient is beyond their initials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The stored content still has the fingerprint it was issued with.
    pub intact: bool,
    pub rx: crate::records::domain::prescription::Prescription,
    pub issued_at: jiff::Timestamp,
    pub timezone: String,
    pub issuer: Issuer,
    pub patient_initials: String,
    pub fingerprint: String,
}

/// A signed visit as its patient reads it: when, with whom, what was found, and the summary
/// the doctor wrote for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSummary {
    pub encounter_id: uuid::Uuid,
    pub signed_at: jiff::Timestamp,
    pub timezone: String,
    pub doctor_name: String,
    pub doctor_latin: Option<String>,
    pub diagnoses: Vec<Icd10Entry>,
    pub summary: String,
}

/// What kind of touch an audit row on the patient's record was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessKind {
    Read,
    Wrote,
    /// A printed prescription checked through its QR code, by whoever held it.
    Verified,
    /// A doctor with no appointment with the patient opened the chart in an emergency.
    BreakGlass,
}

impl AccessKind {
    pub fn of_action(action: &str) -> Self {
        if action == "prescription.verified" {
            AccessKind::Verified
        } else if action == "chart.break_glass" {
            AccessKind::BreakGlass
        } else if action.ends_with(".read") {
            AccessKind::Read
        } else {
            AccessKind::Wrote
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            AccessKind::Read => "portal-access-read",
            AccessKind::Wrote => "portal-access-wrote",
            AccessKind::Verified => "portal-access-verified",
            AccessKind::BreakGlass => "portal-access-break-glass",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// The latest of the group's times.
    pub at: jiff::Timestamp,
    pub kind: AccessKind,
    /// How many reads or writes of this kind the same person made that day.
    pub times: u32,
    pub who: Option<String>,
    pub role: Option<crate::kernel::values::Role>,
}

/// One person's record in the portal: the patient's own, or a family member's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub patient_id: uuid::Uuid,
    pub name: String,
    pub is_self: bool,
    pub allergies: Vec<AllergyView>,
    pub visits: Vec<VisitSummary>,
    pub prescriptions: Vec<PrescriptionLine>,
    /// Files the doctor shared with the patient, newest first.
    pub attachments: Vec<AttachmentView>,
    pub access: Vec<AccessEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalPage {
    pub people: Vec<PersonRecord>,
    /// The clinic's zone, for the times of prescriptions and accesses.
    pub timezone: String,
}

/// A patient as a doctor's chart search lists them: enough to pick the right person, and
/// whether the chart opens without break-glass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartHit {
    pub patient_id: uuid::Uuid,
    pub full_name: String,
    pub national_id_masked: String,
    /// The doctor has or had an appointment with this patient.
    pub treats: bool,
}

/// A consultation as the chart lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartVisit {
    pub encounter_id: uuid::Uuid,
    pub opened_at: jiff::Timestamp,
    /// `None` for the doctor's own draft.
    pub signed_at: Option<jiff::Timestamp>,
    pub doctor_name: String,
    pub diagnoses: Vec<Icd10Entry>,
    pub assessment: String,
}

/// The whole chart of one patient, for a doctor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartPage {
    pub patient_id: uuid::Uuid,
    pub header: ChartHeader,
    /// Set when the chart is open under break-glass: until when, and the reason given.
    pub break_glass: Option<(jiff::Timestamp, String)>,
    pub visits: Vec<ChartVisit>,
    pub prescriptions: Vec<PrescriptionLine>,
    pub attachments: Vec<AttachmentView>,
    /// Lab and imaging orders across visits, newest first, with their results.
    pub orders: Vec<OrderView>,
    /// The last measurements, oldest first, for the trend chart.
    pub history: Vec<(jiff::Timestamp, crate::records::domain::vitals::Vitals)>,
    pub timezone: String,
}

/// What opening a chart gives a doctor: the chart, or (no care relationship, no open grant)
/// only the patient's name and the break-glass form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ChartAccess {
    Open(Box<ChartPage>),
    NeedsReason { full_name: String },
}

/// A break-glass grant as the admins' review list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantReview {
    pub id: uuid::Uuid,
    pub doctor_name: String,
    pub patient_name: String,
    pub reason: String,
    pub granted_at: jiff::Timestamp,
    pub expires_at: jiff::Timestamp,
    /// Reads of the chart made under the grant.
    pub reads: i64,
    pub reviewer_name: Option<String>,
    pub reviewed_at: Option<jiff::Timestamp>,
    pub review_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub waiting: Vec<GrantReview>,
    pub reviewed: Vec<GrantReview>,
    pub timezone: String,
}

/// A lab or imaging order as the consultation screen and the chart list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: uuid::Uuid,
    pub encounter_id: uuid::Uuid,
    pub kind: crate::records::domain::order::OrderKind,
    pub test_code: String,
    pub urgent: bool,
    pub indication: String,
    pub status: crate::records::domain::order::OrderStatus,
    pub ordered_at: jiff::Timestamp,
    pub doctor_name: String,
    /// The reader ordered it and it is still open: they may record its result or cancel it.
    pub actionable: bool,
    pub closed_at: Option<jiff::Timestamp>,
    pub closed_by: Option<String>,
    /// The radiologist's report or the lab's comment.
    pub report: String,
    /// Any value out of its range, or the report marked abnormal.
    pub abnormal: bool,
    pub values: Vec<ResultLine>,
}

/// One analyte of a lab result, in the units and with the range the report gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub analyte: String,
    pub decimals: u32,
    pub value: i32,
    pub unit: String,
    pub range: crate::records::domain::order::Range,
    pub flag: crate::records::domain::order::ResultFlag,
}
