//! The waitlist queue and the offers that hold a freed time for the first patient in it.

use crate::kernel::db::classify;
use crate::kernel::db::to_odt;
use crate::kernel::db::to_time_date;
use crate::kernel::db::to_ts;
use crate::kernel::db::DbError;
use crate::scheduling::model::WaitlistView;
use jiff::Timestamp;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

pub struct NewEntry {
    pub patient_id: Uuid,
    pub requested_by: Uuid,
    pub clinic_id: Uuid,
    /// Exactly one of the two: a named doctor, or any doctor of a specialty.
    pub doctor_id: Option<Uuid>,
    pub specialty_id: Option<Uuid>,
    pub from: jiff::civil::Date,
    pub until: jiff::civil::Date,
}

/// Closes a patient's wishes whose dates have all passed, so they may wait again.
pub async fn close_past_entries(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    today: jiff::civil::Date,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"UPDATE waitlist_entries SET status = 'left'
           WHERE patient_id = $1 AND status = 'waiting' AND until_date < $2"#,
        patient_id,
        to_time_date(today)
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_entry(db: impl PgExecutor<'_>, e: &NewEntry) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO waitlist_entries
               (id, patient_id, requested_by, clinic_id, doctor_id, specialty_id, from_date, until_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id,
        e.patient_id,
        e.requested_by,
        e.clinic_id,
        e.doctor_id,
        e.specialty_id,
        to_time_date(e.from),
        to_time_date(e.until),
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Open and recent wishes of a guardian and their family.
pub async fn entries_for(pool: &PgPool, user_id: Uuid) -> Result<Vec<WaitlistView>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT e.id, pu.first_name || ' ' || pu.family_name AS "patient_name!",
                  du.first_name || ' ' || du.family_name AS doctor_name, du.latin_name AS doctor_latin,
                  s.name_ar AS specialty_ar, s.name_en AS specialty_en,
                  e.from_date, e.until_date, e.status::text AS "status!"
           FROM waitlist_entries e
           JOIN users pu ON pu.id = e.patient_id
           LEFT JOIN users du ON du.id = e.doctor_id
           LEFT JOIN doctor_profiles d ON d.user_id = e.doctor_id
           JOIN specialties s ON s.id = coalesce(e.specialty_id, d.specialty_id)
           JOIN clinics c ON c.id = e.clinic_id
           WHERE (e.patient_id = $1
                  OR e.patient_id IN (SELECT dependent_id FROM dependents WHERE guardian_id = $1))
             AND e.status IN ('waiting', 'offered')
             AND e.until_date >= (now() AT TIME ZONE c.timezone)::date
           ORDER BY e.created_at"#,
        user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WaitlistView {
            id: r.id,
            patient_name: r.patient_name,
            doctor_name: r.doctor_name,
            doctor_latin: r.doctor_latin,
            specialty_ar: r.specialty_ar,
            specialty_en: r.specialty_en,
            from: crate::kernel::db::to_jiff_date(r.from_date),
            until: crate::kernel::db::to_jiff_date(r.until_date),
            status: r.status,
        })
        .collect())
}

pub struct EntryOwner {
    pub patient_id: Uuid,
    pub status: String,
}

pub async fn lock_entry(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<EntryOwner>, DbError> {
    Ok(sqlx::query_as!(
        EntryOwner,
        r#"SELECT patient_id, status::text AS "status!" FROM waitlist_entries WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(db)
    .await?)
}

/// `status` is one of the `waitlist_status` values; callers pass constants.
pub async fn set_entry_status(
    db: impl PgExecutor<'_>,
    id: Uuid,
    status: &str,
) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE waitlist_entries SET status = $2::text::waitlist_status WHERE id = $1",
        id,
        status
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The open offer made on an entry, if any.
pub async fn open_offer(db: impl PgExecutor<'_>, entry_id: Uuid) -> Result<Option<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM appointments WHERE waitlist_entry_id = $1 AND status = 'held'",
        entry_id
    )
    .fetch_optional(db)
    .await?)
}

pub struct Offer {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub entry_id: Uuid,
    pub expires_at: Timestamp,
    pub offered_from: Uuid,
}

