//! Doctors' schedules kept in process between requests. Reading a schedule is the heavy part
//! of both booking and availability (one JSON-aggregating query over six tables); the
//! bookings themselves are one index-only scan. An entry is trusted only while
//! `schedule_version` — bumped by triggers on every table a schedule is read from — still
//! equals the version it was read with, and every use re-reads that number: booking inside its
//! transaction, availability in the same statement that reads the bookings.

use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::values::Named;
use crate::scheduling::db::schedule::VisitTypeRow;
use crate::scheduling::domain::schedule::{Busy, Slot};
use crate::scheduling::held::{BusyKey, HeldBookings, HeldSearches};
use crate::scheduling::schedule::DoctorSchedule;
use jiff::{civil::Date, Timestamp};
use sqlx::PgPool;
use std::{collections::HashMap, sync::Arc};
use uuid::Uuid;

/// A doctor's schedules at each branch they work at, oldest branch first (never empty).
type Branches = Arc<[Arc<DoctorSchedule>]>;

#[derive(Default)]
pub struct ScheduleCache {
    schedules: std::sync::RwLock<HashMap<Uuid, Branches>>,
    /// Bookings and next free times, checked against the bookings version on every use.
    pub held: HeldBookings,
    /// Searches' lists of doctors, checked against the schedule version on every use.
    pub searches: HeldSearches,
}

/// One doctor's free slots at one branch, and the schedule they were computed from.
pub struct FreeDays {
    pub schedule: Arc<DoctorSchedule>,
    /// Every branch the doctor works at, oldest first.
    pub branches: Vec<Named>,
    /// The visit type asked for, else the doctor's first there; `None` when they offer none.
    pub visit: Option<VisitTypeRow>,
    pub days: Vec<(Date, Vec<Slot>)>,
}

impl ScheduleCache {
    /// The process's cache, registered in the app state at start-up (`app::app_state`).
    pub fn of(state: &AppState) -> Result<Arc<ScheduleCache>, ServiceError> {
        state
            .feature::<Arc<ScheduleCache>>()
            .cloned()
            .ok_or_else(|| {
                ServiceError::failed("schedule cache", "not registered in the app state")
            })
    }

    fn get(&self, doctor_id: Uuid) -> Option<Branches> {
        let map = self
            .schedules
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.get(&doctor_id).cloned()
    }

    /// Reads the doctor's schedules at all their branches and keeps them; `NotFound` for
    /// anyone who is not an active doctor with a branch.
    async fn load(
        &self,
        db: impl sqlx::PgExecutor<'_>,
        doctor_id: Uuid,
        now: Timestamp,
    ) -> Result<Branches, ServiceError> {
        let all: Branches = DoctorSchedule::load_many(db, &[doctor_id], None, now)
            .await?
            .into_iter()
            .map(Arc::new)
            .collect();
        if all.is_empty() {
            return Err(AppError::NotFound.into());
        }
        let mut map = self
            .schedules
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.insert(doctor_id, all.clone());
        Ok(all)
    }

    /// The doctor's schedule at `clinic` (their oldest branch when `None`), cached or read
    /// now; the caller checks its version. `NotFound` for a branch the doctor is not at.
    pub(super) async fn schedule(
        &self,
        pool: &PgPool,
        doctor_id: Uuid,
        clinic: Option<Uuid>,
        now: Timestamp,
    ) -> Result<Arc<DoctorSchedule>, ServiceError> {
        let branches = match self.get(doctor_id) {
            Some(hit) if clinic.is_none_or(|c| hit.iter().any(|s| s.clinic.id == c)) => hit,
            _ => self.load(pool, doctor_id, now).await?,
        };
        Self::at(&branches, clinic)
    }

    /// Reads the doctor's schedules again (inside the caller's transaction when given one).
    pub(super) async fn reload(
        &self,
        db: impl sqlx::PgExecutor<'_>,
        doctor_id: Uuid,
        clinic: Option<Uuid>,
        now: Timestamp,
    ) -> Result<Arc<DoctorSchedule>, ServiceError> {
        let branches = self.load(db, doctor_id, now).await?;
        Self::at(&branches, clinic)
    }

    fn at(branches: &Branches, clinic: Option<Uuid>) -> Result<Arc<DoctorSchedule>, ServiceError> {
        match clinic {
            None => Ok(branches[0].clone()),
            Some(c) => branches
                .iter()
                .find(|s| s.clinic.id == c)
                .cloned()
                .ok_or(AppError::NotFound.into()),
        }
    }

