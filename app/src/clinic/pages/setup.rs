//! Setting the clinic up (admins and the desk): branches, their details, working week and
//! booking rules, visit types and prices, holidays, specialties, and each doctor's schedule.
//! Changes apply to bookings made afterwards; a closure over booked days warns instead of
//! cancelling anyone.

use super::saved_notice;
use crate::clinic::domain::profiles::Details;
use crate::clinic::domain::setup::Rules;
use crate::clinic::model::ClosureRow;
use crate::clinic::model::VisitTypeInfo;
use crate::clinic::pages::closures::ClosureActions;
use crate::clinic::pages::closures::Closures;
use crate::clinic::pages::holidays::{HolidayCalendar, HolidayLine, SaveHoliday, ShiftHoliday};
use crate::clinic::pages::prayer_breaks::{PrayerBreaksForm, PrayerDay, SavePrayerBreaks};
use crate::clinic::pages::ramadan_hours::{AddRamadanHours, RamadanHours, RemoveRamadanHours};
use crate::clinic::pages::setup_reminders::ReminderRulesForm;
use crate::clinic::pages::setup_reminders::SaveReminderRules;
use crate::clinic::pages::setup_specialties::SaveSpecialty;
use crate::clinic::pages::setup_specialties::Specialties;
use crate::clinic::pages::setup_week::SaveWorkingWeek;
use crate::clinic::pages::setup_week::WorkingWeekForm;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::price_label;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoctorLine {
    pub id: Uuid,
    pub name: String,
    pub latin_name: Option<String>,
    pub specialty_ar: String,
    pub specialty_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicSetup {
    /// The branch on screen, and every branch to switch to.
    pub clinic_id: Uuid,
    pub branches: Vec<crate::kernel::values::Named>,
    pub details: Details,
    pub rules: Rules,
    pub reminders: crate::clinic::domain::reminders::ReminderRules,
    pub holidays: Vec<HolidayLine>,
    pub ramadan: Vec<crate::clinic::model::RamadanRow>,
    pub prayer: crate::clinic::domain::prayer::PrayerSettings,
    pub prayer_week: Vec<PrayerDay>,
    pub week: crate::clinic::domain::working_week::WorkingWeek,
    pub visit_types: Vec<VisitTypeInfo>,
    pub closures: Vec<ClosureRow>,
    pub doctors: Vec<DoctorLine>,
    pub specialties: Vec<crate::kernel::values::Named>,
}

#[server(endpoint = "clinic_setup")]
pub async fn load_clinic_setup(clinic_id: Option<String>) -> Result<ClinicSetup, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    ctx.require(crate::kernel::access::Area::ClinicSetup)
        .await?;
    let r = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref()).await?;
    let tz = r.tz()?;
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let prayer = crate::clinic::db::setup::prayer_settings(ctx.pool(), r.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let doctors = crate::clinic::db::doctors::doctors(ctx.pool())
        .await?
        .into_iter()
        .map(|d| DoctorLine {
            id: d.id,
            name: d.name_ar,
            latin_name: d.latin_name,
            specialty_ar: d.specialty_ar,
            specialty_en: d.specialty_en,
        })
        .collect();
    Ok(ClinicSetup {
        clinic_id: r.id,
        branches: crate::clinic::db::clinics::branches(ctx.pool()).await?,
        details: crate::clinic::db::setup::details(ctx.pool(), r.id)
            .await?
            .ok_or(AppError::NotFound)?,
        visit_types: crate::clinic::db::setup::visit_types(ctx.pool(), r.id, None).await?,
        closures: crate::clinic::db::setup::closures(ctx.pool(), r.id, None, today).await?,
        doctors,
        specialties: crate::clinic::db::clinics::specialties(ctx.pool()).await?,
        week: r.week(),
        holidays: crate::clinic::holidays::lines(ctx.pool(), r.id, today).await?,
        ramadan: crate::clinic::db::ramadan::list(ctx.pool(), Some(r.id), None).await?,
        prayer_week: crate::clinic::pages::prayer_breaks::coming_week(&prayer, &tz, today),
        prayer,
        reminders: crate::clinic::db::setup::reminder_rules(ctx.pool(), r.id)
            .await?
            .ok_or(AppError::NotFound)?,
        rules: Rules {
            timezone: r.timezone,
            booking_horizon_days: r.booking_horizon_days,
            min_notice_minutes: r.min_notice_minutes,
            cancel_cutoff_minutes: r.cancel_cutoff_minutes,
            max_active_bookings: r.max_active_bookings,
            waitlist_hold_minutes: r.waitlist_hold_minutes,
        },
    })
}

