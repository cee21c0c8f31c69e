//! SQL behind the setup screens: booking rules, visit types, weekly hours and closures.

use crate::clinic::domain::hours::WorkingInterval;
use crate::clinic::domain::profiles::Details;
use crate::clinic::domain::profiles::Profile;
use crate::clinic::domain::setup::ClosureSpec;
use crate::clinic::domain::setup::Rules;
use crate::clinic::domain::setup::VisitTypeSpec;
use crate::clinic::domain::working_week::WorkingWeek;
use crate::clinic::model::ClosureRow;
use crate::clinic::model::HoursRow;
use crate::clinic::model::VisitTypeInfo;
use crate::kernel::db::classify;
use crate::kernel::db::to_jiff_date;
use crate::kernel::db::to_jiff_time;
use crate::kernel::db::to_time_date;
use crate::kernel::db::to_time_of_day;
use crate::kernel::db::DbError;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

pub async fn update_rules(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    r: &Rules,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"UPDATE clinics SET timezone = $2, booking_horizon_days = $3, min_notice_minutes = $4,
               cancel_cutoff_minutes = $5, max_active_bookings = $6, waitlist_hold_minutes = $7
           WHERE id = $1"#,
        clinic_id,
        r.timezone,
        r.booking_horizon_days,
        r.min_notice_minutes,
        r.cancel_cutoff_minutes,
        r.max_active_bookings,
        r.waitlist_hold_minutes,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Sets the branch's open weekdays; returns how many of its booked visits still to come fall
/// on a day it now closes (they stay booked: the desk decides what to do with them).
pub async fn update_working_week(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    week: WorkingWeek,
) -> Result<i64, DbError> {
    sqlx::query_scalar!(
        r#"WITH updated AS (
               UPDATE clinics SET working_days = $2 WHERE id = $1
               RETURNING id, timezone, working_days
           )
           SELECT count(a.id) AS "stranded!"
           FROM updated c
           LEFT JOIN appointments a
             ON a.clinic_id = c.id AND a.status IN ('booked', 'held') AND lower(a.during) > now()
            AND extract(dow FROM lower(a.during) AT TIME ZONE c.timezone)::smallint <> ALL (c.working_days)"#,
        clinic_id,
        &week.days()
    )
    .fetch_one(db)
    .await
    .map_err(classify)
}

/// The clinic's visit types; `offered` is set for those `doctor_id` offers (none when `None`).
pub async fn visit_types(
    pool: &PgPool,
    clinic_id: Uuid,
    doctor_id: Option<Uuid>,
) -> Result<Vec<VisitTypeInfo>, DbError> {
    Ok(sqlx::query_as!(
        VisitTypeInfo,
        r#"SELECT v.id, v.name_ar, v.name_en, v.duration_minutes, v.price_halalas,
                  v.buffer_before_minutes, v.buffer_after_minutes,
                  EXISTS (SELECT 1 FROM doctor_visit_types dv
                          WHERE dv.visit_type_id = v.id AND dv.doctor_id = $2) AS "offered!"
           FROM visit_types v WHERE v.clinic_id = $1
           ORDER BY v.duration_minutes DESC, v.name_en"#,
        clinic_id,
        doctor_id
    )
    .fetch_all(pool)
    .await?)
}

pub async fn insert_visit_type(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    v: &VisitTypeSpec,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO visit_types (id, clinic_id, name_ar, name_en, duration_minutes, price_halalas,
               buffer_before_minutes, buffer_after_minutes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id,
        clinic_id,
        v.name_ar,
        v.name_en,
        v.duration_minutes,
        v.price_halalas,
        v.buffer_before_minutes,
        v.buffer_after_minutes,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Changes a visit type for bookings made from now on; booked visits keep their price and
/// length, which the appointment rows carry themselves.
pub async fn update_visit_type(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    id: Uuid,
    v: &VisitTypeSpec,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        r#"UPDATE visit_types SET name_ar = $3, name_en = $4, duration_minutes = $5, price_halalas = $6,
               buffer_before_minutes = $7, buffer_after_minutes = $8
           WHERE id = $1 AND clinic_id = $2"#,
        id,
        clinic_id,
        v.name_ar,
        v.name_en,
        v.duration_minutes,
        v.price_halalas,
        v.buffer_before_minutes,
        v.buffer_after_minutes,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}

/// Starts or stops a doctor offering a visit type of one of the branches they work at.
pub async fn set_offered(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    visit_type_id: Uuid,
    offered: bool,
) -> Result<bool, DbError> {
    let done = if offered {
        sqlx::query!(
            r#"INSERT INTO doctor_visit_types (doctor_id, visit_type_id)
               SELECT $1, v.id FROM visit_types v
               JOIN doctor_clinics dc ON dc.clinic_id = v.clinic_id AND dc.doctor_id = $1
               WHERE v.id = $2
               ON CONFLICT DO NOTHING"#,
            doctor_id,
            visit_type_id
        )
        .execute(db)
        .await?
    } else {
        sqlx::query!(
            "DELETE FROM doctor_visit_types WHERE doctor_id = $1 AND visit_type_id = $2",
            doctor_id,
            visit_type_id
        )
        .execute(db)
        .await?
    };
    Ok(done.rows_affected() <= 1)
}

pub async fn hours(pool: &PgPool, doctor_id: Uuid) -> Result<Vec<HoursRow>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT w.id, w.clinic_id, w.weekday, w.starts_at, w.ends_at, w.valid_from, w.valid_until,
                  w.weekday = ANY (c.working_days) AS "open!"
           FROM working_hours w JOIN clinics c ON c.id = w.clinic_id
           WHERE w.doctor_id = $1
           ORDER BY w.valid_from NULLS FIRST, w.weekday, w.starts_at"#,
        doctor_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HoursRow {
            id: r.id,
            clinic_id: r.clinic_id,
            branch_open: r.open,
            interval: WorkingInterval {
                weekday: r.weekday as i8,
                start: to_jiff_time(r.starts_at),
                end: to_jiff_time(r.ends_at),
                valid_from: r.valid_from.map(to_jiff_date),
                valid_until: r.valid_until.map(to_jiff_date),
                ramadan: false,
            },
        })
        .collect())
}

