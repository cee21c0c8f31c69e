//! The waitlist: joining and leaving it, offering freed times in queue order, and letting
//! offers lapse. An offer is an appointment in status `held`, so the database keeps everyone
//! else off the time exactly as it does for a booking.

use crate::kernel::audit::AuditEntry;
use crate::kernel::audit::Outcome;
use crate::kernel::auth::CurrentUser;
use crate::kernel::db::DbError;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::scheduling::db::waitlist::NewEntry;
use crate::scheduling::domain::appointment::transition;
use crate::scheduling::domain::appointment::Action;
use crate::scheduling::domain::waitlist::WaitRange;
use crate::scheduling::schedule::DoctorSchedule;
use jiff::Timestamp;
use sqlx::{Connection, PgPool};
use std::net::IpAddr;
use uuid::Uuid;

/// Offers the time `freed` gave up to the first eligible patient waiting for it. A failure to
/// place the offer (someone booked the time meanwhile) leaves the surrounding change intact.
pub async fn offer_freed(
    tx: &mut sqlx::PgConnection,
    freed: Uuid,
    now: Timestamp,
) -> Result<Option<Uuid>, ServiceError> {
    if !still_on_offer(tx, freed, now).await? {
        tracing::info!(%freed, "freed time no longer on the doctor's schedule; not offered");
        return Ok(None);
    }
    let mut savepoint = tx.begin().await?;
    let offer = match crate::scheduling::db::waitlist::offer_next(&mut savepoint, freed, now).await
    {
        Ok(Some(offer)) => offer,
        Ok(None) => return Ok(None),
        Err(DbError::Constraint(name)) => {
            tracing::info!(%freed, constraint = %name, "freed time taken before it could be offered");
            savepoint.rollback().await?;
            return Ok(None);
        }
        Err(err) => return Err(err.into()),
    };
    crate::scheduling::db::waitlist::set_entry_status(&mut *savepoint, offer.entry_id, "offered")
        .await?;
    let payload = serde_json::json!({
        "patient_id": offer.patient_id,
        "entry_id": offer.entry_id,
        "expires_at": offer.expires_at.to_string(),
        "offered_from": offer.offered_from,
    });
    crate::scheduling::db::schedule::record_event(
        &mut *savepoint,
        offer.id,
        "waitlist.offered",
        payload.clone(),
    )
    .await?;
    let entry = AuditEntry::new("waitlist.offer", Outcome::Success)
        .subject("appointment", offer.id)
        .details(payload);
    crate::kernel::audit::record(&mut *savepoint, &entry).await?;
    savepoint.commit().await?;
    Ok(Some(offer.id))
}

/// Whether the freed time is still one the doctor's schedule offers. Hours, prayer breaks,
/// Ramadan hours, holidays and visit types may all have changed since it was booked, and an
/// offer of a time nobody could book would put a patient in a visit the clinic does not hold.
/// (`offer_next` repeats the day checks in SQL; this adds everything the slot grid knows.)
async fn still_on_offer(
    tx: &mut sqlx::PgConnection,
    freed: Uuid,
    now: Timestamp,
) -> Result<bool, ServiceError> {
    let Some(slot) = crate::scheduling::db::schedule::lock_for_change(&mut *tx, freed).await?
    else {
        return Ok(false);
    };
    let schedule =
        match DoctorSchedule::load(&mut *tx, slot.doctor_id, Some(slot.clinic_id), now).await {
            Ok(schedule) => schedule,
            // The doctor has left the branch or the clinic since.
            Err(ServiceError::Refused(AppError::NotFound)) => return Ok(false),
            Err(err) => return Err(err),
        };
    Ok(schedule
        .visit_type(slot.visit_type_id)
        .is_ok_and(|visit| schedule.on_grid(visit, slot.start, now)))
}

