//! Server functions more than one page posts to: changing an appointment's status.

use crate::kernel::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "change_appointment")]
pub async fn change_appointment(
    id: String,
    action: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::AnyAccount).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let action: crate::scheduling::domain::appointment::Action =
        serde_json::from_value(serde_json::Value::String(action))
            .map_err(|_| AppError::BadRequest)?;
    let reason = crate::kernel::values::TextRule::line(500)
        .parse(&reason)
        .map_err(|k| AppError::field("reason", k))?;
    if action == crate::scheduling::domain::appointment::Action::Cancel && reason.is_empty() {
        return Err(AppError::field("reason", "err-cancel-reason-required"));
    }
    let reason = (!reason.is_empty()).then_some(reason.as_str());
    crate::scheduling::booking::change_status(ctx.pool(), &user, ctx.ip, id, action, reason)
        .await?;
    Ok(())
}
