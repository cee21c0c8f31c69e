//! Joining a doctor's (or a specialty's) waitlist, and the offers it brings.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::shell_data::ShellData;
use crate::kernel::ui::when::gregorian_label;
use crate::kernel::ui::when::hijri_label;
use crate::kernel::ui::when::time_label;
use crate::kernel::ui::when::When;
use crate::kernel::values::Role;
use crate::scheduling::actions::ChangeAppointment;
use crate::scheduling::model::AppointmentView;
use crate::scheduling::model::WaitlistView;
use crate::scheduling::pages::family_choice::{family_choices, PatientChoice};
use leptos::prelude::*;

#[server(endpoint = "join_waitlist")]
pub async fn join_waitlist(
    doctor_id: String,
    from: String,
    until: String,
    any_doctor: Option<String>,
    patient_id: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::scheduling::waitlist::JoinRequest;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Booking).await?;
    let patient_id =
        crate::kernel::access::patient_for(&mut *ctx.pool().acquire().await?, &user, &patient_id)
            .await?;
    let doctor_id = crate::kernel::error::parse_id(&doctor_id)?;
    crate::scheduling::waitlist::join(
        ctx.pool(),
        &user,
        ctx.ip,
        JoinRequest {
            patient_id,
            doctor_id,
            clinic_id: crate::kernel::error::optional_id(clinic_id.as_deref())?,
            any_doctor: crate::kernel::error::parse_tick(any_doctor.as_deref())?,
            from,
            until,
        },
    )
    .await?;
    // The patient's appointments page lists the wish, with or without JavaScript.
    leptos_axum::redirect("/me/appointments?joined=1");
    Ok(())
}

#[server(endpoint = "leave_waitlist")]
pub async fn leave_waitlist(id: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    let id = crate::kernel::error::record_id(&id)?;
    Ok(crate::scheduling::waitlist::leave(ctx.pool(), &user, ctx.ip, id).await?)
}

#[server(endpoint = "my_waitlist")]
pub async fn my_waitlist() -> Result<Vec<WaitlistView>, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    Ok(crate::scheduling::db::waitlist::entries_for(ctx.pool(), user.id).await?)
}

/// Offered on a doctor's page to patients: wait for a time on these dates.
#[component]
pub fn JoinWaitlist(doctor_id: String, clinic_id: String, prominent: bool) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>().0;
    let action = ServerAction::<JoinWaitlist>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let doctor_id = StoredValue::new(doctor_id);
    let clinic_id = StoredValue::new(clinic_id);
    let family = family_choices();
    view! {
        {awaited(async move {
            let is_patient = shell.await.ok().and_then(|s| s.user).is_some_and(|u| u.role == Role::Patient);
            let members = family.await;
            is_patient.then(|| view! {
                <details class="mt-6 rounded-2xl bg-white p-5 shadow-sm" open=prominent data-testid="waitlist">
                    <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("wait-title")}</summary>
                    <p class="mt-2 text-sm text-slate-600">{i18n.t("wait-lead")}</p>
                    <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                        <div class="sm:col-span-2"><ErrorSummary error=summary/></div>
                        <input type="hidden" name="doctor_id" value=doctor_id.get_value()/>
                        <input type="hidden" name="clinic_id" value=clinic_id.get_value()/>
                        <Field name="from" label_key="wait-from" server_error=error kind="date" required=true/>
                        <Field name="until" label_key="wait-until" server_error=error kind="date" required=true/>
                        <label class="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
                            <input type="checkbox" name="any_doctor" value="on" class="size-4"/>
                            {i18n.t("wait-any-doctor")}
                        </label>
                        <div class="sm:col-span-2"><PatientChoice members=members.clone()/></div>
                        <div class="sm:col-span-2"><SubmitButton label_key="wait-submit" pending=action.pending().into()/></div>
                    </ActionForm>
                </details>
            })
        })}
    }
}

