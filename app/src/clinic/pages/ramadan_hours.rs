//! Ramadan hours on the setup screens: a doctor's own (on their page) or the branch's default
//! (on the branch's page), as weekly intervals that may end after midnight. They are entered
//! once and apply to the days of Ramadan every year.

use crate::clinic::model::RamadanRow;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::values::Named;
use leptos::prelude::*;

/// Adds an interval; `doctor_id` empty adds to the branch's default.
#[server(endpoint = "add_ramadan_hours")]
pub async fn add_ramadan_hours(
    doctor_id: String,
    clinic_id: String,
    ramadan_weekday: String,
    ramadan_from: String,
    ramadan_until: String,
) -> Result<(), AppError> {
    use crate::clinic::domain::ramadan::RamadanHoursInput;
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let interval = RamadanHoursInput {
        weekday: ramadan_weekday,
        starts_at: ramadan_from,
        ends_at: ramadan_until,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let doctor = crate::kernel::error::optional_id(Some(&doctor_id))?;
    let clinic = crate::clinic::service::setup_clinic(ctx.pool(), Some(&clinic_id))
        .await?
        .id;
    crate::clinic::ramadan::add(ctx.pool(), &by, clinic, doctor, &interval).await?;
    back(doctor, Some(clinic));
    Ok(())
}

/// Back to the page the hours are on: the doctor's, or the branch's for its default.
#[cfg(feature = "ssr")]
fn back(doctor: Option<uuid::Uuid>, clinic: Option<uuid::Uuid>) {
    let to = match (doctor, clinic) {
        (Some(d), _) => format!("/setup/doctors/{d}?saved=ramadan"),
        (None, Some(c)) => format!("/setup?clinic={c}&saved=ramadan"),
        (None, None) => "/setup?saved=ramadan".to_owned(),
    };
    leptos_axum::redirect(&to);
}

#[server(endpoint = "remove_ramadan_hours")]
pub async fn remove_ramadan_hours(doctor_id: String, id: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let doctor = crate::kernel::error::optional_id(Some(&doctor_id))?;
    let id = crate::kernel::error::record_id(&id)?;
    let clinic = crate::clinic::ramadan::remove(ctx.pool(), &by, doctor, id).await?;
    back(doctor, Some(clinic));
    Ok(())
}

#[component]
pub fn RamadanHours(
    list: Vec<RamadanRow>,
    /// The branches the hours may be for (the doctor's, or the one branch in view).
    branches: Vec<Named>,
    /// Empty for the branch's default.
    doctor_id: String,
    add: ServerAction<AddRamadanHours>,
    remove: ServerAction<RemoveRamadanHours>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(add.value());
    let weekday = move |d: i8| i18n.t(&format!("cal-day-{d}"));
    let hint = if doctor_id.is_empty() {
        "setup-ramadan-branch-hint"
    } else {
        "setup-ramadan-doctor-hint"
    };
    let several = branches.len() > 1;
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
    let add_for = doctor_id.clone();
    let saved = super::saved_notice("ramadan");
    view! {
        <section id="ramadan-hours" class="mt-6 rounded-2xl bg-white p-5 shadow-sm" data-testid="ramadan-hours">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-ramadan")}</h2>
            <p class="mt-1 text-sm text-slate-600">{i18n.t(hint)}</p>
            {saved.then(|| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="ramadan-saved">{i18n.t("setup-saved")}</p>
            })}
            <ul class="mt-3 grid gap-2" data-testid="ramadan-list">
                {list.into_iter().map(|h| {
                    let doctor_id = doctor_id.clone();
                    let w = h.interval;
                    let night = w.end <= w.start;
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                            <span>
                                <span class="font-semibold">{weekday(w.weekday)}</span>
                                <span class="ms-2"><bdi dir="ltr">{format!("{} – {}", w.start.strftime("%H:%M"), w.end.strftime("%H:%M"))}</bdi></span>
                                {night.then(|| view! { <span class="ms-2 text-sm text-slate-500">{i18n.t("setup-ramadan-after-midnight")}</span> })}
                                {several.then(|| view! { <span class="ms-2 text-sm text-teal-800">{branch_name(h.clinic_id)}</span> })}
                            </span>
                            <ActionForm action=remove>
                                <input type="hidden" name="doctor_id" value=doctor_id/>
                                <input type="hidden" name="id" value=h.id.to_string()/>
                                <button type="submit" class="text-sm text-rose-700 underline">{i18n.t("setup-remove")}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <details class="mt-4 rounded-lg bg-teal-50 p-3" data-testid="add-ramadan">
                <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("setup-ramadan-add")}</summary>
                <ActionForm action=add attr:class="mt-3 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
                    <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                    <input type="hidden" name="doctor_id" value=add_for/>
                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("branch-label")}
                        <select name="clinic_id" id="input-ramadan_branch" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                            {branches.iter().map(|b| view! { <option value=b.id.to_string()>{b.name(i18n.locale).to_owned()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("setup-weekday")}
                        <select name="ramadan_weekday" id="input-ramadan_weekday" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                            {(0..7).map(|d| view! { <option value=d.to_string()>{weekday(d)}</option> }).collect_view()}
                        </select>
                    </label>
                    <Field name="ramadan_from" label_key="setup-starts" server_error=error kind="time" required=true/>
                    <Field name="ramadan_until" label_key="setup-ends" hint_key="setup-ramadan-end-hint" server_error=error kind="time" required=true/>
                    <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=add.pending().into()/></div>
                </ActionForm>
            </details>
        </section>
    }
}