/// Locks a doctor's profile row until the transaction ends, so changes to one doctor's hours
/// and branches take turns.
pub async fn lock_doctor(db: impl PgExecutor<'_>, doctor_id: Uuid) -> Result<(), DbError> {
    sqlx::query!(
        "SELECT 1 AS locked FROM doctor_profiles WHERE user_id = $1 FOR UPDATE",
        doctor_id
    )
    .fetch_optional(db)
    .await?;
    Ok(())
}

/// Whether `w` would overlap an interval the doctor already has on the same weekday in the
/// same week pattern (the regular week, or an override whose dates meet `w`'s).
pub async fn hours_overlap(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    w: &WorkingInterval,
) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (
               SELECT 1 FROM working_hours
               WHERE doctor_id = $1 AND weekday = $2 AND starts_at < $4 AND ends_at > $3
                 AND ((valid_from IS NULL AND $5::date IS NULL)
                      OR (valid_from <= $6::date AND valid_until >= $5::date))) AS "overlap!""#,
        doctor_id,
        i16::from(w.weekday),
        to_time_of_day(w.start),
        to_time_of_day(w.end),
        w.valid_from.map(to_time_date),
        w.valid_until.map(to_time_date),
    )
    .fetch_one(db)
    .await?)
}

pub async fn insert_hours(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    clinic_id: Uuid,
    w: &WorkingInterval,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO working_hours (id, doctor_id, clinic_id, weekday, starts_at, ends_at, valid_from, valid_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id,
        doctor_id,
        clinic_id,
        i16::from(w.weekday),
        to_time_of_day(w.start),
        to_time_of_day(w.end),
        w.valid_from.map(to_time_date),
        w.valid_until.map(to_time_date),
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Deletes one interval of the doctor's hours and counts their booked visits to come that it
/// held (same branch, weekday and time of day, within its dates for an override): they stay
/// booked, and the desk is told. `None` when the doctor has no such interval.
pub async fn delete_hours(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    id: Uuid,
) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar!(
        r#"WITH gone AS (
               DELETE FROM working_hours WHERE id = $1 AND doctor_id = $2
               RETURNING clinic_id, weekday, starts_at, ends_at, valid_from, valid_until
           )
           SELECT count(a.id) AS "stranded!"
           FROM gone g
           JOIN clinics c ON c.id = g.clinic_id
           LEFT JOIN LATERAL (SELECT lower(during) AT TIME ZONE c.timezone AS local_start, id
                              FROM appointments
                              WHERE doctor_id = $2 AND clinic_id = g.clinic_id
                                AND status IN ('booked', 'held') AND lower(during) > now()) a
             ON extract(dow FROM a.local_start)::smallint = g.weekday
            AND a.local_start::time >= g.starts_at AND a.local_start::time < g.ends_at
            AND (g.valid_from IS NULL OR a.local_start::date BETWEEN g.valid_from AND g.valid_until)
           GROUP BY g.weekday"#,
        id,
        doctor_id
    )
    .fetch_optional(db)
    .await?)
}

/// Closures that have not ended by `today`: the clinic's own (`doctor_id` `None`) or one doctor's.
pub async fn closures(
    pool: &PgPool,
    clinic_id: Uuid,
    doctor_id: Option<Uuid>,
    today: jiff::civil::Date,
) -> Result<Vec<ClosureRow>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT id, starts_on, ends_on, reason_ar, reason_en FROM closures
           WHERE clinic_id = $1 AND doctor_id IS NOT DISTINCT FROM $2 AND ends_on >= $3
             AND holiday_kind IS NULL
           ORDER BY starts_on"#,
        clinic_id,
        doctor_id,
        to_time_date(today)
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ClosureRow {
            id: r.id,
            starts_on: to_jiff_date(r.starts_on),
            ends_on: to_jiff_date(r.ends_on),
            reason_ar: r.reason_ar,
            reason_en: r.reason_en,
        })
        .collect())
}

