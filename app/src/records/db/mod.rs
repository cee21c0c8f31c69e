//! The records' SQL. Signed notes are guarded by triggers too (migration 20261201000010), so a
//! write that slips past the service still fails with `encounter_signed`.

pub mod attachments;
pub mod break_glass;
pub mod chart;
pub mod orders;
pub mod portal;
pub mod prescriptions;
pub mod sealed;

use crate::kernel::crypto::Keyring;
use crate::kernel::db::{classify, to_ts, DbError};
use crate::records::domain::note::Note;
use crate::records::domain::vitals::Vitals;
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct EncounterRow {
    pub id: Uuid,
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub signed: bool,
    pub note: Note,
    pub opened_at: Timestamp,
    pub signed_at: Option<Timestamp>,
}

pub async fn for_appointment(
    db: impl PgExecutor<'_>,
    appointment_id: Uuid,
) -> Result<Option<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM encounters WHERE appointment_id = $1",
        appointment_id
    )
    .fetch_optional(db)
    .await?)
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    appointment_id: Uuid,
    patient_id: Uuid,
    doctor_id: Uuid,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO encounters (id, appointment_id, patient_id, doctor_id) VALUES ($1, $2, $3, $4)",
        id,
        appointment_id,
        patient_id,
        doctor_id
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Locks the encounter for the rest of the transaction, so a save and a sign of the same note
/// run one after the other.
pub async fn lock(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT 1 AS \"one!\" FROM encounters WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(db)
    .await?
    .is_some())
}

/// Whose encounter it is and whether it is signed, without opening the note.
#[derive(Debug, Clone)]
pub struct EncounterHead {
    pub id: Uuid,
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub signed: bool,
}

