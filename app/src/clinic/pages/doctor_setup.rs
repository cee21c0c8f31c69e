//! One doctor's schedule: the visit types they offer, their weekly hours (several intervals a
//! day, and dated overrides), their Ramadan hours and their leave.

use crate::clinic::model::ClosureRow;
use crate::clinic::model::HoursRow;
use crate::clinic::model::VisitTypeInfo;
use crate::clinic::pages::closures::ClosureActions;
use crate::clinic::pages::closures::Closures;
use crate::clinic::pages::ramadan_hours::{AddRamadanHours, RamadanHours, RemoveRamadanHours};
use crate::clinic::pages::setup::DoctorLine;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::gregorian_label;
use crate::kernel::ui::when::price_label;
use crate::kernel::values::Named;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoctorSetup {
    pub doctor: DoctorLine,
    pub specialty_id: uuid::Uuid,
    /// Every specialty, to move the doctor to another.
    pub specialties: Vec<Named>,
    pub sex: Option<String>,
    pub languages: Vec<String>,
    pub bio_ar: Option<String>,
    pub bio_en: Option<String>,
    /// Every branch, with whether the doctor works there.
    pub branches: Vec<(Named, bool)>,
    /// The visit types of each branch the doctor works at, marked when offered.
    pub offered: Vec<(Named, Vec<VisitTypeInfo>)>,
    pub hours: Vec<HoursRow>,
    pub ramadan: Vec<crate::clinic::model::RamadanRow>,
    pub leave: Vec<ClosureRow>,
}

#[server(endpoint = "doctor_setup")]
pub async fn load_doctor_setup(doctor_id: String) -> Result<DoctorSetup, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    ctx.require(crate::kernel::access::Area::ClinicSetup)
        .await?;
    let id = crate::kernel::error::record_id(&doctor_id)?;
    let d = crate::clinic::service::find_doctor(ctx.pool(), id).await?;
    let rules = crate::clinic::db::doctors::clinic_rules(ctx.pool(), d.clinic_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = rules.tz()?;
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let branches = crate::clinic::db::clinics::doctor_branches(ctx.pool(), d.id).await?;
    let mut offered = vec![];
    for (branch, _) in branches.iter().filter(|(_, works)| *works) {
        let types =
            crate::clinic::db::setup::visit_types(ctx.pool(), branch.id, Some(d.id)).await?;
        offered.push((branch.clone(), types));
    }
    Ok(DoctorSetup {
        branches,
        offered,
        hours: crate::clinic::db::setup::hours(ctx.pool(), d.id).await?,
        ramadan: crate::clinic::db::ramadan::list(ctx.pool(), None, Some(d.id)).await?,
        leave: crate::clinic::db::setup::closures(ctx.pool(), d.clinic_id, Some(d.id), today)
            .await?,
        specialty_id: d.specialty_id,
        specialties: crate::clinic::db::clinics::specialties(ctx.pool()).await?,
        sex: d.sex,
        languages: d.languages,
        bio_ar: d.bio_ar,
        bio_en: d.bio_en,
        doctor: DoctorLine {
            id: d.id,
            name: d.name_ar,
            latin_name: d.latin_name,
            specialty_ar: d.specialty_ar,
            specialty_en: d.specialty_en,
        },
    })
}

#[server(endpoint = "offer_visit_type")]
pub async fn offer_visit_type(
    doctor_id: String,
    visit_type_id: String,
    offered: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let doctor = crate::kernel::error::record_id(&doctor_id)?;
    let visit = crate::kernel::error::record_id(&visit_type_id)?;
    let offered = crate::kernel::error::parse_flag(&offered)?;
    Ok(crate::clinic::doctors::offer_visit_type(ctx.pool(), &by, doctor, visit, offered).await?)
}

