//! The facts the access policy needs from the database.

use crate::kernel::db::DbError;
use sqlx::PgExecutor;
use uuid::Uuid;

/// Whether `user_id` may see and book for `patient_id`: themselves, or a family member they
/// added.
pub async fn may_act_for(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    patient_id: Uuid,
) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT ($1::uuid = $2::uuid OR EXISTS (SELECT 1 FROM dependents
                                      WHERE guardian_id = $1 AND dependent_id = $2)) AS "ok!""#,
        user_id,
        patient_id
    )
    .fetch_one(db)
    .await?)
}

/// Whether `id` is an active patient record (an account or a family member).
pub async fn is_patient(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'patient' AND is_active) AS "e!""#,
        id
    )
    .fetch_one(db)
    .await?)
}

/// Whether `doctor_id` has or had an appointment with `patient_id` (any status but a waitlist
/// hold): the care relationship that opens a chart without break-glass.
pub async fn treats(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    patient_id: Uuid,
) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM appointments WHERE doctor_id = $1 AND patient_id = $2
                            AND status <> 'held') AS "e!""#,
        doctor_id,
        patient_id
    )
    .fetch_one(db)
    .await?)
}

/// A break-glass grant still open: a doctor's stated reason to see a chart they have no care
/// relationship to.
#[derive(Debug, Clone)]
pub struct OpenGrant {
    pub id: Uuid,
    pub reason: String,
    pub expires_at: jiff::Timestamp,
}

/// The latest-ending grant `doctor_id` holds on `patient_id`'s chart that has not run out.
pub async fn open_grant(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    patient_id: Uuid,
) -> Result<Option<OpenGrant>, DbError> {
    Ok(sqlx::query!(
        "SELECT id, reason, expires_at FROM chart_access_grants
         WHERE doctor_id = $1 AND patient_id = $2 AND expires_at > now()
         ORDER BY expires_at DESC LIMIT 1",
        doctor_id,
        patient_id
    )
    .fetch_optional(db)
    .await?
    .map(|r| OpenGrant {
        id: r.id,
        reason: r.reason,
        expires_at: crate::kernel::db::to_ts(r.expires_at),
    }))
}
