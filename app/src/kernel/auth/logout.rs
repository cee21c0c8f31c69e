//! Ending a session, posted from the header on every page.

use crate::kernel::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::kernel::audit::AuditEntry;
    use crate::kernel::audit::Outcome;
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    if let Some(user) = ctx.current_user().await? {
        let entry = AuditEntry::new("auth.logout", Outcome::Success)
            .actor(user.id, user.role)
            .ip(ctx.ip);
        crate::kernel::audit::record(ctx.pool(), &entry).await?;
    }
    ctx.end_session().await?;
    leptos_axum::redirect("/");
    Ok(())
}
