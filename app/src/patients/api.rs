//! Server functions of patients that other features' pages call: a patient's family for a
//! "for whom" choice, and the desk's brief of the patient it is booking for.

use crate::kernel::error::AppError;
use crate::patients::model::{Dependent, PatientHit};
use leptos::prelude::*;

#[server(endpoint = "my_family")]
pub async fn my_family() -> Result<Vec<Dependent>, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    // The page cache may have read this very family to check its copy of the page.
    type Read = crate::patients::model::FamilyOf;
    if let Some(read) = crate::kernel::page_data::prefetched::<Read>(|f| f.0 == user.id) {
        return Ok(read.1.clone());
    }
    Ok(crate::patients::db::dependents_of(ctx.pool(), user.id).await?)
}

/// Who the desk is booking for, shown on the confirmation page.
#[server(endpoint = "patient_brief")]
pub async fn patient_brief(id: String) -> Result<PatientHit, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Desk).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let hit = crate::patients::db::patient_hit(ctx.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::kernel::access::read_patient(
        &mut *ctx.pool().acquire().await?,
        crate::kernel::access::Read {
            user: &user,
            ip: ctx.ip,
            action: "patient.brief",
            subject: ("patient", id),
            patient_id: id,
        },
    )
    .await?;
    Ok(hit)
}