    /// Free slots of one doctor at `clinic` (their oldest branch when `None` or not theirs)
    /// for `days` days from today, for `visit` (their first visit type there when `None` or
    /// not offered there); callers that must not fall back compare what they got.
    /// Warm, this is one query: the bookings and the schedule version together.
    pub async fn free_days(
        &self,
        pool: &PgPool,
        doctor_id: Uuid,
        clinic: Option<Uuid>,
        visit: Option<Uuid>,
        days: i64,
        now: Timestamp,
    ) -> Result<FreeDays, ServiceError> {
        self.free_days_from(pool, doctor_id, clinic, visit, None, days, now)
            .await
    }

    /// As `free_days`, from `start` (a later day; today when `None`, past, or beyond the
    /// booking horizon).
    #[allow(clippy::too_many_arguments)]
    pub async fn free_days_from(
        &self,
        pool: &PgPool,
        doctor_id: Uuid,
        clinic: Option<Uuid>,
        visit: Option<Uuid>,
        start: Option<jiff::civil::Date>,
        days: i64,
        now: Timestamp,
    ) -> Result<FreeDays, ServiceError> {
        let (mut branches, mut fresh) = match self.get(doctor_id) {
            Some(hit) => (hit, false),
            None => (self.load(pool, doctor_id, now).await?, true),
        };
        loop {
            let schedule = Self::at(&branches, clinic).unwrap_or_else(|_| branches[0].clone());
            let today = schedule.today(now);
            let horizon =
                today + jiff::Span::new().days(i64::from(schedule.rules.booking_horizon_days));
            let today = start
                .filter(|s| *s > today && *s <= horizon)
                .unwrap_or(today);
            let (from, until) = schedule.busy_window(today, days)?;
            let key = BusyKey {
                doctor: doctor_id,
                from,
                until,
            };
            let held = self.held.busy(&key);
            let read = crate::scheduling::db::schedule::busy_at_version(
                pool,
                doctor_id,
                from,
                until,
                held.as_ref().map(|(v, _)| *v),
            )
            .await?;
            // A version that moved after a fresh read means setup changed in between; the
            // fresh read is still as current as any page shown a moment earlier.
            if read.schedule_version != schedule.version && !fresh {
                branches = self.load(pool, doctor_id, now).await?;
                fresh = true;
                continue;
            }
            let busy: Arc<[Busy]> = match read.busy {
                Some(busy) => {
                    let busy: Arc<[Busy]> = busy.into();
                    self.held
                        .keep_busy(key, read.bookings_version, busy.clone());
                    busy
                }
                // Not read again: the copy held is at the current version.
                None => held.map(|(_, busy)| busy).unwrap_or_default(),
            };
            let chosen = visit
                .and_then(|id| schedule.visit_type(id).ok())
                .or_else(|| schedule.visit_types.first())
                .cloned();
            let days = match &chosen {
                Some(v) => schedule.days_around(&busy, v, today, days, now),
                None => vec![],
            };
            return Ok(FreeDays {
                branches: branches.iter().map(|s| s.clinic.clone()).collect(),
                schedule,
                visit: chosen,
                days,
            });
        }
    }

    /// The schedules of several doctors at all their branches, each list oldest branch first,
    /// in the order of `doctor_ids`: cached entries at `version` (the `schedule_version` the
    /// caller just read) as they are, the others read together in one query. Doctors without
    /// a schedule are left out.
    pub async fn schedules_at(
        &self,
        pool: &PgPool,
        doctor_ids: &[Uuid],
        version: i64,
        now: Timestamp,
    ) -> Result<Vec<Branches>, ServiceError> {
        let mut found: HashMap<Uuid, Branches> = HashMap::new();
        let mut missing = vec![];
        for id in doctor_ids {
            match self.get(*id) {
                Some(hit) if hit.iter().all(|s| s.version == version) => {
                    found.insert(*id, hit);
                }
                _ => missing.push(*id),
            }
        }
        self.load_into(pool, &missing, now, &mut found).await?;
        Ok(doctor_ids
            .iter()
            .filter_map(|id| found.get(id).cloned())
            .collect())
    }

    /// Reads the schedules of `ids` in one query, keeps them, and adds them to `into`; returns
    /// the ids read.
    async fn load_into(
        &self,
        pool: &PgPool,
        ids: &[Uuid],
        now: Timestamp,
        into: &mut HashMap<Uuid, Branches>,
    ) -> Result<Vec<Uuid>, ServiceError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut by_doctor: HashMap<Uuid, Vec<Arc<DoctorSchedule>>> = HashMap::new();
        for schedule in DoctorSchedule::load_many(pool, ids, None, now).await? {
            by_doctor
                .entry(schedule.doctor.id)
                .or_default()
                .push(Arc::new(schedule));
        }
        let mut map = self
            .schedules
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let read: Vec<Uuid> = by_doctor.keys().copied().collect();
        for (id, list) in by_doctor {
            let branches: Branches = list.into();
            map.insert(id, branches.clone());
            into.insert(id, branches);
        }
        Ok(read)
    }
}
