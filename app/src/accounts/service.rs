//! Accounts' transactions: a patient registering, a password change, and the walk-in record
//! the desk creates (what the patients feature calls).

use crate::accounts::domain::Registration;
use crate::kernel::crypto::Keyring;
use crate::kernel::service_error::ServiceError;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A patient record the desk registers for someone who walked in: it has no usable password
/// ("!" never verifies) until the patient sets one.
pub async fn create_walk_in(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    registration: &Registration,
) -> Result<Uuid, ServiceError> {
    Ok(crate::accounts::db::users::insert_patient(db, keys, registration, "!walk-in").await?)
}

/// Registers a patient who signed up themselves; returns their id. Limited per address, and a
/// number or ID already taken is refused before the password is hashed. A refusal is audited
/// as a failed registration, without the values.
pub async fn register_patient(
    pool: &sqlx::PgPool,
    keys: &Keyring,
    config: &crate::kernel::config::Config,
    hashing: &crate::kernel::hashing::HashGate,
    registration: &Registration,
    ip: Option<std::net::IpAddr>,
) -> Result<Uuid, ServiceError> {
    use crate::accounts::db::login_attempts;
    use crate::kernel::audit::{AuditEntry, Outcome};
    use crate::kernel::error::AppError;
    use crate::kernel::values::Role;
    if !login_attempts::claim_registration(
        pool,
        ip,
        config.login_window_minutes,
        config.registrations_per_ip,
    )
    .await?
    {
        let entry = AuditEntry::new("user.register", Outcome::Denied)
            .ip(ip)
            .details(serde_json::json!({ "reason": "rate_limited" }));
        crate::kernel::audit::record(pool, &entry).await?;
        return Err(AppError::RateLimited.into());
    }
    let taken = crate::accounts::db::users::taken(pool, keys, registration).await?;
    if !taken.is_empty() {
        let entry = AuditEntry::new("user.register", Outcome::Failure)
            .ip(ip)
            .details(serde_json::json!({ "reason": "taken" }));
        crate::kernel::audit::record(pool, &entry).await?;
        return Err(AppError::Conflict(taken).into());
    }
    let password = registration
        .password
        .clone()
        .ok_or_else(|| ServiceError::failed("registration", "parsed without a password"))?;
    let hash = hashing.hash(password).await?;
    let mut tx = pool.begin().await?;
    let id = match crate::accounts::db::users::insert_patient(&mut *tx, keys, registration, &hash)
        .await
    {
        Ok(id) => id,
        Err(err) => {
            let err = crate::kernel::error::AppError::from(err);
            drop(tx);
            let entry = AuditEntry::new("user.register", Outcome::Failure)
                .ip(ip)
                .details(serde_json::json!({ "reason": err.message_key() }));
            crate::kernel::audit::record(pool, &entry).await?;
            return Err(err.into());
        }
    };
    let entry = AuditEntry::new("user.register", Outcome::Success)
        .actor(id, Role::Patient)
        .subject("user", id)
        .ip(ip);
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes `user`'s password after checking the current one; a wrong current password is a
/// field error on `current_password` and an audited failure. The check is limited like a
/// log-in (per account and per address): a stolen session cannot guess the password.
pub async fn change_password(
    pool: &sqlx::PgPool,
    config: &crate::kernel::config::Config,
    hashing: &crate::kernel::hashing::HashGate,
    user: &crate::kernel::auth::CurrentUser,
    ip: Option<std::net::IpAddr>,
    current: String,
    new: crate::kernel::values::Password,
) -> Result<(), ServiceError> {
    use crate::accounts::db::login_attempts;
    use crate::kernel::audit::{AuditEntry, Outcome};
    use crate::kernel::error::AppError;
    // The same count as log-in: guesses through either door add up.
    let key = crate::accounts::login::account_key(Some(user.id), "");
    let Some(claim) = crate::accounts::login::claim_attempt(pool, config, &key, ip).await? else {
        let entry = AuditEntry::new("auth.password_change", Outcome::Denied)
            .actor(user.id, user.role)
            .subject("user", user.id)
            .ip(ip)
            .details(serde_json::json!({ "reason": "rate_limited" }));
        crate::kernel::audit::record(pool, &entry).await?;
        return Err(AppError::RateLimited.into());
    };
    let account = crate::accounts::db::users::credentials_by_id(pool, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !hashing.verify(current, Some(account.password_hash)).await? {
        let entry = AuditEntry::new("auth.password_change", Outcome::Failure)
            .actor(user.id, user.role)
            .subject("user", user.id)
            .ip(ip);
        crate::kernel::audit::record(pool, &entry).await?;
        return Err(AppError::field("current_password", "err-current-password-wrong").into());
    }
    let hash = hashing.hash(new).await?;
    let mut tx = pool.begin().await?;
    crate::accounts::db::users::update_password(&mut *tx, user.id, &hash).await?;
    // Every session of the account ends, this one too (the caller starts a fresh one): a
    // session stolen before the change stops working.
    crate::kernel::auth::db::end_devices(&mut *tx, user.id, None).await?;
    login_attempts::succeeded(&mut *tx, claim).await?;
    let entry = AuditEntry::new("auth.password_change", Outcome::Success)
        .actor(user.id, user.role)
        .subject("user", user.id)
        .ip(ip);
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a staff account for `admin`; a doctor also gets a profile with `specialty` at the
/// first branch. Returns the new account's id.
pub async fn create_staff(
    pool: &sqlx::PgPool,
    keys: &Keyring,
    hashing: &crate::kernel::hashing::HashGate,
    admin: &crate::kernel::auth::CurrentUser,
    ip: Option<std::net::IpAddr>,
    staff: &crate::accounts::domain::NewStaff,
    specialty: Option<Uuid>,
) -> Result<Uuid, ServiceError> {
    use crate::kernel::audit::{AuditEntry, Outcome};
    let clinic = crate::clinic::service::primary_clinic(pool)
        .await?
        .ok_or_else(|| ServiceError::failed("staff creation", "no clinic set up"))?;
    let hash = hashing.hash(staff.password.clone()).await?;
    let mut tx = pool.begin().await?;
    let id = crate::accounts::db::users::insert_staff(&mut *tx, keys, staff, &hash).await?;
    if let Some(specialty_id) = specialty {
        crate::accounts::db::users::insert_doctor_profile(&mut *tx, id, specialty_id, clinic.id)
            .await?;
    }
    for action in ["user.create_staff", "role.assign"] {
        let entry = AuditEntry::new(action, Outcome::Success)
            .actor(admin.id, admin.role)
            .subject("user", id)
            .ip(ip)
            .details(serde_json::json!({ "role": staff.role.as_str() }));
        crate::kernel::audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Creates the first admin of a clinic that runs without demo data, and the clinic itself
/// (`clinic`: Arabic and English name) when none exists yet, since setup edits a clinic; refused
/// once any active admin exists, so it cannot be used to add a second one behind the others'
/// backs.
pub async fn bootstrap_admin(
    pool: &sqlx::PgPool,
    keys: &Keyring,
    hashing: &crate::kernel::hashing::HashGate,
    staff: &crate::accounts::domain::NewStaff,
    clinic: Option<(&str, &str)>,
) -> Result<Uuid, ServiceError> {
    use crate::kernel::audit::{AuditEntry, Outcome};
    use crate::kernel::values::Role;
    if staff.role != Role::Admin {
        return Err(ServiceError::failed(
            "bootstrap",
            "the first account must be an admin",
        ));
    }
    let hash = hashing.hash(staff.password.clone()).await?;
    let mut tx = pool.begin().await?;
    crate::accounts::db::users::lock_bootstrap(&mut *tx).await?;
    if crate::accounts::db::users::admin_exists(&mut *tx).await? {
        return Err(crate::kernel::error::AppError::Forbidden.into());
    }
    if crate::clinic::db::clinics::count(&mut *tx).await? == 0 {
        let (name_ar, name_en) = clinic.ok_or_else(|| {
            crate::kernel::error::AppError::field("clinic", "err-clinic-name-required")
        })?;
        crate::clinic::db::clinics::insert_named(&mut *tx, name_ar, name_en).await?;
    }
    let id = crate::accounts::db::users::insert_staff(&mut *tx, keys, staff, &hash).await?;
    let entry = AuditEntry::new("user.bootstrap_admin", Outcome::Success)
        .subject("user", id)
        .details(serde_json::json!({ "role": "admin" }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

const SEAL_BATCH: i64 = 500;

/// Seals every national ID still stored in the clear (accounts from before migration 016, or
/// rows written by hand); returns how many. Run at start-up, in small transactions.
pub async fn seal_national_ids(pool: &sqlx::PgPool, keys: &Keyring) -> Result<u64, ServiceError> {
    use crate::kernel::sealed_id::StoredNationalId;
    let mut count = 0;
    loop {
        let mut tx = pool.begin().await?;
        let rows = crate::accounts::db::users::unsealed_national_ids(&mut tx, SEAL_BATCH).await?;
        if rows.is_empty() {
            break;
        }
        for (id, plain) in &rows {
            // The format CHECK held for the plaintext, so it parses; anything else is kept as
            // typed rather than lost, under the same digits.
            let nid = crate::kernel::values::NationalId::parse(plain)
                .map_err(|key| ServiceError::failed("sealing a national ID", key))?;
            let stored = StoredNationalId::seal(keys, *id, &nid)
                .map_err(crate::kernel::db::DbError::from)?;
            crate::accounts::db::users::store_national_id(&mut *tx, *id, &stored).await?;
        }
        tx.commit().await?;
        count += rows.len() as u64;
    }
    Ok(count)
}

/// Seals again, with the current data key, every national ID sealed with an older one; the
/// blind index does not change. Returns how many.
pub async fn reseal_national_ids(pool: &sqlx::PgPool, keys: &Keyring) -> Result<u64, ServiceError> {
    let mut count = 0;
    let mut after = Uuid::nil();
    loop {
        let mut tx = pool.begin().await?;
        let rows =
            crate::accounts::db::users::sealed_national_ids_after(&mut tx, after, SEAL_BATCH)
                .await?;
        let Some((last, _)) = rows.last() else {
            break;
        };
        after = *last;
        for (id, sealed) in rows.iter().filter(|(_, s)| keys.is_stale(s)) {
            let value = crate::kernel::sealed_id::reseal(keys, *id, sealed)
                .map_err(crate::kernel::db::DbError::from)?;
            crate::accounts::db::users::reseal_national_id(&mut *tx, *id, &value).await?;
            count += 1;
        }
        tx.commit().await?;
    }
    Ok(count)
}
