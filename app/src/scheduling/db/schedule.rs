//! SQL for clinics' booking rules, doctors' hours and appointments.

use crate::clinic::domain::hours::Closure;
use crate::clinic::domain::hours::WorkingInterval;
use crate::clinic::model::{ClinicRules, DoctorRow};
use crate::kernel::db::classify;
use crate::kernel::db::{to_odt, to_ts, DbError};
use crate::scheduling::domain::appointment::Status;
use crate::scheduling::domain::schedule::Busy;
use crate::scheduling::domain::schedule::VisitShape;
use crate::scheduling::model::AppointmentView;
use jiff::Timestamp;
use sqlx::{postgres::types::PgRange, types::Json, PgExecutor, PgPool};
use std::ops::Bound;
use time::OffsetDateTime;
use uuid::Uuid;

/// The half-open span `[start, end)` as PostgreSQL stores `blocked`.
pub(crate) fn range(start: Timestamp, end: Timestamp) -> PgRange<OffsetDateTime> {
    PgRange {
        start: Bound::Included(to_odt(start)),
        end: Bound::Excluded(to_odt(end)),
    }
}

/// Everything slot generation needs about a doctor at one branch besides their bookings, read
/// in one round trip: who they are, the branch and its rules, visit types, hours there and
/// coming closures (the branch's holidays and the doctor's leave, which holds everywhere).
pub struct ScheduleRow {
    pub doctor: DoctorRow,
    pub clinic: crate::kernel::values::Named,
    pub rules: ClinicRules,
    pub visit_types: Vec<VisitTypeRow>,
    pub hours: Vec<WorkingInterval>,
    pub closures: Vec<Closure>,
    pub prayer: Option<crate::clinic::domain::prayer::PrayerBreaks>,
    /// `schedule_version` as this read saw it.
    pub version: i64,
}

