//! The doctor's charts: find a patient, open their whole chart (header, past consultations,
//! prescriptions, files, vital-sign trend). A patient the doctor has never seen opens only
//! after break-glass: a stated reason, for an hour, reviewed by an admin.

use crate::kernel::access::Area;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{action_error, ErrorSummary, SubmitButton, TextAreaField};
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::{gregorian_label, hijri_label, time_label, zoned};
use crate::records::api::chart::BreakGlass;
use crate::records::model::{ChartAccess, ChartHeader, ChartPage as Chart, ChartVisit};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ChartSearchPage() -> impl IntoView {
    view! { <RequireRole area=Area::Clinical><ChartSearch/></RequireRole> }
}

#[component]
fn ChartSearch() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let hits = Resource::new(q, crate::records::api::chart::chart_search);
    view! {
        <Title text=i18n.t("chart-search-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("chart-search-title")}</h1>
        <p class="mt-1 text-sm text-slate-600">{i18n.t("chart-search-lead")}</p>
        <form method="get" action="/chart" role="search" class="mt-4 flex gap-2">
            <input type="search" name="q" value=q data-testid="find-chart" placeholder=i18n.t("desk-search-placeholder")
                aria-label=i18n.t("desk-search-placeholder") class="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-2"/>
            <button type="submit" class="rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white">{i18n.t("book-search")}</button>
        </form>
        {awaited(async move {
            match hits.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="mt-3 text-slate-500">{(!q().is_empty()).then(|| i18n.t("desk-no-patients"))}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="mt-4 grid gap-2" data-testid="found-charts">
                        {list.into_iter().map(|p| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-white p-3 shadow-sm">
                                <span class="font-semibold">{p.full_name.clone()}</span>
                                <span class="text-sm text-slate-500"><bdi dir="ltr">{p.national_id_masked.clone()}</bdi></span>
                                {(!p.treats).then(|| view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-900">{i18n.t("chart-not-yours")}</span> })}
                                <a href=format!("/chart/{}", p.patient_id) class="rounded-lg bg-teal-700 px-3 py-1.5 text-sm font-semibold text-white">{i18n.t("chart-open")}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }
        })}
    }
}

#[component]
pub fn PatientChartPage() -> impl IntoView {
    // Above the role check, so the chart is loaded (and its read audited) once whatever the
    // gate's body does (a `<Suspense>` there would run it again, leptos #4688). The server
    // function checks the role.
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        crate::records::api::chart::load_chart,
    );
    view! { <RequireRole area=Area::Clinical><PatientChart page/></RequireRole> }
}

#[component]
fn PatientChart(page: Resource<Result<ChartAccess, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    view! {
        <Title text=i18n.t("chart-title")/>
        {awaited(async move {
            match page.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(ChartAccess::NeedsReason { full_name }) => {
                    let id = params.read_untracked().get("id").unwrap_or_default();
                    view! { <BreakGlassForm patient_id=id full_name/> }.into_any()
                }
                Ok(ChartAccess::Open(chart)) => view! { <ChartView chart=*chart/> }.into_any(),
            }
        })}
    }
}

/// The door to a chart the doctor has no care relationship to.
#[component]
fn BreakGlassForm(patient_id: String, full_name: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<BreakGlass>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    view! {
        <section class="rounded-2xl border-2 border-amber-300 bg-amber-50 p-5 text-amber-950" data-testid="break-glass">
            <h1 class="text-2xl font-bold">{full_name}</h1>
            <p class="mt-2 font-semibold">{i18n.t("chart-break-glass-title")}</p>
            <p class="mt-1 text-sm">{i18n.t_with("chart-break-glass-lead", &[("minutes", crate::records::domain::break_glass::GRANT_MINUTES.to_string())])}</p>
            <ActionForm action=action attr:class="mt-4 grid gap-3" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <input type="hidden" name="patient_id" value=patient_id/>
                <TextAreaField name="reason" label_key="chart-break-glass-reason" server_error=error rows=3 required=true/>
                <SubmitButton label_key="chart-break-glass-submit" pending=action.pending().into()/>
            </ActionForm>
        </section>
    }
}

fn when(i18n: crate::kernel::i18n::I18n, at: jiff::Timestamp, tz: &str) -> String {
    let day = zoned(at, tz).date();
    format!(
        "{} · {} · {}",
        gregorian_label(i18n, day),
        hijri_label(i18n, day),
        time_label(i18n, at, tz)
    )
}

#[component]
fn ChartView(chart: Chart) -> impl IntoView {
    let i18n = use_i18n();
    let tz = chart.timezone.clone();
    let emergency = chart.break_glass.clone().map(|(until, reason)| {
        let until = time_label(i18n, until, &tz);
        view! {
            <p class="mb-4 rounded-xl border-2 border-amber-300 bg-amber-50 px-4 py-3 text-amber-950" role="status" data-testid="break-glass-banner">
                {i18n.t_with("chart-break-glass-open", &[("until", until)])}
                <br/><span class="text-sm">{i18n.t("chart-break-glass-reason")}": "<bdi>{reason}</bdi></span>
            </p>
        }
    });
    view! {
        {emergency}
        <section class="rounded-2xl bg-white p-5 shadow-sm" data-testid="chart">
            <h1 class="text-2xl font-bold text-teal-900" data-testid="charted-patient">{chart.header.full_name.clone()}</h1>
            <crate::records::pages::encounter::PatientFacts header=chart.header.clone() latin=true class="text-sm text-slate-600"/>
            <HeaderLists header=chart.header.clone()/>
            <crate::records::pages::vitals_trend::VitalsTrend history=chart.history.clone() tz=tz.clone()/>
        </section>
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("chart-visits")>
            <h2 class="font-semibold text-slate-800">{i18n.t("chart-visits")}</h2>
            {if chart.visits.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{i18n.t("chart-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 grid gap-2" data-testid="past-visits">
                        {chart.visits.iter().map(|v| view! { <VisitRow v=v.clone() tz=tz.clone()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("portal-prescriptions")>
            <h2 class="font-semibold text-slate-800">{i18n.t("portal-prescriptions")}</h2>
            {if chart.prescriptions.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{i18n.t("chart-none")}</p> }.into_any()
            } else {
                view! { <div class="mt-2"><crate::records::pages::prescriptions::RxList lines=chart.prescriptions.clone() tz=tz.clone()/></div> }.into_any()
            }}
        </section>
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("order-title") data-testid="orders-chart">
            <h2 class="font-semibold text-slate-800">{i18n.t("order-title")}</h2>
            <crate::records::pages::orders::OrderList orders=chart.orders.clone() files=chart.attachments.clone() timezone=tz.clone()/>
        </section>
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("att-title")>
            <h2 class="font-semibold text-slate-800">{i18n.t("att-title")}</h2>
            <crate::records::pages::attachments::AttachmentList files=chart.attachments.clone() timezone=tz.clone() staff=true/>
        </section>
    }
}

#[component]
fn VisitRow(v: ChartVisit, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    let status = if v.signed_at.is_some() {
        "enc-status-signed"
    } else {
        "enc-status-draft"
    };
    view! {
        <li class="rounded-xl border border-slate-200 p-3" data-testid="past-visit">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <a href=format!("/encounters/{}", v.encounter_id) class="font-semibold text-teal-800 underline underline-offset-4">
                    <bdi>{when(i18n, v.signed_at.unwrap_or(v.opened_at), &tz)}</bdi>
                </a>
                <span class="text-xs text-slate-500">{v.doctor_name.clone()}" · "{i18n.t(status)}</span>
            </div>
            {(!v.diagnoses.is_empty()).then(|| view! {
                <ul class="mt-1 flex flex-wrap gap-1 text-sm" dir="ltr">
                    {v.diagnoses.iter().map(|d| view! {
                        <li class="rounded-full bg-slate-100 px-2 py-0.5"><span class="font-mono">{d.code.clone()}</span>" "{d.title.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!v.assessment.is_empty()).then(|| view! {
                <p class="mt-1 whitespace-pre-line text-sm" dir="auto">{v.assessment.clone()}</p>
            })}
        </li>
    }
}

/// Allergies in the warning colour, then active problems and current medications.
#[component]
fn HeaderLists(header: ChartHeader) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="mt-3 rounded-xl border-2 border-rose-300 bg-rose-50 p-3 text-rose-900" role="note" data-testid="allergies">
            <p class="font-bold">{i18n.t("chart-allergies")}</p>
            {if header.allergies.is_empty() {
                view! { <p class="text-sm">{i18n.t("chart-no-allergies")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 flex flex-wrap gap-2">
                        {header.allergies.iter().map(|a| view! {
                            <li class="rounded-full bg-white px-3 py-1 text-sm shadow-sm">
                                <bdi class="font-bold">{a.substance.clone()}</bdi>" · "{i18n.t(a.severity.label_key())}
                                {(!a.reaction.is_empty()).then(|| view! { " · "<bdi>{a.reaction.clone()}</bdi> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
        <div class="mt-3 grid gap-3 sm:grid-cols-2">
            <div class="rounded-xl border border-slate-200 p-3" data-testid="problems">
                <p class="font-semibold text-slate-800">{i18n.t("chart-problems")}</p>
                {if header.problems.is_empty() {
                    view! { <p class="text-sm text-slate-500">{i18n.t("chart-none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-1 grid gap-1 text-sm">
                            {header.problems.iter().map(|pr| view! {
                                <li dir="ltr" class="text-start"><span class="font-mono font-semibold text-teal-900">{pr.code.clone()}</span>" "{pr.title.clone()}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
            <div class="rounded-xl border border-slate-200 p-3" data-testid="medications">
                <p class="font-semibold text-slate-800">{i18n.t("chart-medications")}</p>
                {if header.medications.is_empty() {
                    view! { <p class="text-sm text-slate-500">{i18n.t("chart-none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-1 grid gap-1 text-sm">
                            {header.medications.iter().map(|m| view! {
                                <li><bdi class="font-semibold">{m.drug.clone()}</bdi>{(!m.dose.is_empty()).then(|| view! { " · "<bdi>{m.dose.clone()}</bdi> })}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        </div>
    }
}
