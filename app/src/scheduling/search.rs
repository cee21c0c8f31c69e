//! Finding a doctor: the database filters and orders (`db::search`), the schedule cache gives
//! each doctor's week, and each card gets the next time the doctor can see someone there.
//! A search asked before, with nothing changed since, is one primary-key read: its list of
//! doctors is kept against the schedule version and each next free time against the doctor's
//! bookings version (`held`), both read again on every request.

use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::values::{arabic_search, Named};
use crate::scheduling::cache::ScheduleCache;
use crate::scheduling::db::search::{
    busy_of_many, matching_doctors, versions_of, DoctorFilter, Matches,
};
use crate::scheduling::domain::schedule::Busy;
use crate::scheduling::held::{NextFree, NextKey, SearchKey};
use crate::scheduling::model::{DoctorCard, DoctorSearch};
use crate::scheduling::schedule::DoctorSchedule;
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::Arc;
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

/// What the search page's address asks for, as the page hands it to its server function: the
/// page cache reads a search with the same values the render will be given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchAsk {
    pub q: String,
    pub specialty: String,
    pub sex: String,
    pub clinic: Option<String>,
}

impl SearchAsk {
    /// The filter it means; a query that is not acceptable text is a field error. An unknown
    /// specialty, sex or branch is left out, as a stale link expects.
    pub fn filter(&self) -> Result<Filter, AppError> {
        let q = crate::kernel::values::text::parse_search(&self.q)
            .map_err(|k| AppError::field("q", k))?;
        Ok(Filter {
            q,
            specialty: Uuid::parse_str(self.specialty.trim()).ok(),
            sex: matches!(self.sex.as_str(), "male" | "female").then(|| self.sex.clone()),
            clinic: self
                .clinic
                .as_deref()
                .and_then(|c| Uuid::parse_str(c.trim()).ok()),
        })
    }
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
    let cache = ScheduleCache::of(state)?;
    // A query of nothing but marks (harakat, tatweel) names nobody, as `arabic_search::matches`
    // has it; an empty one asks for everyone.
    let matches = if words.is_empty() && !filter.q.trim().is_empty() {
        Matches {
            schedule_version: 0,
            doctors: vec![],
        }
    } else {
        let key = SearchKey {
            words,
            specialty: filter.specialty,
            sex: filter.sex.clone(),
            clinic: filter.clinic,
        };
        let held = match cache.searches.get(&key) {
            Some((version, ids)) => {
                Some(versions_of(pool, &ids).await?).filter(|now| now.schedule_version == version)
            }
            None => None,
        };
        match held {
            Some(current) => current,
            None => {
                let found = matching_doctors(
                    pool,
                    &DoctorFilter {
                        words: &key.words,
                        specialty: key.specialty,
                        sex: key.sex.as_deref(),
                        clinic: key.clinic,
                        limit: MAX_RESULTS as i64,
                    },
                )
                .await?;
                let ids: Arc<[Uuid]> = found.doctors.iter().map(|(id, _)| *id).collect();
                cache.searches.keep(key, found.schedule_version, ids);
                found
            }
        }
    };
    let ids: Vec<Uuid> = matches.doctors.iter().map(|(id, _)| *id).collect();
    let bookings: HashMap<Uuid, i64> = matches.doctors.iter().copied().collect();
    let doctors = cache
        .schedules_at(pool, &ids, matches.schedule_version, now)
        .await?;
    let schedules: Vec<&DoctorSchedule> = doctors
        .iter()
        .flat_map(|branches| {
            branches
                .iter()
                .filter(|s| filter.clinic.is_none_or(|c| s.clinic.id == c))
        })
        .take(MAX_RESULTS)
        .map(|s| &**s)
        .collect();
    let next = next_free_times(state, &cache, &schedules, &bookings, now).await?;
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

/// Each card's next free time: kept ones while their doctor's bookings and schedule did not
/// change (`NextFree::holds`); the others computed from the bookings of the first days, and
/// for the doctors with nothing free there, of the whole three weeks.
async fn next_free_times(
    state: &AppState,
    cache: &ScheduleCache,
    schedules: &[&DoctorSchedule],
    bookings: &HashMap<Uuid, i64>,
    now: Timestamp,
) -> Result<Vec<Option<Timestamp>>, ServiceError> {
    let key = |s: &DoctorSchedule| {
        s.visit_types.first().map(|visit| NextKey {
            doctor: s.doctor.id,
            clinic: s.clinic.id,
            visit: visit.id,
        })
    };
    let version = |s: &DoctorSchedule| bookings.get(&s.doctor.id).copied().unwrap_or_default();
    let mut next: Vec<Option<Option<Timestamp>>> = schedules
        .iter()
        .map(|s| match key(s) {
            None => Some(None),
            Some(k) => cache
                .held
                .next(&k)
                .filter(|n| n.holds(s.version, version(s), s.today(now), s.earliest_offered(now)))
                .map(|n| n.next),
        })
        .collect();
    for days in [FIRST_LOOK_DAYS, NEXT_SLOT_DAYS] {
        let open: Vec<usize> = (0..schedules.len())
            .filter(|i| next[*i].is_none())
            .collect();
        let windows = open
            .iter()
            .map(|i| schedules[*i].busy_window(schedules[*i].today(now), days))
            .collect::<Result<Vec<_>, _>>()?;
        let (Some(from), Some(until)) = (
            windows.iter().map(|w| w.0).min(),
            windows.iter().map(|w| w.1).max(),
        ) else {
            break;
        };
        let mut ids: Vec<Uuid> = open.iter().map(|i| schedules[*i].doctor.id).collect();
        ids.dedup();
        let busy = busy_of_many(&state.pool, &ids, from, until).await?;
        for i in open {
            let s = schedules[i];
            let booked: &[Busy] = busy
                .get(&s.doctor.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let found = s
                .visit_types
                .first()
                .and_then(|visit| s.first_free(booked, visit, s.today(now), days, now));
            // Nothing free in the first days is not yet an answer: the longer look decides.
            if found.is_none() && days < NEXT_SLOT_DAYS {
                continue;
            }
            next[i] = Some(found);
            if let Some(k) = key(s) {
                cache.held.keep_next(
                    k,
                    NextFree {
                        schedule_version: s.version,
                        bookings_version: version(s),
                        today: s.today(now),
                        next: found,
                    },
                );
            }
        }
    }
    Ok(next.into_iter().map(Option::flatten).collect())
}
