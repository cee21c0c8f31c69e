//! Booking decisions that need the database: availability from stored hours and bookings, and
//! the booking and cancelling transactions. Rules themselves live in `domain::schedule` and
//! `domain::appointment`; the guarantee against double booking lives in PostgreSQL.

use crate::{
    auth::CurrentUser,
    db::{
        self,
        audit::{AuditEntry, Outcome},
        schedule::{BookingRecord, ClinicRules, DoctorRow, NewAppointment, VisitTypeRow},
        DbError,
    },
    domain::{
        appointment::{transition, Action, Status},
        schedule::{BookingWindow, DayQuery, Slot},
        Role,
    },
    error::AppError,
};
use jiff::{civil::Date, tz::TimeZone, SignedDuration, Timestamp};
use sqlx::PgPool;
use std::net::IpAddr;

mod cache;
pub use cache::{FreeDays, ScheduleCache};
use uuid::Uuid;

/// A doctor's slot grid at one branch.
pub struct DoctorSchedule {
    pub doctor: DoctorRow,
    pub clinic: crate::models::Named,
    pub rules: ClinicRules,
    pub tz: TimeZone,
    pub visit_types: Vec<VisitTypeRow>,
    /// Only the hours on days the branch opens.
    hours: Vec<crate::domain::schedule::WorkingInterval>,
    closures: Vec<crate::domain::schedule::Closure>,
    /// The `schedule_version` this was read with.
    version: i64,
}

pub async fn find_doctor(pool: &PgPool, doctor_id: Uuid) -> Result<DoctorRow, AppError> {
    db::schedule::doctor(pool, doctor_id)
        .await?
        .ok_or(AppError::NotFound)
}