/// Lets every offer whose hold ran out by `now` lapse, each passed on to the next patient in
/// line in its own transaction. Returns how many lapsed.
pub async fn expire_lapsed(pool: &PgPool, now: Timestamp) -> Result<usize, ServiceError> {
    let mut lapsed = 0;
    loop {
        let mut tx = pool.begin().await?;
        let Some(id) = crate::scheduling::db::waitlist::lock_lapsed_offer(&mut *tx, now).await?
        else {
            return Ok(lapsed);
        };
        let locked = crate::scheduling::db::schedule::lock_for_change(&mut *tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let next = transition(
            locked.status,
            Action::ExpireOffer,
            now.as_second(),
            locked.start.as_second(),
        )
        .map_err(|k| AppError::Rule(k.into()))?;
        crate::scheduling::transition::record_transition(
            &mut tx,
            None,
            None,
            id,
            &locked,
            Action::ExpireOffer,
            next,
            Some("offer lapsed"),
        )
        .await?;
        offer_freed(&mut tx, id, now).await?;
        tx.commit().await?;
        lapsed += 1;
    }
}

pub struct JoinRequest {
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    /// The branch; the doctor's oldest branch when `None`.
    pub clinic_id: Option<Uuid>,
    /// Any doctor of the named doctor's specialty will do.
    pub any_doctor: bool,
    /// The dates as typed; checked against today in the clinic's time zone.
    pub from: String,
    pub until: String,
}

pub async fn join(
    pool: &PgPool,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    req: JoinRequest,
) -> Result<Uuid, ServiceError> {
    let now = Timestamp::now();
    let schedule = DoctorSchedule::load(pool, req.doctor_id, req.clinic_id, now).await?;
    let doctor = &schedule.doctor;
    let range = WaitRange::parse(&req.from, &req.until, schedule.today(now))
        .map_err(AppError::Validation)?;
    let entry = NewEntry {
        patient_id: req.patient_id,
        requested_by: actor.id,
        clinic_id: schedule.clinic.id,
        doctor_id: (!req.any_doctor).then_some(doctor.id),
        specialty_id: req.any_doctor.then_some(doctor.specialty_id),
        from: range.from,
        until: range.until,
    };
    let mut tx = pool.begin().await?;
    crate::scheduling::db::waitlist::close_past_entries(
        &mut *tx,
        req.patient_id,
        schedule.today(now),
    )
    .await?;
    let id = crate::scheduling::db::waitlist::insert_entry(&mut *tx, &entry).await?;
    let audit = AuditEntry::new("waitlist.join", Outcome::Success)
        .actor(actor.id, actor.role)
        .subject("waitlist_entry", id)
        .ip(ip)
        .details(serde_json::json!({
            "patient_id": req.patient_id,
            "doctor_id": entry.doctor_id,
            "specialty_id": entry.specialty_id,
            "from": range.from.to_string(),
            "until": range.until.to_string(),
        }));
    crate::kernel::audit::record(&mut *tx, &audit).await?;
    tx.commit().await?;
    Ok(id)
}

/// Leaves the waitlist; an open offer on the entry is declined and passed on.
pub async fn leave(
    pool: &PgPool,
    actor: &CurrentUser,
    ip: Option<IpAddr>,
    entry_id: Uuid,
) -> Result<(), ServiceError> {
    let now = Timestamp::now();
    let mut tx = pool.begin().await?;
    let owner = crate::scheduling::db::waitlist::lock_entry(&mut *tx, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::kernel::access::db::may_act_for(&mut *tx, actor.id, owner.patient_id).await? {
        return Err(AppError::NotFound.into());
    }
    if !matches!(owner.status.as_str(), "waiting" | "offered") {
        return Err(AppError::Rule("err-waitlist-closed".into()).into());
    }
    if let Some(offer) = crate::scheduling::db::waitlist::open_offer(&mut *tx, entry_id).await? {
        let locked = crate::scheduling::db::schedule::lock_for_change(&mut *tx, offer)
            .await?
            .ok_or(AppError::NotFound)?;
        let next = transition(locked.status, Action::DeclineOffer, 0, 0)
            .map_err(|k| AppError::Rule(k.into()))?;
        crate::scheduling::transition::record_transition(
            &mut tx,
            Some(actor),
            ip,
            offer,
            &locked,
            Action::DeclineOffer,
            next,
            Some("left the waitlist"),
        )
        .await?;
        offer_freed(&mut tx, offer, now).await?;
    }
    crate::scheduling::db::waitlist::set_entry_status(&mut *tx, entry_id, "left").await?;
    let audit = AuditEntry::new("waitlist.leave", Outcome::Success)
        .actor(actor.id, actor.role)
        .subject("waitlist_entry", entry_id)
        .ip(ip);
    crate::kernel::audit::record(&mut *tx, &audit).await?;
    tx.commit().await?;
    Ok(())
}
