//! Patients' transactions: a guardian adding a family member, the desk registering someone who
//! walked in, and the desk's patient search — each with its audit row.

use crate::accounts::domain::Registration;
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::crypto::Keyring;
use crate::kernel::db::DbError;
use crate::kernel::{auth::CurrentUser, service_error::ServiceError};
use crate::patients::{domain::NewDependent, model::PatientHit};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// Adds `dependent` to `guardian`'s family, up to `max_dependents` members; returns the
/// dependent's own patient id.
pub async fn add_dependent(
    pool: &PgPool,
    keys: &Keyring,
    guardian: &CurrentUser,
    ip: Option<IpAddr>,
    dependent: &NewDependent,
    max_dependents: i64,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    // The guardian's row is locked, so two additions at once cannot both pass the cap.
    let members = crate::patients::db::lock_family(&mut tx, guardian.id).await?;
    if members >= max_dependents {
        return Err(crate::kernel::error::AppError::Rule("err-family-full".into()).into());
    }
    let id = crate::patients::db::insert_dependent(&mut tx, keys, guardian.id, dependent).await?;
    let entry = AuditEntry::new("user.add_dependent", Outcome::Success)
        .actor(guardian.id, guardian.role)
        .subject("user", id)
        .ip(ip)
        .details(serde_json::json!({ "relation": dependent.relation.as_str() }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves a family member's record to its owner, who came to the desk with their ID: the record
/// leaves every guardian's account (their bookings of it no longer show there) and becomes the
/// owner's own, like a walk-in the desk registered, with the owner's mobile number. Returns the
/// record's id.
pub async fn claim_dependent(
    pool: &PgPool,
    keys: &Keyring,
    desk: &CurrentUser,
    ip: Option<IpAddr>,
    national_id: &crate::kernel::values::NationalId,
    phone: &crate::kernel::values::SaudiMobile,
) -> Result<Uuid, ServiceError> {
    use crate::kernel::error::AppError;
    let index = crate::kernel::sealed_id::lookup(keys, national_id).map_err(DbError::from)?;
    let mut tx = pool.begin().await?;
    let record = crate::patients::db::managed_by_national_id(&mut tx, &index)
        .await?
        .ok_or_else(|| AppError::field("national_id", "err-claim-no-family-record"))?;
    let guardians = crate::patients::db::release_dependent(&mut tx, record, phone.as_str()).await?;
    let entry = AuditEntry::new("user.claim_dependent", Outcome::Success)
        .actor(desk.id, desk.role)
        .subject("user", record)
        .ip(ip)
        .details(serde_json::json!({ "former_guardians": guardians }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(record)
}

/// Registers a walk-in patient for the desk; returns their id.
pub async fn register_walk_in(
    pool: &PgPool,
    keys: &Keyring,
    desk: &CurrentUser,
    ip: Option<IpAddr>,
    registration: &Registration,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    // No password yet: "!" can never verify, so nobody logs in until the patient claims the account.
    let id = crate::accounts::service::create_walk_in(&mut *tx, keys, registration).await?;
    let entry = AuditEntry::new("user.register_walk_in", Outcome::Success)
        .actor(desk.id, desk.role)
        .subject("user", id)
        .ip(ip);
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The desk's search: an exact mobile or ID (`exact`, normalised) or a name fragment (`literal`,
/// LIKE wildcards escaped). Showing a patient is a read of their identity, so the audit row
/// names every patient shown, not only how many.
pub async fn search(
    pool: &PgPool,
    keys: &Keyring,
    desk: &CurrentUser,
    ip: Option<IpAddr>,
    exact: Option<&str>,
    literal: &str,
) -> Result<Vec<PatientHit>, ServiceError> {
    let id_index = exact
        .and_then(|e| crate::kernel::values::NationalId::parse(e).ok())
        .map(|id| crate::kernel::sealed_id::lookup(keys, &id))
        .transpose()
        .map_err(DbError::from)?;
    let hits =
        crate::patients::db::find_patients(pool, exact, id_index.as_deref(), literal).await?;
    let entry = AuditEntry::new("patient.search", Outcome::Success)
        .actor(desk.id, desk.role)
        .ip(ip)
        .details(serde_json::json!({
            "results": hits.len(),
            "shown": hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        }));
    crate::kernel::audit::record(pool, &entry).await?;
    Ok(hits)
}
