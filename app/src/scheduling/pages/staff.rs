//! The working day: a doctor sees their own list, reception and admins see every branch's or
//! one branch's, with check-in, start, complete and no-show as the state machine allows, and
//! the desk answers a held waitlist offer for a patient who phones in.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::branch_filter::BranchFilter;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::shell_data::ShellData;
use crate::kernel::ui::when::gregorian_label;
use crate::kernel::ui::when::hijri_label;
use crate::kernel::ui::when::time_label;
use crate::kernel::ui::when::zoned;
use crate::kernel::values::Role;
use crate::scheduling::actions::ChangeAppointment;
use crate::scheduling::domain::appointment::Action;
use crate::scheduling::domain::appointment::Status;
use crate::scheduling::model::AppointmentView;
use jiff::civil::Date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffDay {
    pub date: Date,
    pub appointments: Vec<AppointmentView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffDayView {
    pub day: StaffDay,
    /// Every branch, to choose from when there are several; the one chosen, if any.
    pub branches: Vec<crate::kernel::values::Named>,
    pub branch: Option<uuid::Uuid>,
}

#[server(endpoint = "staff_day")]
pub async fn load_staff_day(day: String, clinic: Option<String>) -> Result<StaffDayView, AppError> {
    let ctx = crate::kernel::auth::request::RequestCtx::current()?;
    staff_day_view(&ctx, &day, clinic.as_deref()).await
}

/// The day list's data: `day` (today when empty) of the caller's appointments, or for the
/// desk of every branch's or of `clinic`'s.
#[cfg(feature = "ssr")]
pub async fn staff_day_view(
    ctx: &crate::kernel::auth::request::RequestCtx,
    day: &str,
    clinic: Option<&str>,
) -> Result<StaffDayView, AppError> {
    let branch = crate::kernel::error::optional_id(clinic)?;
    let (date, tz, _) = staff_date(ctx, day, branch).await?;
    let day = staff_days(ctx, date, 1, &tz, branch)
        .await?
        .pop()
        .ok_or_else(|| crate::kernel::error::internal("staff day", "no day listed"))?;
    Ok(StaffDayView {
        day,
        branches: crate::clinic::service::branches(ctx.pool()).await?,
        branch,
    })
}

/// The day asked for (today there when none was), with the time zone and working week of
/// `branch` (of the first branch when `None`).
#[cfg(feature = "ssr")]
pub async fn staff_date(
    ctx: &crate::kernel::auth::request::RequestCtx,
    day: &str,
    branch: Option<uuid::Uuid>,
) -> Result<
    (
        Date,
        jiff::tz::TimeZone,
        crate::clinic::domain::working_week::WorkingWeek,
    ),
    AppError,
> {
    let rules = crate::clinic::service::branch_rules(ctx.pool(), branch).await?;
    let tz = rules.tz()?;
    let date: Date = match day.trim() {
        "" => jiff::Timestamp::now().to_zoned(tz.clone()).date(),
        text => text.parse().map_err(|_| AppError::BadRequest)?,
    };
    Ok((date, tz, rules.week()))
}

/// `count` local days of appointments from `from`: a doctor's own, or for the desk every
/// branch's (or only `branch`'s). Read once and audited once, as one list.
#[cfg(feature = "ssr")]
pub async fn staff_days(
    ctx: &crate::kernel::auth::request::RequestCtx,
    from: Date,
    count: i64,
    tz: &jiff::tz::TimeZone,
    branch: Option<uuid::Uuid>,
) -> Result<Vec<StaffDay>, AppError> {
    use crate::kernel::audit::AuditEntry;
    use crate::kernel::audit::Outcome;
    let user = ctx
        .require(crate::kernel::access::Area::StaffSchedule)
        .await?;
    // Each visit is filed under its own branch's calendar day, and branches may keep other
    // time zones than `tz`: read half a day more on each side (no zone is 14 hours away).
    let margin = jiff::SignedDuration::from_hours(14);
    let start = from
        .to_zoned(tz.clone())
        .map_err(|_| AppError::BadRequest)?;
    let until = from
        .checked_add(jiff::Span::new().days(count))
        .and_then(|d| d.to_zoned(tz.clone()))
        .map_err(|_| AppError::BadRequest)?;
    let doctor = crate::kernel::access::own_appointments_only(user.role).then_some(user.id);
    let appointments = crate::scheduling::db::schedule::day_list(
        ctx.pool(),
        doctor,
        branch,
        start.timestamp() - margin,
        until.timestamp() + margin,
    )
    .await?;
    let mut days: Vec<StaffDay> = (0..count)
        .filter_map(|i| from.checked_add(jiff::Span::new().days(i)).ok())
        .map(|date| StaffDay {
            date,
            appointments: vec![],
        })
        .collect();
    let mut listed = 0;
    for a in appointments {
        let zone = jiff::tz::TimeZone::get(&a.timezone).unwrap_or_else(|_| tz.clone());
        let local = a.start.to_zoned(zone).date();
        if let Some(day) = days.iter_mut().find(|d| d.date == local) {
            day.appointments.push(a);
            listed += 1;
        }
    }
    let entry = AuditEntry::new("appointment.list", Outcome::Success)
        .actor(user.id, user.role)
        .ip(ctx.ip)
        .details(serde_json::json!({
            "from": from.to_string(),
            "days": count,
            "clinic_id": branch,
            "count": listed,
        }));
    crate::kernel::audit::record(ctx.pool(), &entry).await?;
    Ok(days)
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    view! {
        <RequireRole area=crate::kernel::access::Area::StaffSchedule>
            <DayList/>
        </RequireRole>
    }
}

fn actions_for(role: Role, status: Status) -> Vec<(Action, &'static str)> {
    let all = [
        (Action::CheckIn, "appt-check-in"),
        (Action::MarkNoShow, "appt-no-show"),
        (Action::AcceptOffer, "wait-accept"),
        (Action::DeclineOffer, "wait-decline"),
    ];
    all.into_iter()
        .filter(|(action, _)| {
            let by_role = match role {
                // A doctor starts and finishes a consultation through its note (`OpenNote`).
                Role::Doctor => false,
                Role::Receptionist | Role::Admin => matches!(
                    action,
                    Action::CheckIn
                        | Action::MarkNoShow
                        | Action::AcceptOffer
                        | Action::DeclineOffer
                ),
                Role::Patient => false,
            };
            // The clock is checked on the server; here we only hide what can never apply.
            by_role
                && crate::scheduling::domain::appointment::transition(status, *action, i64::MAX, 0)
                    .is_ok()
        })
        .collect()
}

#[component]
fn DayList() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>().0;
    let query = use_query_map();
    let change = ServerAction::<ChangeAppointment>::new();
    let error = action_error(change.value());
    let day = Resource::new(
        move || {
            (
                query.read().get("day").unwrap_or_default(),
                query.read().get("clinic").unwrap_or_default(),
                change.version().get(),
            )
        },
        |(day, clinic, _)| load_staff_day(day, Some(clinic)),
    );
    view! {
        <Title text=i18n.t("staff-title")/>
        {awaited(async move {
            let role = shell.await.ok().and_then(|s| s.user).map(|u| u.role).unwrap_or(Role::Receptionist);
            let (list, branches, branch) = match day.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(v) => (v.day, v.branches, v.branch),
            };
            let keep = branch.map(|b| format!("&clinic={b}")).unwrap_or_default();
            let prev = list.date.yesterday().map(|d| d.to_string()).unwrap_or_default();
            let next = list.date.tomorrow().map(|d| d.to_string()).unwrap_or_default();
            let several = branches.len() > 1;
            let date = list.date;
            view! {
                <section data-testid="workspace-home">
                    <div class="flex flex-wrap items-center justify-between gap-3">
                        <div>
                            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("staff-day-title")}</h1>
                            <p class="text-slate-600">{gregorian_label(i18n, list.date)}" · "{hijri_label(i18n, list.date)}</p>
                        </div>
                        <nav class="flex gap-2">
                            <a href=format!("/staff?day={prev}{keep}") class="rounded-lg border border-slate-300 px-3 py-1.5">{i18n.t("staff-prev-day")}</a>
                            <a href=format!("/staff?day={keep}") class="rounded-lg border border-slate-300 px-3 py-1.5">{i18n.t("staff-today")}</a>
                            <a href=format!("/staff?day={next}{keep}") class="rounded-lg border border-slate-300 px-3 py-1.5">{i18n.t("staff-next-day")}</a>
                            <a href=format!("/staff/week?day={}{keep}", list.date) class="rounded-lg bg-teal-700 px-3 py-1.5 text-white" data-testid="week-link">{i18n.t("staff-week")}</a>
                        </nav>
                    </div>
                    {(role != Role::Doctor).then(|| view! {
                        <BranchFilter base=format!("/staff?day={date}") branches=branches.clone() current=branch testid="day-branches"/>
                    })}
                    <div class="mt-4"><ErrorSummary error=error/></div>
                    {if list.appointments.is_empty() {
                        view! { <p class="mt-6 rounded-xl bg-teal-50 p-4 text-teal-900" data-testid="day-empty">{i18n.t("staff-day-empty")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-4 grid gap-3" data-testid="day-list">
                                {list.appointments.into_iter().map(|a| {
                                    let actions = actions_for(role, a.status);
                                    let local = zoned(a.start, &a.timezone);
                                    view! {
                                        <li class="flex flex-wrap items-center gap-3 rounded-2xl bg-white p-4 shadow-sm">
                                            <span class="w-20 font-bold text-teal-800" title=local.to_string()><bdi>{time_label(i18n, a.start, &a.timezone)}</bdi></span>
                                            <div class="min-w-40 flex-1 text-start">
                                                <a href=format!("/appointments/{}", a.id) class="font-semibold hover:underline">{a.patient_name.clone()}</a>
                                                <p class="text-sm text-slate-500">{a.doctor_name.clone()}" · "{i18n.pick(&a.visit_ar, &a.visit_en).to_owned()}
                                                    {several.then(|| format!(" · {}", i18n.pick(&a.clinic_ar, &a.clinic_en)))}</p>
                                            </div>
                                            <span class="rounded-full bg-slate-100 px-3 py-1 text-sm" data-testid="row-status">{i18n.t(a.status.label_key())}</span>
                                            {(a.attendance_confirmed && a.status == Status::Booked).then(|| view! {
                                                <span class="rounded-full bg-emerald-50 px-3 py-1 text-sm text-emerald-800" data-testid="row-confirmed">{i18n.t("appt-attendance-confirmed")}</span>
                                            })}
                                            {actions.into_iter().map(|(action, key)| {
                                                let value = serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                                                view! {
                                                    <ActionForm action=change>
                                                        <input type="hidden" name="id" value=a.id.to_string()/>
                                                        <input type="hidden" name="action" value=value/>
                                                        <input type="hidden" name="reason" value=""/>
                                                        <button type="submit" class="rounded-lg bg-teal-700 px-3 py-1.5 text-sm font-semibold text-white">{i18n.t(key)}</button>
                                                    </ActionForm>
                                                }
                                            }).collect_view()}
                                            {(role == Role::Doctor).then(|| view! { <OpenNote id=a.id status=a.status/> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }.into_any()
        })}
    }
}

/// The doctor's way into a consultation: opening it moves a checked-in patient to "in
/// consultation"; an open one is continued; signing the note completes the visit.
#[component]
fn OpenNote(id: uuid::Uuid, status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let key = match status {
        Status::CheckedIn => "enc-open",
        Status::InConsultation => "enc-continue",
        _ => return None,
    };
    Some(view! {
        <form method="post" action="/api/open_encounter">
            <input type="hidden" name="appointment_id" value=id.to_string()/>
            <button type="submit" class="rounded-lg bg-teal-700 px-3 py-1.5 text-sm font-semibold text-white" data-testid="open-note">{i18n.t(key)}</button>
        </form>
    })
}
