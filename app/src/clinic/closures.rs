//! Closures — a branch's holidays and a doctor's leave: where one is kept, and adding or
//! removing it with its audit row in one transaction. A closure over booked days reports how
//! many visits are left on them; it cancels nobody.

use crate::clinic::service::Editor;
use crate::clinic::{domain::setup::ClosureSpec, model::ClinicRules};
use crate::kernel::{error::AppError, service_error::ServiceError};
use sqlx::PgPool;
use uuid::Uuid;

/// Where a closure is kept: a holiday of a branch (`doctor` is `None`), or a doctor's leave,
/// kept with their home branch and holding at every branch they work at.
pub struct Scope {
    pub rules: ClinicRules,
    pub doctor: Option<Uuid>,
}

/// The scope of a closure of `doctor` (or of `branch`, the first branch when `None`).
pub async fn scope(
    pool: &PgPool,
    doctor: Option<Uuid>,
    branch: Option<Uuid>,
) -> Result<Scope, ServiceError> {
    match doctor {
        None => Ok(Scope {
            rules: crate::clinic::service::branch_rules(pool, branch).await?,
            doctor: None,
        }),
        Some(id) => {
            let doctor = crate::clinic::service::find_doctor(pool, id).await?;
            let home = crate::clinic::service::clinic_rules(pool, doctor.clinic_id).await?;
            Ok(Scope {
                rules: home,
                doctor: Some(doctor.id),
            })
        }
    }
}

/// Adds the closure; returns how many booked visits fall on those days.
pub async fn add(
    pool: &PgPool,
    by: &Editor,
    scope: &Scope,
    spec: &ClosureSpec,
) -> Result<i64, ServiceError> {
    let (clinic, doctor) = (scope.rules.id, scope.doctor);
    let mut tx = pool.begin().await?;
    let id = crate::clinic::db::setup::insert_closure(&mut *tx, clinic, doctor, spec).await?;
    let affected = crate::clinic::db::setup::booked_during(
        &mut *tx,
        clinic,
        doctor,
        spec,
        &scope.rules.timezone,
    )
    .await?;
    let details = serde_json::json!({ "doctor_id": doctor, "closure": spec, "booked_on_those_days": affected });
    crate::clinic::service::commit_audited(tx, by, "closure.create", ("closure", id), details)
        .await?;
    Ok(affected)
}

/// Removes closure `id` of this scope; `NotFound` for a closure of any other.
pub async fn remove(
    pool: &PgPool,
    by: &Editor,
    scope: &Scope,
    id: Uuid,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    if !crate::clinic::db::setup::delete_closure(&mut *tx, scope.rules.id, scope.doctor, id).await?
    {
        return Err(AppError::NotFound.into());
    }
    let details = serde_json::json!({ "doctor_id": scope.doctor });
    crate::clinic::service::commit_audited(tx, by, "closure.delete", ("closure", id), details).await
}
