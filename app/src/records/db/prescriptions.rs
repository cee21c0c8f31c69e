//! Prescriptions' SQL. Rows are final once written (trigger `prescriptions_final`).

use crate::kernel::db::{classify, to_odt, to_ts, DbError};
use crate::records::domain::prescription::Prescription;
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

/// An issued prescription as stored.
#[derive(Debug, Clone)]
pub struct PrescriptionRow {
    pub id: Uuid,
    pub encounter_id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub rx: Prescription,
    pub allergy_override: Option<String>,
    pub verification_code: String,
    pub content_sha256: Vec<u8>,
    pub issued_at: Timestamp,
    pub doctor_name: String,
}

pub struct NewPrescription<'a> {
    pub id: Uuid,
    pub encounter_id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub rx: &'a Prescription,
    pub allergy_override: Option<&'a str>,
    pub verification_code: &'a str,
    pub content_sha256: &'a [u8],
    pub issued_at: Timestamp,
}

pub async fn insert(db: impl PgExecutor<'_>, p: &NewPrescription<'_>) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO prescriptions (id, encounter_id, patient_id, doctor_id, drug, drug_code,
                strength, dose, route, frequency, duration_days, quantity, refills,
                instructions_ar, allergy_override, verification_code, content_sha256, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        p.id,
        p.encounter_id,
        p.patient_id,
        p.doctor_id,
        p.rx.drug,
        p.rx.drug_code,
        p.rx.strength,
        p.rx.dose,
        p.rx.route,
        p.rx.frequency,
        p.rx.duration_days,
        p.rx.quantity,
        p.rx.refills,
        p.rx.instructions_ar,
        p.allergy_override,
        p.verification_code,
        p.content_sha256,
        to_odt(p.issued_at)
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The one column list every reader selects, with the reader's own condition on `$1`.
macro_rules! select_rows {
    ($where:literal, $arg:expr) => {
        sqlx::query!(
            r#"SELECT id, encounter_id, patient_id, doctor_id, drug, drug_code, strength, dose,
                      route, frequency, duration_days, quantity, refills, instructions_ar,
                      allergy_override, verification_code, content_sha256, issued_at,
                      (SELECT u.first_name || ' ' || u.family_name FROM users u
                       WHERE u.id = prescriptions.doctor_id) AS "doctor_name!"
               FROM prescriptions WHERE "#
                + $where
                + " ORDER BY issued_at, id",
            $arg
        )
    };
}

macro_rules! to_row {
    ($r:expr) => {
        PrescriptionRow {
            id: $r.id,
            encounter_id: $r.encounter_id,
            patient_id: $r.patient_id,
            doctor_id: $r.doctor_id,
            rx: Prescription {
                drug: $r.drug,
                drug_code: $r.drug_code,
                strength: $r.strength,
                dose: $r.dose,
                route: $r.route,
                frequency: $r.frequency,
                duration_days: $r.duration_days,
                quantity: $r.quantity,
                refills: $r.refills,
                instructions_ar: $r.instructions_ar,
            },
            allergy_override: $r.allergy_override,
            verification_code: $r.verification_code,
            content_sha256: $r.content_sha256,
            issued_at: to_ts($r.issued_at),
            doctor_name: $r.doctor_name,
        }
    };
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<PrescriptionRow>, DbError> {
    Ok(select_rows!("id = $1", id)
        .fetch_optional(db)
        .await?
        .map(|r| to_row!(r)))
}

pub async fn by_code(
    db: impl PgExecutor<'_>,
    code: &str,
) -> Result<Option<PrescriptionRow>, DbError> {
    Ok(select_rows!("verification_code = $1", code)
        .fetch_optional(db)
        .await?
        .map(|r| to_row!(r)))
}

pub async fn of_encounter(
    db: impl PgExecutor<'_>,
    encounter_id: Uuid,
) -> Result<Vec<PrescriptionRow>, DbError> {
    Ok(select_rows!("encounter_id = $1", encounter_id)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| to_row!(r))
        .collect())
}

pub async fn of_patient(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Vec<PrescriptionRow>, DbError> {
    Ok(select_rows!("patient_id = $1", patient_id)
        .fetch_all(db)
        .await?
        .into_iter()
        .rev()
        .map(|r| to_row!(r))
        .collect())
}

/// What the paper prints around the drug: the clinic where the visit was, the doctor, and the
/// time zone its date is written in.
#[derive(Debug, Clone)]
pub struct PaperFacts {
    pub clinic_ar: String,
    pub clinic_en: String,
    pub address_ar: Option<String>,
    pub address_en: Option<String>,
    pub clinic_phone: Option<String>,
    pub timezone: String,
    pub doctor_name: String,
    pub doctor_latin: Option<String>,
    pub licence_number: Option<String>,
    pub specialty_ar: String,
    pub specialty_en: String,
}

pub async fn paper_facts(
    db: impl PgExecutor<'_>,
    encounter_id: Uuid,
) -> Result<Option<PaperFacts>, DbError> {
    Ok(sqlx::query_as!(
        PaperFacts,
        r#"SELECT c.name_ar AS clinic_ar, c.name_en AS clinic_en, c.address_ar, c.address_en,
                  c.phone AS clinic_phone, c.timezone,
                  u.first_name || ' ' || u.father_name || ' ' || u.family_name AS "doctor_name!",
                  u.latin_name AS doctor_latin, dp.licence_number,
                  s.name_ar AS specialty_ar, s.name_en AS specialty_en
           FROM encounters e
           JOIN appointments a ON a.id = e.appointment_id
           JOIN clinics c ON c.id = a.clinic_id
           JOIN users u ON u.id = e.doctor_id
           JOIN doctor_profiles dp ON dp.user_id = e.doctor_id
           JOIN specialties s ON s.id = dp.specialty_id
           WHERE e.id = $1"#,
        encounter_id
    )
    .fetch_optional(db)
    .await?)
}