/// The language boxes arrive one field each; a ticked box sends "on".
#[server(endpoint = "save_doctor_profile")]
#[allow(clippy::too_many_arguments)]
pub async fn save_doctor_profile(
    doctor_id: String,
    sex: String,
    lang_ar: Option<String>,
    lang_en: Option<String>,
    lang_ur: Option<String>,
    lang_hi: Option<String>,
    lang_tl: Option<String>,
    bio_ar: String,
    bio_en: String,
    specialty_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::profiles::ProfileInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    // Absent keeps the doctor's specialty; anything sent must be one that exists.
    let specialty = match crate::kernel::error::optional_id(specialty_id.as_deref()) {
        Ok(None) => None,
        Ok(Some(id))
            if crate::clinic::service::specialties(ctx.pool())
                .await?
                .iter()
                .any(|s| s.id == id) =>
        {
            Some(id)
        }
        _ => return Err(AppError::field("specialty_id", "err-specialty-unknown")),
    };
    let mut languages = vec![];
    for (code, tick) in [
        ("ar", lang_ar),
        ("en", lang_en),
        ("ur", lang_ur),
        ("hi", lang_hi),
        ("tl", lang_tl),
    ] {
        if crate::kernel::error::parse_tick(tick.as_deref())? {
            languages.push(code.to_owned());
        }
    }
    let profile = ProfileInput {
        sex,
        languages,
        bio_ar,
        bio_en,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let doctor = crate::kernel::error::record_id(&doctor_id)?;
    Ok(crate::clinic::doctors::save_profile(ctx.pool(), &by, doctor, &profile, specialty).await?)
}

#[server(endpoint = "add_hours")]
pub async fn add_hours(
    doctor_id: String,
    weekday: String,
    starts_at: String,
    ends_at: String,
    valid_from: String,
    valid_until: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::setup::HoursInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let interval = HoursInput {
        weekday,
        starts_at,
        ends_at,
        valid_from,
        valid_until,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let doctor = crate::kernel::error::record_id(&doctor_id)?;
    let clinic = crate::kernel::error::optional_id(clinic_id.as_deref())?;
    Ok(crate::clinic::doctors::add_hours(ctx.pool(), &by, doctor, clinic, &interval).await?)
}

/// Adds a doctor to a branch or takes them off one. Their last branch stays, and a branch
/// where they still have hours cannot be left until those hours are removed.
#[server(endpoint = "set_doctor_branch")]
pub async fn set_doctor_branch(
    doctor_id: String,
    clinic_id: String,
    works: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let doctor = crate::kernel::error::record_id(&doctor_id)?;
    let clinic = crate::kernel::error::record_id(&clinic_id)?;
    let works = crate::kernel::error::parse_flag(&works)?;
    Ok(crate::clinic::doctors::set_branch(ctx.pool(), &by, doctor, clinic, works).await?)
}

/// Removes one interval of hours; returns how many booked visits to come fell in it (they stay
/// booked: the desk contacts the patients).
#[server(endpoint = "remove_hours")]
pub async fn remove_hours(doctor_id: String, id: String) -> Result<i64, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let doctor = crate::kernel::error::record_id(&doctor_id)?;
    let id = crate::kernel::error::record_id(&id)?;
    let booked = crate::clinic::doctors::remove_hours(ctx.pool(), &by, doctor, id).await?;
    // The count reaches the page through the address (see `saved_count`).
    leptos_axum::redirect(&format!(
        "/setup/doctors/{doctor}?saved=hours&booked={booked}"
    ));
    Ok(booked)
}

#[component]
pub fn DoctorSetupPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::ClinicSetup><DoctorSetupView/></RequireRole> }
}