#[server(endpoint = "save_rules")]
pub async fn save_rules(
    timezone: String,
    booking_horizon_days: String,
    min_notice_minutes: String,
    cancel_cutoff_minutes: String,
    max_active_bookings: String,
    waitlist_hold_minutes: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::setup::RulesInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let rules = RulesInput {
        timezone,
        booking_horizon_days,
        min_notice_minutes,
        cancel_cutoff_minutes,
        max_active_bookings,
        waitlist_hold_minutes,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let clinic = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref())
        .await?
        .id;
    crate::clinic::settings::save_rules(ctx.pool(), &by, clinic, &rules).await?;
    leptos_axum::redirect(&format!("/setup?clinic={clinic}&saved=rules"));
    Ok(())
}

#[server(endpoint = "save_clinic_details")]
pub async fn save_clinic_details(
    name_ar: String,
    name_en: String,
    address_ar: String,
    address_en: String,
    phone: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::profiles::DetailsInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let details = DetailsInput {
        name_ar,
        name_en,
        address_ar,
        address_en,
        phone,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let clinic = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref())
        .await?
        .id;
    crate::clinic::settings::save_details(ctx.pool(), &by, clinic, &details).await?;
    crate::clinic::header::ClinicHeader::forget(&ctx.state);
    leptos_axum::redirect(&format!("/setup?clinic={clinic}&saved=details"));
    Ok(())
}

#[server(endpoint = "save_visit_type")]
pub async fn save_visit_type(
    id: String,
    name_ar: String,
    name_en: String,
    duration_minutes: String,
    price_sar: String,
    buffer_before_minutes: String,
    buffer_after_minutes: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::setup::VisitTypeInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let spec = VisitTypeInput {
        name_ar,
        name_en,
        duration_minutes,
        price_sar,
        buffer_before_minutes,
        buffer_after_minutes,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let clinic = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref())
        .await?
        .id;
    let existing = match id.trim() {
        "" => None,
        existing => Some(crate::kernel::error::record_id(existing)?),
    };
    Ok(crate::clinic::settings::save_visit_type(ctx.pool(), &by, clinic, existing, &spec).await?)
}

/// Opens a branch with the first branch's booking rules and visit types, then shows it.
#[server(endpoint = "add_branch")]
pub async fn add_branch(
    name_ar: String,
    name_en: String,
    address_ar: String,
    address_en: String,
    phone: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::profiles::DetailsInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let details = DetailsInput {
        name_ar,
        name_en,
        address_ar,
        address_en,
        phone,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let source = crate::clinic::service::setup_clinic(ctx.pool(), None)
        .await?
        .id;
    let id = crate::clinic::settings::add_branch(ctx.pool(), &by, source, &details).await?;
    crate::clinic::header::ClinicHeader::forget(&ctx.state);
    leptos_axum::redirect(&format!("/setup?clinic={id}"));
    Ok(())
}

#[component]
pub fn SetupPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::ClinicSetup><ClinicSetupView/></RequireRole> }
}