/// Holds the time of `freed` (a cancelled appointment or a lapsed offer) for the longest-waiting
/// patient whose wish covers it: the same doctor, or any doctor of that specialty, on a date in
/// their range, far enough ahead to be bookable, on a day the branch is open and not closed for
/// a holiday or the doctor's leave, with nothing else at that time, and never twice to the same
/// patient for the same freed time. The hold is an appointment row in status
/// `held`, so the exclusion constraints keep everyone else off it.
pub async fn offer_next(
    tx: &mut sqlx::PgConnection,
    freed: Uuid,
    now: Timestamp,
) -> Result<Option<Offer>, DbError> {
    let row = sqlx::query!(
        r#"WITH slot AS (
               SELECT a.*, c.timezone, c.waitlist_hold_minutes, c.min_notice_minutes, d.specialty_id,
                      coalesce(a.offered_from, a.id) AS origin
               FROM appointments a
               JOIN clinics c ON c.id = a.clinic_id
               JOIN doctor_profiles d ON d.user_id = a.doctor_id
               WHERE a.id = $1 AND a.status = 'cancelled'
                 AND lower(a.during) > $3::timestamptz + make_interval(mins => c.min_notice_minutes)
                 -- A time on a day the branch has since closed, or closed for a holiday or the
                 -- doctor's leave, is not offered: nobody could book it either.
                 AND extract(dow FROM lower(a.during) AT TIME ZONE c.timezone)::smallint
                     = ANY (c.working_days)
                 AND NOT EXISTS (
                     SELECT 1 FROM closures k
                     WHERE ((k.clinic_id = a.clinic_id AND k.doctor_id IS NULL) OR k.doctor_id = a.doctor_id)
                       AND (lower(a.during) AT TIME ZONE c.timezone)::date BETWEEN k.starts_on AND k.ends_on)
           ), candidate AS (
               SELECT e.id, e.patient_id
               FROM waitlist_entries e, slot s
               WHERE e.status = 'waiting' AND e.clinic_id = s.clinic_id
                 AND (e.doctor_id = s.doctor_id
                      OR (e.doctor_id IS NULL AND e.specialty_id = s.specialty_id))
                 AND (lower(s.during) AT TIME ZONE s.timezone)::date BETWEEN e.from_date AND e.until_date
                 AND e.patient_id <> s.patient_id
                 AND NOT EXISTS (SELECT 1 FROM appointments h
                                 WHERE h.offered_from = s.origin AND h.patient_id = e.patient_id)
                 AND NOT EXISTS (SELECT 1 FROM appointments o
                                 WHERE o.patient_id = e.patient_id AND o.status <> 'cancelled'
                                   AND o.during && s.during)
               ORDER BY e.created_at
               LIMIT 1
               FOR UPDATE OF e SKIP LOCKED
           )
           INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during, blocked,
                                     status, price_halalas, booked_by, waitlist_entry_id,
                                     hold_expires_at, offered_from)
           SELECT $2, s.clinic_id, s.doctor_id, c.patient_id, s.visit_type_id, s.during, s.blocked,
                  'held', s.price_halalas, c.patient_id, c.id,
                  $3::timestamptz + make_interval(mins => s.waitlist_hold_minutes), s.origin
           FROM slot s, candidate c
           RETURNING id, patient_id, waitlist_entry_id AS "entry_id!",
                     hold_expires_at AS "expires_at!", offered_from AS "offered_from!""#,
        freed,
        Uuid::new_v4(),
        to_odt(now),
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(classify)?;
    Ok(row.map(|r| Offer {
        id: r.id,
        patient_id: r.patient_id,
        entry_id: r.entry_id,
        expires_at: to_ts(r.expires_at),
        offered_from: r.offered_from,
    }))
}

/// The next offer whose hold has run out, locked; others working the queue skip it.
pub async fn lock_lapsed_offer(
    db: impl PgExecutor<'_>,
    now: Timestamp,
) -> Result<Option<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id FROM appointments
           WHERE hold_expires_at IS NOT NULL AND hold_expires_at <= $1 AND status = 'held'
           ORDER BY hold_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED"#,
        to_odt(now)
    )
    .fetch_optional(db)
    .await?)
}
