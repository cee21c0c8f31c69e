//! SQL of Ramadan hours: a doctor's own at a branch, or a branch's default (`doctor_id` NULL).

use crate::clinic::domain::hours::WorkingInterval;
use crate::kernel::db::{classify, to_jiff_time, to_time_of_day, DbError};
use sqlx::PgExecutor;
use uuid::Uuid;

pub use crate::clinic::model::RamadanRow;

/// The Ramadan hours of `doctor` (at every branch), or the default of `clinic` when `doctor`
/// is `None`.
pub async fn list(
    db: impl PgExecutor<'_>,
    clinic: Option<Uuid>,
    doctor: Option<Uuid>,
) -> Result<Vec<RamadanRow>, DbError> {
    let rows = sqlx::query!(
        "SELECT id, clinic_id, weekday, starts_at, ends_at FROM ramadan_hours
         WHERE doctor_id IS NOT DISTINCT FROM $2 AND ($1::uuid IS NULL OR clinic_id = $1)
         ORDER BY clinic_id, weekday, starts_at",
        clinic,
        doctor
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RamadanRow {
            id: r.id,
            clinic_id: r.clinic_id,
            interval: WorkingInterval {
                weekday: r.weekday as i8,
                start: to_jiff_time(r.starts_at),
                end: to_jiff_time(r.ends_at),
                valid_from: None,
                valid_until: None,
                ramadan: true,
            },
        })
        .collect())
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    clinic: Uuid,
    doctor: Option<Uuid>,
    iv: &WorkingInterval,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO ramadan_hours (id, clinic_id, doctor_id, weekday, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        clinic,
        doctor,
        i16::from(iv.weekday),
        to_time_of_day(iv.start),
        to_time_of_day(iv.end),
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Removes one interval of `doctor`'s (or, `None`, a branch default's); returns its branch,
/// `None` when there is no such interval.
pub async fn delete(
    db: impl PgExecutor<'_>,
    doctor: Option<Uuid>,
    id: Uuid,
) -> Result<Option<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        "DELETE FROM ramadan_hours WHERE id = $1 AND doctor_id IS NOT DISTINCT FROM $2
         RETURNING clinic_id",
        id,
        doctor
    )
    .fetch_optional(db)
    .await?)
}
