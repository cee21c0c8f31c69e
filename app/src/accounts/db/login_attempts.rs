//! Attempts at a password (log-in, the current-password check) and registrations, counted
//! for the limits. An attempt is claimed — recorded as a failure — before the password is
//! checked, under a lock per account and per address, so parallel requests cannot all slip
//! under the limit; only a correct password turns the claim into a success.

use crate::kernel::db::DbError;
use sqlx::{types::ipnetwork::IpNetwork, PgPool};
use std::net::IpAddr;

/// The identifier registrations are counted under (per address only).
const REGISTER: &str = "register";

pub struct Limits {
    pub window_minutes: i64,
    pub per_account: i64,
    pub per_ip: i64,
}

fn minutes(window: i64) -> i32 {
    i32::try_from(window).unwrap_or(i32::MAX)
}

/// Claims one attempt for `account_key` from `ip`: the claim's id, or `None` when the account
/// (failures since its last success) or the address (log-in failures) reached its limit
/// inside the window.
pub async fn claim(
    pool: &PgPool,
    account_key: &str,
    ip: Option<IpAddr>,
    limits: &Limits,
) -> Result<Option<i64>, DbError> {
    let ip = ip.map(IpNetwork::from);
    let mut tx = pool.begin().await?;
    // Held to the end of the transaction: the next claim for this account or address counts
    // after this one is written.
    sqlx::query!(
        r#"SELECT pg_advisory_xact_lock(hashtextextended('attempts:' || $1, 0))::text AS "account",
                  pg_advisory_xact_lock(hashtextextended('attempts-ip:' || coalesce($2::inet::text, ''), 0))::text AS "ip""#,
        account_key,
        ip,
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = sqlx::query_scalar!(
        r#"WITH counts AS (
             SELECT
               (SELECT count(*) FROM login_attempts
                 WHERE identifier = $1 AND NOT succeeded
                   AND at > now() - make_interval(mins => $3)
                   AND at > coalesce((SELECT max(at) FROM login_attempts
                                       WHERE identifier = $1 AND succeeded), '-infinity')
               ) AS by_account,
               (SELECT count(*) FROM login_attempts
                 WHERE $2::inet IS NOT NULL AND ip = $2 AND NOT succeeded
                   AND identifier <> 'register'
                   AND at > now() - make_interval(mins => $3)
               ) AS by_ip)
           INSERT INTO login_attempts (identifier, ip, succeeded)
           SELECT $1, $2, false FROM counts WHERE by_account < $4 AND by_ip < $5
           RETURNING id"#,
        account_key,
        ip,
        minutes(limits.window_minutes),
        limits.per_account,
        limits.per_ip,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The claimed attempt turned out right: failures before it no longer count for the account.
pub async fn succeeded(db: impl sqlx::PgExecutor<'_>, claim: i64) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE login_attempts SET succeeded = true WHERE id = $1",
        claim
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The claimed attempt was never checked (the server was too busy to hash): it does not count.
pub async fn release(pool: &PgPool, claim: i64) -> Result<(), DbError> {
    sqlx::query!("DELETE FROM login_attempts WHERE id = $1", claim)
        .execute(pool)
        .await?;
    Ok(())
}

/// Claims a registration from `ip`, unless `max` registrations (whatever became of them)
/// came from it inside the window. Without a known address nothing is counted.
pub async fn claim_registration(
    pool: &PgPool,
    ip: Option<IpAddr>,
    window_minutes: i64,
    max: i64,
) -> Result<bool, DbError> {
    let Some(ip) = ip.map(IpNetwork::from) else {
        return Ok(true);
    };
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"SELECT pg_advisory_xact_lock(hashtextextended('register:' || $1::inet::text, 0))::text AS "locked""#,
        ip,
    )
    .fetch_one(&mut *tx)
    .await?;
    let claimed = sqlx::query_scalar!(
        r#"INSERT INTO login_attempts (identifier, ip, succeeded)
           SELECT $1, $2, true
            WHERE (SELECT count(*) FROM login_attempts
                    WHERE identifier = $1 AND ip = $2
                      AND at > now() - make_interval(mins => $3)) < $4
           RETURNING id"#,
        REGISTER,
        ip,
        minutes(window_minutes),
        max,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(claimed.is_some())
}
