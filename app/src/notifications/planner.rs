//! Turning the booking outbox into messages. One transaction takes a batch of unplanned events
//! (skipping those another worker holds), adds a message row per recipient on the first channel
//! they allow — and, for a new booking, its reminders — and marks the events published. A crash before the
//! commit leaves the events unplanned and adds nothing; planning an event again adds nothing
//! either (the idempotency key), so every message is planned exactly once.

use crate::kernel::service_error::ServiceError;
use crate::notifications::db::{self, NewMessage, OutboxEvent};
use crate::notifications::domain::message::{
    channels_for, idempotency_key, reminder_times, Channel, MessageKind,
};
use crate::notifications::domain::quiet::place_all;
use jiff::Timestamp;
use sqlx::PgPool;

/// What planning needs to know about the clinic's set-up beyond each branch's reminder rules
/// (which come with every event).
#[derive(Debug, Clone)]
pub struct PlanRules {
    /// The channels the clinic runs, in its order of preference.
    pub running: Vec<Channel>,
}

impl Default for PlanRules {
    fn default() -> Self {
        Self {
            running: vec![Channel::Log],
        }
    }
}

/// Plans up to `limit` events; returns how many were taken (0: the outbox is empty).
pub async fn plan_batch(
    pool: &PgPool,
    rules: &PlanRules,
    limit: i64,
    now: Timestamp,
) -> Result<usize, ServiceError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(crate::kernel::db::DbError::from)?;
    let events = db::claim_events(&mut *tx, limit).await?;
    for event in &events {
        plan_event(&mut tx, rules, event, now).await?;
    }
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    db::mark_published(&mut *tx, &ids).await?;
    tx.commit()
        .await
        .map_err(crate::kernel::db::DbError::from)?;
    Ok(events.len())
}

async fn plan_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    rules: &PlanRules,
    event: &OutboxEvent,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let rescheduled = !event.payload["rescheduled_from"].is_null();
    let Some(kind) = MessageKind::of_event(&event.kind, rescheduled) else {
        return Ok(());
    };
    let mut params = serde_json::json!({ "start": event.start.to_string() });
    if let Some(expires) = event.payload.get("expires_at") {
        params["expires_at"] = expires.clone();
    }
    let recipients = db::recipients(&mut **tx, event.patient_id).await?;
    for (recipient, prefs) in &recipients {
        // The first allowed channel; the others are fallbacks (`sender`).
        for channel in channels_for(kind, &rules.running, prefs.as_ref())
            .into_iter()
            .take(1)
        {
            let message = NewMessage {
                key: idempotency_key(&format!("event:{}", event.id), channel, *recipient),
                appointment_id: event.appointment_id,
                recipient_id: *recipient,
                kind: kind.code(),
                channel,
                params: params.clone(),
                due_at: now,
            };
            db::plan_message(&mut **tx, &message).await?;
        }
    }
    // A new booking (or a moved one) brings its reminders; a booking already cancelled by the
    // time its event is read gets none.
    if matches!(kind, MessageKind::Booked | MessageKind::Rescheduled) && event.booked {
        let branch = &event.reminders;
        // The setup form only stores zones jiff knows; a stored one it cannot read is UTC.
        let tz = jiff::tz::TimeZone::get(&branch.timezone).unwrap_or_else(|err| {
            tracing::warn!(timezone = %branch.timezone, error = %err, "reminders planned in UTC");
            jiff::tz::TimeZone::UTC
        });
        let times = place_all(
            reminder_times(event.start, &branch.leads, now),
            branch.quiet,
            &tz,
            event.start,
            now,
        );
        for (minutes, due) in times {
            for (recipient, prefs) in &recipients {
                for channel in channels_for(MessageKind::Reminder, &rules.running, prefs.as_ref())
                    .into_iter()
                    .take(1)
                {
                    let source = format!("reminder:{}:{minutes}", event.appointment_id);
                    let message = NewMessage {
                        key: idempotency_key(&source, channel, *recipient),
                        appointment_id: event.appointment_id,
                        recipient_id: *recipient,
                        kind: MessageKind::Reminder.code(),
                        channel,
                        params: params.clone(),
                        due_at: due,
                    };
                    db::plan_message(&mut **tx, &message).await?;
                }
            }
        }
    }
    Ok(())
}
