//! SQL of the doctor search: which doctors match, filtered and ordered by the database.

use crate::kernel::db::{to_ts, DbError};
use crate::scheduling::db::schedule::range;
use crate::scheduling::domain::schedule::Busy;
use jiff::Timestamp;
use sqlx::{postgres::types::PgRange, PgPool};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// What a patient filters the doctors by; `None` leaves a filter out.
pub struct DoctorFilter<'a> {
    /// The query's words in search form (`arabic_search::normalize`); empty for any name.
    pub words: &'a [String],
    pub specialty: Option<Uuid>,
    pub sex: Option<&'a str>,
    pub clinic: Option<Uuid>,
    pub limit: i64,
}

/// Active doctors matching `filter`, by family name then first name. A name matches when every
/// query word starts one of its words, in the Arabic name or in the Latin one. The role and
/// `is_active` conditions are the partial index `users_active_doctors_by_name`'s, which lets
/// PostgreSQL read the doctors in name order and stop at `limit`.
pub async fn matching_doctors(
    pool: &PgPool,
    filter: &DoctorFilter<'_>,
) -> Result<Vec<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT u.id
           FROM users u
           JOIN doctor_profiles d ON d.user_id = u.id
           WHERE u.role = 'doctor' AND u.is_active
             AND ($1::uuid IS NULL OR d.specialty_id = $1)
             AND ($2::text IS NULL OR d.sex = $2)
             AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM doctor_clinics dc
                                              WHERE dc.doctor_id = d.user_id AND dc.clinic_id = $3))
             AND (cardinality($4::text[]) = 0
                  OR NOT EXISTS (SELECT 1 FROM unnest($4::text[]) q(word)
                                 WHERE NOT EXISTS (SELECT 1 FROM unnest(u.search_ar) w(word)
                                                   WHERE starts_with(w.word, q.word)))
                  OR NOT EXISTS (SELECT 1 FROM unnest($4::text[]) q(word)
                                 WHERE NOT EXISTS (SELECT 1 FROM unnest(u.search_latin) w(word)
                                                   WHERE starts_with(w.word, q.word))))
           ORDER BY u.family_name, u.first_name, u.id
           LIMIT $5"#,
        filter.specialty,
        filter.sex,
        filter.clinic,
        filter.words,
        filter.limit,
    )
    .fetch_all(pool)
    .await?)
}

/// Everyone's bookings between `from` and `until`, and the schedule version they were read
/// at, in one statement (one lateral index scan per doctor).
pub async fn busy_of_many_at_version(
    pool: &PgPool,
    doctor_ids: &[Uuid],
    from: Timestamp,
    until: Timestamp,
) -> Result<(i64, HashMap<Uuid, Vec<Busy>>), DbError> {
    let rows = sqlx::query!(
        r#"SELECT v.version AS "version!", a.doctor_id AS "doctor_id?",
                  lower(a.blocked) AS "start?", upper(a.blocked) AS "end?"
           FROM schedule_version v
           LEFT JOIN LATERAL (
               SELECT d.id AS doctor_id, b.blocked
               FROM unnest($1::uuid[]) AS d(id)
               JOIN LATERAL (SELECT blocked FROM appointments
                             WHERE doctor_id = d.id AND status <> 'cancelled' AND blocked && $2) b ON true
           ) a ON true"#,
        doctor_ids,
        range(from, until) as PgRange<OffsetDateTime>
    )
    .fetch_all(pool)
    .await?;
    let version = rows.first().map(|r| r.version).unwrap_or_default();
    let mut by_doctor: HashMap<Uuid, Vec<Busy>> = HashMap::new();
    for r in rows {
        if let (Some(doctor), Some(start), Some(end)) = (r.doctor_id, r.start, r.end) {
            by_doctor.entry(doctor).or_default().push(Busy {
                start: to_ts(start),
                end: to_ts(end),
            });
        }
    }
    Ok((version, by_doctor))
}
