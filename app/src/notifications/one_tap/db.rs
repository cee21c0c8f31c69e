//! SQL of one-tap tokens.

use crate::kernel::db::{to_odt, to_ts, DbError};
use crate::notifications::one_tap::token::TapAction;
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

/// Adds the token unless it exists (a message sent again keeps its link).
pub async fn add(
    db: impl PgExecutor<'_>,
    id: Uuid,
    appointment_id: Uuid,
    user_id: Uuid,
    action: TapAction,
    expires_at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO one_tap_tokens (id, appointment_id, user_id, action, expires_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        id,
        appointment_id,
        user_id,
        action.code(),
        to_odt(expires_at)
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct TokenRow {
    pub appointment_id: Uuid,
    pub user_id: Uuid,
    pub action: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// The token as stored.
pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<TokenRow>, DbError> {
    let row = sqlx::query!(
        "SELECT appointment_id, user_id, action, expires_at, used_at
         FROM one_tap_tokens WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| TokenRow {
        appointment_id: r.appointment_id,
        user_id: r.user_id,
        action: r.action,
        expires_at: to_ts(r.expires_at),
        used_at: r.used_at.map(to_ts),
    }))
}

/// Marks the token used; false when it already was (another tap got there first).
pub async fn use_once(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "UPDATE one_tap_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL",
        id
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Records that the patient will come; false when the visit is not booked (cancelled, begun).
pub async fn confirm_attendance(
    db: impl PgExecutor<'_>,
    appointment_id: Uuid,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "UPDATE appointments SET attendance_confirmed_at = coalesce(attendance_confirmed_at, now()),
                updated_at = now()
         WHERE id = $1 AND status = 'booked'",
        appointment_id
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(done == 1)
}
