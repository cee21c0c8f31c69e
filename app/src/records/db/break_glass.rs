//! Break-glass grants' SQL. A grant is never removed; its review is written once (trigger
//! `chart_access_grants_kept`).

use crate::kernel::db::{classify, to_ts, DbError};
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

/// Opens `patient_id`'s chart to `doctor_id` for `minutes`; returns when it runs out.
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    doctor_id: Uuid,
    patient_id: Uuid,
    reason: &str,
    minutes: i64,
) -> Result<Timestamp, DbError> {
    let expires = sqlx::query_scalar!(
        "INSERT INTO chart_access_grants (id, doctor_id, patient_id, reason, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5::int))
         RETURNING expires_at",
        id,
        doctor_id,
        patient_id,
        reason,
        i32::try_from(minutes).unwrap_or(i32::MAX)
    )
    .fetch_one(db)
    .await
    .map_err(classify)?;
    Ok(to_ts(expires))
}

#[derive(Debug, Clone)]
pub struct GrantRow {
    pub id: Uuid,
    pub doctor_name: String,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub reason: String,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
    /// Reads of the chart made under this grant, from the audit log.
    pub reads: i64,
    pub reviewer_name: Option<String>,
    pub reviewed_at: Option<Timestamp>,
    pub review_note: String,
}

/// Grants newest first: those waiting for review, or (`reviewed`) those already reviewed.
pub async fn list(
    db: impl PgExecutor<'_>,
    reviewed: bool,
    limit: i64,
) -> Result<Vec<GrantRow>, DbError> {
    Ok(sqlx::query!(
        r#"SELECT g.id, g.patient_id, g.reason, g.granted_at, g.expires_at, g.reviewed_at,
                  g.review_note,
                  d.first_name || ' ' || d.family_name AS "doctor_name!",
                  p.first_name || ' ' || p.father_name || ' ' || p.family_name AS "patient_name!",
                  r.first_name || ' ' || r.family_name AS reviewer_name,
                  (SELECT count(*) FROM audit_log a
                    WHERE a.details ->> 'patient_id' = g.patient_id::text
                      AND a.actor_id = g.doctor_id
                      AND a.details -> 'break_glass' ->> 'grant_id' = g.id::text) AS "reads!"
           FROM chart_access_grants g
           JOIN users d ON d.id = g.doctor_id
           JOIN users p ON p.id = g.patient_id
           LEFT JOIN users r ON r.id = g.reviewed_by
           WHERE (g.reviewed_at IS NOT NULL) = $1
           ORDER BY g.granted_at DESC, g.id
           LIMIT $2"#,
        reviewed,
        limit
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| GrantRow {
        id: r.id,
        doctor_name: r.doctor_name,
        patient_id: r.patient_id,
        patient_name: r.patient_name,
        reason: r.reason,
        granted_at: to_ts(r.granted_at),
        expires_at: to_ts(r.expires_at),
        reads: r.reads,
        reviewer_name: r.reviewer_name,
        reviewed_at: r.reviewed_at.map(to_ts),
        review_note: r.review_note,
    })
    .collect())
}

/// Marks a grant reviewed; `Ok(None)` when there is no such grant, `Ok(Some(false))` when it
/// was reviewed already (left as it was).
pub async fn review(
    db: impl PgExecutor<'_>,
    id: Uuid,
    reviewer: Uuid,
    note: &str,
) -> Result<Option<(bool, Uuid)>, DbError> {
    // The row lock makes two reviewers at once end with one review and one refusal.
    Ok(sqlx::query!(
        r#"WITH target AS (SELECT id, patient_id, reviewed_at FROM chart_access_grants
                           WHERE id = $1 FOR UPDATE),
                done AS (UPDATE chart_access_grants g
                         SET reviewed_by = $2, reviewed_at = now(), review_note = $3
                         FROM target t WHERE g.id = t.id AND t.reviewed_at IS NULL
                         RETURNING g.id)
           SELECT t.patient_id, EXISTS (SELECT 1 FROM done) AS "reviewed!" FROM target t"#,
        id,
        reviewer,
        note
    )
    .fetch_optional(db)
    .await
    .map_err(classify)?
    .map(|r| (r.reviewed, r.patient_id)))
}
