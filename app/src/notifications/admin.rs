//! `/admin/notifications`: what was sent to patients and how it went — each message's status,
//! provider reply and tries, a resend button for failed ones, each channel's circuit, and per
//! day the messages delivered, failed, and the SMS segments with their estimated cost.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{action_error, ErrorSummary};
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::price_label;
use crate::notifications::model::MessageLine;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: String,
    pub delivered: i64,
    pub failed: i64,
    pub segments: i64,
    pub cost_halalas: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// Each running channel's circuit: `closed`, `open` or `half-open`.
    pub health: Vec<(String, String)>,
    pub days: Vec<DayCount>,
    pub messages: Vec<MessageLine>,
    pub halalas_per_segment: u32,
}

#[cfg(feature = "ssr")]
const STATUSES: [&str; 7] = [
    "queued",
    "sending",
    "sent",
    "delivered",
    "read",
    "failed",
    "skipped",
];

#[server(endpoint = "notification_overview")]
pub async fn notification_overview(status: String) -> Result<Overview, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    ctx.require(crate::kernel::access::Area::Messaging).await?;
    let status = status.trim();
    let status = match status {
        "" => None,
        s if STATUSES.contains(&s) => Some(s),
        _ => return Err(AppError::field("status", "err-notify-status")),
    };
    let per = ctx.state.config.sms_halalas_per_segment;
    let health = ctx
        .state
        .feature::<std::sync::Arc<crate::notifications::sender::Senders>>()
        .map(|s| {
            s.health()
                .into_iter()
                .map(|(c, state)| (c.code().to_owned(), state.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let days = crate::notifications::db::daily(ctx.pool(), 14)
        .await?
        .into_iter()
        .map(|(day, delivered, failed, segments)| DayCount {
            day,
            delivered,
            failed,
            segments,
            cost_halalas: segments.saturating_mul(i64::from(per)),
        })
        .collect();
    let messages = crate::notifications::db::recent(ctx.pool(), status, 200).await?;
    Ok(Overview {
        health,
        days,
        messages,
        halalas_per_segment: per,
    })
}

#[server(endpoint = "resend_message")]
pub async fn resend_message(id: String) -> Result<(), AppError> {
    use crate::kernel::audit::{AuditEntry, Outcome};
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let admin = ctx.require(crate::kernel::access::Area::Messaging).await?;
    let id = crate::kernel::error::record_id(&id)?;
    if !crate::notifications::db::resend(ctx.pool(), id).await? {
        return Err(AppError::Rule("err-notify-not-failed".into()));
    }
    crate::kernel::audit::record(
        ctx.pool(),
        &AuditEntry::new("notification.resent", Outcome::Success)
            .actor(admin.id, admin.role)
            .subject("notification", id)
            .ip(ctx.ip),
    )
    .await?;
    Ok(())
}

#[component]
pub fn NotificationsAdminPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::Messaging><Overview/></RequireRole> }
}

#[component]
fn Overview() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let resend = ServerAction::<ResendMessage>::new();
    let error = action_error(resend.value());
    let overview = Resource::new(
        move || {
            (
                query.read().get("status").unwrap_or_default(),
                resend.version().get(),
            )
        },
        |(status, _)| notification_overview(status),
    );
    let filter = move || query.read().get("status").unwrap_or_default();
    view! {
        <Title text=i18n.t("notify-admin-title")/>
        <section class="mx-auto max-w-5xl rounded-2xl bg-white p-4 shadow-sm sm:p-8" data-testid="notifications-admin">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("notify-admin-title")}</h1>
            <ErrorSummary error=error/>
            {awaited(async move {
                let o = match overview.await {
                    Err(e) => return view! { <LoadError error=e/> }.into_any(),
                    Ok(o) => o,
                };
                let health = o.health.iter().map(|(channel, state)| {
                    let ok = state == "closed";
                    view! {
                        <li class="flex items-center gap-2 rounded-lg border border-slate-200 px-3 py-2" data-testid="channel-health">
                            <span class="font-semibold">{i18n.t(&format!("notify-channel-{channel}"))}</span>
                            <span class=if ok { "text-emerald-700" } else { "text-rose-700" }>{i18n.t(&format!("notify-circuit-{state}"))}</span>
                        </li>
                    }
                }).collect_view();
                let days = o.days.iter().map(|d| view! {
                    <tr class="border-t border-slate-100">
                        <td class="whitespace-nowrap py-1 pe-3"><bdi>{d.day.clone()}</bdi></td>
                        <td class="py-1 pe-3">{d.delivered}</td>
                        <td class="py-1 pe-3">{d.failed}</td>
                        <td class="py-1 pe-3">{d.segments}</td>
                        <td class="py-1">{price_label(i18n, i32::try_from(d.cost_halalas).unwrap_or(i32::MAX))}</td>
                    </tr>
                }).collect_view();
                let rows = o.messages.iter().map(|m| {
                    let failed = m.status == "failed";
                    let id = m.id.to_string();
                    view! {
                        <li class="flex flex-col gap-1 border-t border-slate-100 py-3 sm:flex-row sm:items-center sm:gap-4" data-testid="message-row">
                            <div class="min-w-0 flex-1 text-start">
                                <p class="font-semibold">{m.recipient_name.clone()}" · "{i18n.t(&format!("notify-kind-{}", m.kind))}</p>
                                <p class="text-sm text-slate-500">
                                    {i18n.t(&format!("notify-channel-{}", m.channel))}
                                    " · "{i18n.t_with("notify-attempts", &[("n", m.attempts.to_string())])}
                                    {m.sms_segments.map(|n| format!(" · {}", i18n.t_with("notify-segments", &[("n", n.to_string())])))}
                                </p>
                                {m.last_error.clone().map(|e| view! { <p class="break-words text-sm text-rose-700" dir="auto">{e}</p> })}
                                {m.provider_id.clone().map(|p| view! { <p class="break-all text-xs text-slate-400" dir="ltr">{p}</p> })}
                            </div>
                            <span class="self-start rounded-full bg-slate-100 px-3 py-1 text-sm" data-testid="message-status">{i18n.t(&format!("notify-status-{}", m.status))}</span>
                            {failed.then(|| view! {
                                <ActionForm action=resend>
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit" class="rounded-lg border border-teal-700 px-3 py-1 font-semibold text-teal-800" data-testid="resend">{i18n.t("notify-resend")}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view();
                let per = price_label(i18n, i32::try_from(o.halalas_per_segment).unwrap_or(i32::MAX));
                view! {
                    <h2 class="mt-6 text-lg font-semibold text-slate-800">{i18n.t("notify-admin-health")}</h2>
                    <ul class="mt-2 flex flex-wrap gap-2">{health}</ul>
                    <h2 class="mt-6 text-lg font-semibold text-slate-800">{i18n.t("notify-admin-days")}</h2>
                    <p class="text-sm text-slate-500">{i18n.t_with("notify-admin-price", &[("price", per)])}</p>
                    <div class="overflow-x-auto">
                        <table class="mt-2 w-full text-start text-sm">
                            <thead><tr class="text-slate-500">
                                <th class="pe-3 text-start font-normal">{i18n.t("notify-admin-day")}</th>
                                <th class="pe-3 text-start font-normal">{i18n.t("notify-admin-delivered")}</th>
                                <th class="pe-3 text-start font-normal">{i18n.t("notify-admin-failed")}</th>
                                <th class="pe-3 text-start font-normal">{i18n.t("notify-admin-segments")}</th>
                                <th class="text-start font-normal">{i18n.t("notify-admin-cost")}</th>
                            </tr></thead>
                            <tbody>{days}</tbody>
                        </table>
                    </div>
                    <h2 class="mt-6 text-lg font-semibold text-slate-800">{i18n.t("notify-admin-messages")}</h2>
                    <nav class="mt-2 flex flex-wrap gap-2 text-sm">
                        {["", "queued", "sent", "delivered", "read", "failed", "skipped"].into_iter().map(|s| {
                            let current = filter() == s;
                            let href = if s.is_empty() { "/admin/notifications".to_owned() } else { format!("/admin/notifications?status={s}") };
                            let label = if s.is_empty() { i18n.t("notify-status-all") } else { i18n.t(&format!("notify-status-{s}")) };
                            view! { <a href=href class=if current { "rounded-full bg-teal-700 px-3 py-1 text-white" } else { "rounded-full bg-slate-100 px-3 py-1" }>{label}</a> }
                        }).collect_view()}
                    </nav>
                    <ul class="mt-2" data-testid="messages">{rows}</ul>
                }.into_any()
            })}
        </section>
    }
}
