//! Adding and removing Ramadan hours, a doctor's own or a branch's default, each audited. They
//! take effect on the days of Ramadan of every year; the slot engine picks them (`intervals_on`).

use crate::clinic::domain::hours::WorkingInterval;
use crate::clinic::service::{commit_audited, Editor};
use crate::kernel::db::DbError;
use crate::kernel::{error::AppError, service_error::ServiceError};
use sqlx::PgPool;
use uuid::Uuid;

/// Adds an interval to `doctor`'s Ramadan hours at `clinic`, or (`None`) to the branch's default.
pub async fn add(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    doctor: Option<Uuid>,
    interval: &WorkingInterval,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let id = match crate::clinic::db::ramadan::insert(&mut *tx, clinic, doctor, interval).await {
        Ok(id) => id,
        Err(DbError::Constraint(name)) if name == "ramadan_hours_doctor_clinic" => {
            return Err(AppError::field("clinic_id", "err-branch-not-doctors").into())
        }
        Err(e) => return Err(e.into()),
    };
    let details = serde_json::json!({
        "clinic_id": clinic,
        "doctor_id": doctor,
        "interval": interval,
    });
    commit_audited(tx, by, "ramadan_hours.add", ("ramadan_hours", id), details).await
}

/// Removes one interval of `doctor`'s (or the branch default's) Ramadan hours; returns its
/// branch.
pub async fn remove(
    pool: &PgPool,
    by: &Editor,
    doctor: Option<Uuid>,
    id: Uuid,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    let clinic = crate::clinic::db::ramadan::delete(&mut *tx, doctor, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let details = serde_json::json!({ "doctor_id": doctor, "clinic_id": clinic });
    commit_audited(
        tx,
        by,
        "ramadan_hours.delete",
        ("ramadan_hours", id),
        details,
    )
    .await?;
    Ok(clinic)
}
