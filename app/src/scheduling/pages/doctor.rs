//! One doctor's calendar: pick a visit type, a day (Gregorian and Hijri), then a free time.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::kept::kept;
use crate::kernel::ui::once::{awaited, Loaded};
use crate::kernel::ui::when::hijri_label;
use crate::kernel::ui::when::time_label;
use crate::scheduling::domain::schedule::Slot;
pub use crate::scheduling::model::DoctorCalendar;
use crate::scheduling::pages::waitlist::JoinWaitlist;
use jiff::civil::Date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(endpoint = "doctor_calendar")]
pub async fn load_doctor_calendar(
    doctor_id: String,
    clinic: Option<String>,
    visit: String,
    day: String,
    from: Option<String>,
) -> Result<DoctorCalendar, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let doctor_id = crate::kernel::error::record_id(&doctor_id)?;
    use crate::scheduling::calendar::{doctor_calendar, CalendarAsk};
    let ask = CalendarAsk::parse(
        clinic.as_deref(),
        &visit,
        &day,
        from.as_deref().unwrap_or_default(),
    );
    // The page cache may have read this very calendar to decide whether its copy is current;
    // the page then shows what it read.
    type Read = (uuid::Uuid, CalendarAsk, DoctorCalendar);
    if let Some(read) = crate::kernel::page_data::prefetched::<Read>(|(id, asked, _)| {
        *id == doctor_id && *asked == ask
    }) {
        return Ok(read.2.clone());
    }
    Ok(doctor_calendar(&ctx.state, doctor_id, &ask, jiff::Timestamp::now()).await?)
}

/// Free slots of one doctor for up to a month ahead: the month view's data, and what the
/// scheduling benchmark measures over HTTP.
#[server(endpoint = "availability")]
pub async fn availability(
    doctor_id: String,
    visit: String,
    days: u32,
    clinic: Option<String>,
) -> Result<Vec<(Date, Vec<Slot>)>, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    if !(1..=31).contains(&days) {
        return Err(AppError::field("days", "err-days-range"));
    }
    let doctor_id = crate::kernel::error::record_id(&doctor_id)?;
    let clinic = crate::kernel::error::optional_id(clinic.as_deref())?;
    let visit = uuid::Uuid::parse_str(visit.trim()).ok();
    let free = crate::scheduling::cache::ScheduleCache::of(&ctx.state)?
        .free_days(
            ctx.pool(),
            doctor_id,
            clinic,
            visit,
            i64::from(days),
            jiff::Timestamp::now(),
        )
        .await?;
    // The calendar falls back to the doctor's first branch and visit type; this answer
    // names them, so it must not.
    if clinic.is_some_and(|c| c != free.schedule.clinic.id) {
        return Err(AppError::NotFound);
    }
    match free.visit {
        Some(v) if visit.is_none_or(|id| id == v.id) => Ok(free.days),
        Some(_) => Err(AppError::Rule("err-visit-type-invalid".into())),
        None => Err(AppError::NotFound),
    }
}

#[component]
pub fn DoctorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let ask = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let calendar = Loaded::new(load_doctor_calendar(
        params.read_untracked().get("id").unwrap_or_default(),
        Some(ask("clinic")),
        ask("visit"),
        ask("day"),
        Some(ask("from")),
    ));
    view! {
        <Title text=i18n.t("book-find-title")/>
        {awaited(async move {
            match calendar.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(cal) => {
                    let carry = carried(&query, &["replaces", "for"]);
                    let waitlist = view! {
                        <JoinWaitlist doctor_id=cal.doctor.id.to_string()
                            clinic_id=cal.doctor.clinic.id.to_string()
                            prominent=cal.days.iter().all(|d| d.free == 0)/>
                    };
                    // The same for everyone who asks with the same parameters while the
                    // calendar is unchanged; the waitlist form is the caller's own.
                    let days = kept("calendar", &carry.clone(), cal, move |cal| view! { <CalendarView cal carry/> });
                    view! { {days} {waitlist} }.into_any()
                }
            }
        })}
    }
}

