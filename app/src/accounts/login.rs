//! Checking a log-in: the attempt limits per account and per address (an attempt is claimed
//! before the password is checked, so parallel guesses cannot overrun them), the password (a
//! miss is compared against a dummy hash, so it takes as long as a wrong password), and the
//! audit row.

use crate::accounts::db::login_attempts;
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::hashing::HashGate;
use crate::kernel::values::LoginIdentifier;
use crate::kernel::{config::Config, error::AppError, service_error::ServiceError, values::Role};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// Longer input than this is not a password anyone typed; refused before hashing.
const MAX_PASSWORD_BYTES: usize = 1024;

/// The attempt limits of log-in and the current-password check, which share them.
fn limits(config: &Config) -> login_attempts::Limits {
    login_attempts::Limits {
        window_minutes: config.login_window_minutes,
        per_account: config.login_max_failures_per_account,
        per_ip: config.login_max_failures_per_ip,
    }
}

/// The key an account's attempts count under, whichever identifier was typed; an unknown
/// identifier is counted under itself, so it meets the same limit as a real account.
pub(crate) fn account_key(account: Option<Uuid>, typed: &str) -> String {
    match account {
        Some(id) => format!("user:{id}"),
        None => format!("unknown:{typed}"),
    }
}

/// Claims one password attempt for `key` from `ip` before the password is checked; `None`
/// when the limits are reached (too many failures for the account or from the address).
pub(crate) async fn claim_attempt(
    pool: &PgPool,
    config: &Config,
    key: &str,
    ip: Option<IpAddr>,
) -> Result<Option<i64>, ServiceError> {
    Ok(login_attempts::claim(pool, key, ip, &limits(config)).await?)
}

/// The account `identifier` and `password` log in to, or why not: `RateLimited` after too many
/// failures for the account or the address, `InvalidCredentials` for any wrong detail (never
/// saying whether the account exists).
pub async fn authenticate(
    pool: &PgPool,
    keys: &crate::kernel::crypto::Keyring,
    config: &Config,
    hashing: &HashGate,
    ident: &LoginIdentifier,
    password: String,
    ip: Option<IpAddr>,
) -> Result<(Uuid, Role), ServiceError> {
    let (account, typed) = match ident {
        LoginIdentifier::Phone(phone) => (
            crate::accounts::db::users::credentials_by_phone(pool, phone.as_str()).await?,
            ident.key().to_owned(),
        ),
        LoginIdentifier::NationalId(id) => {
            let index = crate::kernel::sealed_id::lookup(keys, id)
                .map_err(crate::kernel::db::DbError::from)?;
            // Attempts on an ID no account has are counted under its blind index, so the
            // attempts table never holds a national ID in the clear either.
            let typed = format!("nid:{}", hex::encode(&index[..index.len().min(16)]));
            (
                crate::accounts::db::users::credentials_by_national_id(pool, &index).await?,
                typed,
            )
        }
    };
    let key = account_key(account.as_ref().map(|a| a.id), &typed);
    let Some(claim) = claim_attempt(pool, config, &key, ip).await? else {
        let mut entry = AuditEntry::new("auth.login", Outcome::Denied)
            .ip(ip)
            .details(serde_json::json!({ "reason": "rate_limited" }));
        if let Some(account) = &account {
            entry = entry.subject("user", account.id);
        }
        crate::kernel::audit::record(pool, &entry).await?;
        return Err(AppError::RateLimited.into());
    };

    let verified = if password.len() > MAX_PASSWORD_BYTES {
        Ok(false)
    } else {
        hashing
            .verify(password, account.as_ref().map(|a| a.password_hash.clone()))
            .await
    };
    let password_ok = match verified {
        Ok(ok) => ok,
        Err(busy) => {
            // Nothing was checked: the attempt does not count against the account.
            login_attempts::release(pool, claim).await?;
            return Err(busy.into());
        }
    };

    match account {
        Some(account) if password_ok && account.is_active => {
            login_attempts::succeeded(pool, claim).await?;
            let entry = AuditEntry::new("auth.login", Outcome::Success)
                .actor(account.id, account.role)
                .subject("user", account.id)
                .ip(ip);
            crate::kernel::audit::record(pool, &entry).await?;
            Ok((account.id, account.role))
        }
        account => {
            let mut entry = AuditEntry::new("auth.login", Outcome::Failure).ip(ip);
            if let Some(account) = account {
                entry = entry.subject("user", account.id);
            }
            crate::kernel::audit::record(pool, &entry).await?;
            Err(AppError::InvalidCredentials.into())
        }
    }
}