impl DoctorSchedule {
    /// One active doctor's schedule at `clinic`, or at their oldest branch when `None`;
    /// `NotFound` for anyone else or a branch they do not work at.
    pub async fn load(
        db: impl sqlx::PgExecutor<'_>,
        doctor_id: Uuid,
        clinic: Option<Uuid>,
        now: Timestamp,
    ) -> Result<Self, AppError> {
        Self::load_many(db, &[doctor_id], clinic, now)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)
    }

    /// Several doctors' schedules in one query, one per branch each works at (or only at
    /// `clinic`), oldest branch first.
    pub async fn load_many(
        db: impl sqlx::PgExecutor<'_>,
        doctor_ids: &[Uuid],
        clinic: Option<Uuid>,
        now: Timestamp,
    ) -> Result<Vec<Self>, AppError> {
        db::schedule::schedules(db, doctor_ids, clinic, now)
            .await?
            .into_iter()
            .map(|row| {
                let tz = TimeZone::get(&row.rules.timezone).map_err(|e| {
                    tracing::error!(tz = %row.rules.timezone, error = %e, "unknown clinic time zone");
                    AppError::Internal
                })?;
                Ok(Self {
                    doctor: row.doctor,
                    clinic: row.clinic,
                    tz,
                    visit_types: row.visit_types,
                    hours: row.rules.week().open_hours(row.hours),
                    rules: row.rules,
                    closures: row.closures,
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
    fn on_grid(&self, visit: &VisitTypeRow, start: Timestamp, now: Timestamp) -> bool {
        let day = start.to_zoned(self.tz.clone()).date();
        DayQuery {
            tz: &self.tz,
            hours: &self.hours,
            closures: &self.closures,
            shape: visit.shape(),
            busy: &[],
            window: self.window(now),
        }
        .slots_on(day)
        .iter()
        .any(|s| s.start == start)
    }

    fn window(&self, now: Timestamp) -> BookingWindow {
        BookingWindow {
            now,
            min_notice_minutes: i64::from(self.rules.min_notice_minutes),
            horizon_days: i64::from(self.rules.booking_horizon_days),
        }
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
        let busy = db::schedule::busy(db, self.doctor.id, start, end).await?;
        Ok(self.days_around(&busy, visit, from, days, now))
    }

    /// The instants whose bookings matter for `days` local days from `from`, with a margin
    /// for visits (and buffers) that cross midnight.
    pub fn busy_window(&self, from: Date, days: i64) -> Result<(Timestamp, Timestamp), AppError> {
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
        busy: &[crate::domain::schedule::Busy],
        visit: &VisitTypeRow,
        from: Date,
        days: i64,
        now: Timestamp,
    ) -> Vec<(Date, Vec<Slot>)> {
        let query = DayQuery {
            tz: &self.tz,
            hours: &self.hours,
            closures: &self.closures,
            shape: visit.shape(),
            busy,
            window: self.window(now),
        };
        (0..days)
            .filter_map(|i| from.checked_add(jiff::Span::new().days(i)).ok())
            .map(|d| (d, query.slots_on(d)))
            .collect()
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

fn local_midnight(date: Date, tz: &TimeZone) -> Result<Timestamp, AppError> {
    date.to_datetime(jiff::civil::Time::midnight())
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|_| AppError::Internal)
}

/// Who may read an appointment: its patient or their guardian, its doctor, and the front desk.
pub async fn may_read(
    pool: &PgPool,
    user: &CurrentUser,
    view: &crate::models::AppointmentView,
) -> Result<bool, AppError> {
    Ok(match user.role {
        Role::Patient => db::family::may_act_for(pool, user.id, view.patient_id).await?,
        Role::Doctor => view.doctor_id == user.id,
        Role::Receptionist | Role::Admin => true,
    })
}

pub struct BookingRequest {
    pub doctor_id: Uuid,
    /// The branch; the doctor's oldest branch when `None`.
    pub clinic_id: Option<Uuid>,
    pub visit_type_id: Uuid,
    pub start: Timestamp,
    pub patient_id: Uuid,
    pub reason: String,
    pub note: String,
    pub rescheduled_from: Option<Uuid>,
}

/// Books in one transaction: courtesy checks, the insert the database may refuse, the outbox
/// event and the audit row. Returns the new appointment's id.
pub async fn book(
    pool: &PgPool,
    cache: &ScheduleCache,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    mut req: BookingRequest,
) -> Result<Uuid, AppError> {
    let now = Timestamp::now();
    let mut schedule = cache
        .schedule(pool, req.doctor_id, req.clinic_id, now)
        .await?;
    // Whether this time is on offer at all is decided without reading bookings; whether it
    // is still free is the insert's to find out, from the exclusion constraint. A cached
    // schedule that refuses the time (or does not know the visit type yet) is read again
    // before the patient is told no.
    let offers = |s: &DoctorSchedule| -> Result<bool, AppError> {
        Ok(s.on_grid(s.visit_type(req.visit_type_id)?, req.start, now))
    };
    if !offers(&schedule).unwrap_or(false) {
        schedule = cache
            .reload(pool, req.doctor_id, Some(schedule.clinic.id), now)
            .await?;
        if !offers(&schedule)? {
            return Err(AppError::Rule("err-slot-unavailable".into()));
        }
    }

    let mut tx = pool.begin().await?;
    // A reschedule frees the old time first, in the same transaction, so the new booking may
    // overlap it and a refused new booking leaves the old one untouched. The new time is for
    // the same patient, whoever the form named.
    if let Some(old) = req.rescheduled_from {
        req.patient_id = db::schedule::lock_for_change(&mut *tx, old)
            .await?
            .ok_or(AppError::NotFound)?
            .patient_id;
        apply_status(
            &mut tx,
            actor,
            ip,
            old,
            Action::Cancel,
            Some("rescheduled"),
            now,
        )
        .await?;
    }
    let version = db::schedule::lock_patient(&mut *tx, req.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if version != schedule.version {
        schedule = cache
            .reload(&mut *tx, req.doctor_id, Some(schedule.clinic.id), now)
            .await?;
        if !offers(&schedule)? {
            return Err(AppError::Rule("err-slot-unavailable".into()));
        }
    }
    let visit = schedule.visit_type(req.visit_type_id)?.clone();
    let new = NewAppointment {
        clinic_id: schedule.clinic.id,
        doctor_id: schedule.doctor.id,
        patient_id: req.patient_id,
        visit_type_id: visit.id,
        start: req.start,
        shape: visit.shape(),
        reason: req.reason,
        note: req.note,
        price_halalas: visit.price_halalas,
        booked_by: actor.id,
        rescheduled_from: req.rescheduled_from,
    };
    let payload = serde_json::json!({
        "doctor_id": schedule.doctor.id,
        "patient_id": req.patient_id,
        "start": req.start.to_string(),
        "rescheduled_from": req.rescheduled_from,
    });
    let audit = AuditEntry::new("appointment.create", Outcome::Success)
        .actor(actor.id, actor.role)
        .ip(ip)
        .details(payload.clone());
    let record = BookingRecord {
        event_kind: "appointment.created",
        payload,
        audit: &audit,
    };
    let max_active = i64::from(schedule.rules.max_active_bookings);
    let id = match db::schedule::insert_appointment(&mut *tx, &new, max_active, record).await {
        Ok(Some(id)) => id,
        Ok(None) => return Err(AppError::Rule("err-too-many-bookings".into())),
        Err(DbError::Constraint(name)) if name == "appointments_doctor_no_overlap" => {
            drop(tx);
            return Err(AppError::SlotTaken(
                schedule.alternatives(pool, &visit, req.start, now).await,
            ));
        }
        Err(DbError::Constraint(name)) if name == "appointments_patient_no_overlap" => {
            return Err(AppError::Rule("err-patient-overlap".into()));
        }
        Err(err) => return Err(err.into()),
    };
    if let Some(old) = req.rescheduled_from {
        db::schedule::record_event(
            &mut *tx,
            old,
            "appointment.rescheduled",
            serde_json::json!({ "new_id": id }),
        )
        .await?;
    }
    // Only now is it known which part of the old time the new booking did not take back.
    if let Some(old) = req.rescheduled_from {
        crate::waitlist::offer_freed(&mut tx, old, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Moves an appointment through the state machine, with the role and policy checks around it.
/// A time given up (a cancellation, a declined offer) is offered to the waitlist in the same
/// transaction, so it is never free and unheld in between.
pub async fn change_status(
    pool: &PgPool,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    action: Action,
    reason: Option<&str>,
) -> Result<Status, AppError> {
    let now = Timestamp::now();
    let mut tx = pool.begin().await?;
    let next = apply_status(&mut tx, actor, ip, id, action, reason, now).await?;
    if next == Status::Cancelled {
        crate::waitlist::offer_freed(&mut tx, id, now).await?;
    }
    tx.commit().await?;
    Ok(next)
}

async fn apply_status(
    tx: &mut sqlx::PgConnection,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    action: Action,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<Status, AppError> {
    let locked = db::schedule::lock_for_change(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = match (actor.role, action) {
        // Lapsing is the clock's decision, never a person's.
        (_, Action::ExpireOffer) => false,
        (Role::Patient, Action::Cancel | Action::AcceptOffer | Action::DeclineOffer) => {
            db::family::may_act_for(&mut *tx, actor.id, locked.patient_id).await?
        }
        (Role::Patient, _) => false,
        // An offer is the patient's to answer, themselves or through the desk on their word.
        (Role::Doctor, Action::AcceptOffer | Action::DeclineOffer) => false,
        (Role::Doctor, _) => locked.doctor_id == actor.id,
        (Role::Receptionist | Role::Admin, _) => true,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    // Only a patient's cancellation and accepting an offer depend on the clinic's rules, so
    // check-ins and the doctor's steps do not read them.
    let patient_cancel = action == Action::Cancel && actor.role == Role::Patient;
    if patient_cancel || action == Action::AcceptOffer {
        let rules = db::schedule::clinic_rules(&mut *tx, locked.clinic_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if patient_cancel
            && now + SignedDuration::from_mins(i64::from(rules.cancel_cutoff_minutes))
                > locked.start
        {
            return Err(AppError::Rule("err-cancel-too-late".into()));
        }
        if action == Action::AcceptOffer {
            if locked.hold_expires_at.is_none_or(|until| until <= now) {
                return Err(AppError::Rule("err-offer-expired".into()));
            }
            db::schedule::lock_patient(&mut *tx, locked.patient_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let active = db::schedule::active_future_bookings(&mut *tx, locked.patient_id).await?;
            if active >= i64::from(rules.max_active_bookings) {
                return Err(AppError::Rule("err-too-many-bookings".into()));
            }
        }
    }
    let next = transition(
        locked.status,
        action,
        now.as_second(),
        locked.start.as_second(),
    )
    .map_err(|k| AppError::Rule(k.into()))?;
    record_transition(tx, Some(actor), ip, id, &locked, action, next, reason).await?;
    Ok(next)
}

/// Writes a decided transition: the row, the waitlist entry it settles, the outbox and the audit.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_transition(
    tx: &mut sqlx::PgConnection,
    actor: Option<&CurrentUser>,
    ip: Option<IpAddr>,
    id: Uuid,
    locked: &db::schedule::Locked,
    action: Action,
    next: Status,
    reason: Option<&str>,
) -> Result<(), AppError> {
    db::schedule::set_status(&mut *tx, id, next, reason).await?;
    if let Some(entry) = locked.waitlist_entry_id {
        let entry_status = match action {
            Action::AcceptOffer => Some("booked"),
            Action::DeclineOffer | Action::ExpireOffer => Some("waiting"),
            _ => None,
        };
        if let Some(status) = entry_status {
            db::waitlist::set_entry_status(&mut *tx, entry, status).await?;
        }
    }
    let payload = serde_json::json!({ "from": locked.status, "to": next, "reason": reason });
    db::schedule::record_event(&mut *tx, id, action.event(), payload.clone()).await?;
    if action == Action::AcceptOffer {
        let created = serde_json::json!({
            "doctor_id": locked.doctor_id,
            "patient_id": locked.patient_id,
            "start": locked.start.to_string(),
            "via": "waitlist",
        });
        db::schedule::record_event(&mut *tx, id, "appointment.created", created).await?;
    }
    let mut entry = AuditEntry::new("appointment.status", Outcome::Success)
        .subject("appointment", id)
        .ip(ip)
        .details(payload);
    if let Some(actor) = actor {
        entry = entry.actor(actor.id, actor.role);
    }
    db::audit::record(&mut *tx, &entry).await?;
    Ok(())
}
