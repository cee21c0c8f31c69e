//! The consultation screen: the SOAP note with its ICD-10 diagnoses (saved as a draft, then
//! signed), the vital signs taken, and once signed the note read-only with its addenda.

use crate::kernel::access::Area;
use crate::kernel::error::AppError;
use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{
    action_error, ErrorSummary, Field, SelectField, SubmitButton, TextAreaField,
};
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::{gregorian_label, hijri_label, time_label, zoned};
use crate::records::api::{
    AddAddendum, AddAllergy, AddMedication, AddProblem, EndListEntry, RecordVitals, SaveEncounter,
};
use crate::records::domain::vitals::{tenths, Flag, Measure, Vitals};
use crate::records::model::EncounterPage as Page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EncounterPage() -> impl IntoView {
    // Created here, above the role check, so the note is loaded (and its read audited) once
    // whatever the gate's body does (a `<Suspense>` there would run it again, leptos #4688).
    // The server function checks the role itself.
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        crate::records::api::load_encounter,
    );
    view! {
        <RequireRole area=Area::Clinical>
            <Encounter page/>
        </RequireRole>
    }
}

#[component]
fn Encounter(page: Resource<Result<Page, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t("enc-title")/>
        {awaited(async move {
            match page.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) => view! { <EncounterView p/> }.into_any(),
            }
        })}
    }
}

#[component]
fn EncounterView(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let notice = [
        "saved",
        "signed",
        "added",
        "vitals",
        "allergy",
        "prescribed",
        "attached",
        "ordered",
        "resulted",
        "cancelled",
        "ended",
    ]
    .into_iter()
    .find(|k| query.read_untracked().get(k).is_some())
    .map(|k| i18n.t(&format!("enc-notice-{k}")));
    let day = zoned(p.opened_at, &p.timezone).date();
    view! {
        <section class="rounded-2xl bg-white p-5 shadow-sm" data-testid="encounter">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <div>
                    <h1 class="text-2xl font-bold text-teal-900" data-testid="encounter-patient">{p.header.full_name.clone()}</h1>
                    <PatientFacts header=p.header.clone() latin=true class="text-sm text-slate-600"/>
                    <p class="text-sm text-slate-600">
                        {gregorian_label(i18n, day)}" · "{hijri_label(i18n, day)}" · "<bdi>{time_label(i18n, p.opened_at, &p.timezone)}</bdi>
                    </p>
                </div>
                <span class=if p.signed { "rounded-full bg-teal-100 px-3 py-1 text-sm font-semibold text-teal-900" } else { "rounded-full bg-amber-100 px-3 py-1 text-sm font-semibold text-amber-900" }
                    data-testid="encounter-status">
                    {i18n.t(if p.signed { "enc-status-signed" } else { "enc-status-draft" })}
                </span>
            </div>
            {notice.map(|n| view! { <p class="mt-3 rounded-lg bg-teal-50 px-4 py-2 text-teal-900" role="status" data-testid="encounter-notice">{n}</p> })}
            <Allergies p=p.clone()/>
            <div class="mt-3 grid gap-3 sm:grid-cols-2">
                <Problems p=p.clone()/>
                <Medications p=p.clone()/>
            </div>
        </section>
        <VitalsSection p=p.clone()/>
        {if p.signed { view! { <SignedNote p=p.clone()/> }.into_any() } else { view! { <DraftNote p=p.clone()/> }.into_any() }}
        <crate::records::pages::orders::OrdersSection p=p.clone()/>
        <crate::records::pages::attachments::AttachmentsSection encounter_id=p.id files=p.attachments.clone() timezone=p.timezone.clone() max_mb=p.max_upload_mb orders=p.orders.clone()/>
        <crate::records::pages::prescriptions::PrescribeSection p/>
    }
}

