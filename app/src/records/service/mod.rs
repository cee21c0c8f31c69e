//! Consultations: the doctor opens one from a checked-in appointment, saves drafts, signs, then
//! can only add addenda. Each step is one transaction with its audit row; each read of a note
//! goes through the access policy and is audited.

pub mod attachments;
pub mod chart;
pub mod orders;
pub mod portal;
pub mod prescriptions;
pub mod sealing;

use crate::kernel::access::{read_chart, Read};
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::auth::CurrentUser;
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::values::FieldErrors;
use crate::kernel::values::Role;
use crate::records::db::{self, EncounterHead, EncounterRow};
use crate::records::domain::icd10_code::Icd10Code;
use crate::records::domain::note::{Note, ADDENDUM, MAX_DIAGNOSES};
use crate::records::domain::vitals::Vitals;
use crate::scheduling::domain::appointment::Action;
use sqlx::{PgConnection, PgPool};
use std::net::IpAddr;
use uuid::Uuid;

/// The domain's list of (field, message key) refusals as the one error type.
pub fn fields(errors: Vec<(&'static str, &'static str)>) -> AppError {
    let mut all = FieldErrors::default();
    for (field, key) in errors {
        all.push(field, key);
    }
    AppError::Validation(all)
}

async fn audit(
    db: &mut PgConnection,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    action: &'static str,
    (encounter_id, patient_id): (Uuid, Uuid),
) -> Result<(), ServiceError> {
    let entry = AuditEntry::new(action, Outcome::Success)
        .actor(user.id, user.role)
        .subject("encounter", encounter_id)
        .ip(ip)
        .details(serde_json::json!({ "patient_id": patient_id }));
    crate::kernel::audit::record(&mut *db, &entry).await?;
    Ok(())
}

