//! The chart's server functions: search, open, break-glass, and the admins' review.

use crate::kernel::error::AppError;
use crate::records::model::{ChartAccess, ChartHit, ReviewPage};
use leptos::prelude::*;

#[server(endpoint = "chart_search")]
pub async fn chart_search(q: String) -> Result<Vec<ChartHit>, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let Some(query) =
        crate::patients::domain::PatientQuery::parse(&q).map_err(|k| AppError::field("q", k))?
    else {
        return Ok(vec![]);
    };
    Ok(
        crate::records::service::chart::search(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, &query)
            .await?,
    )
}

#[server(endpoint = "chart")]
pub async fn load_chart(patient_id: String) -> Result<ChartAccess, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let patient_id = crate::kernel::error::record_id(&patient_id)?;
    Ok(
        crate::records::service::chart::open(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, patient_id)
            .await?,
    )
}

#[server(endpoint = "break_glass")]
pub async fn break_glass(patient_id: String, reason: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let patient_id = crate::kernel::error::record_id(&patient_id)?;
    crate::records::service::chart::break_glass(ctx.pool(), &user, ctx.ip, patient_id, &reason)
        .await?;
    leptos_axum::redirect(&format!("/chart/{patient_id}"));
    Ok(())
}

#[server(endpoint = "break_glass_reviews")]
pub async fn break_glass_reviews() -> Result<ReviewPage, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::AccessReview)
        .await?;
    Ok(crate::records::service::chart::review_page(ctx.pool(), &user).await?)
}

#[server(endpoint = "review_break_glass")]
pub async fn review_break_glass(id: String, note: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::AccessReview)
        .await?;
    let id = crate::kernel::error::record_id(&id)?;
    crate::records::service::chart::review(ctx.pool(), &user, ctx.ip, id, &note).await?;
    leptos_axum::redirect("/admin/break-glass?reviewed=1");
    Ok(())
}