#[component]
fn DoctorSetupView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let offer = ServerAction::<OfferVisitType>::new();
    let profile = ServerAction::<SaveDoctorProfile>::new();
    let add = ServerAction::<AddHours>::new();
    let remove = ServerAction::<RemoveHours>::new();
    let leave = ClosureActions::new();
    let branch = ServerAction::<SetDoctorBranch>::new();
    let add_ramadan = ServerAction::<AddRamadanHours>::new();
    let remove_ramadan = ServerAction::<RemoveRamadanHours>::new();
    let setup = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                branch.version().get(),
                offer.version().get(),
                profile.version().get(),
                add.version().get(),
                remove.version().get(),
                (add_ramadan.version().get(), remove_ramadan.version().get()),
                leave.version(),
            )
        },
        |(id, ..)| load_doctor_setup(id),
    );
    let offer_error = action_error(offer.value());
    let branch_error = action_error(branch.value());
    view! {
        <Title text=i18n.t("setup-schedule")/>
        {awaited(async move {
            let s = match setup.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(s) => s,
            };
            let doctor_id = s.doctor.id.to_string();
            let name = i18n.name(&s.doctor.name, s.doctor.latin_name.as_deref()).to_owned();
            view! {
                <a href="/setup" class="text-sm text-teal-800 underline">{i18n.t("setup-title")}</a>
                <h1 class="mt-1 text-2xl font-bold text-teal-900">{i18n.t_with("setup-schedule-of", &[("name", name)])}</h1>
                <ProfileForm setup=s.clone() action=profile/>
                <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
                    <h2 class="text-lg font-bold text-teal-900">{i18n.t("branch-doctor-works")}</h2>
                    <ErrorSummary error=branch_error/>
                    <ul class="mt-3 flex flex-wrap gap-2" data-testid="doctor-branches">
                        {s.branches.clone().into_iter().map(|(b, works)| { let doctor_id = doctor_id.clone(); view! {
                            <li>
                                <ActionForm action=branch>
                                    <input type="hidden" name="doctor_id" value=doctor_id.clone()/>
                                    <input type="hidden" name="clinic_id" value=b.id.to_string()/>
                                    <input type="hidden" name="works" value=(!works).to_string()/>
                                    <button type="submit" data-works=works.to_string() aria-pressed=works.to_string()
                                        class=if works { "rounded-full bg-teal-700 px-3 py-1 text-sm text-white" } else { "rounded-full border border-slate-300 px-3 py-1 text-sm text-slate-600" }>
                                        {b.name(i18n.locale).to_owned()}
                                    </button>
                                </ActionForm>
                            </li>
                        }}).collect_view()}
                    </ul>
                </section>
                <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
                    <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-offered")}</h2>
                    <ErrorSummary error=offer_error/>
                    {s.offered.clone().into_iter().map(|(b, list)| { let doctor_id = doctor_id.clone(); view! {
                    <h3 class="mt-3 text-sm font-semibold text-slate-500">{b.name(i18n.locale).to_owned()}</h3>
                    <ul class="mt-2 grid gap-2" data-testid="offered">
                        {list.into_iter().map(|v| { let doctor_id = doctor_id.clone(); view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                                <span>{i18n.pick(&v.name_ar, &v.name_en).to_owned()}" · "{price_label(i18n, v.price_halalas)}</span>
                                <ActionForm action=offer>
                                    <input type="hidden" name="doctor_id" value=doctor_id.clone()/>
                                    <input type="hidden" name="visit_type_id" value=v.id.to_string()/>
                                    <input type="hidden" name="offered" value=(!v.offered).to_string()/>
                                    <button type="submit" data-offered=v.offered.to_string()
                                        class=if v.offered { "rounded-full bg-teal-700 px-3 py-1 text-sm text-white" } else { "rounded-full border border-slate-300 px-3 py-1 text-sm text-slate-600" }>
                                        {i18n.t(if v.offered { "setup-offered-yes" } else { "setup-offered-no" })}
                                    </button>
                                </ActionForm>
                            </li>
                        }}).collect_view()}
                    </ul>
                    }}).collect_view()}
                </section>
                <Hours list=s.hours branches=s.offered.iter().map(|(b, _)| b.clone()).collect() doctor_id=doctor_id.clone() add remove/>
                <RamadanHours list=s.ramadan branches=s.offered.iter().map(|(b, _)| b.clone()).collect() doctor_id=doctor_id.clone() add=add_ramadan remove=remove_ramadan/>
                <Closures list=s.leave doctor_id clinic_id=String::new() actions=leave title_key="setup-leave"/>
            }.into_any()
        })}
    }
}

