//! SQL of notifications: reading the booking outbox, planning message rows, and the queue the
//! senders claim from. Every claim is `FOR UPDATE SKIP LOCKED`, so any number of workers, in
//! one process or several replicas, share the work without taking the same row.

use crate::kernel::db::{to_odt, to_ts, DbError};
use crate::notifications::domain::message::{Channel, Preferences};
use crate::notifications::model::MessageLine;
use jiff::Timestamp;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

/// An outbox event not yet planned, with what planning needs of its appointment.
pub struct OutboxEvent {
    pub id: i64,
    pub appointment_id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub patient_id: Uuid,
    pub start: Timestamp,
    /// Whether the appointment is still on the books (not cancelled), as of this read.
    pub booked: bool,
    /// The reminder rules of the appointment's branch.
    pub reminders: BranchReminders,
}

/// A branch's reminder rules as planning reads them.
pub struct BranchReminders {
    pub leads: Vec<jiff::SignedDuration>,
    pub quiet: Option<crate::notifications::domain::quiet::QuietHours>,
    pub timezone: String,
}

/// Takes up to `limit` unplanned events, oldest first, locking them for the caller's
/// transaction; events another worker holds are skipped, not waited for.
pub async fn claim_events(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<OutboxEvent>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT e.id, e.appointment_id, e.kind, e.payload, a.patient_id,
                  lower(a.during) AS "start!", a.status = 'booked' AS "booked!",
                  c.timezone, c.reminder_lead_minutes, c.quiet_from, c.quiet_until
           FROM appointment_events e
           JOIN appointments a ON a.id = e.appointment_id
           JOIN clinics c ON c.id = a.clinic_id
           WHERE e.published_at IS NULL
           ORDER BY e.id
           LIMIT $1
           FOR UPDATE OF e SKIP LOCKED"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEvent {
            id: r.id,
            appointment_id: r.appointment_id,
            kind: r.kind,
            payload: r.payload,
            patient_id: r.patient_id,
            start: to_ts(r.start),
            booked: r.booked,
            reminders: BranchReminders {
                leads: r
                    .reminder_lead_minutes
                    .iter()
                    .map(|m| jiff::SignedDuration::from_mins(i64::from(*m)))
                    .collect(),
                quiet: r.quiet_from.zip(r.quiet_until).map(|(from, until)| {
                    crate::notifications::domain::quiet::QuietHours {
                        from: crate::kernel::db::to_jiff_time(from),
                        until: crate::kernel::db::to_jiff_time(until),
                    }
                }),
                timezone: r.timezone,
            },
        })
        .collect())
}

pub async fn mark_published(db: impl PgExecutor<'_>, ids: &[i64]) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE appointment_events SET published_at = now() WHERE id = ANY($1)",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Who is told about a patient's visits: the patient, unless theirs is a record a guardian
/// manages, and every guardian; each with what they agreed to (`None`: no choice made).
pub async fn recipients(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
) -> Result<Vec<(Uuid, Option<Preferences>)>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT u.id, p.channels AS "channels?", p.reminders AS "reminders?"
           FROM users u
           LEFT JOIN notification_preferences p ON p.user_id = u.id
           WHERE (u.id = $1 AND NOT u.managed)
              OR u.id IN (SELECT guardian_id FROM dependents WHERE dependent_id = $1)
           ORDER BY u.id"#,
        patient_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let prefs = match (r.channels, r.reminders) {
                (Some(channels), Some(reminders)) => {
                    Some(Preferences::stored(&channels, reminders))
                }
                _ => None,
            };
            (r.id, prefs)
        })
        .collect())
}

/// A message as planned.
pub struct NewMessage<'a> {
    pub key: String,
    pub appointment_id: Uuid,
    pub recipient_id: Uuid,
    pub kind: &'a str,
    pub channel: Channel,
    pub params: serde_json::Value,
    pub due_at: Timestamp,
}

