//! `/t/:token`: the page a one-tap link opens. It shows the visit and one button; the answer is
//! the button's POST, never the GET, so a mail scanner that opens links changes nothing. No
//! log-in: the token is the permission, for this one visit and action.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{action_error, ErrorSummary};
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::When;
use crate::notifications::one_tap::token::{TapAction, TapState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// What the page shows of the visit: no more than the message it came in said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TapInfo {
    pub action: TapAction,
    pub state: TapState,
    pub doctor_name: String,
    pub doctor_latin: Option<String>,
    pub clinic_ar: String,
    pub clinic_en: String,
    pub start: jiff::Timestamp,
    pub timezone: String,
    pub cancelled: bool,
    pub confirmed: bool,
}

#[server(endpoint = "one_tap_info")]
pub async fn one_tap_info(token: String) -> Result<TapInfo, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::scheduling::domain::appointment::Status;

    let ctx = RequestCtx::current()?;
    let keys = ctx.keys()?;
    let (action, visit, state) = crate::notifications::one_tap::service::look(
        ctx.pool(),
        &keys,
        &token,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(TapInfo {
        action,
        state,
        doctor_name: visit.doctor_name,
        doctor_latin: visit.doctor_latin,
        clinic_ar: visit.clinic_ar,
        clinic_en: visit.clinic_en,
        start: visit.start,
        timezone: visit.timezone,
        cancelled: visit.status == Status::Cancelled,
        confirmed: visit.attendance_confirmed,
    })
}

#[server(endpoint = "use_one_tap")]
pub async fn use_one_tap(token: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let keys = ctx.keys()?;
    crate::notifications::one_tap::service::redeem(
        ctx.pool(),
        &keys,
        &token,
        ctx.ip,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(())
}

#[component]
pub fn OneTapPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let answer = ServerAction::<UseOneTap>::new();
    let info = Resource::new(
        move || {
            (
                params.read().get("token").unwrap_or_default(),
                answer.version().get(),
            )
        },
        |(token, _)| one_tap_info(token),
    );
    let error = action_error(answer.value());
    view! {
        {awaited(async move {
            let info = match info.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(info) => info,
            };
            let token = params.read_untracked().get("token").unwrap_or_default();
            let (title, lead, button, danger) = match info.action {
                TapAction::Confirm => ("tap-title-confirm", "tap-confirm-lead", "tap-confirm-button", false),
                TapAction::Cancel => ("tap-title-cancel", "tap-cancel-lead", "tap-cancel-button", true),
            };
            let doctor = i18n.t_with(
                "book-doctor-title",
                &[("name", i18n.name(&info.doctor_name, info.doctor_latin.as_deref()).to_owned())],
            );
            let standing = if info.cancelled {
                Some("tap-now-cancelled")
            } else if info.confirmed {
                Some("tap-now-confirmed")
            } else {
                None
            };
            let button_class = if danger {
                "rounded-lg bg-rose-700 px-5 py-3 font-semibold text-white"
            } else {
                "rounded-lg bg-teal-700 px-5 py-3 font-semibold text-white"
            };
            view! {
                <Title text=i18n.t(title)/>
                <section class="mx-auto max-w-xl rounded-2xl bg-white p-5 shadow-sm sm:p-8" data-testid="one-tap">
                    <h1 class="text-2xl font-bold text-teal-900">{i18n.t(title)}</h1>
                    <dl class="mt-4 grid gap-3">
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-when")}</dt><dd><When start=info.start tz=info.timezone.clone()/></dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-doctor")}</dt><dd class="font-semibold">{doctor}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-clinic")}</dt><dd>{i18n.pick(&info.clinic_ar, &info.clinic_en).to_owned()}</dd></div>
                    </dl>
                    {standing.map(|key| view! {
                        <p role="status" data-testid="one-tap-standing" class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">{i18n.t(key)}</p>
                    })}
                    {match info.state {
                        TapState::Used => view! {
                            <p role="status" data-testid="one-tap-used" class="mt-4 rounded-lg bg-amber-50 px-4 py-3 text-amber-900">{i18n.t("tap-used")}</p>
                        }.into_any(),
                        TapState::Expired => view! {
                            <p role="status" data-testid="one-tap-expired" class="mt-4 rounded-lg bg-amber-50 px-4 py-3 text-amber-900">{i18n.t("tap-expired")}</p>
                        }.into_any(),
                        TapState::Ready => view! {
                            <ActionForm action=answer attr:class="mt-6 flex flex-col gap-3 border-t border-slate-100 pt-4">
                                <ErrorSummary error=error/>
                                <p class="text-slate-700">{i18n.t(lead)}</p>
                                <input type="hidden" name="token" value=token/>
                                <button type="submit" class=button_class data-testid="one-tap-answer">{i18n.t(button)}</button>
                            </ActionForm>
                        }.into_any(),
                    }}
                </section>
            }.into_any()
        })}
    }
}