/// Held times offered to the patient, each with its deadline, to accept or decline.
#[component]
pub fn Offers(
    offers: Vec<AppointmentView>,
    respond: ServerAction<ChangeAppointment>,
) -> impl IntoView {
    let i18n = use_i18n();
    if offers.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="mt-6 rounded-2xl border-2 border-amber-300 bg-amber-50 p-4" data-testid="offers">
            <h2 class="font-semibold text-amber-900">{i18n.t("wait-offers")}</h2>
            <ul class="mt-3 grid gap-3">
                {offers.into_iter().map(|o| {
                    let deadline = o.hold_expires_at.map(|t| time_label(i18n, t, &o.timezone)).unwrap_or_default();
                    let doctor = i18n.name(&o.doctor_name, o.doctor_latin.as_deref()).to_owned();
                    view! {
                        <li class="rounded-xl bg-white p-4 shadow-sm" data-offer=o.id.to_string()>
                            <p class="font-semibold">{i18n.t_with("book-doctor-title", &[("name", doctor)])}" · "{o.patient_name.clone()}</p>
                            <When start=o.start tz=o.timezone.clone()/>
                            <p class="mt-1 text-sm text-amber-900">{i18n.t_with("wait-hold-until", &[("time", deadline)])}</p>
                            <div class="mt-3 flex flex-wrap gap-2">
                                <ActionForm action=respond>
                                    <input type="hidden" name="id" value=o.id.to_string()/>
                                    <input type="hidden" name="action" value="accept_offer"/>
                                    <input type="hidden" name="reason" value=""/>
                                    <button type="submit" class="rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white" data-testid="accept-offer">{i18n.t("wait-accept")}</button>
                                </ActionForm>
                                <ActionForm action=respond>
                                    <input type="hidden" name="id" value=o.id.to_string()/>
                                    <input type="hidden" name="action" value="decline_offer"/>
                                    <input type="hidden" name="reason" value=""/>
                                    <button type="submit" class="rounded-lg border border-slate-300 px-4 py-2 font-semibold text-slate-700" data-testid="decline-offer">{i18n.t("wait-decline")}</button>
                                </ActionForm>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }.into_any()
}

/// The patient's open wishes, each with a way out.
#[component]
pub fn MyWaitlist() -> impl IntoView {
    let i18n = use_i18n();
    let leave = ServerAction::<LeaveWaitlist>::new();
    let entries = Resource::new(move || leave.version().get(), |_| my_waitlist());
    view! {
        {awaited(async move {
            let list = entries.await.unwrap_or_default();
            (!list.is_empty()).then(|| view! {
                <h2 class="mt-8 font-semibold text-slate-800">{i18n.t("wait-mine")}</h2>
                <ul class="mt-3 grid gap-2" data-testid="my-waitlist">
                    {list.into_iter().map(|e| {
                        let whom = match &e.doctor_name {
                            Some(name) => i18n.t_with("book-doctor-title", &[("name", i18n.name(name, e.doctor_latin.as_deref()).to_owned())]),
                            None => i18n.t_with("wait-any-of", &[("specialty", i18n.pick(&e.specialty_ar, &e.specialty_en).to_owned())]),
                        };
                        let range = format!("{} – {}", gregorian_label(i18n, e.from), gregorian_label(i18n, e.until));
                        let hijri = format!("{} – {}", hijri_label(i18n, e.from), hijri_label(i18n, e.until));
                        view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-white p-4 shadow-sm">
                                <div class="text-start">
                                    <p class="font-semibold">{whom}" · "{e.patient_name.clone()}</p>
                                    <p class="text-sm text-slate-500">{range}</p>
                                    <p class="text-xs text-slate-500">{hijri}</p>
                                </div>
                                <ActionForm action=leave>
                                    <input type="hidden" name="id" value=e.id.to_string()/>
                                    <button type="submit" class="text-sm text-rose-700 underline" data-testid="leave-waitlist">{i18n.t("wait-leave")}</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })
        })}
    }
}
