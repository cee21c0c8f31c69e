//! Booking decisions that need the database: availability from stored hours and bookings, and
//! the booking and cancelling transactions. Rules themselves live in `crate::scheduling::domain::schedule` and
//! `crate::scheduling::domain::appointment`; the guarantee against double booking lives in PostgreSQL.

use crate::kernel::audit::AuditEntry;
use crate::kernel::audit::Outcome;
use crate::kernel::auth::CurrentUser;
use crate::kernel::db::DbError;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::values::Role;
use crate::scheduling::db::schedule::BookingRecord;
use crate::scheduling::db::schedule::NewAppointment;
use crate::scheduling::domain::appointment::transition;
use crate::scheduling::domain::appointment::Action;
use crate::scheduling::domain::appointment::Status;
use crate::scheduling::{
    cache::ScheduleCache, schedule::DoctorSchedule, transition::record_transition,
};
use jiff::{SignedDuration, Timestamp};
use sqlx::PgPool;
use std::net::IpAddr;

use uuid::Uuid;

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
    /// When a patient books: the most visits to come they and their family members may hold
    /// together (one account must not book out a calendar through its dependents).
    pub family_cap: Option<i64>,
}

/// Books in one transaction: courtesy checks, the insert the database may refuse, the outbox
/// event and the audit row. Returns the new appointment's id.
pub async fn book(
    pool: &PgPool,
    cache: &ScheduleCache,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    mut req: BookingRequest,
) -> Result<Uuid, ServiceError> {
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
            return Err(AppError::Rule("err-slot-unavailable".into()).into());
        }
    }

    let mut tx = pool.begin().await?;
    // A reschedule frees the old time first, in the same transaction, so the new booking may
    // overlap it and a refused new booking leaves the old one untouched. The new time is for
    // the same patient, whoever the form named.
    if let Some(old) = req.rescheduled_from {
        req.patient_id = crate::scheduling::db::schedule::lock_for_change(&mut *tx, old)
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
    if let (Some(cap), Role::Patient) = (req.family_cap, actor.role) {
        // The guardian's row first, then the patient's: every booking locks in that order.
        let held = crate::scheduling::db::schedule::lock_family_bookings(&mut tx, actor.id).await?;
        if held >= cap {
            return Err(AppError::Rule("err-family-too-many-bookings".into()).into());
        }
    }
    let version = crate::scheduling::db::schedule::lock_patient(&mut *tx, req.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if version != schedule.version {
        schedule = cache
            .reload(&mut *tx, req.doctor_id, Some(schedule.clinic.id), now)
            .await?;
        if !offers(&schedule)? {
            return Err(AppError::Rule("err-slot-unavailable".into()).into());
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
    let id = match crate::scheduling::db::schedule::insert_appointment(
        &mut *tx, &new, max_active, record,
    )
    .await
    {
        Ok(Some(id)) => id,
        Ok(None) => return Err(AppError::Rule("err-too-many-bookings".into()).into()),
        Err(DbError::Constraint(name)) if name == "appointments_doctor_no_overlap" => {
            drop(tx);
            let alternatives = schedule.alternatives(pool, &visit, req.start, now).await;
            return Err(
                AppError::SlotTaken(alternatives.iter().map(|t| t.to_string()).collect()).into(),
            );
        }
        Err(DbError::Constraint(name)) if name == "appointments_patient_no_overlap" => {
            return Err(AppError::Rule("err-patient-overlap".into()).into());
        }
        Err(err) => return Err(err.into()),
    };
    if let Some(old) = req.rescheduled_from {
        crate::scheduling::db::schedule::record_event(
            &mut *tx,
            old,
            "appointment.rescheduled",
            serde_json::json!({ "new_id": id }),
        )
        .await?;
    }
    // Only now is it known which part of the old time the new booking did not take back.
    if let Some(old) = req.rescheduled_from {
        crate::scheduling::waitlist::offer_freed(&mut tx, old, now).await?;
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
) -> Result<Status, ServiceError> {
    let now = Timestamp::now();
    let mut tx = pool.begin().await?;
    let next = apply_status(&mut tx, actor, ip, id, action, reason, now).await?;
    if next == Status::Cancelled {
        crate::scheduling::waitlist::offer_freed(&mut tx, id, now).await?;
    }
    tx.commit().await?;
    Ok(next)
}

/// A status change inside the caller's transaction: the access check, the rules, the row and
/// its outbox and audit rows. The records service opens and closes a consultation with it.
pub async fn apply_status(
    tx: &mut sqlx::PgConnection,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    action: Action,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<Status, ServiceError> {
    let locked = crate::scheduling::db::schedule::lock_for_change(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parties = crate::kernel::access::Parties {
        patient_id: locked.patient_id,
        doctor_id: locked.doctor_id,
    };
    let allowed =
        crate::kernel::access::may_change_status(&mut *tx, actor, action.access(), parties).await?;
    if !allowed {
        // Someone who may not even see the visit learns nothing of it, as for reads.
        let sees = crate::kernel::access::may_read_appointment(&mut *tx, actor, parties).await?;
        return Err(if sees {
            AppError::Forbidden
        } else {
            AppError::NotFound
        }
        .into());
    }
    // Only a patient's cancellation and accepting an offer depend on the clinic's rules, so
    // check-ins and the doctor's steps do not read them.
    let patient_cancel = action == Action::Cancel && actor.role == Role::Patient;
    if patient_cancel || action == Action::AcceptOffer {
        let rules = crate::clinic::service::clinic_rules(&mut *tx, locked.clinic_id).await?;
        if patient_cancel
            && now + SignedDuration::from_mins(i64::from(rules.cancel_cutoff_minutes))
                > locked.start
        {
            return Err(AppError::Rule("err-cancel-too-late".into()).into());
        }
        if action == Action::AcceptOffer {
            if locked.hold_expires_at.is_none_or(|until| until <= now) {
                return Err(AppError::Rule("err-offer-expired".into()).into());
            }
            crate::scheduling::db::schedule::lock_patient(&mut *tx, locked.patient_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let active = crate::scheduling::db::schedule::active_future_bookings(
                &mut *tx,
                locked.patient_id,
            )
            .await?;
            if active >= i64::from(rules.max_active_bookings) {
                return Err(AppError::Rule("err-too-many-bookings".into()).into());
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
