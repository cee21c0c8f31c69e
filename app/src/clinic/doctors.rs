//! A doctor's setup: the visit types they offer, their profile and specialty, their hours at
//! each branch and the branches they work at. Each change is one transaction with its audit
//! row; changes to one doctor's hours and branches take turns (`lock_doctor`).

use crate::clinic::domain::{hours::WorkingInterval, profiles::Profile};
use crate::clinic::service::{commit_audited, find_doctor, Editor};
use crate::kernel::{db::DbError, error::AppError, service_error::ServiceError};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn offer_visit_type(
    pool: &PgPool,
    by: &Editor,
    doctor: Uuid,
    visit: Uuid,
    offered: bool,
) -> Result<(), ServiceError> {
    let doctor = find_doctor(pool, doctor).await?;
    let mut tx = pool.begin().await?;
    crate::clinic::db::setup::set_offered(&mut *tx, doctor.id, visit, offered).await?;
    let details = serde_json::json!({ "visit_type_id": visit, "offered": offered });
    commit_audited(tx, by, "doctor.visit_types", ("doctor", doctor.id), details).await
}

/// Saves the profile; `specialty` `None` keeps the doctor's specialty.
pub async fn save_profile(
    pool: &PgPool,
    by: &Editor,
    doctor: Uuid,
    profile: &Profile,
    specialty: Option<Uuid>,
) -> Result<(), ServiceError> {
    let doctor = find_doctor(pool, doctor).await?;
    let mut tx = pool.begin().await?;
    crate::clinic::db::setup::update_profile(&mut *tx, doctor.id, profile, specialty).await?;
    let mut details = crate::kernel::audit::details(profile)?;
    details["specialty_id"] = serde_json::json!(specialty);
    commit_audited(tx, by, "doctor.profile", ("doctor", doctor.id), details).await
}

/// Adds hours at `clinic` (the doctor's home branch when `None`). Refused when they overlap
/// the doctor's other hours (at any branch) or fall on a day the branch is closed.
pub async fn add_hours(
    pool: &PgPool,
    by: &Editor,
    doctor: Uuid,
    clinic: Option<Uuid>,
    interval: &WorkingInterval,
) -> Result<(), ServiceError> {
    let doctor = find_doctor(pool, doctor).await?;
    let mut tx = pool.begin().await?;
    // Edits of one doctor's hours take turns, so two desks cannot add overlapping intervals.
    crate::clinic::db::setup::lock_doctor(&mut *tx, doctor.id).await?;
    if crate::clinic::db::setup::hours_overlap(&mut *tx, doctor.id, interval).await? {
        return Err(AppError::field("starts_at", "err-hours-overlap").into());
    }
    // A branch the doctor does not work at is refused by `working_hours_doctor_clinic`.
    let clinic = clinic.unwrap_or(doctor.clinic_id);
    let opens = crate::clinic::db::doctors::clinic_rules(&mut *tx, clinic)
        .await?
        .is_none_or(|branch| branch.week().opens(interval.weekday));
    if !opens {
        return Err(AppError::field("weekday", "err-hours-closed-day").into());
    }
    let id = crate::clinic::db::setup::insert_hours(&mut *tx, doctor.id, clinic, interval).await?;
    let details = crate::kernel::audit::details(interval)?;
    commit_audited(tx, by, "hours.create", ("working_hours", id), details).await
}

/// Adds the doctor to a branch or takes them off one. Their last branch stays, and a branch
/// where they still have hours cannot be left until those hours are removed.
pub async fn set_branch(
    pool: &PgPool,
    by: &Editor,
    doctor: Uuid,
    clinic: Uuid,
    works: bool,
) -> Result<(), ServiceError> {
    let doctor = find_doctor(pool, doctor).await?;
    let mut tx = pool.begin().await?;
    // One change to a doctor's branches at a time, so two desks cannot remove the last two.
    crate::clinic::db::setup::lock_doctor(&mut *tx, doctor.id).await?;
    if works {
        crate::clinic::db::clinics::add_doctor_branch(&mut *tx, doctor.id, clinic).await?;
    } else {
        match crate::clinic::db::clinics::remove_doctor_branch(&mut *tx, doctor.id, clinic).await {
            Ok(true) => {}
            Ok(false) => return Err(AppError::Rule("err-branch-last".into()).into()),
            Err(DbError::Constraint(name))
                if name == "working_hours_doctor_clinic"
                    || name == "ramadan_hours_doctor_clinic" =>
            {
                return Err(AppError::Rule("err-branch-has-hours".into()).into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let details = serde_json::json!({ "clinic_id": clinic, "works": works });
    commit_audited(tx, by, "doctor.branches", ("doctor", doctor.id), details).await
}

/// Removes one interval of hours; returns how many booked visits to come fell in it (they stay
/// booked: the desk contacts the patients).
pub async fn remove_hours(
    pool: &PgPool,
    by: &Editor,
    doctor: Uuid,
    id: Uuid,
) -> Result<i64, ServiceError> {
    let mut tx = pool.begin().await?;
    let stranded = crate::clinic::db::setup::delete_hours(&mut *tx, doctor, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let details = serde_json::json!({ "doctor_id": doctor, "stranded": stranded });
    commit_audited(tx, by, "hours.delete", ("working_hours", id), details).await?;
    Ok(stranded)
}