/// Adds the message unless one with its key exists; true when added.
pub async fn plan_message(db: impl PgExecutor<'_>, m: &NewMessage<'_>) -> Result<bool, DbError> {
    let added = sqlx::query!(
        r#"INSERT INTO notification_messages
               (id, idempotency_key, appointment_id, recipient_id, kind, channel, params, due_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (idempotency_key) DO NOTHING"#,
        Uuid::new_v4(),
        m.key,
        m.appointment_id,
        m.recipient_id,
        m.kind,
        m.channel.code(),
        m.params,
        to_odt(m.due_at)
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// A message a worker claimed, with the state of its appointment now.
pub struct DueMessage {
    pub id: Uuid,
    pub key: String,
    pub appointment_id: Uuid,
    pub recipient_id: Uuid,
    pub kind: String,
    pub channel: String,
    pub params: serde_json::Value,
    /// Tries before this one.
    pub attempts: i32,
    pub appointment_booked: bool,
    pub appointment_start: Timestamp,
}

/// Claims up to `limit` due messages for `lease_secs`: queued ones whose time has come, and
/// ones a worker claimed and never settled (it died) once their lease ran out.
/// Gives claimed messages back unsent, due as they were, for any worker to take.
pub async fn release(db: impl PgExecutor<'_>, ids: &[Uuid]) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE notification_messages SET status = 'queued', lease_until = NULL, updated_at = now()
         WHERE id = ANY($1) AND status = 'sending'",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn claim_due(
    pool: &PgPool,
    limit: i64,
    lease_secs: i32,
) -> Result<Vec<DueMessage>, DbError> {
    let rows = sqlx::query!(
        r#"WITH due AS (
               SELECT id FROM notification_messages
               WHERE (status = 'queued' AND due_at <= now())
                  OR (status = 'sending' AND lease_until < now())
               ORDER BY due_at
               LIMIT $1
               FOR UPDATE SKIP LOCKED
           )
           UPDATE notification_messages m
           SET status = 'sending', lease_until = now() + make_interval(secs => $2),
               updated_at = now()
           FROM due, appointments a
           WHERE m.id = due.id AND a.id = m.appointment_id
           RETURNING m.id, m.idempotency_key, m.appointment_id, m.recipient_id, m.kind,
                     m.channel, m.params, m.attempts,
                     a.status = 'booked' AS "booked!", lower(a.during) AS "start!""#,
        limit,
        f64::from(lease_secs)
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DueMessage {
            id: r.id,
            key: r.idempotency_key,
            appointment_id: r.appointment_id,
            recipient_id: r.recipient_id,
            kind: r.kind,
            channel: r.channel,
            params: r.params,
            attempts: r.attempts,
            appointment_booked: r.booked,
            appointment_start: to_ts(r.start),
        })
        .collect())
}

/// How a claimed message ends this try.
pub enum Settle<'a> {
    Sent {
        provider_id: Option<&'a str>,
        /// An SMS's segments.
        segments: Option<i32>,
    },
    /// Tried and failed; tried again at `at`.
    Retry {
        at: Timestamp,
        error: &'a str,
    },
    /// Not tried (the provider is being left alone); back in the queue at `at`.
    Deferred {
        at: Timestamp,
    },
    Failed {
        error: &'a str,
    },
    /// No longer worth sending (a reminder for a visit cancelled or moved).
    Skipped {
        reason: &'a str,
    },
}

pub async fn settle(db: impl PgExecutor<'_>, id: Uuid, how: Settle<'_>) -> Result<(), DbError> {
    match how {
        Settle::Sent {
            provider_id,
            segments,
        } => {
            sqlx::query!(
                r#"UPDATE notification_messages
               SET status = 'sent', attempts = attempts + 1, provider_id = $2, sent_at = now(),
                   lease_until = NULL, last_error = NULL, updated_at = now(), sms_segments = $3
               WHERE id = $1"#,
                id,
                provider_id,
                segments
            )
            .execute(db)
            .await?
        }
        Settle::Retry { at, error } => {
            sqlx::query!(
                r#"UPDATE notification_messages
               SET status = 'queued', attempts = attempts + 1, due_at = $2, last_error = $3,
                   lease_until = NULL, updated_at = now()
               WHERE id = $1"#,
                id,
                to_odt(at),
                error
            )
            .execute(db)
            .await?
        }
        Settle::Deferred { at } => {
            sqlx::query!(
                r#"UPDATE notification_messages
               SET status = 'queued', due_at = $2, lease_until = NULL, updated_at = now()
               WHERE id = $1"#,
                id,
                to_odt(at)
            )
            .execute(db)
            .await?
        }
        Settle::Failed { error } => {
            sqlx::query!(
                r#"UPDATE notification_messages
               SET status = 'failed', attempts = attempts + 1, last_error = $2,
                   lease_until = NULL, updated_at = now()
               WHERE id = $1"#,
                id,
                error
            )
            .execute(db)
            .await?
        }
        Settle::Skipped { reason } => {
            sqlx::query!(
                r#"UPDATE notification_messages
               SET status = 'skipped', last_error = $2, lease_until = NULL, updated_at = now()
               WHERE id = $1"#,
                id,
                reason
            )
            .execute(db)
            .await?
        }
    };
    Ok(())
}

