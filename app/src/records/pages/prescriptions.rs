//! Prescriptions on screen and on paper: the consultation's list and form, the printable A5
//! paper (bilingual, with the QR code), and the public page the QR code opens.

use crate::kernel::access::Area;
use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{
    action_error, ErrorSummary, Field, SelectField, SubmitButton, TextAreaField,
};
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::{gregorian_label, hijri_label, time_label, zoned};
use crate::records::api::prescriptions::Prescribe;
use crate::records::domain::prescription::Prescription;
use crate::records::model::{EncounterPage, Issuer, PrescriptionLine};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const ROUTE_OPTIONS: [(&str, &str); 12] = [
    ("oral", "rx-route-oral"),
    ("sublingual", "rx-route-sublingual"),
    ("topical", "rx-route-topical"),
    ("inhaled", "rx-route-inhaled"),
    ("nasal", "rx-route-nasal"),
    ("eye", "rx-route-eye"),
    ("ear", "rx-route-ear"),
    ("im", "rx-route-im"),
    ("iv", "rx-route-iv"),
    ("sc", "rx-route-sc"),
    ("rectal", "rx-route-rectal"),
    ("vaginal", "rx-route-vaginal"),
];

fn route_key(code: &str) -> &'static str {
    ROUTE_OPTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, k)| *k)
        .unwrap_or("rx-route-other")
}

/// The drug as a pharmacist reads it: name and strength.
pub fn drug_title(rx: &Prescription) -> String {
    if rx.strength.is_empty() {
        rx.drug.clone()
    } else {
        format!("{} {}", rx.drug, rx.strength)
    }
}

/// How to take it, in the page's language: dose, route, frequency, duration, quantity, refills.
pub fn directions(i18n: I18n, rx: &Prescription) -> String {
    [
        rx.dose.clone(),
        i18n.t(route_key(&rx.route)),
        rx.frequency.clone(),
        i18n.t_with("rx-days", &[("n", rx.duration_days.to_string())]),
        i18n.t_with("rx-quantity-of", &[("q", rx.quantity.clone())]),
        i18n.t_with("rx-refills-of", &[("n", rx.refills.to_string())]),
    ]
    .join(" · ")
}