/// The encounter for a doctor to write in: theirs and locked. Someone else's reads as missing.
async fn own_locked(
    tx: &mut PgConnection,
    doctor: &CurrentUser,
    id: Uuid,
) -> Result<EncounterHead, ServiceError> {
    if doctor.role != Role::Doctor {
        return Err(AppError::Forbidden.into());
    }
    if !db::lock(&mut *tx, id).await? {
        return Err(AppError::NotFound.into());
    }
    let row = db::head(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    if row.doctor_id != doctor.id {
        return Err(AppError::NotFound.into());
    }
    Ok(row)
}

fn signed_refusal() -> ServiceError {
    AppError::conflict("note", "err-encounter-signed").into()
}

/// Opens the consultation of a checked-in appointment (it moves to "in consultation"), or
/// returns the one already open for it, so a second click or a reload lands on the same note.
pub async fn open(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    appointment_id: Uuid,
) -> Result<Uuid, ServiceError> {
    if doctor.role != Role::Doctor {
        return Err(AppError::Forbidden.into());
    }
    let mut tx = pool.begin().await?;
    let locked = crate::scheduling::db::schedule::lock_for_change(&mut *tx, appointment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if locked.doctor_id != doctor.id {
        return Err(AppError::NotFound.into());
    }
    if let Some(existing) = db::for_appointment(&mut *tx, appointment_id).await? {
        tx.commit().await?;
        return Ok(existing);
    }
    crate::scheduling::booking::apply_status(
        &mut tx,
        doctor,
        ip,
        appointment_id,
        Action::StartConsultation,
        None,
        jiff::Timestamp::now(),
    )
    .await?;
    let id = Uuid::new_v4();
    db::insert(&mut *tx, id, appointment_id, locked.patient_id, doctor.id).await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "encounter.opened",
        (id, locked.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Parses the typed diagnoses: each an ICD-10-CM code in the catalogue, none twice, at most
/// `MAX_DIAGNOSES`.
pub fn parse_diagnoses(typed: &[String]) -> Result<Vec<String>, AppError> {
    let catalogue = crate::records::icd10::catalogue();
    let mut codes: Vec<String> = Vec::new();
    for text in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let code = Icd10Code::parse(text).map_err(|k| AppError::field("diagnoses", k))?;
        let entry = catalogue
            .get(&code)
            .ok_or_else(|| AppError::field("diagnoses", "err-icd10-unknown"))?;
        if codes.contains(&entry.code) {
            return Err(AppError::field(
                "diagnoses",
                "err-encounter-diagnosis-twice",
            ));
        }
        codes.push(entry.code);
    }
    if codes.len() > MAX_DIAGNOSES {
        return Err(AppError::field(
            "diagnoses",
            "err-encounter-too-many-diagnoses",
        ));
    }
    Ok(codes)
}

/// Saves a draft as typed. A signed note answers 409 and is left as it was.
pub async fn save_draft(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    typed: &Note,
    diagnoses: &[String],
) -> Result<(), ServiceError> {
    let note = Note::parse(typed).map_err(fields)?;
    let codes = parse_diagnoses(diagnoses)?;
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    if row.signed {
        return Err(signed_refusal());
    }
    db::save_note(&mut *tx, keys, id, &note).await?;
    db::set_diagnoses(&mut tx, id, &codes).await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "encounter.draft_saved",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Signs the note as it was last saved and completes the appointment. What signing needs
/// (a complaint, an assessment, a diagnosis) is named field by field.
pub async fn sign(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    if row.signed {
        return Err(signed_refusal());
    }
    let note = db::get(&mut *tx, keys, id)
        .await?
        .ok_or(AppError::NotFound)?
        .note;
    let diagnoses = db::diagnoses(&mut *tx, id).await?;
    let missing = note.missing_for_signing(diagnoses.len());
    if !missing.is_empty() {
        return Err(fields(missing).into());
    }
    db::sign(&mut *tx, id).await?;
    crate::scheduling::booking::apply_status(
        &mut tx,
        doctor,
        ip,
        row.appointment_id,
        Action::Complete,
        None,
        jiff::Timestamp::now(),
    )
    .await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "encounter.signed",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds to a signed note; the text, the author and the time are kept for good.
pub async fn add_addendum(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    body: &str,
) -> Result<(), ServiceError> {
    let body = ADDENDUM
        .parse_required(body)
        .map_err(|k| AppError::field("body", k))?;
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    if !row.signed {
        return Err(AppError::field("body", "err-encounter-not-signed").into());
    }
    db::add_addendum(&mut *tx, keys, Uuid::new_v4(), id, doctor.id, &body).await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "encounter.addendum",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a set of vital signs taken during the consultation.
pub async fn record_vitals(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    vitals: &Vitals,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    if row.signed {
        return Err(signed_refusal());
    }
    db::add_vitals(
        &mut *tx,
        Uuid::new_v4(),
        row.patient_id,
        Some(id),
        doctor.id,
        vitals,
    )
    .await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "vitals.recorded",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One encounter as its reader may see it.
#[derive(Debug, Clone)]
pub struct EncounterView {
    pub row: EncounterRow,
    pub diagnoses: Vec<crate::records::model::Icd10Entry>,
    pub addenda: Vec<db::Addendum>,
}

/// An encounter for `user`: its doctor and any doctor who treats the patient see it whole; the
/// patient and their guardian see it once signed, with only the summary written for them.
/// Anyone else, and a patient before signing, get `NotFound`. Every read is audited.
pub async fn read(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
) -> Result<EncounterView, ServiceError> {
    // One connection, no transaction: a refusal's audit row must stay written.
    let mut db = pool.acquire().await?;
    let mut row = db::get(&mut *db, keys, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let check = Read {
        user,
        ip,
        action: "encounter.read",
        subject: ("encounter", id),
        patient_id: row.patient_id,
    };
    // A draft is not part of the patient's record yet.
    read_chart(&mut db, check, row.signed).await?;
    let addenda = if user.role == Role::Patient {
        row.note = Note {
            patient_summary: row.note.patient_summary,
            ..Note::default()
        };
        vec![]
    } else {
        db::addenda(&mut *db, keys, id).await?
    };
    let catalogue = crate::records::icd10::catalogue();
    let diagnoses = db::diagnoses(&mut *db, id)
        .await?
        .into_iter()
        .filter_map(|code| Icd10Code::parse(&code).ok())
        .filter_map(|code| catalogue.get(&code))
        .collect();
    Ok(EncounterView {
        row,
        diagnoses,
        addenda,
    })
}

/// Whole years between `born` and `today`.
pub fn age_on(born: jiff::civil::Date, today: jiff::civil::Date) -> i16 {
    let mut years = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// The chart's header for a patient whose record the caller was just let into (`read`).
pub async fn chart_header(
    db: &mut PgConnection,
    keys: &Keyring,
    patient_id: Uuid,
    today: jiff::civil::Date,
) -> Result<crate::records::model::ChartHeader, ServiceError> {
    let facts = db::patient_facts(&mut *db, patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::records::model::ChartHeader {
        full_name: facts.full_name,
        latin_name: facts.latin_name,
        age_years: facts
            .date_of_birth
            .map(|d| age_on(crate::kernel::db::to_jiff_date(d), today)),
        sex: facts.sex,
        national_id_masked: crate::kernel::values::national_id::mask_last4(
            &facts.national_id_last4,
        ),
        allergies: db::allergies_of(&mut *db, patient_id).await?,
        problems: db::problems_of(&mut *db, keys, patient_id)
            .await?
            .into_iter()
            .map(|(id, code, note)| crate::records::model::ProblemView {
                id,
                title: Icd10Code::parse(&code)
                    .ok()
                    .and_then(|c| crate::records::icd10::catalogue().get(&c))
                    .map(|e| e.title)
                    .unwrap_or_default(),
                code,
                note,
            })
            .collect(),
        medications: db::medications_of(&mut *db, patient_id).await?,
    })
}

/// Records an allergy on the chart of the consultation's patient.
pub async fn add_allergy(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    allergy: &crate::records::domain::allergy::NewAllergy,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    db::add_allergy(&mut *tx, row.patient_id, doctor.id, allergy).await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "allergy.recorded",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a coded problem to the chart of the consultation's patient; the code must be in the
/// ICD-10-CM catalogue.
pub async fn add_problem(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    problem: &crate::records::domain::chart_list::NewProblem,
) -> Result<(), ServiceError> {
    let entry = crate::records::icd10::catalogue()
        .get(&problem.code)
        .ok_or_else(|| AppError::field("problem_code", "err-icd10-unknown"))?;
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    db::add_problem(
        &mut *tx,
        keys,
        row.patient_id,
        doctor.id,
        &entry.code,
        &problem.note,
    )
    .await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "problem.recorded",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a medication the patient takes to the chart of the consultation's patient.
pub async fn add_medication(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    medication: &crate::records::domain::chart_list::NewMedication,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    db::add_medication(
        &mut *tx,
        row.patient_id,
        doctor.id,
        &medication.drug,
        &medication.dose,
    )
    .await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "medication.recorded",
        (row.id, row.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Which standing list an entry ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEnd {
    ResolveProblem,
    StopMedication,
}

/// Resolves a problem or stops a medication of the consultation's patient, from that
/// consultation (draft or signed: the lists belong to the chart, not to the note).
pub async fn end_list_entry(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    end: ListEnd,
    entry: Uuid,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let row = own_locked(&mut tx, doctor, id).await?;
    let (done, action) = match end {
        ListEnd::ResolveProblem => (
            db::resolve_problem(&mut *tx, row.patient_id, entry, doctor.id).await?,
            "problem.resolved",
        ),
        ListEnd::StopMedication => (
            db::stop_medication(&mut *tx, row.patient_id, entry, doctor.id).await?,
            "medication.stopped",
        ),
    };
    if !done {
        return Err(AppError::NotFound.into());
    }
    let audit_entry = AuditEntry::new(action, Outcome::Success)
        .actor(doctor.id, doctor.role)
        .subject(
            if end == ListEnd::ResolveProblem {
                "problem"
            } else {
                "medication"
            },
            entry,
        )
        .ip(ip)
        .details(serde_json::json!({ "patient_id": row.patient_id, "encounter_id": id }));
    crate::kernel::audit::record(&mut *tx, &audit_entry).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::age_on;
    use jiff::civil::date;

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        assert_eq!(age_on(date(1990, 6, 15), date(2026, 6, 14)), 35);
        assert_eq!(age_on(date(1990, 6, 15), date(2026, 6, 15)), 36);
        assert_eq!(age_on(date(2024, 2, 29), date(2025, 2, 28)), 0);
    }
}