/// Age, sex and the masked ID: enough to be sure whose chart this is.
/// The line under a patient's name: Latin name (when `latin`), age, sex and the masked ID.
#[component]
pub fn PatientFacts(
    header: crate::records::model::ChartHeader,
    #[prop(optional)] latin: bool,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut parts = Vec::new();
    if let Some(name) = header.latin_name.clone().filter(|_| latin) {
        parts.push(name);
    }
    if let Some(age) = header.age_years {
        parts.push(i18n.t_with("chart-age", &[("n", age.to_string())]));
    }
    if let Some(sex) = header.sex.as_deref() {
        parts.push(i18n.t(&format!("field-sex-{sex}")));
    }
    parts.push(i18n.t("chart-id"));
    // Its own left-to-right element, so the dots stay before the last digits on an Arabic
    // page (isolation marks inside a Fluent message did not hold in Chromium).
    view! {
        <p class=class data-testid="patient-facts">
            {parts.join(" · ")}" "<bdi dir="ltr">{header.national_id_masked.clone()}</bdi>
        </p>
    }
}

/// Always on screen, in a warning colour: what this patient must not be given.
#[component]
fn Allergies(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddAllergy>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let allergies = p.header.allergies.clone();
    let none = allergies.is_empty();
    view! {
        <div class="mt-3 rounded-xl border-2 border-rose-300 bg-rose-50 p-3 text-rose-900" role="note" data-testid="allergies">
            <p class="font-bold">{i18n.t("chart-allergies")}</p>
            {if none {
                view! { <p class="text-sm" data-testid="no-allergies">{i18n.t("chart-no-allergies")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 flex flex-wrap gap-2">
                        {allergies.into_iter().map(|a| view! {
                            <li class="rounded-full bg-white px-3 py-1 text-sm shadow-sm">
                                <bdi class="font-bold">{a.substance}</bdi>" · "{i18n.t(a.severity.label_key())}
                                {(!a.reaction.is_empty()).then(|| view! { " · "<bdi>{a.reaction}</bdi> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="mt-2">
                <summary class="cursor-pointer text-sm font-semibold">{i18n.t("allergy-add")}</summary>
                <ActionForm action=action attr:class="mt-2 grid gap-3 sm:grid-cols-3" attr:novalidate=true>
                    <div class="sm:col-span-3"><ErrorSummary error=summary/></div>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <Field name="substance" label_key="allergy-substance" server_error=error required=true dir="auto"/>
                    <Field name="reaction" label_key="allergy-reaction" server_error=error dir="auto"/>
                    <SelectField name="severity" label_key="allergy-severity" server_error=error required=true
                        options=vec![("mild", "allergy-mild"), ("moderate", "allergy-moderate"), ("severe", "allergy-severe")]/>
                    <div class="sm:col-span-3"><SubmitButton label_key="allergy-save" pending=action.pending().into()/></div>
                </ActionForm>
            </details>
        </div>
    }
}

/// The active problems, coded, and the form that adds one.
#[component]
fn Problems(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddProblem>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let problems = p.header.problems.clone();
    view! {
        <div class="rounded-xl border border-slate-200 p-3" data-testid="problems">
            <p class="font-semibold text-slate-800">{i18n.t("chart-problems")}</p>
            {if problems.is_empty() {
                view! { <p class="text-sm text-slate-500">{i18n.t("chart-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 grid gap-1 text-sm">
                        {problems.into_iter().map(|pr| view! {
                            <li class="flex items-start justify-between gap-2" data-testid="problem">
                                <span dir="ltr" class="text-start"><span class="font-mono font-semibold text-teal-900">{pr.code}</span>" "{pr.title}
                                    {(!pr.note.is_empty()).then(|| view! { " · "<bdi dir="auto">{pr.note}</bdi> })}</span>
                                <EndEntry encounter=p.id list="problem" entry=pr.id label_key="chart-problem-resolve"/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="mt-2">
                <summary class="cursor-pointer text-sm font-semibold text-teal-800">{i18n.t("chart-problem-add")}</summary>
                <ActionForm action=action attr:class="mt-2 grid gap-2" attr:novalidate=true>
                    <ErrorSummary error=summary/>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <Field name="problem_code" label_key="chart-problem-code" server_error=error required=true dir="ltr"/>
                    <Field name="problem_note" label_key="chart-problem-note" server_error=error dir="auto"/>
                    <SubmitButton label_key="chart-problem-save" pending=action.pending().into()/>
                </ActionForm>
            </details>
        </div>
    }
}

/// What the patient takes now, and the form that adds a medication.
#[component]
fn Medications(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddMedication>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let medications = p.header.medications.clone();
    view! {
        <div class="rounded-xl border border-slate-200 p-3" data-testid="medications">
            <p class="font-semibold text-slate-800">{i18n.t("chart-medications")}</p>
            {if medications.is_empty() {
                view! { <p class="text-sm text-slate-500">{i18n.t("chart-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 grid gap-1 text-sm">
                        {medications.into_iter().map(|m| view! {
                            <li class="flex items-start justify-between gap-2" data-testid="medication">
                                <span><bdi class="font-semibold">{m.drug}</bdi>{(!m.dose.is_empty()).then(|| view! { " · "<bdi>{m.dose}</bdi> })}</span>
                                <EndEntry encounter=p.id list="medication" entry=m.id label_key="chart-medication-stop"/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="mt-2">
                <summary class="cursor-pointer text-sm font-semibold text-teal-800">{i18n.t("chart-medication-add")}</summary>
                <ActionForm action=action attr:class="mt-2 grid gap-2" attr:novalidate=true>
                    <ErrorSummary error=summary/>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <Field name="med_drug" label_key="chart-medication-drug" server_error=error required=true dir="auto"/>
                    <Field name="med_dose" label_key="chart-medication-dose" server_error=error dir="auto"/>
                    <SubmitButton label_key="chart-medication-save" pending=action.pending().into()/>
                </ActionForm>
            </details>
        </div>
    }
}

/// The small button that takes an entry off the chart's current list: the problem resolved,
/// the medication stopped. The row stays in the record with who ended it and when.
#[component]
fn EndEntry(
    encounter: uuid::Uuid,
    list: &'static str,
    entry: uuid::Uuid,
    label_key: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<EndListEntry>::new();
    view! {
        <ActionForm action=action attr:class="shrink-0">
            <input type="hidden" name="id" value=encounter.to_string()/>
            <input type="hidden" name="list" value=list/>
            <input type="hidden" name="entry" value=entry.to_string()/>
            <button type="submit"
                class="rounded-md border border-slate-300 px-2 py-0.5 text-xs font-semibold text-slate-700 hover:bg-slate-50">
                {i18n.t(label_key)}
            </button>
        </ActionForm>
    }
}

fn flag_of(flags: &[(Measure, Flag)], m: Measure) -> Option<Flag> {
    flags.iter().find(|(x, _)| *x == m).map(|(_, f)| *f)
}

/// One measurement with its unit, flagged when out of the usual range.
fn reading(
    i18n: I18n,
    label: &'static str,
    value: Option<String>,
    flag: Option<Flag>,
) -> impl IntoView {
    value.map(|v| {
        let (cls, mark) = match flag {
            Some(Flag::High) => ("font-bold text-rose-700", Some(i18n.t("enc-flag-high"))),
            Some(Flag::Low) => ("font-bold text-rose-700", Some(i18n.t("enc-flag-low"))),
            None => ("text-slate-900", None),
        };
        view! {
            <div class="rounded-lg bg-slate-50 px-3 py-2">
                <dt class="text-xs text-slate-500">{i18n.t(label)}</dt>
                <dd class=cls data-flag=flag.map(|f| if f == Flag::High { "high" } else { "low" })>
                    <bdi>{v}</bdi>{mark.map(|m| view! { <span class="ms-1 text-xs">{m}</span> })}
                </dd>
            </div>
        }
    })
}

fn readings(i18n: I18n, v: &Vitals) -> impl IntoView {
    let flags = v.flags();
    let bp = v
        .systolic_mmhg
        .zip(v.diastolic_mmhg)
        .map(|(s, d)| format!("{s}/{d} mmHg"));
    let bp_flag = flag_of(&flags, Measure::Systolic).or(flag_of(&flags, Measure::Diastolic));
    view! {
        <dl class="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {reading(i18n, "enc-vitals-bp", bp, bp_flag)}
            {reading(i18n, "enc-vitals-pulse", v.pulse_bpm.map(|p| format!("{p} /min")), flag_of(&flags, Measure::Pulse))}
            {reading(i18n, "enc-vitals-temperature", v.temperature_dc.map(|t| format!("{} °C", tenths(i32::from(t)))), flag_of(&flags, Measure::Temperature))}
            {reading(i18n, "enc-vitals-spo2", v.spo2_pct.map(|s| format!("{s} %")), flag_of(&flags, Measure::Spo2))}
            {reading(i18n, "enc-vitals-rr", v.respiratory_rate.map(|r| format!("{r} /min")), flag_of(&flags, Measure::RespiratoryRate))}
            {reading(i18n, "enc-vitals-weight", v.weight_hg.map(|w| format!("{} kg", tenths(w))), None)}
            {reading(i18n, "enc-vitals-height", v.height_cm.map(|h| format!("{h} cm")), None)}
            {reading(i18n, "enc-vitals-bmi", v.bmi_tenths().map(|b| format!("{} kg/m²", tenths(b))), flag_of(&flags, Measure::Bmi))}
        </dl>
    }
}

#[component]
fn VitalsSection(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RecordVitals>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let tz = p.timezone.clone();
    view! {
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("enc-vitals") data-testid="vitals">
            <h2 class="font-semibold text-slate-800">{i18n.t("enc-vitals")}</h2>
            {p.vitals.iter().map(|(at, v)| view! {
                <div class="mt-3">
                    <p class="mb-1 text-xs text-slate-500"><bdi>{time_label(i18n, *at, &tz)}</bdi></p>
                    {readings(i18n, v)}
                </div>
            }).collect_view()}
            <crate::records::pages::vitals_trend::VitalsTrend history=p.history.clone() tz=p.timezone.clone()/>
            {(!p.signed).then(|| view! {
                <ActionForm action=action attr:class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4" attr:novalidate=true>
                    <div class="col-span-2 sm:col-span-4"><ErrorSummary error=summary/></div>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <Field name="blood_pressure" label_key="enc-vitals-bp-input" server_error=error inputmode="text" dir="ltr"/>
                    <Field name="pulse" label_key="enc-vitals-pulse-input" server_error=error inputmode="numeric" dir="ltr"/>
                    <Field name="temperature" label_key="enc-vitals-temperature-input" server_error=error inputmode="decimal" dir="ltr"/>
                    <Field name="spo2" label_key="enc-vitals-spo2-input" server_error=error inputmode="numeric" dir="ltr"/>
                    <Field name="respiratory_rate" label_key="enc-vitals-rr-input" server_error=error inputmode="numeric" dir="ltr"/>
                    <Field name="weight" label_key="enc-vitals-weight-input" server_error=error inputmode="decimal" dir="ltr"/>
                    <Field name="height" label_key="enc-vitals-height-input" server_error=error inputmode="numeric" dir="ltr"/>
                    <div class="col-span-2 self-end sm:col-span-1"><SubmitButton label_key="enc-vitals-save" pending=action.pending().into()/></div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn DraftNote(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveEncounter>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let codes = p
        .diagnoses
        .iter()
        .map(|d| d.code.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let note = p.note.clone();
    view! {
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("enc-note")>
            <h2 class="font-semibold text-slate-800">{i18n.t("enc-note")}</h2>
            <ActionForm action=action attr:class="mt-3 grid gap-3" attr:novalidate=true attr:data-testid="note-form" attr:data-autosave=true>
                <ErrorSummary error=summary/>
                <input type="hidden" name="id" value=p.id.to_string()/>
                <Field name="chief_complaint" label_key="enc-chief-complaint" server_error=error value=note.chief_complaint required=true dir="auto"/>
                <TextAreaField name="history" label_key="enc-history" server_error=error value=note.history/>
                <TextAreaField name="examination" label_key="enc-examination" server_error=error value=note.examination/>
                <TextAreaField name="assessment" label_key="enc-assessment" server_error=error value=note.assessment required=true/>
                <TextAreaField name="diagnoses" label_key="enc-diagnoses" server_error=error value=codes rows=3 required=true/>
                <p class="-mt-2 text-xs text-slate-500">{i18n.t("enc-diagnoses-hint")}</p>
                <DiagnosisList p=p.clone()/>
                <TextAreaField name="plan" label_key="enc-plan" server_error=error value=note.plan/>
                <TextAreaField name="patient_summary" label_key="enc-patient-summary" server_error=error value=note.patient_summary/>
                <div class="flex flex-wrap gap-3">
                    <SubmitButton label_key="enc-save" pending=action.pending().into()/>
                    <button type="submit" name="sign" value="1" data-testid="sign"
                        class="w-full rounded-lg border border-teal-700 px-4 py-2.5 font-semibold text-teal-800 hover:bg-teal-50 sm:w-auto">
                        {i18n.t("enc-sign")}
                    </button>
                </div>
                <p class="text-xs text-slate-500">{i18n.t("enc-sign-hint")}</p>
                <p class="min-h-4 text-xs text-slate-600" role="status" data-autosave-status data-testid="autosave-status"
                    data-pending-text=i18n.t("enc-autosave-pending") data-saved-text=i18n.t("enc-autosave-saved")
                    data-failed-text=i18n.t("enc-autosave-failed")></p>
            </ActionForm>
        </section>
    }
}

#[component]
fn DiagnosisList(p: Page) -> impl IntoView {
    (!p.diagnoses.is_empty()).then(|| {
        view! {
            <ul class="grid gap-1 text-sm" data-testid="diagnoses">
                {p.diagnoses.into_iter().map(|d| view! {
                    <li class="rounded-lg bg-slate-50 px-3 py-1.5" dir="ltr">
                        <span class="font-mono font-semibold text-teal-900">{d.code}</span>" — "{d.title}
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn SignedNote(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddAddendum>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let tz = p.timezone.clone();
    let sections = [
        ("enc-chief-complaint", p.note.chief_complaint.clone()),
        ("enc-history", p.note.history.clone()),
        ("enc-examination", p.note.examination.clone()),
        ("enc-assessment", p.note.assessment.clone()),
        ("enc-plan", p.note.plan.clone()),
        ("enc-patient-summary", p.note.patient_summary.clone()),
    ];
    let signed_at = p.signed_at.map(|at| {
        format!(
            "{} {}",
            gregorian_label(i18n, zoned(at, &tz).date()),
            time_label(i18n, at, &tz)
        )
    });
    view! {
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("enc-note") data-testid="signed-note">
            <h2 class="font-semibold text-slate-800">{i18n.t("enc-note")}</h2>
            <p class="text-xs text-slate-500">{i18n.t("enc-signed-at")}" "<bdi>{signed_at}</bdi></p>
            <dl class="mt-3 grid gap-3">
                {sections.into_iter().filter(|(_, t)| !t.is_empty()).map(|(k, t)| view! {
                    <div><dt class="text-sm font-semibold text-slate-700">{i18n.t(k)}</dt>
                        <dd class="whitespace-pre-line text-slate-900" dir="auto">{t}</dd></div>
                }).collect_view()}
            </dl>
            <h3 class="mt-3 text-sm font-semibold text-slate-700">{i18n.t("enc-diagnoses")}</h3>
            <DiagnosisList p=p.clone()/>
        </section>
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("enc-addenda") data-testid="addenda">
            <h2 class="font-semibold text-slate-800">{i18n.t("enc-addenda")}</h2>
            <ul class="mt-2 grid gap-2">
                {p.addenda.iter().map(|a| view! {
                    <li class="rounded-lg bg-slate-50 px-3 py-2">
                        <p class="text-xs text-slate-500">{a.author_name.clone()}" · "<bdi>{time_label(i18n, a.created_at, &tz)}</bdi></p>
                        <p class="whitespace-pre-line" dir="auto">{a.body.clone()}</p>
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=action attr:class="mt-3 grid gap-3" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <input type="hidden" name="id" value=p.id.to_string()/>
                <TextAreaField name="body" label_key="enc-addendum" server_error=error rows=3 required=true/>
                <SubmitButton label_key="enc-addendum-add" pending=action.pending().into()/>
            </ActionForm>
        </section>
    }
}