#[component]
pub fn RxList(lines: Vec<PrescriptionLine>, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="grid gap-2" data-testid="prescriptions">
            {lines.into_iter().map(|l| view! {
                <li class="rounded-lg bg-slate-50 px-3 py-2">
                    <div class="flex flex-wrap items-center justify-between gap-2">
                        <p class="font-semibold" dir="auto">{drug_title(&l.rx)}</p>
                        <a href=format!("/prescriptions/{}", l.id) data-testid="print-prescription"
                            class="rounded-lg border border-teal-700 px-3 py-1 text-sm font-semibold text-teal-800 hover:bg-teal-50">
                            {i18n.t("rx-print")}
                        </a>
                    </div>
                    <p class="text-sm text-slate-700"><bdi>{directions(i18n, &l.rx)}</bdi></p>
                    {(!l.rx.instructions_ar.is_empty()).then(|| view! {
                        <p class="text-sm text-slate-700" dir="rtl" lang="ar">{l.rx.instructions_ar.clone()}</p>
                    })}
                    {l.allergy_override.clone().map(|r| view! {
                        <p class="mt-1 text-sm font-semibold text-rose-800" data-testid="override-reason">
                            {i18n.t("rx-override-shown")}" "<bdi>{r}</bdi>
                        </p>
                    })}
                    <p class="text-xs text-slate-500">{l.doctor_name.clone()}" · "<bdi>{time_label(i18n, l.issued_at, &tz)}</bdi></p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The consultation's prescriptions and the form that issues one. With allergies on the
/// chart the form carries the reason field, which the server asks for only on a match.
#[component]
pub fn PrescribeSection(p: EncounterPage) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Prescribe>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let has_allergies = !p.header.allergies.is_empty();
    view! {
        <section class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("rx-title") data-testid="prescribe">
            <h2 class="font-semibold text-slate-800">{i18n.t("rx-title")}</h2>
            {(!p.prescriptions.is_empty()).then(|| view! {
                <div class="mt-3"><RxList lines=p.prescriptions.clone() tz=p.timezone.clone()/></div>
            })}
            <details class="mt-3" open=p.prescriptions.is_empty()>
                <summary class="cursor-pointer text-sm font-semibold text-teal-800">{i18n.t("rx-add")}</summary>
                <ActionForm action=action attr:class="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4" attr:novalidate=true attr:data-testid="prescribe-form">
                    <div class="col-span-2 sm:col-span-4"><ErrorSummary error=summary/></div>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <div class="col-span-2"><Field name="drug" label_key="rx-drug" server_error=error required=true dir="auto"/></div>
                    <Field name="strength" label_key="rx-strength" server_error=error dir="auto"/>
                    <Field name="drug_code" label_key="rx-drug-code" server_error=error dir="ltr"/>
                    <Field name="dose" label_key="rx-dose" server_error=error required=true dir="auto"/>
                    <SelectField name="route" label_key="rx-route" server_error=error required=true options=ROUTE_OPTIONS.to_vec()/>
                    <Field name="frequency" label_key="rx-frequency" server_error=error required=true dir="auto"/>
                    <Field name="duration_days" label_key="rx-duration" server_error=error required=true inputmode="numeric" dir="ltr"/>
                    <Field name="quantity" label_key="rx-quantity" server_error=error required=true dir="auto"/>
                    <Field name="refills" label_key="rx-refills" server_error=error inputmode="numeric" dir="ltr" value="0"/>
                    <div class="col-span-2 sm:col-span-4"><TextAreaField name="instructions_ar" label_key="rx-instructions" server_error=error rows=2/></div>
                    {has_allergies.then(|| view! {
                        <div class="col-span-2 rounded-xl border-2 border-rose-300 bg-rose-50 p-3 sm:col-span-4">
                            <p class="mb-2 text-sm text-rose-900">{i18n.t("rx-allergy-hint")}</p>
                            <TextAreaField name="allergy_reason" label_key="rx-allergy-reason" server_error=error rows=2/>
                        </div>
                    })}
                    <div class="col-span-2 sm:col-span-4"><SubmitButton label_key="rx-issue" pending=action.pending().into()/></div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
pub fn PrescriptionPage() -> impl IntoView {
    view! {
        <RequireRole area=Area::ChartRead>
            <Paper/>
        </RequireRole>
    }
}

/// "Name · Specialty" in one of the paper's two languages.
fn issuer_line(issuer: &Issuer, arabic: bool) -> String {
    let name = if arabic {
        issuer.doctor_name.clone()
    } else {
        issuer
            .doctor_latin
            .clone()
            .unwrap_or_else(|| issuer.doctor_name.clone())
    };
    let specialty = if arabic {
        &issuer.specialty_ar
    } else {
        &issuer.specialty_en
    };
    format!("{name} · {specialty}")
}

#[component]
fn Paper() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let paper = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        crate::records::api::prescriptions::load_prescription_paper,
    );
    view! {
        <Title text=i18n.t("rx-paper-title")/>
        {awaited(async move {
            match paper.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) => {
                    let day = zoned(p.line.issued_at, &p.timezone).date();
                    let h = p.patient.clone();
                    // The patient's instructions are in Arabic whatever the page's language.
                    let arabic = I18n { locale: crate::kernel::i18n::Locale::Ar };
                    let allergies = h.allergies.iter().map(|a| a.substance.clone()).collect::<Vec<_>>().join("، ");
                    view! {
                        <div class="mb-4 flex flex-wrap gap-3 print:hidden">
                            <PrintButton label=i18n.t("rx-print-now")/>
                            <p class="self-center text-sm text-slate-500">{i18n.t("rx-print-hint")}</p>
                        </div>
                        <article class="rx-paper mx-auto max-w-[148mm] rounded-xl bg-white p-6 shadow-sm print:rounded-none print:p-0 print:shadow-none" data-testid="paper">
                            <header class="grid grid-cols-2 gap-3 border-b-2 border-teal-800 pb-3">
                                <div dir="rtl" lang="ar" class="text-right">
                                    <p class="text-lg font-bold text-teal-900">{p.issuer.clinic_ar.clone()}</p>
                                    <p class="text-sm">{issuer_line(&p.issuer, true)}</p>
                                    {p.issuer.address_ar.clone().map(|a| view! { <p class="text-xs text-slate-600">{a}</p> })}
                                </div>
                                <div dir="ltr" lang="en" class="text-left">
                                    <p class="text-lg font-bold text-teal-900">{p.issuer.clinic_en.clone()}</p>
                                    <p class="text-sm">{issuer_line(&p.issuer, false)}</p>
                                    {p.issuer.address_en.clone().map(|a| view! { <p class="text-xs text-slate-600">{a}</p> })}
                                </div>
                                <p class="col-span-2 text-center text-xs text-slate-600" data-testid="licence">
                                    {i18n.t("rx-licence")}" "<bdi>{p.issuer.licence_number.clone().unwrap_or_else(|| "—".into())}</bdi>
                                    {p.issuer.clinic_phone.clone().map(|ph| view! { " · "<bdi dir="ltr">{ph}</bdi> })}
                                </p>
                            </header>
                            <section class="mt-3 grid gap-1 text-sm">
                                <p><span class="font-semibold">{i18n.t("rx-patient")}" "</span><span data-testid="paper-patient">{h.full_name.clone()}</span>
                                    {h.latin_name.clone().map(|l| view! { " · "<bdi dir="ltr">{l}</bdi> })}</p>
                                <crate::records::pages::encounter::PatientFacts header=h.clone() class="text-slate-700"/>
                                <p data-testid="paper-date"><span class="font-semibold">{i18n.t("rx-date")}" "</span>
                                    {gregorian_label(i18n, day)}" · "{hijri_label(i18n, day)}</p>
                                {(!allergies.is_empty()).then(|| view! {
                                    <p class="font-semibold text-rose-800">{i18n.t("chart-allergies")}": "<bdi>{allergies}</bdi></p>
                                })}
                            </section>
                            <section class="mt-4 rounded-lg border border-slate-300 p-3">
                                <p class="text-2xl font-bold text-teal-900" aria-hidden="true">"℞"</p>
                                <p class="text-lg font-bold" dir="auto" data-testid="paper-drug">{drug_title(&p.line.rx)}</p>
                                {p.line.rx.drug_code.clone().map(|c| view! { <p class="text-xs text-slate-500" dir="ltr">{c}</p> })}
                                <p class="mt-1"><bdi>{directions(i18n, &p.line.rx)}</bdi></p>
                                {(!p.line.rx.instructions_ar.is_empty()).then(|| view! {
                                    <p class="mt-2 rounded bg-slate-50 p-2" dir="rtl" lang="ar">
                                        <span class="font-semibold">{arabic.t("rx-instructions-label")}" "</span>{p.line.rx.instructions_ar.clone()}
                                    </p>
                                })}
                            </section>
                            <footer class="mt-4 flex items-end justify-between gap-3">
                                <div class="text-xs text-slate-600">
                                    <p>{i18n.t("rx-verify-at")}</p>
                                    <p dir="ltr" class="break-all font-mono" data-testid="verify-url">{p.verify_url.clone()}</p>
                                    <p class="mt-1">{i18n.t("rx-fingerprint")}" "<bdi class="font-mono" data-testid="fingerprint">{p.fingerprint.clone()}</bdi></p>
                                    <p class="mt-4">{i18n.t("rx-signature")}" ____________________"</p>
                                </div>
                                <div class="h-32 w-32 shrink-0 [&>svg]:h-full [&>svg]:w-full" data-testid="qr" inner_html=p.qr_svg.clone()></div>
                            </footer>
                        </article>
                    }.into_any()
                }
            }
        })}
    }
}

/// Opens the browser's print dialog; the paper's CSS sets A5 and hides the site around it.
/// Inline handlers are barred by the page's CSP, so this is a (tiny) island.
#[island]
fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button type="button" data-testid="print" class="rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white"
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                let _ = window().print();
            }>
            {label}
        </button>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let check = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        crate::records::api::prescriptions::verify_prescription,
    );
    view! {
        <Title text=i18n.t("rx-verify-title")/>
        {awaited(async move {
            match check.await {
                Err(crate::kernel::error::AppError::NotFound) => {
                    crate::kernel::ui::set_page_status(404);
                    view! {
                    <section class="rounded-2xl border-2 border-rose-300 bg-rose-50 p-6 text-rose-900" data-testid="verify-unknown">
                        <h1 class="text-xl font-bold">{i18n.t("rx-verify-unknown")}</h1>
                        <p class="mt-2">{i18n.t("rx-verify-unknown-hint")}</p>
                    </section>
                }.into_any()
                }
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(v) => {
                    let day = zoned(v.issued_at, &v.timezone).date();
                    let (box_class, verdict) = if v.intact {
                        ("rounded-2xl border-2 border-emerald-400 bg-emerald-50 p-6 text-emerald-950", i18n.t("rx-verify-genuine"))
                    } else {
                        ("rounded-2xl border-2 border-rose-400 bg-rose-50 p-6 text-rose-950", i18n.t("rx-verify-altered"))
                    };
                    view! {
                        <section class=box_class data-testid="verify-result" data-intact=v.intact.to_string()>
                            <h1 class="text-xl font-bold">{verdict}</h1>
                            <dl class="mt-4 grid gap-2 sm:grid-cols-2">
                                <div><dt class="text-sm opacity-80">{i18n.t("rx-drug")}</dt><dd class="font-semibold" dir="auto" data-testid="verify-drug">{drug_title(&v.rx)}</dd></div>
                                <div><dt class="text-sm opacity-80">{i18n.t("rx-directions")}</dt><dd><bdi>{directions(i18n, &v.rx)}</bdi></dd></div>
                                <div><dt class="text-sm opacity-80">{i18n.t("rx-date")}</dt><dd>{gregorian_label(i18n, day)}" · "{hijri_label(i18n, day)}</dd></div>
                                <div><dt class="text-sm opacity-80">{i18n.t("rx-patient")}</dt><dd data-testid="verify-initials">{v.patient_initials.clone()}</dd></div>
                                <div><dt class="text-sm opacity-80">{i18n.t("rx-doctor")}</dt><dd>{i18n.name(&v.issuer.doctor_name, v.issuer.doctor_latin.as_deref()).to_owned()}" · "<bdi>{v.issuer.licence_number.clone().unwrap_or_default()}</bdi></dd></div>
                                <div><dt class="text-sm opacity-80">{i18n.t("rx-clinic")}</dt><dd>{i18n.pick(&v.issuer.clinic_ar, &v.issuer.clinic_en).to_owned()}</dd></div>
                                <div class="sm:col-span-2"><dt class="text-sm opacity-80">{i18n.t("rx-fingerprint")}</dt><dd class="font-mono" dir="ltr" data-testid="verify-fingerprint">{v.fingerprint.clone()}</dd></div>
                            </dl>
                            <p class="mt-4 text-sm">{i18n.t("rx-verify-compare")}</p>
                        </section>
                    }.into_any()
                }
            }
        })}
    }
}