/// The schedules of `doctor_ids` (active doctors only) at each branch they work at, or only
/// at `clinic`; the oldest branch first. Closures are those not ended by `now` in each
/// branch's own calendar.
pub async fn schedules(
    db: impl PgExecutor<'_>,
    doctor_ids: &[Uuid],
    clinic: Option<Uuid>,
    now: Timestamp,
) -> Result<Vec<ScheduleRow>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT u.id, c.id AS clinic_id, c.name_ar AS clinic_ar, c.name_en AS clinic_en,
                  u.first_name || ' ' || u.family_name AS "name_ar!",
                  u.latin_name, d.specialty_id, s.name_ar AS specialty_ar, s.name_en AS specialty_en,
                  d.sex, d.bio_ar, d.bio_en, d.languages,
                  c.timezone, c.booking_horizon_days, c.min_notice_minutes, c.cancel_cutoff_minutes,
                  c.max_active_bookings, c.waitlist_hold_minutes, c.working_days,
                  c.latitude, c.longitude, c.prayer_breaks, c.prayer_break_minutes,
                  (SELECT version FROM schedule_version) AS "version!",
                  coalesce((SELECT json_agg(json_build_object(
                                'id', v.id, 'name_ar', v.name_ar, 'name_en', v.name_en,
                                'duration_minutes', v.duration_minutes, 'price_halalas', v.price_halalas,
                                'buffer_before_minutes', v.buffer_before_minutes,
                                'buffer_after_minutes', v.buffer_after_minutes)
                              ORDER BY v.duration_minutes DESC, v.name_en)
                            FROM doctor_visit_types dv JOIN visit_types v ON v.id = dv.visit_type_id
                            WHERE dv.doctor_id = d.user_id AND v.clinic_id = c.id), '[]')
                      AS "visit_types!: Json<Vec<VisitTypeRow>>",
                  coalesce((SELECT json_agg(h.iv) FROM (
                                SELECT json_build_object(
                                    'weekday', w.weekday, 'start', w.starts_at, 'end', w.ends_at,
                                    'valid_from', w.valid_from, 'valid_until', w.valid_until) AS iv
                                FROM working_hours w
                                WHERE w.doctor_id = d.user_id AND w.clinic_id = c.id
                                UNION ALL
                                -- The doctor's Ramadan hours, or else the branch's.
                                SELECT json_build_object(
                                    'weekday', r.weekday, 'start', r.starts_at, 'end', r.ends_at,
                                    'valid_from', NULL, 'valid_until', NULL, 'ramadan', true)
                                FROM ramadan_hours r
                                WHERE r.clinic_id = c.id
                                  AND (r.doctor_id = d.user_id
                                       OR (r.doctor_id IS NULL AND NOT EXISTS (
                                           SELECT 1 FROM ramadan_hours o
                                           WHERE o.clinic_id = c.id AND o.doctor_id = d.user_id)))
                            ) h), '[]')
                      AS "hours!: Json<Vec<WorkingInterval>>",
                  coalesce((SELECT json_agg(json_build_object(
                                'from', k.starts_on, 'until', k.ends_on,
                                'reason_ar', CASE WHEN k.doctor_id IS NULL THEN k.reason_ar END,
                                'reason_en', CASE WHEN k.doctor_id IS NULL THEN k.reason_en END))
                            FROM closures k
                            WHERE ((k.clinic_id = c.id AND k.doctor_id IS NULL) OR k.doctor_id = d.user_id)
                              AND k.ends_on >= ($3::timestamptz AT TIME ZONE c.timezone)::date), '[]')
                      AS "closures!: Json<Vec<Closure>>"
           FROM doctor_clinics dc
           JOIN doctor_profiles d ON d.user_id = dc.doctor_id
           JOIN users u ON u.id = d.user_id AND u.is_active
           JOIN specialties s ON s.id = d.specialty_id
           JOIN clinics c ON c.id = dc.clinic_id
           WHERE dc.doctor_id = ANY($1) AND ($2::uuid IS NULL OR dc.clinic_id = $2)
           ORDER BY c.created_at, c.id"#,
        doctor_ids,
        clinic,
        to_odt(now)
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ScheduleRow {
            doctor: DoctorRow {
                id: r.id,
                clinic_id: r.clinic_id,
                name_ar: r.name_ar,
                latin_name: r.latin_name,
                specialty_id: r.specialty_id,
                specialty_ar: r.specialty_ar,
                specialty_en: r.specialty_en,
                sex: r.sex,
                bio_ar: r.bio_ar,
                bio_en: r.bio_en,
                languages: r.languages,
            },
            clinic: crate::kernel::values::Named {
                id: r.clinic_id,
                name_ar: r.clinic_ar,
                name_en: r.clinic_en,
            },
            rules: ClinicRules {
                id: r.clinic_id,
                timezone: r.timezone,
                booking_horizon_days: r.booking_horizon_days,
                min_notice_minutes: r.min_notice_minutes,
                cancel_cutoff_minutes: r.cancel_cutoff_minutes,
                max_active_bookings: r.max_active_bookings,
                waitlist_hold_minutes: r.waitlist_hold_minutes,
                working_days: r.working_days,
            },
            visit_types: r.visit_types.0,
            hours: r.hours.0,
            closures: r.closures.0,
            prayer: prayer_breaks(
                r.latitude,
                r.longitude,
                &r.prayer_breaks,
                r.prayer_break_minutes,
            ),
            version: r.version,
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VisitTypeRow {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
    pub duration_minutes: i32,
    pub price_halalas: i32,
    pub buffer_before_minutes: i32,
    pub buffer_after_minutes: i32,
}

impl VisitTypeRow {
    pub fn shape(&self) -> VisitShape {
        VisitShape {
            duration_minutes: i64::from(self.duration_minutes),
            buffer_before_minutes: i64::from(self.buffer_before_minutes),
            buffer_after_minutes: i64::from(self.buffer_after_minutes),
        }
    }
}

/// What the doctor already has between `from` and `until`, buffers included.
pub async fn busy(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<Busy>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT lower(blocked) AS "start!", upper(blocked) AS "end!"
           FROM appointments
           WHERE doctor_id = $1 AND status <> 'cancelled' AND blocked && $2
           ORDER BY lower(blocked)"#,
        doctor_id,
        range(from, until) as PgRange<OffsetDateTime>
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Busy {
            start: to_ts(r.start),
            end: to_ts(r.end),
        })
        .collect())
}

/// What one round trip tells about a doctor's bookings: the `schedule_version` and the
/// doctor's `doctor_bookings_version` the statement's snapshot saw, and their bookings in the
/// window, unless the caller already holds them at that bookings version.
pub struct BusyAtVersion {
    pub schedule_version: i64,
    pub bookings_version: i64,
    /// `None` when `known` was the current bookings version: the caller's copy is current.
    pub busy: Option<Vec<Busy>>,
}

