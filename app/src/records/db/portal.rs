//! The patient portal's SQL: the people a patient sees records of, their signed visits, and
//! who touched their record.

use crate::kernel::crypto::Keyring;
use crate::kernel::db::{to_ts, DbError};
use crate::records::db::sealed::open_note;
use crate::records::domain::note::Note;
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

/// The patient and the family members they added, the patient first.
pub async fn family(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Vec<(Uuid, String)>, DbError> {
    Ok(sqlx::query!(
        r#"SELECT u.id AS "id!", u.first_name || ' ' || u.family_name AS "name!", u.id = $1 AS "me!"
           FROM users u
           WHERE u.id = $1
              OR u.id IN (SELECT dependent_id FROM dependents WHERE guardian_id = $1)
           ORDER BY 3 DESC, u.first_name"#,
        patient_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}

#[derive(Debug, Clone)]
pub struct SignedVisit {
    pub id: Uuid,
    pub signed_at: Timestamp,
    pub timezone: String,
    pub doctor_name: String,
    pub doctor_latin: Option<String>,
    pub summary: String,
}

/// The patient's signed consultations, newest first.
pub async fn signed_visits(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    patient_id: Uuid,
    limit: i64,
) -> Result<Vec<SignedVisit>, DbError> {
    sqlx::query!(
        r#"SELECT e.id, e.signed_at AS "signed_at!", c.timezone, e.note_sealed, e.chief_complaint,
                  e.history, e.examination, e.assessment, e.plan, e.patient_summary,
                  d.first_name || ' ' || d.family_name AS "doctor_name!", d.latin_name AS doctor_latin
           FROM encounters e
           JOIN appointments a ON a.id = e.appointment_id
           JOIN clinics c ON c.id = a.clinic_id
           JOIN users d ON d.id = e.doctor_id
           WHERE e.patient_id = $1 AND e.status = 'signed'
           ORDER BY e.signed_at DESC LIMIT $2"#,
        patient_id,
        limit
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| {
        let note = open_note(keys, r.id, r.note_sealed.as_deref(), || Note {
            chief_complaint: r.chief_complaint,
            history: r.history,
            examination: r.examination,
            assessment: r.assessment,
            plan: r.plan,
            patient_summary: r.patient_summary,
        })?;
        Ok(SignedVisit {
            id: r.id,
            signed_at: to_ts(r.signed_at),
            timezone: r.timezone,
            doctor_name: r.doctor_name,
            doctor_latin: r.doctor_latin,
            summary: note.patient_summary,
        })
    })
    .collect()
}

/// The diagnoses of several encounters at once: (encounter, code) in each one's order.
pub async fn diagnoses_of(
    db: impl PgExecutor<'_>,
    encounters: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbError> {
    Ok(sqlx::query!(
        "SELECT encounter_id, code FROM encounter_diagnoses
         WHERE encounter_id = ANY($1) ORDER BY encounter_id, position",
        encounters
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.encounter_id, r.code))
    .collect())
}

#[derive(Debug, Clone)]
pub struct AccessRow {
    pub at: Timestamp,
    pub action: String,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
}

/// The last reads and writes of the patient's medical data by anyone but `viewer` (the
/// patient or guardian looking), newest first.
pub async fn record_access(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    viewer: Uuid,
    limit: i64,
) -> Result<Vec<AccessRow>, DbError> {
    Ok(sqlx::query!(
        r#"SELECT l.at, l.action, u.first_name || ' ' || u.family_name AS actor_name,
                  l.actor_role::text AS actor_role
           FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
           WHERE l.details ? 'patient_id' AND l.details ->> 'patient_id' = $1::uuid::text
             AND l.outcome = 'success' AND l.actor_id IS DISTINCT FROM $2
             AND split_part(l.action, '.', 1) IN
                 ('encounter', 'prescription', 'vitals', 'allergy', 'problem', 'medication', 'chart')
           ORDER BY l.at DESC, l.id DESC LIMIT $3"#,
        patient_id,
        viewer,
        limit
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| AccessRow {
        at: to_ts(r.at),
        action: r.action,
        actor_name: r.actor_name,
        actor_role: r.actor_role,
    })
    .collect())
}

/// The first clinic's time zone: branches of one clinic share it.
pub async fn clinic_timezone(db: impl PgExecutor<'_>) -> Result<String, DbError> {
    Ok(
        sqlx::query_scalar!("SELECT timezone FROM clinics ORDER BY created_at, id LIMIT 1")
            .fetch_optional(db)
            .await?
            .unwrap_or_else(|| "Asia/Riyadh".to_owned()),
    )
}