/// How a recipient is reached and in which language they read; `None` once the account is gone.
pub async fn contact(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<crate::notifications::channel::Contact>, DbError> {
    let row = sqlx::query!(
        r#"SELECT u.first_name, u.email, u.phone, coalesce(p.language, 'ar') AS "language!"
           FROM users u
           LEFT JOIN notification_preferences p ON p.user_id = u.id
           WHERE u.id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| crate::notifications::channel::Contact {
        name: r.first_name,
        email: r.email,
        phone: r.phone,
        locale: crate::kernel::i18n::Locale::from_code(&r.language)
            .unwrap_or(crate::kernel::i18n::Locale::Ar),
    }))
}

/// What one recipient agreed to; `None` when they never chose.
pub async fn preferences(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<Preferences>, DbError> {
    let row = sqlx::query!(
        "SELECT channels, reminders FROM notification_preferences WHERE user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Preferences::stored(&r.channels, r.reminders)))
}

/// A provider's word on a message it took (`delivered`, `read`, `failed`). Moves forward only —
/// sent → delivered → read, failed only before delivery — so a late or replayed status changes
/// nothing. True when the row moved.
pub async fn provider_status(
    db: impl PgExecutor<'_>,
    channel: &str,
    provider_id: &str,
    state: &str,
    error: Option<&str>,
) -> Result<bool, DbError> {
    let moved = sqlx::query!(
        r#"UPDATE notification_messages
           SET status = $3::text::message_status, last_error = coalesce($4, last_error),
               updated_at = now()
           WHERE channel = $1 AND provider_id = $2
             AND CASE $3::text
                   WHEN 'delivered' THEN status = 'sent'
                   WHEN 'read' THEN status IN ('sent', 'delivered')
                   WHEN 'failed' THEN status = 'sent'
                   ELSE false
                 END"#,
        channel,
        provider_id,
        state,
        error
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(moved == 1)
}

/// A recipient's choices as stored: channels, reminders on, language; `None` before any.
pub async fn settings(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<(Vec<String>, bool, String)>, DbError> {
    let row = sqlx::query!(
        "SELECT channels, reminders, language FROM notification_preferences WHERE user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.channels, r.reminders, r.language)))
}

/// Saves a recipient's choices (one row per user).
pub async fn save_settings(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    channels: &[Channel],
    reminders: bool,
    language: &str,
) -> Result<(), DbError> {
    let channels: Vec<String> = channels.iter().map(|c| c.code().to_owned()).collect();
    sqlx::query!(
        "INSERT INTO notification_preferences (user_id, channels, reminders, language, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (user_id) DO UPDATE
         SET channels = EXCLUDED.channels, reminders = EXCLUDED.reminders,
             language = EXCLUDED.language, updated_at = now()",
        user_id,
        &channels,
        reminders,
        language
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The latest messages, newest first; one status only when `status` is given.
pub async fn recent(
    db: impl PgExecutor<'_>,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<MessageLine>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT m.id, m.created_at, m.kind, m.channel, m.status::text AS "status!", m.attempts,
                  m.last_error, m.provider_id, u.first_name || ' ' || u.family_name AS "name!",
                  m.sms_segments
           FROM notification_messages m JOIN users u ON u.id = m.recipient_id
           WHERE $1::text IS NULL OR m.status::text = $1
           ORDER BY m.created_at DESC, m.id
           LIMIT $2"#,
        status,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MessageLine {
            id: r.id,
            created_at: to_ts(r.created_at),
            kind: r.kind,
            channel: r.channel,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            provider_id: r.provider_id,
            recipient_name: r.name,
            sms_segments: r.sms_segments,
        })
        .collect())
}

/// Per day (UTC) of the last `days`: messages sent or further, failed, and SMS segments.
pub async fn daily(
    db: impl PgExecutor<'_>,
    days: i32,
) -> Result<Vec<(String, i64, i64, i64)>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT created_at::date::text AS "day!",
                  count(*) FILTER (WHERE status IN ('sent', 'delivered', 'read')) AS "delivered!",
                  count(*) FILTER (WHERE status = 'failed') AS "failed!",
                  coalesce(sum(sms_segments), 0)::bigint AS "segments!"
           FROM notification_messages
           WHERE created_at >= now() - make_interval(days => $1)
           GROUP BY 1 ORDER BY 1 DESC"#,
        days
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.day, r.delivered, r.failed, r.segments))
        .collect())
}

/// Puts a failed message back in the queue, to go now with a fresh set of tries; false when it
/// is not a failed message.
pub async fn resend(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "UPDATE notification_messages
         SET status = 'queued', due_at = now(), attempts = 0, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'failed'",
        id
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(done == 1)
}
