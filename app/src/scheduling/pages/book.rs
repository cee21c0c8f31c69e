//! Confirming a booking: what, when (both calendars), with whom, where, for how much.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::when::price_label;
use crate::kernel::ui::when::When;
use crate::scheduling::pages::doctor::load_doctor_calendar;
use crate::scheduling::pages::family_choice::family_choices;
use crate::scheduling::pages::family_choice::PatientChoice;
use jiff::Timestamp;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "book_appointment")]
pub async fn book_appointment(
    doctor_id: String,
    visit_type_id: String,
    start: String,
    reason: String,
    note: String,
    rescheduled_from: String,
    patient_id: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::kernel::values::TextRule;
    use crate::scheduling::booking::BookingRequest;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Booking).await?;
    let patient_id =
        crate::kernel::access::patient_for(&mut *ctx.pool().acquire().await?, &user, &patient_id)
            .await?;
    let bad = |field: &str, key: &str| AppError::field(field, key);
    let doctor_id = crate::kernel::error::parse_id(&doctor_id)?;
    let visit_type_id = crate::kernel::error::parse_id(&visit_type_id)?;
    let start: Timestamp = start.trim().parse().map_err(|_| AppError::BadRequest)?;
    let reason = TextRule::line(500)
        .parse(&reason)
        .map_err(|k| bad("reason", k))?;
    let note = TextRule::lines(1000)
        .parse(&note)
        .map_err(|k| bad("note", k))?;
    let rescheduled_from = match rescheduled_from.trim() {
        "" => None,
        id => Some(crate::kernel::error::parse_id(id)?),
    };
    let clinic_id = crate::kernel::error::optional_id(clinic_id.as_deref())?;
    let cache = crate::scheduling::cache::ScheduleCache::of(&ctx.state)?;
    let id = crate::scheduling::booking::book(
        ctx.pool(),
        &cache,
        &user,
        ctx.ip,
        BookingRequest {
            doctor_id,
            clinic_id,
            visit_type_id,
            start,
            patient_id,
            reason,
            note,
            rescheduled_from,
            family_cap: Some(ctx.state.config.max_family_active_bookings),
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/appointments/{id}?booked=1"));
    Ok(())
}

#[component]
pub fn BookPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::Booking><ConfirmBooking/></RequireRole> }
}

#[component]
fn ConfirmBooking() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let calendar = Resource::new(
        move || (param("doctor"), param("clinic"), param("visit")),
        |(doctor, clinic, visit)| {
            load_doctor_calendar(doctor, Some(clinic), visit, String::new(), None)
        },
    );
    // At the desk: whose appointment this is.
    let booking_for = Resource::new(
        move || param("for"),
        |patient| async move {
            if patient.is_empty() {
                Ok(None)
            } else {
                crate::patients::api::patient_brief(patient).await.map(Some)
            }
        },
    );
    let family = family_choices();
    let action = ServerAction::<BookAppointment>::new();
    let error = action_error(action.value());
    view! {
        <Title text=i18n.t("book-confirm-title")/>
        {awaited(async move {
            let cal = match calendar.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(cal) => cal,
            };
            let Ok(start) = param("start").parse::<Timestamp>() else {
                return view! { <LoadError error=AppError::NotFound/> }.into_any();
            };
            let Some(visit) = cal.visits.iter().find(|v| Some(v.id) == cal.visit_id).cloned() else {
                return view! { <LoadError error=AppError::NotFound/> }.into_any();
            };
            let patient = booking_for.await.ok().flatten();
            let members = family.await;
            let doctor = cal.doctor.clone();
            let doctor_name = i18n.name(&doctor.name_ar, doctor.latin_name.as_deref()).to_owned();
            let tz = doctor.timezone.clone();
            view! {
                <section class="mx-auto max-w-xl rounded-2xl bg-white p-5 shadow-sm sm:p-8">
                    <h1 class="text-2xl font-bold text-teal-900">{i18n.t("book-confirm-title")}</h1>
                    {patient.map(|p| view! {
                        <p class="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-amber-900" data-testid="booking-for">
                            {i18n.t_with("desk-booking-for", &[("name", p.full_name.clone())])}
                        </p>
                    })}
                    <dl class="mt-4 grid gap-3">
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-doctor")}</dt>
                            <dd class="font-semibold">{i18n.t_with("book-doctor-title", &[("name", doctor_name)])}" · "{doctor.specialty.name(i18n.locale).to_owned()}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-clinic")}</dt>
                            <dd class="font-semibold" data-testid="booking-clinic">{doctor.clinic.name(i18n.locale).to_owned()}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-when")}</dt>
                            <dd><When start=start tz=tz.clone()/></dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-visit-type")}</dt>
                            <dd class="font-semibold">{i18n.pick(&visit.name_ar, &visit.name_en).to_owned()}</dd></div>
                        <div><dt class="text-sm text-slate-500">{i18n.t("book-price")}</dt>
                            <dd class="font-semibold">{price_label(i18n, visit.price_halalas)}</dd></div>
                    </dl>
                    <ActionForm action=action attr:class="mt-6 flex flex-col gap-4">
                        <BookingError error=error tz=tz.clone() doctor=doctor.id.to_string() visit=visit.id.to_string()/>
                        <input type="hidden" name="doctor_id" value=doctor.id.to_string()/>
                        <input type="hidden" name="clinic_id" value=doctor.clinic.id.to_string()/>
                        <input type="hidden" name="visit_type_id" value=visit.id.to_string()/>
                        <input type="hidden" name="start" value=start.to_string()/>
                        <input type="hidden" name="rescheduled_from" value=param("replaces")/>
                        {if param("for").is_empty() && param("replaces").is_empty() {
                            view! { <PatientChoice members/> }.into_any()
                        } else {
                            view! { <input type="hidden" name="patient_id" value=param("for")/> }.into_any()
                        }}
                        <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("book-reason")}
                            <input name="reason" maxlength="500" class="rounded-lg border border-slate-300 px-3 py-2 text-base font-normal" id="input-reason"/>
                        </label>
                        <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("book-note")}
                            <textarea name="note" maxlength="1000" rows="3" class="rounded-lg border border-slate-300 px-3 py-2 text-base font-normal" id="input-note"></textarea>
                        </label>
                        <SubmitButton label_key="book-confirm" pending=action.pending().into()/>
                    </ActionForm>
                </section>
            }.into_any()
        })}
    }
}

/// The refusal, and for a slot someone else just took, the nearest free alternatives.
#[component]
fn BookingError(
    error: Signal<Option<AppError>>,
    tz: String,
    doctor: String,
    visit: String,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            let alternatives = match &e {
                AppError::SlotTaken(starts) => starts
                    .iter()
                    .filter_map(|s| s.parse::<jiff::Timestamp>().ok())
                    .collect(),
                _ => vec![],
            };
            let key = e
                .field_errors()
                .and_then(|f| f.0.first().map(|fe| fe.key.clone()))
                .unwrap_or_else(|| e.message_key().to_owned());
            view! {
                <div role="alert" data-testid="form-error" class="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
                    <p>{i18n.t(&key)}</p>
                    {(!alternatives.is_empty()).then(|| view! {
                        <p class="mt-2 font-semibold">{i18n.t("book-alternatives")}</p>
                        <ul class="mt-1 flex flex-wrap gap-2">
                            {alternatives.iter().map(|s| view! {
                                <li><a class="rounded-md bg-white px-2 py-1 text-teal-800 underline" href=format!("/book?doctor={doctor}&visit={visit}&start={s}")>
                                    <When start=*s tz=tz.clone()/>
                                </a></li>
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    }
}
