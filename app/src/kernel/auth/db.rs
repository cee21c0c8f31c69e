//! What sessions need from the database: who the logged-in user is, while the account is
//! active and the device's session has not been ended elsewhere; and the devices themselves.

use crate::kernel::{auth::CurrentUser, db::DbError, values::Role};
use sqlx::{types::ipnetwork::IpNetwork, PgExecutor, PgPool};
use std::net::IpAddr;
use uuid::Uuid;

/// A device a user is logged in on, for "my sessions".
pub struct DeviceRow {
    pub device: Uuid,
    pub user_agent: String,
    pub ip: Option<IpNetwork>,
    pub created_at: time::OffsetDateTime,
    pub last_seen: time::OffsetDateTime,
}

pub async fn active_user(
    pool: &PgPool,
    id: Uuid,
    device: Uuid,
) -> Result<Option<CurrentUser>, DbError> {
    Ok(sqlx::query_as!(
        CurrentUser,
        r#"SELECT u.id, u.role AS "role: Role",
                  u.first_name || ' ' || u.family_name AS "short_name!",
                  u.latin_name
           FROM users u
           JOIN user_sessions s ON s.user_id = u.id AND s.session_id = $2 AND s.ended_at IS NULL
           WHERE u.id = $1 AND u.is_active"#,
        id,
        device.to_string(),
    )
    .fetch_optional(pool)
    .await?)
}

/// The user `id` while the account is active, whatever their sessions: for what a user does
/// without one (a one-tap link from a message).
pub async fn active_user_by_id(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<CurrentUser>, DbError> {
    Ok(sqlx::query_as!(
        CurrentUser,
        r#"SELECT u.id, u.role AS "role: crate::kernel::values::Role",
                  u.first_name || ' ' || u.family_name AS "short_name!",
                  u.latin_name
           FROM users u WHERE u.id = $1 AND u.is_active"#,
        id
    )
    .fetch_optional(db)
    .await?)
}

pub async fn open_device(
    pool: &PgPool,
    device: Uuid,
    user: Uuid,
    user_agent: &str,
    ip: Option<IpAddr>,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO user_sessions (session_id, user_id, user_agent, ip) VALUES ($1, $2, $3, $4)",
        device.to_string(),
        user,
        user_agent,
        ip.map(IpNetwork::from),
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn device_seen(pool: &PgPool, device: Uuid, ip: Option<IpAddr>) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE user_sessions SET last_seen = now(), ip = coalesce($2, ip)
         WHERE session_id = $1 AND ended_at IS NULL",
        device.to_string(),
        ip.map(IpNetwork::from),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Ends `user`'s sessions on every device but `keep`; returns how many ended.
pub async fn end_devices(
    db: impl PgExecutor<'_>,
    user: Uuid,
    keep: Option<Uuid>,
) -> Result<u64, DbError> {
    let done = sqlx::query!(
        "UPDATE user_sessions SET ended_at = now()
         WHERE user_id = $1 AND ended_at IS NULL AND session_id IS DISTINCT FROM $2",
        user,
        keep.map(|k| k.to_string()),
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn end_device(pool: &PgPool, device: Uuid) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE user_sessions SET ended_at = now() WHERE session_id = $1 AND ended_at IS NULL",
        device.to_string(),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The devices `user` is logged in on, most recently seen first; sessions idle past
/// `idle_minutes` have expired in the store and are left out.
pub async fn devices(
    pool: &PgPool,
    user: Uuid,
    idle_minutes: i64,
) -> Result<Vec<DeviceRow>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT session_id, user_agent, ip, created_at, last_seen FROM user_sessions
           WHERE user_id = $1 AND ended_at IS NULL
             AND last_seen > now() - make_interval(mins => $2)
           ORDER BY last_seen DESC
           LIMIT 50"#,
        user,
        i32::try_from(idle_minutes).unwrap_or(i32::MAX),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(DeviceRow {
                device: r.session_id.parse().ok()?,
                user_agent: r.user_agent,
                ip: r.ip,
                created_at: r.created_at,
                last_seen: r.last_seen,
            })
        })
        .collect())
}