#[component]
fn Hours(
    list: Vec<HoursRow>,
    /// The branches the doctor works at.
    branches: Vec<Named>,
    doctor_id: String,
    add: ServerAction<AddHours>,
    remove: ServerAction<RemoveHours>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(add.value());
    let weekday = move |d: i8| i18n.t(&format!("cal-day-{d}"));
    let add_for = doctor_id.clone();
    let several = branches.len() > 1;
    let stranded = super::saved_count("hours").filter(|n| *n > 0);
    let branch_name = {
        let branches = branches.clone();
        move |id: uuid::Uuid| {
            branches
                .iter()
                .find(|b| b.id == id)
                .map(|b| b.name(i18n.locale).to_owned())
                .unwrap_or_default()
        }
    };
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-hours")}</h2>
            {stranded.map(|n| view! {
                <p role="status" class="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-amber-900" data-testid="hours-warning">
                    {i18n.t_with("setup-hours-booked", &[("n", n.to_string())])}
                </p>
            })}
            <ul class="mt-3 grid gap-2" data-testid="hours">
                {list.into_iter().map(|h| {
                    let doctor_id = doctor_id.clone();
                    let w = h.interval;
                    let range = match (w.valid_from, w.valid_until) {
                        (Some(f), Some(u)) => i18n.t_with("setup-hours-override", &[("from", gregorian_label(i18n, f)), ("until", gregorian_label(i18n, u))]),
                        _ => i18n.t("setup-hours-regular"),
                    };
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                            <span>
                                <span class="font-semibold">{weekday(w.weekday)}</span>
                                <span class="ms-2"><bdi dir="ltr">{format!("{} – {}", w.start.strftime("%H:%M"), w.end.strftime("%H:%M"))}</bdi></span>
                                <span class="ms-2 text-sm text-slate-500">{range}</span>
                                {several.then(|| view! { <span class="ms-2 text-sm text-teal-800">{branch_name(h.clinic_id)}</span> })}
                                {(!h.branch_open).then(|| view! { <span class="block text-sm text-amber-800" data-testid="hours-closed-day">{i18n.t("setup-hours-closed-day")}</span> })}
                            </span>
                            <ActionForm action=remove>
                                <input type="hidden" name="doctor_id" value=doctor_id.clone()/>
                                <input type="hidden" name="id" value=h.id.to_string()/>
                                <button type="submit" class="text-sm text-rose-700 underline">{i18n.t("setup-remove")}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <details class="mt-4 rounded-lg bg-teal-50 p-3" data-testid="add-hours">
                <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("setup-add-hours")}</summary>
                <ActionForm action=add attr:class="mt-3 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
                    <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                    <input type="hidden" name="doctor_id" value=add_for/>
                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700 sm:col-span-2">{i18n.t("branch-label")}
                        <select name="clinic_id" id="input-branch" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                            {branches.iter().map(|b| view! { <option value=b.id.to_string()>{b.name(i18n.locale).to_owned()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("setup-weekday")}
                        <select name="weekday" id="input-weekday" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                            {(0..7).map(|d| view! { <option value=d.to_string()>{weekday(d)}</option> }).collect_view()}
                        </select>
                    </label>
                    <div></div>
                    <Field name="starts_at" label_key="setup-starts" server_error=error kind="time" required=true/>
                    <Field name="ends_at" label_key="setup-ends" server_error=error kind="time" required=true/>
                    <Field name="valid_from" label_key="setup-valid-from" server_error=error kind="date" hint_key="setup-valid-hint"/>
                    <Field name="valid_until" label_key="setup-valid-until" server_error=error kind="date"/>
                    <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=add.pending().into()/></div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn ProfileForm(setup: DoctorSetup, action: ServerAction<SaveDoctorProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let field_error = move |field: &'static str| {
        move || {
            error.get().and_then(|e| {
                e.field_errors()
                    .and_then(|f| f.for_field(field))
                    .map(|k| i18n.t(k))
            })
        }
    };
    let sex = setup.sex.clone().unwrap_or_default();
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-profile")}</h2>
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <input type="hidden" name="doctor_id" value=setup.doctor.id.to_string()/>
                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("field-sex")}
                    <select name="sex" id="input-doctor-sex" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                        <option value="">{i18n.t("field-choose")}</option>
                        <option value="female" selected=sex == "female">{i18n.t("field-sex-female")}</option>
                        <option value="male" selected=sex == "male">{i18n.t("field-sex-male")}</option>
                    </select>
                    <span class="text-sm font-normal text-rose-700" role="alert">{field_error("sex")}</span>
                </label>
                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("admin-col-specialty")}
                    <select name="specialty_id" id="input-doctor-specialty" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                        {setup.specialties.iter().map(|sp| view! {
                            <option value=sp.id.to_string() selected=sp.id == setup.specialty_id>{sp.name(i18n.locale).to_owned()}</option>
                        }).collect_view()}
                    </select>
                    <span class="text-sm font-normal text-rose-700" role="alert">{field_error("specialty_id")}</span>
                </label>
                <fieldset class="flex flex-col gap-1">
                    <legend class="text-sm font-semibold text-slate-700">{i18n.t("setup-languages")}</legend>
                    <div class="flex flex-wrap gap-3">
                        {crate::clinic::domain::profiles::LANGUAGES.iter().map(|code| view! {
                            <label class="flex items-center gap-1 text-sm">
                                <input type="checkbox" name=format!("lang_{code}") checked=setup.languages.iter().any(|l| l == code) class="size-4"/>
                                {i18n.t(&format!("language-{code}"))}
                            </label>
                        }).collect_view()}
                    </div>
                    <span class="text-sm text-rose-700" role="alert">{field_error("languages")}</span>
                </fieldset>
                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("setup-bio-ar")}
                    <textarea name="bio_ar" rows="3" maxlength="600" class="rounded-lg border border-slate-300 px-3 py-2 text-base font-normal">{setup.bio_ar.clone().unwrap_or_default()}</textarea>
                </label>
                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("setup-bio-en")}
                    <textarea name="bio_en" rows="3" maxlength="600" dir="ltr" class="rounded-lg border border-slate-300 px-3 py-2 text-base font-normal">{setup.bio_en.clone().unwrap_or_default()}</textarea>
                </label>
                <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
