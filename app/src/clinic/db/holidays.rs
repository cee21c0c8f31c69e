//! SQL of a branch's holiday calendar: its rules, the Eids moved for a sighting, and the
//! closure rows the rules are kept as (marked with their holiday and year).

use crate::clinic::domain::holidays::{FitrStart, HolidayKind, HolidayRule, Occurrence, Shift};
use crate::kernel::db::{classify, to_jiff_date, to_time_date, DbError};
use sqlx::PgExecutor;
use uuid::Uuid;

pub async fn rules(db: impl PgExecutor<'_>, clinic_id: Uuid) -> Result<Vec<HolidayRule>, DbError> {
    let rows = sqlx::query!(
        "SELECT kind, enabled, days, fitr_start FROM branch_holidays WHERE clinic_id = $1",
        clinic_id
    )
    .fetch_all(db)
    .await?;
    let mut rules: Vec<HolidayRule> = rows
        .into_iter()
        .filter_map(|r| {
            Some(HolidayRule {
                kind: HolidayKind::from_code(&r.kind)?,
                enabled: r.enabled,
                days: u8::try_from(r.days).ok()?,
                fitr_start: FitrStart::from_code(&r.fitr_start)?,
            })
        })
        .collect();
    rules.sort_by_key(|r| r.kind);
    Ok(rules)
}

pub async fn save_rule(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    rule: &HolidayRule,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO branch_holidays (clinic_id, kind, enabled, days, fitr_start)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (clinic_id, kind)
         DO UPDATE SET enabled = EXCLUDED.enabled, days = EXCLUDED.days,
                       fitr_start = EXCLUDED.fitr_start",
        clinic_id,
        rule.kind.code(),
        rule.enabled,
        i16::from(rule.days),
        rule.fitr_start.code(),
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn shifts(db: impl PgExecutor<'_>, clinic_id: Uuid) -> Result<Vec<Shift>, DbError> {
    let rows = sqlx::query!(
        "SELECT kind, hijri_year, days FROM holiday_shifts WHERE clinic_id = $1",
        clinic_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Shift {
                kind: HolidayKind::from_code(&r.kind)?,
                year: r.hijri_year,
                days: i8::try_from(r.days).ok()?,
            })
        })
        .collect())
}

/// Sets one year's move of an Eid; 0 removes it.
pub async fn set_shift(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    shift: &Shift,
) -> Result<(), DbError> {
    sqlx::query!(
        "WITH gone AS (
             DELETE FROM holiday_shifts WHERE clinic_id = $1 AND kind = $2 AND hijri_year = $3
         )
         INSERT INTO holiday_shifts (clinic_id, kind, hijri_year, days)
         SELECT $1, $2, $3, $4::smallint WHERE $4::smallint <> 0
         ON CONFLICT (clinic_id, kind, hijri_year) DO UPDATE SET days = EXCLUDED.days",
        clinic_id,
        shift.kind.code(),
        shift.year,
        i16::from(shift.days),
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The holiday closures kept for the branch that have not ended by `today`.
pub async fn kept(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    today: jiff::civil::Date,
) -> Result<Vec<Occurrence>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT holiday_kind AS "kind!", holiday_year AS "year!", starts_on, ends_on
           FROM closures
           WHERE clinic_id = $1 AND holiday_kind IS NOT NULL AND ends_on >= $2
           ORDER BY starts_on"#,
        clinic_id,
        to_time_date(today)
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Occurrence {
                kind: HolidayKind::from_code(&r.kind)?,
                year: r.year,
                from: to_jiff_date(r.starts_on),
                until: to_jiff_date(r.ends_on),
            })
        })
        .collect())
}

/// Removes the branch's holiday closures not ended by `today` that are not in `wanted`.
pub async fn remove_other(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    today: jiff::civil::Date,
    wanted: &[Occurrence],
) -> Result<u64, DbError> {
    let kinds: Vec<String> = wanted.iter().map(|o| o.kind.code().to_owned()).collect();
    let years: Vec<i32> = wanted.iter().map(|o| o.year).collect();
    let done = sqlx::query!(
        "DELETE FROM closures k
         WHERE k.clinic_id = $1 AND k.holiday_kind IS NOT NULL AND k.ends_on >= $2
           AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::int[]) w (kind, year)
                           WHERE w.kind = k.holiday_kind AND w.year = k.holiday_year)",
        clinic_id,
        to_time_date(today),
        &kinds,
        &years,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Keeps `o` as a closure of the branch named `(ar, en)`, moving the one kept for the same
/// holiday and year.
pub async fn keep(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    o: &Occurrence,
    name: (&str, &str),
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO closures (id, clinic_id, starts_on, ends_on, reason_ar, reason_en,
                               holiday_kind, holiday_year)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (clinic_id, holiday_kind, holiday_year) WHERE holiday_kind IS NOT NULL
         DO UPDATE SET starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
                       reason_ar = EXCLUDED.reason_ar, reason_en = EXCLUDED.reason_en",
        Uuid::new_v4(),
        clinic_id,
        to_time_date(o.from),
        to_time_date(o.until),
        name.0,
        name.1,
        o.kind.code(),
        o.year,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Every branch, for keeping all their holidays at start-up.
pub async fn branch_ids(db: impl PgExecutor<'_>) -> Result<Vec<Uuid>, DbError> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM clinics ORDER BY created_at")
            .fetch_all(db)
            .await?,
    )
}

/// Booked visits to come at the branch on any of `days` (its local dates).
pub async fn booked_on(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    days: &[jiff::civil::Date],
) -> Result<i64, DbError> {
    let days: Vec<time::Date> = days.iter().copied().map(to_time_date).collect();
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM appointments a JOIN clinics c ON c.id = a.clinic_id
           WHERE a.clinic_id = $1 AND a.status IN ('booked', 'held') AND lower(a.during) > now()
             AND (lower(a.during) AT TIME ZONE c.timezone)::date = ANY ($2)"#,
        clinic_id,
        &days
    )
    .fetch_one(db)
    .await?)
}
