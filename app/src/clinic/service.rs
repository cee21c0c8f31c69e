//! What clinic setup offers the other features and its own server functions: the branch being
//! set up, doctors, the branches, specialties and rules other features read, and committing an
//! audited setup change.

use crate::clinic::model::{ClinicRules, DoctorRow};
use crate::kernel::service_error::ServiceError;
use crate::kernel::{auth::CurrentUser, error::AppError, values::Named};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn find_doctor(pool: &PgPool, doctor_id: Uuid) -> Result<DoctorRow, ServiceError> {
    crate::clinic::db::doctors::doctor(pool, doctor_id)
        .await?
        .ok_or(AppError::NotFound.into())
}

/// The branch being set up (the first branch when the form names none) and its rules, for
/// the setup server functions.
pub async fn setup_clinic(
    pool: &PgPool,
    clinic_id: Option<&str>,
) -> Result<ClinicRules, ServiceError> {
    branch_rules(pool, crate::kernel::error::optional_id(clinic_id)?).await
}

/// The rules of `branch`, or of the first branch when `None`; `NotFound` for no such branch.
pub async fn branch_rules(
    pool: &PgPool,
    branch: Option<Uuid>,
) -> Result<ClinicRules, ServiceError> {
    let id = match branch {
        Some(id) => id,
        None => {
            crate::clinic::db::clinics::primary_clinic(pool)
                .await?
                .ok_or(AppError::NotFound)?
                .id
        }
    };
    crate::clinic::db::doctors::clinic_rules(pool, id)
        .await?
        .ok_or(AppError::NotFound.into())
}

/// Who makes a setup change, and from where: what its audit row records.
pub struct Editor {
    pub user: CurrentUser,
    pub ip: Option<std::net::IpAddr>,
}

/// Audits a setup change inside its transaction and commits both.
pub async fn commit_audited(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    by: &Editor,
    action: &'static str,
    subject: (&'static str, Uuid),
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    use crate::kernel::audit::AuditEntry;
    use crate::kernel::audit::Outcome;
    let entry = AuditEntry::new(action, Outcome::Success)
        .actor(by.user.id, by.user.role)
        .subject(subject.0, subject.1)
        .ip(by.ip)
        .details(details);
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

// What other features read of the clinic's setup. They call these, never clinic's SQL.

pub async fn specialties(pool: &PgPool) -> Result<Vec<Named>, ServiceError> {
    Ok(crate::clinic::db::clinics::specialties(pool).await?)
}

pub async fn branches(pool: &PgPool) -> Result<Vec<Named>, ServiceError> {
    Ok(crate::clinic::db::clinics::branches(pool).await?)
}

/// The first branch; `None` before any clinic is set up.
pub async fn primary_clinic(pool: &PgPool) -> Result<Option<Named>, ServiceError> {
    Ok(crate::clinic::db::clinics::primary_clinic(pool).await?)
}

/// A branch's booking rules; `NotFound` for no such branch.
pub async fn clinic_rules(
    db: impl sqlx::PgExecutor<'_>,
    clinic_id: Uuid,
) -> Result<ClinicRules, ServiceError> {
    crate::clinic::db::doctors::clinic_rules(db, clinic_id)
        .await?
        .ok_or(AppError::NotFound.into())
}
