//! The week at a glance: seven days from Sunday (the Saudi working week's first day), each
//! with its appointments and their statuses. Phones get the days stacked, wide screens a grid.

use crate::clinic::domain::working_week::WorkingWeek;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::branch_filter::BranchFilter;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::shell_data::ShellData;
use crate::kernel::ui::when::hijri_label;
use crate::kernel::ui::when::time_label;
use crate::kernel::values::Named;
use crate::kernel::values::Role;
use crate::scheduling::pages::staff::StaffDay;
use jiff::civil::Date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The Sunday on or before `date`.
pub fn week_start(date: Date) -> Date {
    let back = i64::from(date.weekday().to_sunday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffWeek {
    pub days: Vec<StaffDay>,
    /// Every branch, and the one chosen, if any.
    pub branches: Vec<Named>,
    pub branch: Option<uuid::Uuid>,
    /// The chosen (else the first) branch's working week, to shade the days it is closed.
    pub week: WorkingWeek,
}

#[server(endpoint = "staff_week")]
pub async fn load_staff_week(day: String, clinic: Option<String>) -> Result<StaffWeek, AppError> {
    let ctx = crate::kernel::auth::request::RequestCtx::current()?;
    staff_week_view(&ctx, &day, clinic.as_deref()).await
}

/// The week around `day` (today when empty), as `staff_day_view` lists a day.
#[cfg(feature = "ssr")]
pub async fn staff_week_view(
    ctx: &crate::kernel::auth::request::RequestCtx,
    day: &str,
    clinic: Option<&str>,
) -> Result<StaffWeek, AppError> {
    use crate::scheduling::pages::staff::staff_date;
    use crate::scheduling::pages::staff::staff_days;
    let branch = crate::kernel::error::optional_id(clinic)?;
    let (date, tz, week) = staff_date(ctx, day, branch).await?;
    Ok(StaffWeek {
        days: staff_days(ctx, week_start(date), 7, &tz, branch).await?,
        branches: crate::clinic::service::branches(ctx.pool()).await?,
        branch,
        week,
    })
}

#[component]
pub fn StaffWeekPage() -> impl IntoView {
    view! {
        <RequireRole area=crate::kernel::access::Area::StaffSchedule>
            <Week/>
        </RequireRole>
    }
}

#[component]
fn Week() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let shell = expect_context::<ShellData>().0;
    let week = Resource::new(
        move || {
            (
                query.read().get("day").unwrap_or_default(),
                query.read().get("clinic").unwrap_or_default(),
            )
        },
        |(day, clinic)| load_staff_week(day, Some(clinic)),
    );
    view! {
        <Title text=i18n.t("staff-week")/>
        {awaited(async move {
            let role = shell.await.ok().and_then(|s| s.user).map(|u| u.role).unwrap_or(Role::Receptionist);
            let StaffWeek { days, branches, branch, week } = match week.await {
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
                Ok(w) => w,
            };
            let keep = branch.map(|b| format!("&clinic={b}")).unwrap_or_default();
            let Some(first) = days.first().map(|d| d.date) else {
                return view! { <LoadError error=AppError::NotFound/> }.into_any();
            };
            let shift = |n: i64| first.checked_add(jiff::Span::new().days(n)).map(|d| d.to_string()).unwrap_or_default();
            let total: usize = days.iter().map(|d| d.appointments.len()).sum();
            view! {
                <section data-testid="week">
                    <div class="flex flex-wrap items-center justify-between gap-3">
                        <div>
                            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("staff-week")}</h1>
                            <p class="text-slate-600">{i18n.t_with("staff-week-count", &[("n", total.to_string())])}</p>
                        </div>
                        <nav class="flex flex-wrap gap-2">
                            <a href=format!("/staff/week?day={}{keep}", shift(-7)) class="rounded-lg border border-slate-300 px-3 py-1.5">{i18n.t("staff-prev-week")}</a>
                            <a href=format!("/staff/week?day={keep}") class="rounded-lg border border-slate-300 px-3 py-1.5">{i18n.t("staff-this-week")}</a>
                            <a href=format!("/staff/week?day={}{keep}", shift(7)) class="rounded-lg border border-slate-300 px-3 py-1.5" data-testid="next-week">{i18n.t("staff-next-week")}</a>
                        </nav>
                    </div>
                    {(role != Role::Doctor).then(|| view! {
                        <BranchFilter base=format!("/staff/week?day={first}") branches=branches.clone() current=branch testid="week-branches"/>
                    })}
                    <ol class="mt-4 grid gap-3 lg:grid-cols-7">
                        {days.into_iter().map(|d| view! { <WeekDay day=d week keep=keep.clone()/> }).collect_view()}
                    </ol>
                </section>
            }.into_any()
        })}
    }
}

#[component]
fn WeekDay(day: StaffDay, week: WorkingWeek, keep: String) -> impl IntoView {
    let i18n = use_i18n();
    let closed = !week.opens(day.date.weekday().to_sunday_zero_offset());
    let weekday = i18n.t(&format!(
        "cal-day-{}",
        day.date.weekday().to_sunday_zero_offset()
    ));
    let greg = format!(
        "{} {}",
        day.date.day(),
        i18n.t(&format!("cal-greg-{}", day.date.month()))
    );
    view! {
        <li class=if closed { "rounded-2xl bg-slate-100 p-3" } else { "rounded-2xl bg-white p-3 shadow-sm" }
            data-day=day.date.to_string()>
            <a href=format!("/staff?day={}{keep}", day.date) class="block text-start hover:underline">
                <span class="font-semibold">{weekday}" "{greg}</span>
                <span class="block text-xs text-slate-500">{hijri_label(i18n, day.date)}</span>
            </a>
            {if day.appointments.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-400">{i18n.t("staff-week-free")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 grid gap-1.5">
                        {day.appointments.into_iter().map(|a| view! {
                            <li>
                                <a href=format!("/appointments/{}", a.id) class="block rounded-lg border-s-4 border-teal-600 bg-teal-50 px-2 py-1 text-sm hover:bg-teal-100" data-status=format!("{:?}", a.status)>
                                    <bdi class="font-bold">{time_label(i18n, a.start, &a.timezone)}</bdi>
                                    <span class="ms-1">{a.patient_name.clone()}</span>
                                    <span class="block text-xs text-slate-600">{i18n.t(a.status.label_key())}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_start_on_sunday() {
        assert_eq!(week_start(date(2026, 11, 25)), date(2026, 11, 22)); // a Wednesday
        assert_eq!(week_start(date(2026, 11, 22)), date(2026, 11, 22)); // a Sunday
        assert_eq!(week_start(date(2026, 11, 28)), date(2026, 11, 22)); // a Saturday
    }
}
