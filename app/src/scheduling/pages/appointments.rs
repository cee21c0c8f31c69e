//! A patient's appointments, one appointment's page, and the status changes on it.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::price_label;
use crate::kernel::ui::when::When;
use crate::scheduling::actions::ChangeAppointment;
use crate::scheduling::domain::appointment::Status;
use crate::scheduling::model::AppointmentView;
use crate::scheduling::pages::waitlist::MyWaitlist;
use crate::scheduling::pages::waitlist::Offers;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(endpoint = "my_appointments")]
pub async fn my_appointments() -> Result<Vec<AppointmentView>, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    Ok(crate::scheduling::db::schedule::patient_appointments(ctx.pool(), user.id).await?)
}

#[server(endpoint = "appointment_detail")]
pub async fn appointment_detail(id: String) -> Result<AppointmentView, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::AnyAccount).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let view = crate::scheduling::db::schedule::appointment(ctx.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Someone else's appointment is reported as missing, so ids cannot be probed.
    crate::kernel::access::read_appointment(
        &mut *ctx.pool().acquire().await?,
        crate::kernel::access::Read {
            user: &user,
            ip: ctx.ip,
            action: "appointment.read",
            subject: ("appointment", id),
            patient_id: view.patient_id,
        },
        view.parties(),
    )
    .await?;
    Ok(view)
}

#[component]
pub fn MyAppointmentsPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::PatientSelf><MyAppointments/></RequireRole> }
}

#[component]
fn MyAppointments() -> impl IntoView {
    let i18n = use_i18n();
    let respond = ServerAction::<ChangeAppointment>::new();
    let list = Resource::new(move || respond.version().get(), |_| my_appointments());
    let respond_error = action_error(respond.value());
    let query = use_query_map();
    let joined = query.with_untracked(|q| q.get("joined").is_some());
    view! {
        <Title text=i18n.t("appt-mine-title")/>
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("appt-mine-title")}</h1>
            <a href="/doctors" class="rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white">{i18n.t("nav-book")}</a>
        </div>
        {joined.then(|| view! {
            <p role="status" data-testid="waitlist-joined" class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">{i18n.t("wait-joined")}</p>
        })}
        {awaited(async move {
            match list.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(all) => {
                    let now = jiff::Timestamp::now();
                    let (offers, all): (Vec<_>, Vec<_>) = all.into_iter().partition(|a| a.status == Status::Held);
                    let (upcoming, past): (Vec<_>, Vec<_>) = all.into_iter().partition(|a| a.end > now && a.status.is_active());
                    let mut upcoming = upcoming;
                    upcoming.sort_by_key(|a| a.start);
                    view! {
                        <ErrorSummary error=respond_error/>
                        <Offers offers respond/>
                        <h2 class="mt-6 font-semibold text-slate-800">{i18n.t("appt-upcoming")}</h2>
                        <AppointmentList items=upcoming testid="upcoming"/>
                        <h2 class="mt-8 font-semibold text-slate-800">{i18n.t("appt-past")}</h2>
                        <AppointmentList items=past testid="past"/>
                    }.into_any()
                }
            }
        })}
        <MyWaitlist/>
    }
}

/// The next few visits to come, for the patient's home page.
#[component]
pub fn NextAppointments() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| my_appointments());
    view! {
        <section class="mt-8" data-testid="next-appointments">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="font-semibold text-slate-800">{i18n.t("appt-upcoming")}</h2>
                <a href="/doctors" class="rounded-lg bg-teal-700 px-4 py-2 text-sm font-semibold text-white">{i18n.t("nav-book")}</a>
            </div>
            {awaited(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(all) => {
                        let now = jiff::Timestamp::now();
                        let mut next: Vec<_> = all.into_iter()
                            .filter(|a| a.status != Status::Held && a.end > now && a.status.is_active())
                            .collect();
                        next.sort_by_key(|a| a.start);
                        next.truncate(3);
                        view! { <AppointmentList items=next testid="upcoming-next"/> }.into_any()
                    }
                }
            })}
        </section>
    }
}

