//! The patient's own profile, which their home page shows.

use crate::accounts::model::PatientProfile;
use crate::kernel::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<PatientProfile, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    crate::accounts::db::users::patient_profile(ctx.pool(), user.id)
        .await?
        .ok_or(AppError::NotFound)
}