/// `busy`, together with the versions the same snapshot saw; the bookings are read only when
/// `known` (the bookings version of a copy the caller holds) is not the current one. A doctor
/// without a version row has never had a booking that counts: version 0.
pub async fn busy_at_version(
    db: impl PgExecutor<'_>,
    doctor_id: Uuid,
    from: Timestamp,
    until: Timestamp,
    known: Option<i64>,
) -> Result<BusyAtVersion, DbError> {
    let rows = sqlx::query!(
        r#"SELECT v.version AS "version!", coalesce(b.version, 0) AS "bookings!",
                  lower(a.blocked) AS "start?", upper(a.blocked) AS "end?"
           FROM schedule_version v
           LEFT JOIN doctor_bookings_version b ON b.doctor_id = $1
           LEFT JOIN appointments a
             ON coalesce(b.version, 0) IS DISTINCT FROM $3
                AND a.doctor_id = $1 AND a.status <> 'cancelled' AND a.blocked && $2
           ORDER BY lower(a.blocked)"#,
        doctor_id,
        range(from, until) as PgRange<OffsetDateTime>,
        known
    )
    .fetch_all(db)
    .await?;
    let (schedule_version, bookings_version) = rows
        .first()
        .map(|r| (r.version, r.bookings))
        .unwrap_or_default();
    if known == Some(bookings_version) {
        return Ok(BusyAtVersion {
            schedule_version,
            bookings_version,
            busy: None,
        });
    }
    let busy = rows
        .into_iter()
        .filter_map(|r| match (r.start, r.end) {
            (Some(start), Some(end)) => Some(Busy {
                start: to_ts(start),
                end: to_ts(end),
            }),
            _ => None,
        })
        .collect();
    Ok(BusyAtVersion {
        schedule_version,
        bookings_version,
        busy: Some(busy),
    })
}

pub struct NewAppointment {
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub patient_id: Uuid,
    pub visit_type_id: Uuid,
    pub start: Timestamp,
    pub shape: VisitShape,
    pub reason: String,
    pub note: String,
    pub price_halalas: i32,
    pub booked_by: Uuid,
    pub rescheduled_from: Option<Uuid>,
}

/// What a booking writes besides the appointment: its outbox event and its audit row.
pub struct BookingRecord<'a> {
    pub event_kind: &'a str,
    pub payload: serde_json::Value,
    pub audit: &'a crate::kernel::audit::AuditEntry,
}

/// Books in one statement, unless the patient already has `max_active` booked visits to come:
/// the appointment, its outbox event and its audit row (same columns as `audit::record`).
/// Returns `None` over the limit. Call after `lock_patient` in the same transaction, so the
/// count here sees every booking committed for this patient.
pub async fn insert_appointment(
    db: impl PgExecutor<'_>,
    new: &NewAppointment,
    max_active: i64,
    record: BookingRecord<'_>,
) -> Result<Option<Uuid>, DbError> {
    let id = Uuid::new_v4();
    let end = new.start + jiff::SignedDuration::from_mins(new.shape.duration_minutes);
    let blocked = new.shape.blocked(new.start);
    let audit = record.audit;
    let created = sqlx::query_scalar!(
        r#"WITH active AS (
               SELECT count(*) AS n FROM appointments
               WHERE patient_id = $4 AND status = 'booked' AND lower(during) > now()
           ), created AS (
               INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during,
                   blocked, reason, note, price_halalas, booked_by, rescheduled_from)
               SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
               FROM active WHERE active.n < $13
               RETURNING id
           ), event AS (
               INSERT INTO appointment_events (appointment_id, kind, payload)
               SELECT id, $14, $15 FROM created
           )
           INSERT INTO audit_log (actor_id, actor_role, action, subject_type, subject_id, ip, outcome, details)
           SELECT $16, $17, $18, 'appointment', id::text, $19, 'success', $20 FROM created
           RETURNING id"#,
        id,
        new.clinic_id,
        new.doctor_id,
        new.patient_id,
        new.visit_type_id,
        range(new.start, end) as PgRange<OffsetDateTime>,
        range(blocked.start, blocked.end) as PgRange<OffsetDateTime>,
        new.reason,
        new.note,
        new.price_halalas,
        new.booked_by,
        new.rescheduled_from,
        max_active,
        record.event_kind,
        record.payload,
        audit.actor_id,
        audit.actor_role as Option<crate::kernel::values::Role>,
        audit.action,
        audit.ip.map(sqlx::types::ipnetwork::IpNetwork::from),
        audit.details,
    )
    .fetch_optional(db)
    .await
    .map_err(classify)?;
    Ok(created.map(|_| id))
}