#[component]
fn ClinicSetupView() -> impl IntoView {
    let i18n = use_i18n();
    let rules_action = ServerAction::<SaveRules>::new();
    let reminders_action = ServerAction::<SaveReminderRules>::new();
    let holiday_action = ServerAction::<SaveHoliday>::new();
    let prayer_action = ServerAction::<SavePrayerBreaks>::new();
    let shift_action = ServerAction::<ShiftHoliday>::new();
    let add_ramadan = ServerAction::<AddRamadanHours>::new();
    let remove_ramadan = ServerAction::<RemoveRamadanHours>::new();
    let details_action = ServerAction::<SaveClinicDetails>::new();
    let visit_action = ServerAction::<SaveVisitType>::new();
    let branch_action = ServerAction::<AddBranch>::new();
    let week_action = ServerAction::<SaveWorkingWeek>::new();
    let specialty_action = ServerAction::<SaveSpecialty>::new();
    let closures = ClosureActions::new();
    let query = leptos_router::hooks::use_query_map();
    let setup = Resource::new(
        move || {
            (
                query.read().get("clinic").unwrap_or_default(),
                rules_action.version().get(),
                reminders_action.version().get(),
                (holiday_action.version().get(), shift_action.version().get()),
                (add_ramadan.version().get(), remove_ramadan.version().get()),
                prayer_action.version().get(),
                week_action.version().get(),
                specialty_action.version().get(),
                details_action.version().get(),
                visit_action.version().get(),
                closures.version(),
            )
        },
        |(clinic, ..)| load_clinic_setup(Some(clinic)),
    );
    view! {
        <Title text=i18n.t("setup-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("setup-title")}</h1>
        {awaited(async move {
            let s = match setup.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(s) => s,
            };
            let clinic = s.clinic_id.to_string();
            view! {
                <Branches branches=s.branches.clone() current=s.clinic_id action=branch_action/>
                <DetailsForm details=s.details.clone() clinic=clinic.clone() action=details_action/>
                <WorkingWeekForm week=s.week clinic=clinic.clone() action=week_action/>
                <RulesForm rules=s.rules.clone() clinic=clinic.clone() action=rules_action/>
                <ReminderRulesForm rules=s.reminders.clone() clinic=clinic.clone() action=reminders_action/>
                <VisitTypes list=s.visit_types.clone() clinic=clinic.clone() action=visit_action/>
                <HolidayCalendar lines=s.holidays.clone() clinic=clinic.clone() save=holiday_action shift=shift_action/>
                <RamadanHours list=s.ramadan.clone() branches=s.branches.iter().filter(|b| b.id == s.clinic_id).cloned().collect() doctor_id=String::new() add=add_ramadan remove=remove_ramadan/>
                <PrayerBreaksForm settings=s.prayer.clone() week=s.prayer_week.clone() clinic=clinic.clone() action=prayer_action/>
                <Closures list=s.closures.clone() doctor_id=String::new() clinic_id=clinic.clone() actions=closures title_key="setup-holidays"/>
                <Specialties list=s.specialties.clone() action=specialty_action/>
                <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
                    <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-doctors")}</h2>
                    <ul class="mt-3 grid gap-2" data-testid="setup-doctors">
                        {s.doctors.into_iter().map(|d| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                                <span>
                                    <span class="font-semibold">{i18n.t_with("book-doctor-title", &[("name", i18n.name(&d.name, d.latin_name.as_deref()).to_owned())])}</span>
                                    <span class="ms-2 text-sm text-slate-500">{i18n.pick(&d.specialty_ar, &d.specialty_en).to_owned()}</span>
                                </span>
                                <a href=format!("/setup/doctors/{}", d.id) class="text-teal-800 underline">{i18n.t("setup-edit-schedule")}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }.into_any()
        })}
    }
}

/// The branch switcher, and the form that opens a branch.
#[component]
fn Branches(
    branches: Vec<crate::kernel::values::Named>,
    current: Uuid,
    action: ServerAction<AddBranch>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("branch-title")}</h2>
            <nav class="mt-3 flex flex-wrap gap-2" aria-label=i18n.t("branch-title") data-testid="branches-nav">
                {branches.into_iter().map(|b| {
                    let active = b.id == current;
                    view! {
                        <a href=format!("/setup?clinic={}", b.id) aria-current=active.then_some("page")
                            class=if active { "rounded-full bg-teal-800 px-3 py-1 text-sm text-white" } else { "rounded-full border border-slate-300 px-3 py-1 text-sm text-slate-700" }>
                            {b.name(i18n.locale).to_owned()}
                        </a>
                    }
                }).collect_view()}
            </nav>
            <details class="mt-4 rounded-lg bg-teal-50 p-3" data-testid="add-branch">
                <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("branch-add")}</summary>
                <p class="mt-2 text-sm text-slate-600">{i18n.t("branch-add-hint")}</p>
                <ActionForm action=action attr:class="mt-3 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
                    <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                    <Field name="name_ar" label_key="setup-name-ar" server_error=error required=true/>
                    <Field name="name_en" label_key="setup-name-en" server_error=error required=true dir="ltr"/>
                    <Field name="address_ar" label_key="setup-address-ar" server_error=error/>
                    <Field name="address_en" label_key="setup-address-en" server_error=error dir="ltr"/>
                    <Field name="phone" label_key="setup-clinic-phone" server_error=error kind="tel" dir="ltr"/>
                    <div class="sm:col-span-2"><SubmitButton label_key="branch-add" pending=action.pending().into()/></div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn DetailsForm(
    details: Details,
    clinic: String,
    action: ServerAction<SaveClinicDetails>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let saved = saved_notice("details");
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-details")}</h2>
            {saved.then(|| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800">{i18n.t("setup-saved")}</p>
            })}
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                <input type="hidden" name="clinic_id" value=clinic/>
                <Field name="name_ar" label_key="setup-name-ar" server_error=error required=true value=details.name_ar.clone()/>
                <Field name="name_en" label_key="setup-name-en" server_error=error required=true dir="ltr" value=details.name_en.clone()/>
                <Field name="address_ar" label_key="setup-address-ar" server_error=error value=details.address_ar.clone().unwrap_or_default()/>
                <Field name="address_en" label_key="setup-address-en" server_error=error dir="ltr" value=details.address_en.clone().unwrap_or_default()/>
                <Field name="phone" label_key="setup-clinic-phone" server_error=error kind="tel" dir="ltr" value=details.phone.clone().unwrap_or_default()/>
                <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn RulesForm(rules: Rules, clinic: String, action: ServerAction<SaveRules>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let saved = saved_notice("rules");
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-rules")}</h2>
            {saved.then(|| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="rules-saved">{i18n.t("setup-saved")}</p>
            })}
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                <input type="hidden" name="clinic_id" value=clinic/>
                <Field name="timezone" label_key="setup-timezone" server_error=error dir="ltr" value=rules.timezone.clone()/>
                <Field name="booking_horizon_days" label_key="setup-horizon" server_error=error kind="number" value=rules.booking_horizon_days.to_string()/>
                <Field name="min_notice_minutes" label_key="setup-notice" server_error=error kind="number" value=rules.min_notice_minutes.to_string()/>
                <Field name="cancel_cutoff_minutes" label_key="setup-cutoff" server_error=error kind="number" value=rules.cancel_cutoff_minutes.to_string()/>
                <Field name="max_active_bookings" label_key="setup-max-active" server_error=error kind="number" value=rules.max_active_bookings.to_string()/>
                <Field name="waitlist_hold_minutes" label_key="setup-hold" server_error=error kind="number" value=rules.waitlist_hold_minutes.to_string()/>
                <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

fn riyals(halalas: i32) -> String {
    if halalas % 100 == 0 {
        (halalas / 100).to_string()
    } else {
        format!("{}.{:02}", halalas / 100, halalas % 100)
    }
}

#[component]
fn VisitTypes(
    list: Vec<VisitTypeInfo>,
    clinic: String,
    action: ServerAction<SaveVisitType>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-visit-types")}</h2>
            <ul class="mt-3 grid gap-2" data-testid="visit-types">
                {list.into_iter().map(|v| {
                    let summary = format!("{} · {} · {}", i18n.pick(&v.name_ar, &v.name_en),
                        i18n.t_with("book-minutes", &[("n", v.duration_minutes.to_string())]), price_label(i18n, v.price_halalas));
                    view! {
                        <li><details class="rounded-lg border border-slate-200 p-3">
                            <summary class="cursor-pointer">{summary}</summary>
                            <VisitTypeForm action clinic=clinic.clone() value=Some(v)/>
                        </details></li>
                    }
                }).collect_view()}
            </ul>
            <details class="mt-4 rounded-lg bg-teal-50 p-3" data-testid="add-visit-type">
                <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("setup-add-visit-type")}</summary>
                <VisitTypeForm action clinic=clinic.clone() value=None/>
            </details>
        </section>
    }
}

