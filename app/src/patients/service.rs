//! Patients' transactions: a guardian adding a family member, the desk registering someone who
//! walked in, and the desk's patient search — each with its audit row.

use crate::accounts::domain::Registration;
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::{auth::CurrentUser, service_error::ServiceError};
use crate::patients::{domain::NewDependent, model::PatientHit};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// Adds `dependent` to `guardian`'s family; returns the dependent's own patient id.
pub async fn add_dependent(
    pool: &PgPool,
    guardian: &CurrentUser,
    ip: Option<IpAddr>,
    dependent: &NewDependent,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    let id = crate::patients::db::insert_dependent(&mut tx, guardian.id, dependent).await?;
    let entry = AuditEntry::new("user.add_dependent", Outcome::Success)
        .actor(guardian.id, guardian.role)
        .subject("user", id)
        .ip(ip)
        .details(serde_json::json!({ "relation": dependent.relation.as_str() }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Registers a walk-in patient for the desk; returns their id.
pub async fn register_walk_in(
    pool: &PgPool,
    desk: &CurrentUser,
    ip: Option<IpAddr>,
    registration: &Registration,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    // No password yet: "!" can never verify, so nobody logs in until the patient claims the account.
    let id = crate::accounts::service::create_walk_in(&mut *tx, registration).await?;
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
    desk: &CurrentUser,
    ip: Option<IpAddr>,
    exact: Option<&str>,
    literal: &str,
) -> Result<Vec<PatientHit>, ServiceError> {
    let hits = crate::patients::db::find_patients(pool, exact, literal).await?;
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