pub async fn record_event(
    db: impl PgExecutor<'_>,
    appointment_id: Uuid,
    kind: &str,
    payload: serde_json::Value,
) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO appointment_events (appointment_id, kind, payload) VALUES ($1, $2, $3)",
        appointment_id,
        kind,
        payload
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Locks the patient's row so one patient's bookings are decided one at a time, and returns
/// the current `schedule_version` (`None` when there is no such patient). The count of their
/// bookings must be a separate, later statement: a statement that waited for this lock still
/// reads from the snapshot it started with and would miss the booking just committed.
pub async fn lock_patient(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT (SELECT version FROM schedule_version) AS "version!"
           FROM users WHERE id = $1 FOR UPDATE"#,
        patient_id
    )
    .fetch_optional(db)
    .await?)
}

/// Locks the guardian's row and counts the visits to come of the guardian and every family
/// member of theirs.
pub async fn lock_family_bookings(
    tx: &mut sqlx::PgConnection,
    guardian_id: Uuid,
) -> Result<i64, DbError> {
    sqlx::query!("SELECT id FROM users WHERE id = $1 FOR UPDATE", guardian_id)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM appointments
           WHERE status = 'booked' AND lower(during) > now()
             AND (patient_id = $1
                  OR patient_id IN (SELECT dependent_id FROM dependents WHERE guardian_id = $1))"#,
        guardian_id
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// Booked visits still to come; call after `lock_patient` in the same transaction.
pub async fn active_future_bookings(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM appointments
           WHERE patient_id = $1 AND status = 'booked' AND lower(during) > now()"#,
        patient_id
    )
    .fetch_one(db)
    .await?)
}

struct ViewRow {
    id: Uuid,
    status: Status,
    start: OffsetDateTime,
    end: OffsetDateTime,
    timezone: String,
    doctor_id: Uuid,
    doctor_name: String,
    doctor_latin: Option<String>,
    specialty_ar: String,
    specialty_en: String,
    patient_id: Uuid,
    patient_name: String,
    patient_phone: String,
    visit_ar: String,
    visit_en: String,
    price_halalas: i32,
    clinic_ar: String,
    clinic_en: String,
    reason: String,
    rescheduled_from: Option<Uuid>,
    hold_expires_at: Option<OffsetDateTime>,
    attendance_confirmed: bool,
}

impl From<ViewRow> for AppointmentView {
    fn from(r: ViewRow) -> Self {
        Self {
            id: r.id,
            status: r.status,
            start: to_ts(r.start),
            end: to_ts(r.end),
            timezone: r.timezone,
            doctor_id: r.doctor_id,
            doctor_name: r.doctor_name,
            doctor_latin: r.doctor_latin,
            specialty_ar: r.specialty_ar,
            specialty_en: r.specialty_en,
            patient_id: r.patient_id,
            patient_name: r.patient_name,
            patient_phone: r.patient_phone,
            visit_ar: r.visit_ar,
            visit_en: r.visit_en,
            price_halalas: r.price_halalas,
            clinic_ar: r.clinic_ar,
            clinic_en: r.clinic_en,
            reason: r.reason,
            rescheduled_from: r.rescheduled_from,
            hold_expires_at: r.hold_expires_at.map(to_ts),
            attendance_confirmed: r.attendance_confirmed,
        }
    }
}

macro_rules! view_query {
    ($filter:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            ViewRow,
            r#"SELECT a.id, a.status AS "status: Status",
                      lower(a.during) AS "start!", upper(a.during) AS "end!", c.timezone,
                      a.doctor_id, du.first_name || ' ' || du.family_name AS "doctor_name!",
                      du.latin_name AS doctor_latin, s.name_ar AS specialty_ar, s.name_en AS specialty_en,
                      a.patient_id, pu.first_name || ' ' || pu.family_name AS "patient_name!",
                      coalesce(pu.phone,
                               (SELECT g.phone FROM dependents dp JOIN users g ON g.id = dp.guardian_id
                                WHERE dp.dependent_id = pu.id ORDER BY dp.created_at LIMIT 1),
                               '') AS "patient_phone!",
                      v.name_ar AS visit_ar, v.name_en AS visit_en, a.price_halalas,
                      c.name_ar AS clinic_ar, c.name_en AS clinic_en, a.reason, a.rescheduled_from,
                      a.hold_expires_at,
                      a.attendance_confirmed_at IS NOT NULL AS "attendance_confirmed!"
               FROM appointments a
               JOIN clinics c ON c.id = a.clinic_id
               JOIN users du ON du.id = a.doctor_id
               JOIN doctor_profiles d ON d.user_id = a.doctor_id
               JOIN specialties s ON s.id = d.specialty_id
               JOIN users pu ON pu.id = a.patient_id
               JOIN visit_types v ON v.id = a.visit_type_id
               WHERE "# + $filter,
            $($arg),*
        )
    };
}

