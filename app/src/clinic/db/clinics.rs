use crate::clinic::domain::profiles::Details;
use crate::clinic::domain::specialty::SpecialtyNames;
use crate::kernel::db::classify;
use crate::kernel::db::DbError;
use crate::kernel::values::Named;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

/// The clinic this installation runs; the first one created.
pub async fn primary_clinic(pool: &PgPool) -> Result<Option<Named>, DbError> {
    Ok(sqlx::query_as!(
        Named,
        "SELECT id, name_ar, name_en FROM clinics ORDER BY created_at, id LIMIT 1"
    )
    .fetch_optional(pool)
    .await?)
}

/// How many clinics (branches) exist; none before the first admin set one up.
pub async fn count(db: impl PgExecutor<'_>) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM clinics"#)
            .fetch_one(db)
            .await?,
    )
}

/// A clinic with its names only; every other setting keeps its default until set up.
pub async fn insert_named(
    db: impl PgExecutor<'_>,
    name_ar: &str,
    name_en: &str,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO clinics (id, name_ar, name_en) VALUES ($1, $2, $3)",
        id,
        name_ar,
        name_en
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

pub async fn specialties(pool: &PgPool) -> Result<Vec<Named>, DbError> {
    Ok(sqlx::query_as!(
        Named,
        "SELECT id, name_ar, name_en FROM specialties ORDER BY name_en"
    )
    .fetch_all(pool)
    .await?)
}

pub async fn insert_specialty(
    db: impl PgExecutor<'_>,
    names: &SpecialtyNames,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO specialties (id, name_ar, name_en) VALUES ($1, $2, $3)",
        id,
        names.name_ar,
        names.name_en
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Renames a specialty; `false` when there is no such specialty.
pub async fn rename_specialty(
    db: impl PgExecutor<'_>,
    id: Uuid,
    names: &SpecialtyNames,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "UPDATE specialties SET name_ar = $2, name_en = $3 WHERE id = $1",
        id,
        names.name_ar,
        names.name_en
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}

/// Every branch, oldest first.
pub async fn branches(pool: &PgPool) -> Result<Vec<Named>, DbError> {
    Ok(sqlx::query_as!(
        Named,
        "SELECT id, name_ar, name_en FROM clinics ORDER BY created_at, id"
    )
    .fetch_all(pool)
    .await?)
}

/// Opens a branch with `details`, starting from the booking rules, visit types and coming
/// public holidays of `source`, so the new branch can take bookings as soon as its doctors
/// have hours there.
pub async fn insert_branch(
    db: impl PgExecutor<'_>,
    source: Uuid,
    details: &Details,
) -> Result<Option<Uuid>, DbError> {
    let id = Uuid::new_v4();
    let created = sqlx::query_scalar!(
        r#"WITH branch AS (
               INSERT INTO clinics (id, name_ar, name_en, address_ar, address_en, phone, timezone,
                   booking_horizon_days, min_notice_minutes, cancel_cutoff_minutes,
                   max_active_bookings, waitlist_hold_minutes, working_days,
                   reminder_lead_minutes, quiet_from, quiet_until)
               SELECT $1, $2, $3, $4, $5, $6, timezone, booking_horizon_days, min_notice_minutes,
                      cancel_cutoff_minutes, max_active_bookings, waitlist_hold_minutes, working_days,
                      reminder_lead_minutes, quiet_from, quiet_until
               FROM clinics WHERE id = $7
               RETURNING id
           ), services AS (
               INSERT INTO visit_types (id, clinic_id, name_ar, name_en, duration_minutes,
                   price_halalas, buffer_before_minutes, buffer_after_minutes)
               SELECT gen_random_uuid(), branch.id, v.name_ar, v.name_en, v.duration_minutes,
                      v.price_halalas, v.buffer_before_minutes, v.buffer_after_minutes
               FROM visit_types v, branch WHERE v.clinic_id = $7
           ), holidays AS (
               INSERT INTO closures (id, clinic_id, starts_on, ends_on, reason_ar, reason_en)
               SELECT gen_random_uuid(), branch.id, k.starts_on, k.ends_on, k.reason_ar, k.reason_en
               FROM closures k, branch
               WHERE k.clinic_id = $7 AND k.doctor_id IS NULL AND k.ends_on >= current_date
                 AND k.holiday_kind IS NULL
           )
           SELECT id AS "id!" FROM branch"#,
        id,
        details.name_ar,
        details.name_en,
        details.address_ar,
        details.address_en,
        details.phone,
        source,
    )
    .fetch_optional(db)
    .await
    .map_err(classify)?;
    Ok(created)
}

/// Every branch, each marked with whether `doctor_id` works there.
pub async fn doctor_branches(
    pool: &PgPool,
    doctor_id: Uuid,
) -> Result<Vec<(Named, bool)>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT c.id, c.name_ar, c.name_en,
                  EXISTS (SELECT 1 FROM doctor_clinics dc
                          WHERE dc.clinic_id = c.id AND dc.doctor_id = $1) AS "works!"
           FROM clinics c ORDER BY c.created_at, c.id"#,
        doctor_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let branch = Named {
                id: r.id,
                name_ar: r.name_ar,
                name_en: r.name_en,
            };
            (branch, r.works)
        })
        .collect())
}

pub async fn add_doctor_branch(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    clinic_id: Uuid,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"INSERT INTO doctor_clinics (doctor_id, clinic_id)
           SELECT $1, id FROM clinics WHERE id = $2
           ON CONFLICT DO NOTHING"#,
        doctor_id,
        clinic_id
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Takes a doctor off a branch unless it is their only one; `false` when nothing was removed.
/// Refused by `working_hours_doctor_clinic` while they still have hours there.
pub async fn remove_doctor_branch(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    clinic_id: Uuid,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        r#"DELETE FROM doctor_clinics
           WHERE doctor_id = $1 AND clinic_id = $2
             AND (SELECT count(*) FROM doctor_clinics WHERE doctor_id = $1) > 1"#,
        doctor_id,
        clinic_id
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}
