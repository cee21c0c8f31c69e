//! A doctor's slot grid at one branch: the stored hours, closures and rules read once, and the
//! free slots computed from them and the doctor's bookings.

use crate::clinic::model::{ClinicRules, DoctorRow};
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::scheduling::db::schedule::VisitTypeRow;
use crate::scheduling::domain::schedule::{BookingWindow, DayQuery, Slot};
use jiff::{civil::Date, tz::TimeZone, SignedDuration, Timestamp};
use sqlx::PgPool;
use uuid::Uuid;

/// A doctor's slot grid at one branch.
pub struct DoctorSchedule {
    pub doctor: DoctorRow,
    pub clinic: crate::kernel::values::Named,
    pub rules: ClinicRules,
    pub tz: TimeZone,
    pub visit_types: Vec<VisitTypeRow>,
    /// Only the hours on days the branch opens.
    pub(in crate::scheduling) hours: Vec<crate::clinic::domain::hours::WorkingInterval>,
    pub(in crate::scheduling) closures: Vec<crate::clinic::domain::hours::Closure>,
    /// The branch's prayer breaks, when it takes any.
    pub(in crate::scheduling) prayer: Option<crate::clinic::domain::prayer::PrayerBreaks>,
    /// The `schedule_version` this was read with.
    pub(in crate::scheduling) version: i64,
}