#[component]
fn VisitTypeForm(
    action: ServerAction<SaveVisitType>,
    clinic: String,
    value: Option<VisitTypeInfo>,
) -> impl IntoView {
    let error = action_error(action.value());
    let v = value.clone();
    let get = move |f: fn(&VisitTypeInfo) -> String| v.as_ref().map(f).unwrap_or_default();
    view! {
        <ActionForm action=action attr:class="mt-3 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
            <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
            <input type="hidden" name="id" value=value.as_ref().map(|v| v.id.to_string()).unwrap_or_default()/>
            <input type="hidden" name="clinic_id" value=clinic/>
            <Field name="name_ar" label_key="setup-name-ar" server_error=error required=true value=get(|v| v.name_ar.clone())/>
            <Field name="name_en" label_key="setup-name-en" server_error=error required=true dir="ltr" value=get(|v| v.name_en.clone())/>
            <Field name="duration_minutes" label_key="setup-duration" server_error=error kind="number" required=true value=get(|v| v.duration_minutes.to_string())/>
            <Field name="price_sar" label_key="setup-price" server_error=error inputmode="decimal" required=true value=get(|v| riyals(v.price_halalas))/>
            <Field name="buffer_before_minutes" label_key="setup-buffer-before" server_error=error kind="number" value=get(|v| v.buffer_before_minutes.to_string())/>
            <Field name="buffer_after_minutes" label_key="setup-buffer-after" server_error=error kind="number" value=get(|v| v.buffer_after_minutes.to_string())/>
            <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
        </ActionForm>
    }
}
