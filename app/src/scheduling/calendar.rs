//! A doctor's calendar page as data: the schedule cache's free days for one branch and visit
//! type, and the chosen day's free times. Read by the page's server function, and by the page
//! cache to tell whether its copy of the page is still what a visitor would be shown.

use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::values::Named;
use crate::scheduling::cache::ScheduleCache;
use crate::scheduling::model::{
    CalendarDay, DoctorCalendar, DoctorCard, VisitOption, CALENDAR_DAYS,
};
use jiff::{civil::Date, Timestamp};
use uuid::Uuid;

/// What the page's address asks for. Anything that does not parse is left out, so the doctor's
/// first branch, first visit type and first free day are shown, as a stale link expects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalendarAsk {
    pub clinic: Option<Uuid>,
    pub visit: Option<Uuid>,
    pub day: Option<Date>,
    /// The first day of the strip; today when absent or past.
    pub from: Option<Date>,
}

impl CalendarAsk {
    pub fn parse(clinic: Option<&str>, visit: &str, day: &str, from: &str) -> Self {
        Self {
            clinic: clinic.and_then(|c| Uuid::parse_str(c.trim()).ok()),
            visit: Uuid::parse_str(visit.trim()).ok(),
            day: day.trim().parse().ok(),
            from: from.trim().parse().ok(),
        }
    }
}

/// The calendar of `doctor_id` as of `now`; `NotFound` for anyone who is not an active doctor.
pub async fn doctor_calendar(
    state: &AppState,
    doctor_id: Uuid,
    ask: &CalendarAsk,
    now: Timestamp,
) -> Result<DoctorCalendar, ServiceError> {
    let free = ScheduleCache::of(state)?
        .free_days_from(
            &state.pool,
            doctor_id,
            ask.clinic,
            ask.visit,
            ask.from,
            CALENDAR_DAYS,
            now,
        )
        .await?;
    let schedule = &free.schedule;
    let visits: Vec<VisitOption> = schedule
        .visit_types
        .iter()
        .map(|v| VisitOption {
            id: v.id,
            name_ar: v.name_ar.clone(),
            name_en: v.name_en.clone(),
            duration_minutes: v.duration_minutes,
            price_halalas: v.price_halalas,
        })
        .collect();
    let d = &schedule.doctor;
    let card = DoctorCard {
        id: d.id,
        name_ar: d.name_ar.clone(),
        latin_name: d.latin_name.clone(),
        specialty: Named {
            id: d.specialty_id,
            name_ar: d.specialty_ar.clone(),
            name_en: d.specialty_en.clone(),
        },
        clinic: schedule.clinic.clone(),
        next_slot: None,
        timezone: schedule.rules.timezone.clone(),
        languages: d.languages.clone(),
        bio_ar: d.bio_ar.clone(),
        bio_en: d.bio_en.clone(),
    };
    let Some(visit) = free.visit else {
        return Ok(DoctorCalendar {
            doctor: card,
            branches: free.branches,
            visits,
            visit_id: None,
            days: vec![],
            day: None,
            slots: vec![],
            earlier: None,
            later: None,
        });
    };
    let all = free.days;
    let today = schedule.today(now);
    let span = jiff::Span::new().days(CALENDAR_DAYS);
    let last = today + jiff::Span::new().days(i64::from(schedule.rules.booking_horizon_days));
    let selected = ask
        .day
        .filter(|w| all.iter().any(|(d, _)| d == w))
        .or_else(|| all.iter().find(|(_, s)| !s.is_empty()).map(|(d, _)| *d));
    let slots = selected
        .and_then(|sel| all.iter().find(|(d, _)| *d == sel).map(|(_, s)| s.clone()))
        .unwrap_or_default();
    Ok(DoctorCalendar {
        doctor: card,
        branches: free.branches,
        visits,
        visit_id: Some(visit.id),
        days: all
            .iter()
            .map(|(date, s)| {
                let closure = schedule
                    .closures
                    .iter()
                    .find(|c| c.from <= *date && *date <= c.until);
                CalendarDay {
                    date: *date,
                    free: s.len(),
                    closed: closure.and_then(|c| c.reason_ar.clone().zip(c.reason_en.clone())),
                    away: closure.is_some_and(|c| c.reason_ar.is_none()),
                    ramadan: crate::kernel::values::hijri::HijriDate::in_ramadan(*date),
                }
            })
            .collect(),
        day: selected,
        slots,
        earlier: strip_start(&all)
            .filter(|first| *first > today)
            .map(|first| (first - span).max(today)),
        later: strip_start(&all)
            .map(|first| first + span)
            .filter(|next| *next <= last),
    })
}

fn strip_start(days: &[(Date, Vec<crate::scheduling::domain::schedule::Slot>)]) -> Option<Date> {
    days.first().map(|(d, _)| *d)
}