pub async fn head(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<EncounterHead>, DbError> {
    Ok(sqlx::query_as!(
        EncounterHead,
        r#"SELECT id, appointment_id, patient_id, doctor_id, status = 'signed' AS "signed!"
           FROM encounters WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?)
}

pub async fn get(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    id: Uuid,
) -> Result<Option<EncounterRow>, DbError> {
    let Some(r) = sqlx::query!(
        r#"SELECT id, appointment_id, patient_id, doctor_id, status = 'signed' AS "signed!",
                  note_sealed, chief_complaint, history, examination, assessment, plan,
                  patient_summary, opened_at, signed_at
           FROM encounters WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let note = sealed::open_note(keys, r.id, r.note_sealed.as_deref(), || Note {
        chief_complaint: r.chief_complaint,
        history: r.history,
        examination: r.examination,
        assessment: r.assessment,
        plan: r.plan,
        patient_summary: r.patient_summary,
    })?;
    Ok(Some(EncounterRow {
        id: r.id,
        appointment_id: r.appointment_id,
        patient_id: r.patient_id,
        doctor_id: r.doctor_id,
        signed: r.signed,
        note,
        opened_at: to_ts(r.opened_at),
        signed_at: r.signed_at.map(to_ts),
    }))
}

/// Stores the note sealed; the plaintext columns stay empty.
pub async fn save_note(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    id: Uuid,
    note: &Note,
) -> Result<(), DbError> {
    let value = keys.seal_json(note, &sealed::note_aad(id));
    sqlx::query!(
        "UPDATE encounters SET note_sealed = $2, chief_complaint = '', history = '',
                examination = '', assessment = '', plan = '', patient_summary = '',
                updated_at = now()
         WHERE id = $1",
        id,
        value
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Replaces the diagnoses with `codes`, in order.
pub async fn set_diagnoses(
    db: &mut sqlx::PgConnection,
    id: Uuid,
    codes: &[String],
) -> Result<(), DbError> {
    sqlx::query!(
        "DELETE FROM encounter_diagnoses WHERE encounter_id = $1",
        id
    )
    .execute(&mut *db)
    .await
    .map_err(classify)?;
    sqlx::query!(
        "INSERT INTO encounter_diagnoses (encounter_id, position, code)
         SELECT $1, (n - 1)::smallint, code FROM unnest($2::text[]) WITH ORDINALITY AS d (code, n)",
        id,
        codes
    )
    .execute(&mut *db)
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn diagnoses(db: impl PgExecutor<'_>, id: Uuid) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT code FROM encounter_diagnoses WHERE encounter_id = $1 ORDER BY position",
        id
    )
    .fetch_all(db)
    .await?)
}

pub async fn sign(db: impl PgExecutor<'_>, id: Uuid) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE encounters SET status = 'signed', signed_at = now(), updated_at = now()
         WHERE id = $1",
        id
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Addendum {
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub created_at: Timestamp,
}

pub async fn add_addendum(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    id: Uuid,
    encounter_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> Result<(), DbError> {
    let value = keys.seal_text(body, &sealed::addendum_aad(id));
    sqlx::query!(
        "INSERT INTO encounter_addenda (id, encounter_id, author_id, body, body_sealed)
         VALUES ($1, $2, $3, '', $4)",
        id,
        encounter_id,
        author_id,
        value
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn addenda(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    encounter_id: Uuid,
) -> Result<Vec<Addendum>, DbError> {
    sqlx::query!(
        r#"SELECT a.id, a.author_id, u.first_name || ' ' || u.family_name AS "author_name!",
                  a.body, a.body_sealed, a.created_at
           FROM encounter_addenda a JOIN users u ON u.id = a.author_id
           WHERE a.encounter_id = $1 ORDER BY a.created_at, a.id"#,
        encounter_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Addendum {
            author_id: r.author_id,
            author_name: r.author_name,
            body: sealed::open_text(
                keys,
                &sealed::addendum_aad(r.id),
                r.body_sealed.as_deref(),
                r.body,
            )?,
            created_at: to_ts(r.created_at),
        })
    })
    .collect()
}

pub async fn add_vitals(
    db: impl PgExecutor<'_>,
    id: Uuid,
    patient_id: Uuid,
    encounter_id: Option<Uuid>,
    recorded_by: Uuid,
    v: &Vitals,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO vital_signs (id, patient_id, encounter_id, recorded_by, systolic_mmhg,
                diastolic_mmhg, pulse_bpm, temperature_dc, spo2_pct, respiratory_rate, weight_hg,
                height_cm)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        id,
        patient_id,
        encounter_id,
        recorded_by,
        v.systolic_mmhg,
        v.diastolic_mmhg,
        v.pulse_bpm,
        v.temperature_dc,
        v.spo2_pct,
        v.respiratory_rate,
        v.weight_hg,
        v.height_cm
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// One `vital_signs` row as the queries below read it.
struct VitalsRow {
    measured_at: time::OffsetDateTime,
    systolic_mmhg: Option<i16>,
    diastolic_mmhg: Option<i16>,
    pulse_bpm: Option<i16>,
    temperature_dc: Option<i16>,
    spo2_pct: Option<i16>,
    respiratory_rate: Option<i16>,
    weight_hg: Option<i32>,
    height_cm: Option<i16>,
}

impl From<VitalsRow> for (Timestamp, Vitals) {
    fn from(r: VitalsRow) -> Self {
        (
            to_ts(r.measured_at),
            Vitals {
                systolic_mmhg: r.systolic_mmhg,
                diastolic_mmhg: r.diastolic_mmhg,
                pulse_bpm: r.pulse_bpm,
                temperature_dc: r.temperature_dc,
                spo2_pct: r.spo2_pct,
                respiratory_rate: r.respiratory_rate,
                weight_hg: r.weight_hg,
                height_cm: r.height_cm,
            },
        )
    }
}

/// The patient's measurements, newest first.
pub async fn vitals_history(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    limit: i64,
) -> Result<Vec<(Timestamp, Vitals)>, DbError> {
    Ok(sqlx::query_as!(
        VitalsRow,
        "SELECT measured_at, systolic_mmhg, diastolic_mmhg, pulse_bpm, temperature_dc, spo2_pct,
                respiratory_rate, weight_hg, height_cm
         FROM vital_signs WHERE patient_id = $1 ORDER BY measured_at DESC, id LIMIT $2",
        patient_id,
        limit
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(Into::into)
    .collect())
}

/// The measurements taken during one consultation, newest first.
pub async fn vitals_of_encounter(
    db: impl PgExecutor<'_>,
    encounter_id: Uuid,
) -> Result<Vec<(Timestamp, Vitals)>, DbError> {
    Ok(sqlx::query_as!(
        VitalsRow,
        "SELECT measured_at, systolic_mmhg, diastolic_mmhg, pulse_bpm, temperature_dc, spo2_pct,
                respiratory_rate, weight_hg, height_cm
         FROM vital_signs WHERE encounter_id = $1 ORDER BY measured_at DESC, id",
        encounter_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(Into::into)
    .collect())
}

/// The time zone of the branch where the consultation's appointment is.
pub async fn timezone(db: impl PgExecutor<'_>, encounter_id: Uuid) -> Result<String, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT c.timezone FROM encounters e JOIN appointments a ON a.id = e.appointment_id
         JOIN clinics c ON c.id = a.clinic_id WHERE e.id = $1",
        encounter_id
    )
    .fetch_one(db)
    .await?)
}

pub async fn add_allergy(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    recorded_by: Uuid,
    allergy: &crate::records::domain::allergy::NewAllergy,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO allergies (id, patient_id, substance, reaction, severity, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
        Uuid::new_v4(),
        patient_id,
        allergy.substance,
        allergy.reaction,
        allergy.severity.code(),
        recorded_by
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The patient's active allergies, the most severe first.
pub async fn allergies_of(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Vec<crate::records::model::AllergyView>, DbError> {
    use crate::records::domain::allergy::Severity;
    Ok(sqlx::query!(
        "SELECT substance, reaction, severity FROM allergies
         WHERE patient_id = $1 AND status = 'active'
         ORDER BY CASE severity WHEN 'severe' THEN 0 WHEN 'moderate' THEN 1 ELSE 2 END,
                  recorded_at, id",
        patient_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| crate::records::model::AllergyView {
        substance: r.substance,
        reaction: r.reaction,
        // The column's CHECK allows only these three.
        severity: Severity::parse(&r.severity).unwrap_or(Severity::Severe),
    })
    .collect())
}

pub struct PatientFacts {
    pub full_name: String,
    pub latin_name: Option<String>,
    pub date_of_birth: Option<time::Date>,
    pub sex: Option<String>,
    /// Only the last four digits leave the database in the clear.
    pub national_id_last4: String,
}

pub async fn patient_facts(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Option<PatientFacts>, DbError> {
    Ok(sqlx::query_as!(
        PatientFacts,
        r#"SELECT first_name || ' ' || father_name || ' ' || grandfather_name || ' ' || family_name
                  AS "full_name!", latin_name, date_of_birth, sex,
                  COALESCE(national_id_last4, right(national_id, 4)) AS "national_id_last4!"
           FROM users WHERE id = $1"#,
        patient_id
    )
    .fetch_optional(db)
    .await?)
}

/// The patient's first and family names.
pub async fn patient_names(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Option<(String, String)>, DbError> {
    Ok(sqlx::query!(
        "SELECT first_name, family_name FROM users WHERE id = $1",
        patient_id
    )
    .fetch_optional(db)
    .await?
    .map(|r| (r.first_name, r.family_name)))
}

pub async fn add_problem(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    patient_id: Uuid,
    recorded_by: Uuid,
    code: &str,
    note: &str,
) -> Result<(), DbError> {
    let id = Uuid::new_v4();
    let value = keys.seal_text(note, &sealed::problem_aad(id));
    sqlx::query!(
        "INSERT INTO problems (id, patient_id, code, note, note_sealed, recorded_by)
         VALUES ($1, $2, $3, '', $4, $5)",
        id,
        patient_id,
        code,
        value,
        recorded_by
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The active problems: (id, code, note), oldest first.
pub async fn problems_of(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    patient_id: Uuid,
) -> Result<Vec<(Uuid, String, String)>, DbError> {
    sqlx::query!(
        "SELECT id, code, note, note_sealed FROM problems
         WHERE patient_id = $1 AND status = 'active'
         ORDER BY recorded_at, id",
        patient_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| {
        let aad = sealed::problem_aad(r.id);
        Ok((
            r.id,
            r.code,
            sealed::open_text(keys, &aad, r.note_sealed.as_deref(), r.note)?,
        ))
    })
    .collect()
}

/// Marks the patient's active problem resolved; false when there is no such active problem.
pub async fn resolve_problem(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    id: Uuid,
    by: Uuid,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "UPDATE problems SET status = 'resolved', resolved_at = now(), resolved_by = $3
         WHERE id = $1 AND patient_id = $2 AND status = 'active'",
        id,
        patient_id,
        by
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}

/// Marks the patient's current medication stopped; false when there is no such medication.
pub async fn stop_medication(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    id: Uuid,
    by: Uuid,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "UPDATE medications SET status = 'stopped', stopped_at = now(), stopped_by = $3
         WHERE id = $1 AND patient_id = $2 AND status = 'active'",
        id,
        patient_id,
        by
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}

pub async fn add_medication(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    recorded_by: Uuid,
    drug: &str,
    dose: &str,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO medications (id, patient_id, drug, dose, recorded_by) VALUES ($1, $2, $3, $4, $5)",
        Uuid::new_v4(),
        patient_id,
        drug,
        dose,
        recorded_by
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The medications taken now, oldest first.
pub async fn medications_of(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Vec<crate::records::model::MedicationView>, DbError> {
    Ok(sqlx::query!(
        "SELECT id, drug, dose FROM medications WHERE patient_id = $1 AND status = 'active'
         ORDER BY recorded_at, id",
        patient_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| crate::records::model::MedicationView {
        id: r.id,
        drug: r.drug,
        dose: r.dose,
    })
    .collect())
}