#[component]
fn AppointmentList(items: Vec<AppointmentView>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="mt-2 text-slate-500" data-testid=format!("{testid}-empty")>{i18n.t("appt-none")}</p> }.into_any();
    }
    view! {
        <ul class="mt-3 grid gap-3" data-testid=testid>
            {items.into_iter().map(|a| view! {
                <li>
                    <a href=format!("/appointments/{}", a.id) class="flex flex-wrap items-center justify-between gap-3 rounded-2xl bg-white p-4 shadow-sm hover:ring-2 hover:ring-teal-600/30">
                        <When start=a.start tz=a.timezone.clone()/>
                        <div class="text-start">
                            <p class="font-semibold">{doctor_title(&a)}</p>
                            <p class="text-sm text-slate-500" data-patient=a.patient_id.to_string()>{a.patient_name.clone()}</p>
                            <p class="text-sm text-slate-500">{i18n.pick(&a.specialty_ar, &a.specialty_en).to_owned()}</p>
                        </div>
                        <span class="rounded-full bg-slate-100 px-3 py-1 text-sm" data-status=format!("{:?}", a.status)>{i18n.t(a.status.label_key())}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }.into_any()
}

fn doctor_title(a: &AppointmentView) -> String {
    let i18n = use_i18n();
    let name = i18n
        .name(&a.doctor_name, a.doctor_latin.as_deref())
        .to_owned();
    i18n.t_with("book-doctor-title", &[("name", name)])
}

#[component]
pub fn AppointmentPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::AnyAccount><AppointmentDetail/></RequireRole> }
}

#[component]
fn AppointmentDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let change = ServerAction::<ChangeAppointment>::new();
    let detail = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                change.version().get(),
            )
        },
        |(id, _)| appointment_detail(id),
    );
    let error = action_error(change.value());
    let booked = query.with_untracked(|q| q.get("booked").is_some());
    view! {
        <Title text=i18n.t("appt-detail-title")/>
        {awaited(async move {
            let a = match detail.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(a) => a,
            };
            let can_cancel = a.status.is_active() && a.status != crate::scheduling::domain::appointment::Status::InConsultation;
            let reschedule = format!("/doctors/{}?replaces={}", a.doctor_id, a.id);
            view! {
                <section class="mx-auto max-w-xl rounded-2xl bg-white p-5 shadow-sm sm:p-8" data-testid="appointment">
                    {booked.then(|| view! {
                        <p role="status" data-testid="booked" class="mb-4 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">{i18n.t("appt-booked")}</p>
                    })}
                    <h1 class="text-2xl font-bold text-teal-900">{i18n.t("appt-detail-title")}</h1>
                    <dl class="mt-4 grid gap-3">
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-when")}</dt><dd><When start=a.start tz=a.timezone.clone()/></dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-doctor")}</dt><dd class="font-semibold">{doctor_title(&a)}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-clinic")}</dt><dd>{i18n.pick(&a.clinic_ar, &a.clinic_en).to_owned()}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-visit-type")}</dt><dd>{i18n.pick(&a.visit_ar, &a.visit_en).to_owned()}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-price")}</dt><dd>{price_label(i18n, a.price_halalas)}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("appt-status")}</dt><dd data-testid="status">{i18n.t(a.status.label_key())}</dd></div>
                    </dl>
                    <a href=format!("/appointments/{}/calendar.ics", a.id) class="mt-4 inline-block text-teal-800 underline" download="">{i18n.t("appt-add-to-calendar")}</a>
                    {can_cancel.then(|| view! {
                        <div class="mt-6 flex flex-col gap-3 border-t border-slate-100 pt-4">
                            <a href=reschedule class="self-start rounded-lg border border-teal-700 px-4 py-2 font-semibold text-teal-800" data-testid="reschedule">{i18n.t("appt-reschedule")}</a>
                            <ActionForm action=change attr:class="flex flex-col gap-2">
                                <ErrorSummary error=error/>
                                <input type="hidden" name="id" value=a.id.to_string()/>
                                <input type="hidden" name="action" value="cancel"/>
                                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("appt-cancel-reason")}
                                    <input name="reason" id="input-cancel-reason" required=true maxlength="500" class="rounded-lg border border-slate-300 px-3 py-2 text-base font-normal"/>
                                </label>
                                <button type="submit" class="self-start rounded-lg bg-rose-700 px-4 py-2 font-semibold text-white" data-testid="cancel">{i18n.t("appt-cancel")}</button>
                            </ActionForm>
                        </div>
                    })}
                </section>
            }.into_any()
        })}
    }
}
