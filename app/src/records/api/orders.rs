//! Orders' server functions: placing one from the consultation, recording its result, and
//! cancelling it. Each redirects back to the consultation, so the forms work without
//! JavaScript. The result form's values arrive as `value[hgb]=13.5`, one map per column.

use crate::kernel::error::AppError;
use crate::records::domain::order::Typed;
use leptos::prelude::*;

#[server(endpoint = "place_order")]
pub async fn place_order(
    id: String,
    order_test: String,
    order_priority: String,
    #[server(default)] order_indication: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::order::NewOrder;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let order = NewOrder::parse(&order_test, &order_priority, &order_indication)
        .map_err(crate::records::service::fields)?;
    crate::records::service::orders::place(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, id, &order)
        .await?;
    leptos_axum::redirect(&format!("/encounters/{id}?ordered=1#orders"));
    Ok(())
}

#[server(endpoint = "record_result")]
pub async fn record_result(
    order_id: String,
    #[server(default)] value: Typed,
    #[server(default)] low: Typed,
    #[server(default)] high: Typed,
    #[server(default)] result_report: String,
    #[server(default)] result_abnormal: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::service::orders::TypedResult;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&order_id)?;
    let typed = TypedResult {
        values: &value,
        lows: &low,
        highs: &high,
        report: &result_report,
        abnormal: crate::kernel::error::parse_tick(result_abnormal.as_deref())?,
    };
    let encounter = crate::records::service::orders::record_result(
        ctx.pool(),
        &*ctx.keys()?,
        &user,
        ctx.ip,
        id,
        &typed,
    )
    .await?;
    leptos_axum::redirect(&format!("/encounters/{encounter}?resulted=1#orders"));
    Ok(())
}

#[server(endpoint = "cancel_order")]
pub async fn cancel_order(order_id: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&order_id)?;
    let encounter = crate::records::service::orders::cancel(ctx.pool(), &user, ctx.ip, id).await?;
    leptos_axum::redirect(&format!("/encounters/{encounter}?cancelled=1#orders"));
    Ok(())
}