pub async fn insert_closure(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    doctor_id: Option<Uuid>,
    c: &ClosureSpec,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO closures (id, clinic_id, doctor_id, starts_on, ends_on, reason_ar, reason_en)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        clinic_id,
        doctor_id,
        to_time_date(c.starts_on),
        to_time_date(c.ends_on),
        c.reason_ar,
        c.reason_en,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

pub async fn delete_closure(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    doctor_id: Option<Uuid>,
    id: Uuid,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "DELETE FROM closures WHERE id = $1 AND clinic_id = $2 AND doctor_id IS NOT DISTINCT FROM $3
         AND holiday_kind IS NULL",
        id,
        clinic_id,
        doctor_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Booked visits (not yet started) that fall on dates a closure covers — at the branch for a
/// holiday, at any branch for a doctor's leave — for the warning the desk needs: a closure
/// does not cancel anyone by itself.
pub async fn booked_during(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    doctor_id: Option<Uuid>,
    c: &ClosureSpec,
    timezone: &str,
) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM appointments
           WHERE CASE WHEN $2::uuid IS NULL THEN clinic_id = $1 ELSE doctor_id = $2 END
             AND status IN ('booked', 'held') AND lower(during) > now()
             AND (lower(during) AT TIME ZONE $5)::date BETWEEN $3 AND $4"#,
        clinic_id,
        doctor_id,
        to_time_date(c.starts_on),
        to_time_date(c.ends_on),
        timezone
    )
    .fetch_one(db)
    .await?)
}

pub async fn details(db: impl PgExecutor<'_>, clinic_id: Uuid) -> Result<Option<Details>, DbError> {
    Ok(sqlx::query_as!(
        Details,
        "SELECT name_ar, name_en, address_ar, address_en, phone FROM clinics WHERE id = $1",
        clinic_id
    )
    .fetch_optional(db)
    .await?)
}

pub async fn update_details(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    d: &Details,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"UPDATE clinics SET name_ar = $2, name_en = $3, address_ar = $4, address_en = $5, phone = $6
           WHERE id = $1"#,
        clinic_id,
        d.name_ar,
        d.name_en,
        d.address_ar,
        d.address_en,
        d.phone,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn update_profile(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    p: &Profile,
    specialty: Option<Uuid>,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        r#"UPDATE doctor_profiles SET sex = $2, languages = $3, bio_ar = $4, bio_en = $5,
               specialty_id = coalesce($6, specialty_id)
           WHERE user_id = $1"#,
        doctor_id,
        p.sex.as_str(),
        &p.languages,
        p.bio_ar,
        p.bio_en,
        specialty,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}

/// The branch's reminder rules; `None` for no such branch.
pub async fn reminder_rules(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
) -> Result<Option<crate::clinic::domain::reminders::ReminderRules>, DbError> {
    let row = sqlx::query!(
        "SELECT reminder_lead_minutes, quiet_from, quiet_until FROM clinics WHERE id = $1",
        clinic_id
    )
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|r| crate::clinic::domain::reminders::ReminderRules {
            lead_minutes: r.reminder_lead_minutes,
            quiet: r
                .quiet_from
                .zip(r.quiet_until)
                .map(|(from, until)| (to_jiff_time(from), to_jiff_time(until))),
        }),
    )
}

/// Stores the branch's reminder rules; false for no such branch.
pub async fn update_reminder_rules(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    rules: &crate::clinic::domain::reminders::ReminderRules,
) -> Result<bool, DbError> {
    let updated = sqlx::query!(
        "UPDATE clinics SET reminder_lead_minutes = $2, quiet_from = $3, quiet_until = $4
         WHERE id = $1",
        clinic_id,
        &rules.lead_minutes,
        rules.quiet.map(|(from, _)| to_time_of_day(from)),
        rules.quiet.map(|(_, until)| to_time_of_day(until)),
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(updated.rows_affected() == 1)
}

/// The branch's prayer-break settings; `None` for no such branch.
pub async fn prayer_settings(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
) -> Result<Option<crate::clinic::domain::prayer::PrayerSettings>, DbError> {
    use crate::clinic::domain::prayer::{Prayer, PrayerSettings};
    let row = sqlx::query!(
        "SELECT latitude, longitude, prayer_breaks, prayer_break_minutes FROM clinics WHERE id = $1",
        clinic_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| PrayerSettings {
        position: r.latitude.zip(r.longitude),
        prayers: r
            .prayer_breaks
            .iter()
            .filter_map(|p| Prayer::from_code(p))
            .collect(),
        minutes: r.prayer_break_minutes,
    }))
}

/// Stores the branch's prayer-break settings; false for no such branch.
pub async fn update_prayer_settings(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
    s: &crate::clinic::domain::prayer::PrayerSettings,
) -> Result<bool, DbError> {
    let prayers: Vec<String> = s.prayers.iter().map(|p| p.code().to_owned()).collect();
    let done = sqlx::query!(
        "UPDATE clinics SET latitude = $2, longitude = $3, prayer_breaks = $4,
                            prayer_break_minutes = $5
         WHERE id = $1",
        clinic_id,
        s.position.map(|p| p.0),
        s.position.map(|p| p.1),
        &prayers,
        s.minutes,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(done.rows_affected() == 1)
}
