//! "Where you are logged in": the devices of one's own account, and logging out the others.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::once::awaited;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One device as the owner sees it; the device's id never leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub this_device: bool,
    pub user_agent: String,
    pub ip: String,
    /// In the clinic's time zone, `YYYY-MM-DD HH:MM`.
    pub started: String,
    pub last_seen: String,
}

#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<DeviceView>, AppError> {
    use crate::kernel::auth::request::{RequestCtx, SessionLimits};
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::AnyAccount).await?;
    let this = ctx.device().await?;
    let idle = SessionLimits::for_role(&ctx.state.config, user.role).idle_secs / 60;
    let tz = match crate::clinic::service::primary_clinic(ctx.pool()).await? {
        Some(clinic) => crate::clinic::service::clinic_rules(ctx.pool(), clinic.id)
            .await?
            .tz()?,
        None => jiff::tz::TimeZone::UTC,
    };
    let local = |at: time::OffsetDateTime| {
        jiff::Timestamp::from_second(at.unix_timestamp())
            .map(|t| {
                t.to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let rows = crate::kernel::auth::db::devices(ctx.pool(), user.id, idle).await?;
    Ok(rows
        .into_iter()
        .map(|row| DeviceView {
            this_device: Some(row.device) == this,
            user_agent: row.user_agent,
            ip: row.ip.map(|ip| ip.ip().to_string()).unwrap_or_default(),
            started: local(row.created_at),
            last_seen: local(row.last_seen),
        })
        .collect())
}

#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    use crate::kernel::audit::{AuditEntry, Outcome};
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::AnyAccount).await?;
    let this = ctx.device().await?;
    let mut tx = ctx
        .pool()
        .begin()
        .await
        .map_err(crate::kernel::db::DbError::from)?;
    let ended = crate::kernel::auth::db::end_devices(&mut *tx, user.id, this).await?;
    let entry = AuditEntry::new("auth.end_other_sessions", Outcome::Success)
        .actor(user.id, user.role)
        .subject("user", user.id)
        .ip(ctx.ip)
        .details(serde_json::json!({ "ended": ended }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit()
        .await
        .map_err(crate::kernel::db::DbError::from)?;
    ctx.accounts_changed();
    // The count reaches the page through the address: the list is not an island, so the
    // action's value never shows in it.
    leptos_axum::redirect(&format!("/account/password?ended={ended}"));
    Ok(ended)
}

#[component]
pub fn SessionsList() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<EndOtherSessions>::new();
    let devices = Resource::new(move || action.version().get(), |_| my_sessions());
    // Read once, as the page is built (see `kernel::ui::form::SubmitButton`).
    let ended = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("ended").and_then(|n| n.parse::<u64>().ok()));
    view! {
        <section class="mx-auto mt-8 max-w-md rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h2 class="text-xl font-bold text-teal-900">{i18n.t("sessions-title")}</h2>
            {ended.map(|n| view! {
                <p role="status" data-testid="sessions-ended" class="mt-3 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">
                    {i18n.t_with("sessions-ended", &[("n", n.to_string())])}
                </p>
            })}
            {awaited(async move {
                match devices.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-4 grid gap-2" data-testid="sessions">
                            {list.into_iter().map(|d| view! {
                                <li class="rounded-xl border border-slate-200 p-3 text-sm" data-this-device=d.this_device.to_string()>
                                    <p class="font-semibold text-slate-800" dir="ltr" class:text-start=true>{d.user_agent.clone()}</p>
                                    <p class="text-slate-600">
                                        {i18n.t("sessions-last-seen")}" "<bdi>{d.last_seen.clone()}</bdi>
                                        " · "<bdi>{d.ip.clone()}</bdi>
                                    </p>
                                    <p class="text-slate-500">{i18n.t("sessions-started")}" "<bdi>{d.started.clone()}</bdi></p>
                                    {d.this_device.then(|| view! {
                                        <p class="mt-1 font-semibold text-teal-800">{i18n.t("sessions-this-device")}</p>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
            <ActionForm action=action attr:class="mt-4">
                <SubmitButton label_key="sessions-end-others" pending=action.pending().into()/>
            </ActionForm>
        </section>
    }
}
