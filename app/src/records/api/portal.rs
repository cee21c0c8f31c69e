//! The patient portal's server functions.

use crate::kernel::error::AppError;
use crate::records::model::{PortalPage, VisitSummary};
use leptos::prelude::*;

#[server(endpoint = "my_record")]
pub async fn my_record() -> Result<PortalPage, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    Ok(
        crate::records::service::portal::my_record(ctx.pool(), &*ctx.keys()?, &user, ctx.ip)
            .await?,
    )
}

#[server(endpoint = "latest_visit")]
pub async fn latest_visit() -> Result<Option<VisitSummary>, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    Ok(
        crate::records::service::portal::latest_visit(ctx.pool(), &*ctx.keys()?, &user, ctx.ip)
            .await?,
    )
}
