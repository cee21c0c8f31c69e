//! The patient's own record: visit summaries, prescriptions, allergies and the files shared
//! with them, for them and each family member they added, and who opened each record and when.

use crate::kernel::access::Area;
use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::{gregorian_label, hijri_label, time_label, zoned};
use crate::records::model::{AccessEntry, PersonRecord, VisitSummary};
use crate::records::pages::prescriptions::RxList;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyRecordPage() -> impl IntoView {
    view! {
        <RequireRole area=Area::PatientSelf>
            <MyRecord/>
        </RequireRole>
    }
}

#[component]
fn MyRecord() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| crate::records::api::portal::my_record());
    view! {
        <Title text=i18n.t("portal-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("portal-title")}</h1>
        {awaited(async move {
            match page.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) => {
                    let tz = p.timezone.clone();
                    p.people.into_iter().map(|person| view! { <Person person tz=tz.clone()/> }).collect_view().into_any()
                }
            }
        })}
    }
}

fn when(i18n: I18n, at: jiff::Timestamp, tz: &str) -> String {
    let day = zoned(at, tz).date();
    format!(
        "{} · {} · {}",
        gregorian_label(i18n, day),
        hijri_label(i18n, day),
        time_label(i18n, at, tz)
    )
}

#[component]
pub fn VisitCard(v: VisitSummary) -> impl IntoView {
    let i18n = use_i18n();
    let doctor = i18n
        .name(&v.doctor_name, v.doctor_latin.as_deref())
        .to_owned();
    view! {
        <li class="rounded-xl border border-slate-200 p-4" data-testid="visit">
            <p class="text-sm text-slate-500"><bdi>{when(i18n, v.signed_at, &v.timezone)}</bdi></p>
            <p class="font-semibold">{i18n.t_with("book-doctor-title", &[("name", doctor)])}</p>
            {(!v.diagnoses.is_empty()).then(|| view! {
                <ul class="mt-1 flex flex-wrap gap-1 text-sm" dir="ltr">
                    {v.diagnoses.iter().map(|d| view! {
                        <li class="rounded-full bg-slate-100 px-2 py-0.5"><span class="font-mono">{d.code.clone()}</span>" "{d.title.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            {if v.summary.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{i18n.t("portal-no-summary")}</p> }.into_any()
            } else {
                view! { <p class="mt-2 whitespace-pre-line" dir="auto" data-testid="visit-summary">{v.summary.clone()}</p> }.into_any()
            }}
        </li>
    }
}

fn who(i18n: I18n, a: &AccessEntry) -> String {
    match (&a.who, a.role) {
        (Some(name), Some(role)) => format!("{name} ({})", i18n.t(role.label_key())),
        (Some(name), None) => name.clone(),
        _ => i18n.t("portal-access-anonymous"),
    }
}

#[component]
fn Person(person: PersonRecord, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    let heading = if person.is_self {
        i18n.t("portal-mine")
    } else {
        i18n.t_with("portal-family", &[("name", person.name.clone())])
    };
    view! {
        <section class="mt-6 grid gap-4" data-testid="person-record" data-patient=person.patient_id.to_string()>
            <h2 class="text-xl font-bold text-slate-800">{heading}</h2>
            <div class="rounded-2xl border-2 border-rose-200 bg-rose-50 p-4 text-rose-900" data-testid="my-allergies">
                <p class="font-semibold">{i18n.t("chart-allergies")}</p>
                {if person.allergies.is_empty() {
                    view! { <p class="text-sm">{i18n.t("chart-no-allergies")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-1 flex flex-wrap gap-2">
                            {person.allergies.iter().map(|a| view! {
                                <li class="rounded-full bg-white px-3 py-1 text-sm"><bdi class="font-semibold">{a.substance.clone()}</bdi>" · "{i18n.t(a.severity.label_key())}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
            <div class="rounded-2xl bg-white p-5 shadow-sm">
                <h3 class="font-semibold text-slate-800">{i18n.t("portal-visits")}</h3>
                {if person.visits.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-500">{i18n.t("portal-no-visits")}</p> }.into_any()
                } else {
                    view! { <ul class="mt-3 grid gap-3">{person.visits.into_iter().map(|v| view! { <VisitCard v/> }).collect_view()}</ul> }.into_any()
                }}
            </div>
            <div class="rounded-2xl bg-white p-5 shadow-sm">
                <h3 class="font-semibold text-slate-800">{i18n.t("portal-prescriptions")}</h3>
                {if person.prescriptions.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-500">{i18n.t("portal-no-prescriptions")}</p> }.into_any()
                } else {
                    view! { <div class="mt-3"><RxList lines=person.prescriptions tz=tz.clone()/></div> }.into_any()
                }}
            </div>
            <div class="rounded-2xl bg-white p-5 shadow-sm" data-testid="my-attachments">
                <h3 class="font-semibold text-slate-800">{i18n.t("portal-attachments")}</h3>
                <crate::records::pages::attachments::AttachmentList files=person.attachments timezone=tz.clone()/>
            </div>
            <div class="rounded-2xl bg-white p-5 shadow-sm">
                <h3 class="font-semibold text-slate-800">{i18n.t("portal-access")}</h3>
                <p class="text-sm text-slate-500">{i18n.t("portal-access-hint")}</p>
                {if person.access.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-500">{i18n.t("portal-access-none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-3 grid gap-1 text-sm" data-testid="record-access">
                            {person.access.iter().map(|a| view! {
                                <li class="flex flex-wrap justify-between gap-2 border-b border-slate-100 py-1.5">
                                    <span>{who(i18n, a)}" — "{i18n.t(a.kind.label_key())}
                                        {(a.times > 1).then(|| view! { " "<span class="text-slate-500">{i18n.t_with("portal-access-times", &[("n", a.times.to_string())])}</span> })}
                                    </span>
                                    <bdi class="text-slate-500">{when(i18n, a.at, &tz)}</bdi>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        </section>
    }
}

/// The newest visit summary, for the patient's home page.
#[component]
pub fn LatestVisit() -> impl IntoView {
    let i18n = use_i18n();
    let latest = Resource::new(|| (), |_| crate::records::api::portal::latest_visit());
    view! {
        {awaited(async move {
            match latest.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(None) => ().into_any(),
                Ok(Some(v)) => view! {
                    <section class="mt-6" data-testid="latest-visit">
                        <div class="flex items-center justify-between gap-2">
                            <h2 class="font-semibold text-slate-800">{i18n.t("portal-latest-visit")}</h2>
                            <a href="/me/records" class="text-sm font-semibold text-teal-800 underline">{i18n.t("portal-see-all")}</a>
                        </div>
                        <ul class="mt-2"><VisitCard v/></ul>
                    </section>
                }.into_any(),
            }
        })}
    }
}
