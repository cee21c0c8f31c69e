use crate::kernel::db::DbError;
use sqlx::{types::ipnetwork::IpNetwork, PgExecutor, PgPool};
use std::net::IpAddr;

pub struct RecentFailures {
    pub by_account: i64,
    pub by_ip: i64,
}

/// Failures inside the window; for an account, only those since its last successful log-in.
pub async fn recent_failures(
    pool: &PgPool,
    identifier: &str,
    ip: Option<IpAddr>,
    window_minutes: i64,
) -> Result<RecentFailures, DbError> {
    let window = i32::try_from(window_minutes).unwrap_or(i32::MAX);
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM login_attempts
               WHERE identifier = $1 AND NOT succeeded
                 AND at > now() - make_interval(mins => $3)
                 AND at > coalesce((SELECT max(at) FROM login_attempts
                                     WHERE identifier = $1 AND succeeded), '-infinity')
             ) AS "by_account!",
             (SELECT count(*) FROM login_attempts
               WHERE $2::inet IS NOT NULL AND ip = $2 AND NOT succeeded
                 AND at > now() - make_interval(mins => $3)
             ) AS "by_ip!""#,
        identifier,
        ip.map(IpNetwork::from),
        window,
    )
    .fetch_one(pool)
    .await?;
    Ok(RecentFailures {
        by_account: row.by_account,
        by_ip: row.by_ip,
    })
}

pub async fn record(
    db: impl PgExecutor<'_>,
    identifier: &str,
    ip: Option<IpAddr>,
    succeeded: bool,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO login_attempts (identifier, ip, succeeded) VALUES ($1, $2, $3)",
        identifier,
        ip.map(IpNetwork::from),
        succeeded
    )
    .execute(db)
    .await?;
    Ok(())
}