pub async fn appointment(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<AppointmentView>, DbError> {
    Ok(view_query!("a.id = $1", id)
        .fetch_optional(db)
        .await?
        .map(Into::into))
}

pub async fn patient_appointments(
    pool: &PgPool,
    patient_id: Uuid,
) -> Result<Vec<AppointmentView>, DbError> {
    Ok(view_query!(
        "(a.patient_id = $1 OR a.patient_id IN (SELECT dependent_id FROM dependents WHERE guardian_id = $1))
          ORDER BY lower(a.during) DESC LIMIT 200",
        patient_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(Into::into)
    .collect())
}

/// Appointments between two instants; for one doctor or every doctor (`None`), at one branch
/// or every branch (`None`).
pub async fn day_list(
    pool: &PgPool,
    doctor_id: Option<Uuid>,
    clinic_id: Option<Uuid>,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<AppointmentView>, DbError> {
    // Two statements, not one with `$1 IS NULL OR doctor_id = $1`: a prepared statement's
    // generic plan cannot drop that test, and then uses no index for either list.
    let during = range(from, until);
    let rows = match doctor_id {
        Some(doctor_id) => {
            view_query!(
                "a.doctor_id = $1 AND ($3::uuid IS NULL OR a.clinic_id = $3)
                  AND a.during && $2 ORDER BY lower(a.during), du.family_name",
                doctor_id,
                during,
                clinic_id
            )
            .fetch_all(pool)
            .await?
        }
        None => {
            view_query!(
                "($2::uuid IS NULL OR a.clinic_id = $2)
                  AND a.during && $1 ORDER BY lower(a.during), du.family_name",
                during,
                clinic_id
            )
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows.into_iter().map(Into::into).collect())
}

pub struct Locked {
    pub status: Status,
    pub hold_expires_at: Option<Timestamp>,
    pub waitlist_entry_id: Option<Uuid>,
    pub clinic_id: Uuid,
    pub doctor_id: Uuid,
    pub patient_id: Uuid,
    pub visit_type_id: Uuid,
    pub start: Timestamp,
}

/// Locks the row for a status change so two desks cannot both act on it.
pub async fn lock_for_change(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Locked>, DbError> {
    let row = sqlx::query!(
        r#"SELECT status AS "status: Status", clinic_id, doctor_id, patient_id, visit_type_id,
                  lower(during) AS "start!", hold_expires_at, waitlist_entry_id
           FROM appointments WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Locked {
        status: r.status,
        hold_expires_at: r.hold_expires_at.map(to_ts),
        waitlist_entry_id: r.waitlist_entry_id,
        clinic_id: r.clinic_id,
        doctor_id: r.doctor_id,
        patient_id: r.patient_id,
        visit_type_id: r.visit_type_id,
        start: to_ts(r.start),
    }))
}

pub async fn set_status(
    db: impl PgExecutor<'_>,
    id: Uuid,
    status: Status,
    cancel_reason: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"UPDATE appointments
           SET status = $2, cancel_reason = coalesce($3, cancel_reason), updated_at = now(),
               hold_expires_at = CASE WHEN $2::appointment_status = 'held' THEN hold_expires_at END
           WHERE id = $1"#,
        id,
        status as Status,
        cancel_reason
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A branch's prayer breaks as stored; `None` when it takes none.
pub fn prayer_breaks(
    latitude: Option<f64>,
    longitude: Option<f64>,
    prayers: &[String],
    minutes: i16,
) -> Option<crate::clinic::domain::prayer::PrayerBreaks> {
    use crate::clinic::domain::prayer::{Prayer, PrayerBreaks};
    let prayers: Vec<Prayer> = prayers
        .iter()
        .filter_map(|p| Prayer::from_code(p))
        .collect();
    match (latitude, longitude) {
        (Some(latitude), Some(longitude)) if !prayers.is_empty() => Some(PrayerBreaks {
            latitude,
            longitude,
            prayers,
            minutes: i64::from(minutes),
        }),
        _ => None,
    }
}
