//! Finding a doctor: the database filters and orders (`db::search`), the schedule cache gives
//! each doctor's week, and each card gets the next time the doctor can see someone there.

use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::values::{arabic_search, Named};
use crate::scheduling::cache::ScheduleCache;
use crate::scheduling::db::search::{busy_of_many_at_version, matching_doctors, DoctorFilter};
use crate::scheduling::domain::schedule::Busy;
use crate::scheduling::model::{DoctorCard, DoctorSearch};
use crate::scheduling::schedule::DoctorSchedule;
use jiff::Timestamp;
use std::collections::HashMap;
use uuid::Uuid;

/// How far ahead "next available" looks, in days.
const NEXT_SLOT_DAYS: i64 = 21;
/// Most doctors have a free time within these first days: their bookings further ahead are
/// read only for the doctors who do not (a busy clinic's bookings are most of the work).
const FIRST_LOOK_DAYS: i64 = 3;
const MAX_RESULTS: usize = 30;

/// What the patient asked for, parsed; `None` leaves a filter out.
pub struct Filter {
    pub q: String,
    pub specialty: Option<Uuid>,
    pub sex: Option<String>,
    pub clinic: Option<Uuid>,
}

/// Up to 30 cards, doctors in name order and each doctor's branches oldest first, with the
/// choices the search form offers.
pub async fn find_doctors(
    state: &AppState,
    filter: &Filter,
    now: Timestamp,
) -> Result<DoctorSearch, ServiceError> {
    let pool = &state.pool;
    let words: Vec<String> = arabic_search::normalize(&filter.q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    // A query of nothing but marks (harakat, tatweel) names nobody, as `arabic_search::matches`
    // has it; an empty one asks for everyone.
    let ids = if words.is_empty() && !filter.q.trim().is_empty() {
        vec![]
    } else {
        matching_doctors(
            pool,
            &DoctorFilter {
                words: &words,
                specialty: filter.specialty,
                sex: filter.sex.as_deref(),
                clinic: filter.clinic,
                limit: MAX_RESULTS as i64,
            },
        )
        .await?
    };
    let (doctors, busy) = ScheduleCache::of(state)?
        .many(pool, &ids, now, |s| {
            s.busy_window(s.today(now), FIRST_LOOK_DAYS)
        })
        .await?;
    let schedules: Vec<_> = doctors
        .iter()
        .flat_map(|branches| {
            branches
                .iter()
                .filter(|s| filter.clinic.is_none_or(|c| s.clinic.id == c))
        })
        .take(MAX_RESULTS)
        .collect();
    let first_free = |schedule: &DoctorSchedule, busy: &HashMap<Uuid, Vec<Busy>>, days: i64| {
        let booked = busy
            .get(&schedule.doctor.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        schedule
            .visit_types
            .first()
            .and_then(|visit| schedule.first_free(booked, visit, schedule.today(now), days, now))
    };
    let mut next: Vec<Option<Timestamp>> = schedules
        .iter()
        .map(|s| first_free(s, &busy, FIRST_LOOK_DAYS))
        .collect();
    let later: Vec<usize> = (0..schedules.len())
        .filter(|i| next[*i].is_none() && !schedules[*i].visit_types.is_empty())
        .collect();
    if !later.is_empty() {
        let mut ids: Vec<Uuid> = later.iter().map(|i| schedules[*i].doctor.id).collect();
        ids.dedup();
        let windows = later
            .iter()
            .map(|i| schedules[*i].busy_window(schedules[*i].today(now), NEXT_SLOT_DAYS))
            .collect::<Result<Vec<_>, _>>()?;
        if let (Some(from), Some(until)) = (
            windows.iter().map(|w| w.0).min(),
            windows.iter().map(|w| w.1).max(),
        ) {
            let (_, busy) = busy_of_many_at_version(pool, &ids, from, until).await?;
            for i in later {
                next[i] = first_free(schedules[i], &busy, NEXT_SLOT_DAYS);
            }
        }
    }
    let mut results = vec![];
    for (schedule, next_slot) in schedules.into_iter().zip(next) {
        let doctor = schedule.doctor.clone();
        results.push(DoctorCard {
            id: doctor.id,
            name_ar: doctor.name_ar,
            latin_name: doctor.latin_name,
            specialty: Named {
                id: doctor.specialty_id,
                name_ar: doctor.specialty_ar,
                name_en: doctor.specialty_en,
            },
            clinic: schedule.clinic.clone(),
            next_slot,
            timezone: schedule.rules.timezone.clone(),
            languages: doctor.languages,
            bio_ar: doctor.bio_ar,
            bio_en: doctor.bio_en,
        });
    }
    let directory = crate::clinic::header::ClinicHeader::directory(state).await?;
    Ok(DoctorSearch {
        specialties: directory.specialties.clone(),
        branches: directory.branches.clone(),
        results,
    })
}
