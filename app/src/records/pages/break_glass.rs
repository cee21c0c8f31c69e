//! The admins' review of break-glass openings: who opened whose chart, why, for how long and
//! how many reads they made, each marked reviewed once with an optional remark.

use crate::kernel::access::Area;
use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{action_error, ErrorSummary, Field, SubmitButton};
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::{gregorian_label, time_label, zoned};
use crate::records::api::chart::ReviewBreakGlass;
use crate::records::model::GrantReview;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BreakGlassReviewPage() -> impl IntoView {
    view! { <RequireRole area=Area::AccessReview><Reviews/></RequireRole> }
}

#[component]
fn Reviews() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| crate::records::api::chart::break_glass_reviews());
    let notice = use_query_map().read_untracked().get("reviewed").is_some();
    view! {
        <Title text=i18n.t("bg-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("bg-title")}</h1>
        <p class="mt-1 text-sm text-slate-600">{i18n.t("bg-lead")}</p>
        {notice.then(|| view! { <p class="mt-3 rounded-lg bg-teal-50 px-4 py-2 text-teal-900" role="status">{i18n.t("bg-reviewed-notice")}</p> })}
        {awaited(async move {
            match page.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) => {
                    let tz = p.timezone.clone();
                    view! {
                        <section class="mt-4" aria-label=i18n.t("bg-waiting")>
                            <h2 class="font-semibold text-slate-800">{i18n.t("bg-waiting")}</h2>
                            {if p.waiting.is_empty() {
                                view! { <p class="mt-2 text-sm text-slate-500" data-testid="grants-none">{i18n.t("bg-none-waiting")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="mt-2 grid gap-3" data-testid="grants-waiting">
                                        {p.waiting.into_iter().map(|g| view! { <GrantCard g tz=tz.clone() open=true/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section class="mt-6" aria-label=i18n.t("bg-done")>
                            <h2 class="font-semibold text-slate-800">{i18n.t("bg-done")}</h2>
                            <ul class="mt-2 grid gap-3" data-testid="grants-done">
                                {p.reviewed.into_iter().map(|g| view! { <GrantCard g tz=tz.clone() open=false/> }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                }
            }
        })}
    }
}

fn at(i18n: I18n, t: jiff::Timestamp, tz: &str) -> String {
    format!(
        "{} {}",
        gregorian_label(i18n, zoned(t, tz).date()),
        time_label(i18n, t, tz)
    )
}

#[component]
fn GrantCard(g: GrantReview, tz: String, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ReviewBreakGlass>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let title = i18n.t_with(
        "bg-who",
        &[
            ("doctor", g.doctor_name.clone()),
            ("patient", g.patient_name.clone()),
        ],
    );
    let window = i18n.t_with(
        "bg-window",
        &[
            ("from", at(i18n, g.granted_at, &tz)),
            ("until", time_label(i18n, g.expires_at, &tz)),
            ("reads", g.reads.to_string()),
        ],
    );
    let reviewed = g.reviewed_at.map(|when| {
        i18n.t_with(
            "bg-reviewed-by",
            &[
                ("name", g.reviewer_name.clone().unwrap_or_default()),
                ("at", at(i18n, when, &tz)),
            ],
        )
    });
    view! {
        <li class="rounded-xl bg-white p-4 shadow-sm" data-testid="grant">
            <p class="font-semibold">{title}</p>
            <p class="text-sm text-slate-600"><bdi>{window}</bdi></p>
            <p class="mt-2 whitespace-pre-line rounded-lg bg-amber-50 px-3 py-2 text-amber-950" dir="auto" data-testid="grant-reason">{g.reason.clone()}</p>
            {reviewed.map(|r| view! { <p class="mt-2 text-sm text-slate-600">{r}</p> })}
            {(!g.review_note.is_empty()).then(|| view! { <p class="text-sm" dir="auto">{g.review_note.clone()}</p> })}
            {open.then(|| view! {
                <ActionForm action=action attr:class="mt-3 grid gap-2" attr:novalidate=true>
                    <ErrorSummary error=summary/>
                    <input type="hidden" name="id" value=g.id.to_string()/>
                    <Field name="note" label_key="bg-note" server_error=error dir="auto" row=g.id.to_string()/>
                    <SubmitButton label_key="bg-mark-reviewed" pending=action.pending().into()/>
                </ActionForm>
            })}
        </li>
    }
}