/// The `keys` of the address (record ids) that the page's links carry on to the confirmation
/// page, as `&key=id`: a reschedule the appointment it replaces, the desk the patient it books
/// for.
pub(super) fn carried(query: &Memo<leptos_router::params::ParamsMap>, keys: &[&str]) -> String {
    keys.iter()
        .filter_map(|k| {
            query
                .read_untracked()
                .get(k)
                .filter(|v| uuid::Uuid::parse_str(v).is_ok())
                .map(|v| format!("&{k}={v}"))
        })
        .collect()
}

#[component]
fn CalendarView(cal: DoctorCalendar, carry: String) -> impl IntoView {
    let i18n = use_i18n();
    let doctor = cal.doctor.clone();
    let name = i18n
        .name(&doctor.name_ar, doctor.latin_name.as_deref())
        .to_owned();
    let visit_id = cal.visit_id.map(|v| v.to_string()).unwrap_or_default();
    let base = format!("/doctors/{}?clinic={}", doctor.id, doctor.clinic.id);
    let bio = i18n
        .pick(
            doctor.bio_ar.as_deref().unwrap_or_default(),
            doctor.bio_en.as_deref().unwrap_or_default(),
        )
        .to_owned();
    let languages = doctor
        .languages
        .iter()
        .map(|l| i18n.t(&format!("language-{l}")))
        .collect::<Vec<_>>()
        .join(i18n.pick("، ", ", "));
    // A day picked on a later strip keeps that strip in view.
    let from_param = match (cal.earlier, cal.days.first()) {
        (Some(_), Some(first)) => format!("&from={}", first.date),
        _ => String::new(),
    };
    let tz = doctor.timezone.clone();
    view! {
        <section class="rounded-2xl bg-white p-5 shadow-sm">
            <h1 class="text-2xl font-bold text-teal-900" data-testid="doctor-name">{i18n.t_with("book-doctor-title", &[("name", name)])}</h1>
            <p class="text-slate-600">{doctor.specialty.name(i18n.locale).to_owned()}</p>
            {(cal.branches.len() > 1).then(|| view! {
                <nav class="mt-3 flex flex-wrap items-center gap-2" aria-label=i18n.t("branch-choose") data-testid="branches">
                    <span class="text-sm text-slate-500">{i18n.t("branch-choose")}</span>
                    {cal.branches.iter().map(|b| {
                        let active = b.id == doctor.clinic.id;
                        view! {
                            <a href=format!("/doctors/{}?clinic={}{carry}", doctor.id, b.id)
                                class=if active { "rounded-full bg-teal-800 px-3 py-1 text-sm text-white" } else { "rounded-full border border-slate-300 px-3 py-1 text-sm text-slate-700" }
                                aria-current=active.then_some("true")>{b.name(i18n.locale).to_owned()}</a>
                        }
                    }).collect_view()}
                </nav>
            })}
            {(cal.branches.len() <= 1).then(|| view! {
                <p class="text-sm text-slate-500" data-testid="doctor-branch">{doctor.clinic.name(i18n.locale).to_owned()}</p>
            })}
            {(!bio.is_empty()).then(|| view! {
                <p class="mt-2 text-sm text-slate-700" data-testid="doctor-bio">{bio}</p>
            })}
            {(!languages.is_empty()).then(|| view! {
                <p class="mt-1 text-sm text-slate-500" data-testid="doctor-languages">
                    {i18n.t_with("book-speaks", &[("languages", languages)])}
                </p>
            })}
            <nav class="mt-4 flex flex-wrap gap-2" aria-label=i18n.t("book-visit-type")>
                {cal.visits.iter().map(|v| {
                    let active = Some(v.id) == cal.visit_id;
                    let label = format!("{} · {}", i18n.pick(&v.name_ar, &v.name_en),
                        i18n.t_with("book-minutes", &[("n", v.duration_minutes.to_string())]));
                    view! {
                        <a href=format!("{base}&visit={}{carry}", v.id)
                            class=if active { "rounded-full bg-teal-700 px-4 py-1.5 text-sm text-white" } else { "rounded-full border border-teal-700 px-4 py-1.5 text-sm text-teal-800" }
                            aria-current=active.then_some("true")>{label}</a>
                    }
                }).collect_view()}
            </nav>
        </section>
        <section class="mt-6" aria-label=i18n.t("book-choose-day")>
            <div class="flex items-center justify-between gap-2">
                <h2 class="font-semibold text-slate-800">{i18n.t("book-choose-day")}</h2>
                <nav class="flex gap-3 text-sm" aria-label=i18n.t("book-more-days")>
                    {cal.earlier.map(|from| view! {
                        <a href=format!("{base}&visit={visit_id}&from={from}{carry}") class="text-teal-800 underline" data-testid="days-earlier">{i18n.t("book-days-earlier")}</a>
                    })}
                    {cal.later.map(|from| view! {
                        <a href=format!("{base}&visit={visit_id}&from={from}{carry}") class="text-teal-800 underline" data-testid="days-later">{i18n.t("book-days-later")}</a>
                    })}
                </nav>
            </div>
            <ul class="mt-3 flex gap-2 overflow-x-auto pb-2" data-testid="day-strip">
                {cal.days.iter().map(|d| {
                    let selected = Some(d.date) == cal.day;
                    let weekday = i18n.t(&format!("cal-day-{}", d.date.weekday().to_sunday_zero_offset()));
                    let greg = format!("{} {}", d.date.day(), i18n.t(&format!("cal-greg-{}", d.date.month())));
                    let hijri = hijri_label(i18n, d.date);
                    // A closed day says why; a day of Ramadan says so.
                    let note = match (&d.closed, d.away) {
                        (Some((ar, en)), _) => Some(i18n.pick(ar, en).to_owned()),
                        (None, true) => Some(i18n.t("book-doctor-away")),
                        (None, false) => None,
                    };
                    let inner = view! {
                        <span class="text-xs">{weekday}</span>
                        <span class="font-bold">{greg}</span>
                        <span class="text-[11px] opacity-80">{hijri}</span>
                        {d.ramadan.then(|| view! { <span class="mt-1 rounded-full bg-amber-100 px-2 text-[11px] font-semibold text-amber-900" data-testid="ramadan-day">{i18n.t("book-ramadan")}</span> })}
                        {note.map(|n| view! { <span class="mt-1 text-[11px] font-semibold text-rose-800" data-testid="closed-reason">{n}</span> })}
                    };
                    let cls = if selected { "flex min-w-28 flex-col items-center rounded-xl bg-teal-700 px-3 py-2 text-white" }
                        else { "flex min-w-28 flex-col items-center rounded-xl border border-slate-200 bg-white px-3 py-2 text-slate-800 hover:border-teal-600" };
                    view! {
                        <li>
                            {if d.free == 0 {
                                view! { <span class="flex min-w-28 cursor-not-allowed flex-col items-center rounded-xl border border-slate-100 bg-slate-100 px-3 py-2 text-slate-500" aria-disabled="true" data-day=d.date.to_string()>{inner}</span> }.into_any()
                            } else {
                                view! { <a href=format!("{base}&visit={visit_id}&day={}{}{carry}", d.date, from_param) class=cls data-day=d.date.to_string() aria-current=selected.then_some("date")>{inner}</a> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="mt-4" aria-label=i18n.t("book-choose-time")>
            <h2 class="font-semibold text-slate-800">{i18n.t("book-choose-time")}</h2>
            {if cal.slots.is_empty() {
                view! { <p class="mt-3 text-slate-600" data-testid="no-slots">{i18n.t("book-no-slots")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid grid-cols-3 gap-2 sm:grid-cols-6" data-testid="slots">
                        {cal.slots.iter().map(|s| view! {
                            <li>
                                <a href=format!("/book?doctor={}&clinic={}&visit={visit_id}&start={}{carry}", doctor.id, doctor.clinic.id, s.start)
                                    class="block rounded-lg border border-teal-600 px-2 py-2 text-center font-semibold text-teal-800 hover:bg-teal-50"
                                    data-start=s.start.to_string()>
                                    <bdi>{time_label(i18n, s.start, &tz)}</bdi>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