impl DoctorSchedule {
    /// One active doctor's schedule at `clinic`, or at their oldest branch when `None`;
    /// `NotFound` for anyone else or a branch they do not work at.
    pub async fn load(
        db: impl sqlx::PgExecutor<'_>,
        doctor_id: Uuid,
        clinic: Option<Uuid>,
        now: Timestamp,
    ) -> Result<Self, ServiceError> {
        Self::load_many(db, &[doctor_id], clinic, now)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound.into())
    }

    /// Several doctors' schedules in one query, one per branch each works at (or only at
    /// `clinic`), oldest branch first.
    pub async fn load_many(
        db: impl sqlx::PgExecutor<'_>,
        doctor_ids: &[Uuid],
        clinic: Option<Uuid>,
        now: Timestamp,
    ) -> Result<Vec<Self>, ServiceError> {
        crate::scheduling::db::schedule::schedules(db, doctor_ids, clinic, now)
            .await?
            .into_iter()
            .map(|row| {
                let tz = row.rules.tz()?;
                Ok(Self {
                    doctor: row.doctor,
                    clinic: row.clinic,
                    tz,
                    visit_types: row.visit_types,
                    hours: row.rules.week().open_hours(row.hours),
                    rules: row.rules,
                    closures: row.closures,
                    prayer: row.prayer,
                    version: row.version,
                })
            })
            .collect()
    }

    pub fn today(&self, now: Timestamp) -> Date {
        now.to_zoned(self.tz.clone()).date()
    }

    pub fn visit_type(&self, id: Uuid) -> Result<&VisitTypeRow, AppError> {
        self.visit_types
            .iter()
            .find(|v| v.id == id)
            .ok_or_else(|| AppError::Rule("err-visit-type-invalid".into()))
    }

    /// Whether `start` is a start this schedule offers for `visit` at all, booked or not: the
    /// slot grid never depends on bookings, so this needs no read of them.
    pub(in crate::scheduling) fn on_grid(
        &self,
        visit: &VisitTypeRow,
        start: Timestamp,
        now: Timestamp,
    ) -> bool {
        let day = start.to_zoned(self.tz.clone()).date();
        let breaks = self.breaks(day, 1);
        DayQuery {
            tz: &self.tz,
            hours: &self.hours,
            closures: &self.closures,
            shape: visit.shape(),
            busy: &[],
            breaks: &breaks,
            window: self.window(now),
        }
        .slots_on(day)
        .iter()
        .any(|s| s.start == start)
    }

    /// The prayer breaks of `days` days from `from`, and of the day before (whose night may
    /// run into `from`).
    fn breaks(&self, from: Date, days: i64) -> Vec<crate::scheduling::domain::schedule::Busy> {
        (-1..days.max(1))
            .filter_map(|i| from.checked_add(jiff::Span::new().days(i)).ok())
            .flat_map(|d| self.prayer_on(d))
            .collect()
    }

    /// The branch's prayer breaks on one local day; none where the branch keeps none.
    fn prayer_on(&self, day: Date) -> Vec<crate::scheduling::domain::schedule::Busy> {
        let Some(prayer) = &self.prayer else {
            return vec![];
        };
        prayer
            .on(day, &self.tz)
            .into_iter()
            .map(|(start, end)| crate::scheduling::domain::schedule::Busy { start, end })
            .collect()
    }

    pub(in crate::scheduling) fn window(&self, now: Timestamp) -> BookingWindow {
        BookingWindow {
            now,
            min_notice_minutes: i64::from(self.rules.min_notice_minutes),
            horizon_days: i64::from(self.rules.booking_horizon_days),
        }
    }

    /// The first start a patient may book at `now`: the branch's notice ahead.
    pub fn earliest_offered(&self, now: Timestamp) -> Timestamp {
        now + jiff::SignedDuration::from_mins(i64::from(self.rules.min_notice_minutes))
    }

    /// Free slots for `days` days from `from`, reading the doctor's bookings once.
    pub async fn days(
        &self,
        db: impl sqlx::PgExecutor<'_>,
        visit: &VisitTypeRow,
        from: Date,
        days: i64,
        now: Timestamp,
    ) -> Result<Vec<(Date, Vec<Slot>)>, AppError> {
        let (start, end) = self.busy_window(from, days)?;
        let busy = crate::scheduling::db::schedule::busy(db, self.doctor.id, start, end).await?;
        Ok(self.days_around(&busy, visit, from, days, now))
    }

    /// The instants whose bookings matter for `days` local days from `from`, with a margin
    /// for visits (and buffers) that cross midnight.
    pub fn busy_window(
        &self,
        from: Date,
        days: i64,
    ) -> Result<(Timestamp, Timestamp), ServiceError> {
        let last = from
            .checked_add(jiff::Span::new().days(days.max(1) - 1))
            .map_err(|_| AppError::BadRequest)?;
        Ok((
            local_midnight(from, &self.tz)? - SignedDuration::from_hours(12),
            local_midnight(last, &self.tz)? + SignedDuration::from_hours(36),
        ))
    }

    /// Free slots for `days` days from `from`, given the doctor's bookings in `busy_window`.
    pub fn days_around(
        &self,
        busy: &[crate::scheduling::domain::schedule::Busy],
        visit: &VisitTypeRow,
        from: Date,
        days: i64,
        now: Timestamp,
    ) -> Vec<(Date, Vec<Slot>)> {
        self.each_day(busy, visit, from, days, now).collect()
    }

    /// The first free start within `days` days from `from`: days are computed one at a time
    /// and the search stops at the first day with a free slot.
    pub fn first_free(
        &self,
        busy: &[crate::scheduling::domain::schedule::Busy],
        visit: &VisitTypeRow,
        from: Date,
        days: i64,
        now: Timestamp,
    ) -> Option<Timestamp> {
        self.each_day(busy, visit, from, days, now)
            .find_map(|(_, slots)| slots.first().map(|s| s.start))
    }

    /// Each day's free slots from `from` on, computed as the iterator is read.
    fn each_day<'a>(
        &'a self,
        busy: &'a [crate::scheduling::domain::schedule::Busy],
        visit: &VisitTypeRow,
        from: Date,
        days: i64,
        now: Timestamp,
    ) -> impl Iterator<Item = (Date, Vec<Slot>)> + 'a {
        let shape = visit.shape();
        let window = self.window(now);
        // Each day needs its own breaks and the day before's; the day before's were computed
        // for the previous day, so each day's prayer times are worked out once.
        let mut before = from
            .yesterday()
            .map(|d| self.prayer_on(d))
            .unwrap_or_default();
        (0..days)
            .filter_map(move |i| from.checked_add(jiff::Span::new().days(i)).ok())
            .map(move |d| {
                let today = self.prayer_on(d);
                let mut breaks = std::mem::replace(&mut before, today);
                breaks.extend_from_slice(&before);
                let query = DayQuery {
                    tz: &self.tz,
                    hours: &self.hours,
                    closures: &self.closures,
                    shape,
                    busy,
                    breaks: &breaks,
                    window,
                };
                (d, query.slots_on(d))
            })
    }

    /// The free starts nearest to `wanted`, for the "this time was just taken" message.
    pub async fn alternatives(
        &self,
        pool: &PgPool,
        visit: &VisitTypeRow,
        wanted: Timestamp,
        now: Timestamp,
    ) -> Vec<Timestamp> {
        let day = wanted.to_zoned(self.tz.clone()).date();
        let from = day.checked_sub(jiff::Span::new().days(2)).unwrap_or(day);
        let Ok(days) = self.days(pool, visit, from, 7, now).await else {
            return vec![];
        };
        let mut starts: Vec<Timestamp> = days
            .into_iter()
            .flat_map(|(_, s)| s)
            .map(|s| s.start)
            .collect();
        starts.sort_by_key(|s| s.duration_since(wanted).abs());
        starts.truncate(3);
        starts.sort();
        starts
    }
}

fn local_midnight(date: Date, tz: &TimeZone) -> Result<Timestamp, ServiceError> {
    date.to_datetime(jiff::civil::Time::midnight())
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| ServiceError::failed("local midnight", e))
}
