//! A branch's settings — booking rules, details, visit types, working week — opening a branch,
//! and the clinic's specialties. Each change is one transaction with its audit row.

use crate::clinic::domain::{
    profiles::Details,
    setup::{Rules, VisitTypeSpec},
    specialty::SpecialtyNames,
    working_week::WorkingWeek,
};
use crate::clinic::service::{commit_audited, Editor};
use crate::kernel::{error::AppError, service_error::ServiceError};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn save_rules(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    rules: &Rules,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    crate::clinic::db::setup::update_rules(&mut *tx, clinic, rules).await?;
    let details = crate::kernel::audit::details(rules)?;
    commit_audited(tx, by, "clinic.rules", ("clinic", clinic), details).await
}

/// Stores the branch's reminder rules; visits booked or moved from now on are reminded by them.
pub async fn save_reminder_rules(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    rules: &crate::clinic::domain::reminders::ReminderRules,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    if !crate::clinic::db::setup::update_reminder_rules(&mut *tx, clinic, rules).await? {
        return Err(AppError::NotFound.into());
    }
    let details = crate::kernel::audit::details(rules)?;
    commit_audited(tx, by, "clinic.reminders", ("clinic", clinic), details).await
}

/// Stores the branch's prayer breaks; slots overlapping them are no longer offered.
pub async fn save_prayer_breaks(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    settings: &crate::clinic::domain::prayer::PrayerSettings,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    if !crate::clinic::db::setup::update_prayer_settings(&mut *tx, clinic, settings).await? {
        return Err(AppError::NotFound.into());
    }
    let details = crate::kernel::audit::details(settings)?;
    commit_audited(tx, by, "clinic.prayer_breaks", ("clinic", clinic), details).await
}

pub async fn save_details(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    details: &Details,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    crate::clinic::db::setup::update_details(&mut *tx, clinic, details).await?;
    let changes = crate::kernel::audit::details(details)?;
    commit_audited(tx, by, "clinic.details", ("clinic", clinic), changes).await
}

/// Adds a visit type to the branch (`existing` `None`) or changes one of its own.
pub async fn save_visit_type(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    existing: Option<Uuid>,
    spec: &VisitTypeSpec,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let (action, id) = match existing {
        None => (
            "visit_type.create",
            crate::clinic::db::setup::insert_visit_type(&mut *tx, clinic, spec).await?,
        ),
        Some(id) => {
            if !crate::clinic::db::setup::update_visit_type(&mut *tx, clinic, id, spec).await? {
                return Err(AppError::NotFound.into());
            }
            ("visit_type.update", id)
        }
    };
    let details = crate::kernel::audit::details(spec)?;
    commit_audited(tx, by, action, ("visit_type", id), details).await
}

/// Opens a branch with `source`'s booking rules, visit types and coming holidays; returns its id.
pub async fn add_branch(
    pool: &PgPool,
    by: &Editor,
    source: Uuid,
    details: &Details,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    let id = crate::clinic::db::clinics::insert_branch(&mut *tx, source, details)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    crate::clinic::holidays::keep(&mut tx, id, today).await?;
    let changes = crate::kernel::audit::details(details)?;
    commit_audited(tx, by, "clinic.create", ("clinic", id), changes).await?;
    Ok(id)
}

/// Sets the days the branch opens; returns how many booked visits to come fall on days it now
/// closes (they stay booked).
pub async fn save_working_week(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    week: WorkingWeek,
) -> Result<i64, ServiceError> {
    let mut tx = pool.begin().await?;
    let stranded = crate::clinic::db::setup::update_working_week(&mut *tx, clinic, week).await?;
    let details = serde_json::json!({ "working_days": week.days(), "stranded": stranded });
    commit_audited(tx, by, "clinic.working_week", ("clinic", clinic), details).await?;
    Ok(stranded)
}

/// Adds a specialty (`existing` `None`) or renames one.
pub async fn save_specialty(
    pool: &PgPool,
    by: &Editor,
    existing: Option<Uuid>,
    names: &SpecialtyNames,
) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    let (action, id) = match existing {
        Some(id) => {
            if !crate::clinic::db::clinics::rename_specialty(&mut *tx, id, names).await? {
                return Err(AppError::NotFound.into());
            }
            ("specialty.update", id)
        }
        None => (
            "specialty.create",
            crate::clinic::db::clinics::insert_specialty(&mut *tx, names).await?,
        ),
    };
    let details = crate::kernel::audit::details(names)?;
    commit_audited(tx, by, action, ("specialty", id), details).await
}
