//! The doctor's chart view's SQL: past consultations with their assessment, and which patients
//! among search results a doctor already treats.

use crate::kernel::crypto::Keyring;
use crate::kernel::db::{to_ts, DbError};
use crate::records::db::sealed::open_note;
use crate::records::domain::note::Note;
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct PastVisit {
    pub id: Uuid,
    pub opened_at: Timestamp,
    pub signed_at: Option<Timestamp>,
    pub doctor_name: String,
    pub assessment: String,
}

/// The patient's consultations, newest first: signed ones, and drafts of `doctor_id` (a
/// doctor's own open note belongs in their view; other doctors' drafts are not the record yet).
pub async fn visits(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    doctor_id: Uuid,
    keys: &Keyring,
    limit: i64,
) -> Result<Vec<PastVisit>, DbError> {
    sqlx::query!(
        r#"SELECT e.id, e.opened_at, e.signed_at, e.note_sealed, e.chief_complaint, e.history,
                  e.examination, e.assessment, e.plan, e.patient_summary,
                  d.first_name || ' ' || d.family_name AS "doctor_name!"
           FROM encounters e JOIN users d ON d.id = e.doctor_id
           WHERE e.patient_id = $1 AND (e.status = 'signed' OR e.doctor_id = $2)
           ORDER BY e.opened_at DESC LIMIT $3"#,
        patient_id,
        doctor_id,
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
        Ok(PastVisit {
            id: r.id,
            opened_at: to_ts(r.opened_at),
            signed_at: r.signed_at.map(to_ts),
            doctor_name: r.doctor_name,
            assessment: note.assessment,
        })
    })
    .collect()
}

/// Which of `patient_ids` have or had an appointment with `doctor_id`.
pub async fn treated_among(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    patient_ids: &[Uuid],
) -> Result<Vec<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT DISTINCT patient_id AS "id!" FROM appointments
           WHERE doctor_id = $1 AND patient_id = ANY($2) AND status <> 'held'"#,
        doctor_id,
        patient_ids
    )
    .fetch_all(db)
    .await?)
}
