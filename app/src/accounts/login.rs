//! Checking a log-in: the attempt limits per account and per address, the password (a miss is
//! compared against a dummy hash, so it takes as long as a wrong password), and the audit row.

use crate::accounts::domain::LoginIdentifier;
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::hashing::HashGate;
use crate::kernel::{config::Config, error::AppError, service_error::ServiceError, values::Role};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// Longer input than this is not a password anyone typed; refused before hashing.
const MAX_PASSWORD_BYTES: usize = 1024;

/// Whether `key` (an account's attempts) or `ip` already failed as often as the log-in limits
/// allow inside their window. Log-in and the current-password check share these limits.
pub(crate) async fn over_attempt_limit(
    pool: &PgPool,
    config: &Config,
    key: &str,
    ip: Option<IpAddr>,
) -> Result<bool, ServiceError> {
    let failures = crate::accounts::db::login_attempts::recent_failures(
        pool,
        key,
        ip,
        config.login_window_minutes,
    )
    .await?;
    Ok(failures.by_account >= config.login_max_failures_per_account
        || failures.by_ip >= config.login_max_failures_per_ip)
}

/// The account `identifier` and `password` log in to, or why not: `RateLimited` after too many
/// failures for the account or the address, `InvalidCredentials` for any wrong detail (never
/// saying whether the account exists).
pub async fn authenticate(
    pool: &PgPool,
    config: &Config,
    hashing: &HashGate,
    ident: &LoginIdentifier,
    password: String,
    ip: Option<IpAddr>,
) -> Result<(Uuid, Role), ServiceError> {
    if over_attempt_limit(pool, config, ident.key(), ip).await? {
        let entry = AuditEntry::new("auth.login", Outcome::Denied)
            .ip(ip)
            .details(serde_json::json!({ "reason": "rate_limited" }));
        crate::kernel::audit::record(pool, &entry).await?;
        return Err(AppError::RateLimited.into());
    }

    let account = match ident {
        LoginIdentifier::Phone(phone) => {
            crate::accounts::db::users::credentials_by_phone(pool, phone.as_str()).await?
        }
        LoginIdentifier::NationalId(id) => {
            crate::accounts::db::users::credentials_by_national_id(pool, id.as_str()).await?
        }
    };
    let password_ok = password.len() <= MAX_PASSWORD_BYTES
        && hashing
            .verify(password, account.as_ref().map(|a| a.password_hash.clone()))
            .await?;

    match account {
        Some(account) if password_ok && account.is_active => {
            crate::accounts::db::login_attempts::record(pool, ident.key(), ip, true).await?;
            let entry = AuditEntry::new("auth.login", Outcome::Success)
                .actor(account.id, account.role)
                .subject("user", account.id)
                .ip(ip);
            crate::kernel::audit::record(pool, &entry).await?;
            Ok((account.id, account.role))
        }
        account => {
            crate::accounts::db::login_attempts::record(pool, ident.key(), ip, false).await?;
            let mut entry = AuditEntry::new("auth.login", Outcome::Failure).ip(ip);
            if let Some(account) = account {
                entry = entry.subject("user", account.id);
            }
            crate::kernel::audit::record(pool, &entry).await?;
            Err(AppError::InvalidCredentials.into())
        }
    }
}
