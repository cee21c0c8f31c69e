//! Sending what is due: claim a batch, send each on its channel unless that channel's circuit
//! is open, and settle each row — sent, retried later with backoff and jitter, failed after the
//! last try, or skipped (a reminder whose visit was cancelled or moved). A worker that dies
//! mid-batch leaves its rows claimed until their lease runs out; then another sends them again
//! (at least once), with the same idempotency key.

use crate::kernel::service_error::ServiceError;
use crate::notifications::channel::{Outgoing, Sender};
use crate::notifications::db::{self, DueMessage, Settle};
use crate::notifications::domain::circuit::Circuit;
use crate::notifications::domain::message::{
    fallback_after, idempotency_key, reminder_void, source_of, Channel, MessageKind,
};
use crate::notifications::domain::retry::{AfterFailure, RetryPolicy};
use crate::notifications::domain::text::{compose, Facts};
use jiff::Timestamp;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a claimed message stays claimed unless configured; longer than any provider's
/// timeout.
const LEASE: Duration = Duration::from_secs(120);
/// How long a message for a provider left alone waits before it is looked at again.
const DEFERRAL: Duration = Duration::from_secs(5);

/// The senders of the channels the clinic runs, with a circuit breaker each.
pub struct Senders {
    senders: HashMap<Channel, Arc<dyn Sender>>,
    /// The channels in the clinic's order of preference: where a failed message falls back.
    order: Vec<Channel>,
    circuits: Mutex<HashMap<Channel, Circuit>>,
    pub retry: RetryPolicy,
    /// The site's address, for the links in messages (`MUEEN_PUBLIC_URL`).
    pub site: String,
    /// The key one-tap links are signed with; without it messages carry no one-tap links.
    pub keys: Option<Arc<crate::kernel::crypto::Keyring>>,
    /// How long a worker holds what it claimed (`with_lease`).
    lease: Duration,
}

impl Senders {
    pub fn new(
        senders: Vec<Arc<dyn Sender>>,
        retry: RetryPolicy,
        threshold: u32,
        cool_off: Duration,
    ) -> Self {
        let circuits = senders
            .iter()
            .map(|s| (s.channel(), Circuit::new(threshold, cool_off)))
            .collect();
        Self {
            order: senders.iter().map(|s| s.channel()).collect(),
            senders: senders.into_iter().map(|s| (s.channel(), s)).collect(),
            circuits: Mutex::new(circuits),
            retry,
            site: "http://127.0.0.1:3000".to_owned(),
            keys: None,
            lease: LEASE,
        }
    }

    /// Claimed messages are held for `lease` (at least two seconds); a worker that dies holding
    /// them is noticed after it.
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_secs(2));
        self
    }

    /// Messages about a visit ahead carry one-tap links signed with `keys`.
    pub fn with_keys(mut self, keys: Arc<crate::kernel::crypto::Keyring>) -> Self {
        self.keys = Some(keys);
        self
    }

    /// Links in messages point at `site` (no trailing slash needed).
    pub fn with_site(mut self, site: &str) -> Self {
        self.site = site.trim_end_matches('/').to_owned();
        self
    }

    /// The channels running, in the clinic's order of preference.
    pub fn order(&self) -> &[Channel] {
        &self.order
    }

    /// The channels running, in no particular order.
    pub fn channels(&self) -> Vec<Channel> {
        self.senders.keys().copied().collect()
    }

    /// Each channel's circuit state, for admins.
    pub fn health(&self) -> Vec<(Channel, &'static str)> {
        let circuits = self.circuits.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<_> = circuits.iter().map(|(c, s)| (*c, s.label())).collect();
        out.sort_by_key(|(c, _)| c.code());
        out
    }

    fn circuit<T>(&self, channel: Channel, f: impl FnOnce(&mut Circuit) -> T) -> Option<T> {
        let mut circuits = self.circuits.lock().unwrap_or_else(|p| p.into_inner());
        circuits.get_mut(&channel).map(f)
    }
}

/// Sends up to `limit` due messages; returns how many were claimed (0: nothing was due).
pub async fn deliver_batch(
    pool: &PgPool,
    senders: &Senders,
    limit: i64,
) -> Result<usize, ServiceError> {
    let lease = i32::try_from(senders.lease.as_secs()).unwrap_or(i32::MAX);
    let due = db::claim_due(pool, limit, lease).await?;
    let count = due.len();
    let claimed = Instant::now();
    let mut due = due.into_iter();
    while let Some(message) = due.next() {
        // A slow provider must not let the lease run out under us (another worker would send
        // the rest again): past half of it, what is left goes back to the queue as it was.
        if claimed.elapsed() > senders.lease / 2 {
            let rest: Vec<_> = std::iter::once(message.id)
                .chain(due.map(|m| m.id))
                .collect();
            db::release(pool, &rest).await?;
            break;
        }
        let how = deliver_one(pool, senders, &message).await;
        let settle = match &how {
            Outcome::Sent(id, segments) => Settle::Sent {
                provider_id: id.as_deref(),
                segments: *segments,
            },
            Outcome::Retry(at, error) => Settle::Retry { at: *at, error },
            Outcome::Deferred(at) => Settle::Deferred { at: *at },
            Outcome::Failed(error) => Settle::Failed { error },
            Outcome::Skipped(reason) => Settle::Skipped { reason },
        };
        if let Outcome::Failed(_) = &how {
            // Given up on this channel: in the same transaction, the message is planned on the
            // next channel the recipient allows, once (its key is that channel's key).
            let mut tx = pool
                .begin()
                .await
                .map_err(crate::kernel::db::DbError::from)?;
            db::settle(&mut *tx, message.id, settle).await?;
            fall_back(&mut tx, senders, &message).await?;
            tx.commit()
                .await
                .map_err(crate::kernel::db::DbError::from)?;
        } else {
            db::settle(pool, message.id, settle).await?;
        }
    }
    Ok(count)
}

async fn fall_back(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    senders: &Senders,
    message: &DueMessage,
) -> Result<(), ServiceError> {
    let (Some(kind), Some(failed)) = (
        MessageKind::from_code(&message.kind),
        Channel::from_code(&message.channel),
    ) else {
        return Ok(());
    };
    let Some(source) = source_of(&message.key, failed, message.recipient_id) else {
        return Ok(());
    };
    let prefs = db::preferences(&mut **tx, message.recipient_id).await?;
    let Some(next) = fallback_after(kind, failed, &senders.order, prefs.as_ref()) else {
        return Ok(());
    };
    let added = db::plan_message(
        &mut **tx,
        &db::NewMessage {
            key: idempotency_key(source, next, message.recipient_id),
            appointment_id: message.appointment_id,
            recipient_id: message.recipient_id,
            kind: kind.code(),
            channel: next,
            params: message.params.clone(),
            due_at: Timestamp::now(),
        },
    )
    .await?;
    if added {
        tracing::info!(message = %message.id, from = failed.code(), to = next.code(), "notification falls back to another channel");
    }
    Ok(())
}

enum Outcome {
    /// The provider's id, and an SMS's segments.
    Sent(Option<String>, Option<i32>),
    Retry(Timestamp, String),
    Deferred(Timestamp),
    Failed(String),
    Skipped(&'static str),
}

async fn deliver_one(pool: &PgPool, senders: &Senders, message: &DueMessage) -> Outcome {
    let now = Timestamp::now();
    if MessageKind::from_code(&message.kind) == Some(MessageKind::Reminder) {
        let planned = message.params["start"]
            .as_str()
            .and_then(|s| s.parse::<Timestamp>().ok());
        let void = match planned {
            Some(planned) => reminder_void(
                planned,
                message.appointment_booked,
                message.appointment_start,
                now,
            ),
            None => Some("the reminder names no visit time"),
        };
        if let Some(reason) = void {
            return Outcome::Skipped(reason);
        }
    }
    let Some(sender) = Channel::from_code(&message.channel)
        .and_then(|c| senders.senders.get(&c))
        .cloned()
    else {
        return Outcome::Failed(format!("channel {} is not running", message.channel));
    };
    let outgoing = match prepare(pool, senders, message).await {
        Ok(Some(outgoing)) => outgoing,
        Ok(None) => return Outcome::Failed("the recipient or the visit no longer exists".into()),
        // The database, not the provider: the provider's circuit is left alone.
        Err(err) => {
            tracing::warn!(error = ?err, message = %message.id, "reading a message's facts failed");
            return Outcome::Retry(now + DEFERRAL, "the message could not be composed".into());
        }
    };
    let channel = sender.channel();
    if senders.circuit(channel, |c| c.allow(Instant::now())) == Some(false) {
        return Outcome::Deferred(now + DEFERRAL);
    }
    match sender.send(&outgoing).await {
        Ok(accepted) => {
            senders.circuit(channel, Circuit::succeeded);
            let segments = (channel == Channel::Sms).then(|| {
                let parts = crate::notifications::domain::sms::segments(&outgoing.content.short);
                i32::try_from(parts.count).unwrap_or(i32::MAX)
            });
            Outcome::Sent(accepted.provider_id, segments)
        }
        Err(refused) => {
            tracing::warn!(
                message = %message.id,
                channel = channel.code(),
                permanent = refused.permanent,
                reason = %refused.reason,
                "a provider did not take a message"
            );
            // Only the provider's own trouble counts against its circuit: a refusal of this
            // one message (no address, a number it will not take) says nothing of its health,
            // and counting it would stop every other patient's messages.
            if refused.permanent {
                senders.circuit(channel, |c| c.inconclusive(Instant::now()));
            } else {
                senders.circuit(channel, |c| c.failed(Instant::now()));
            }
            let attempts = u32::try_from(message.attempts).unwrap_or(0) + 1;
            if refused.permanent {
                return Outcome::Failed(refused.reason);
            }
            match senders
                .retry
                .after_failure(attempts, jitter(), refused.retry_after)
            {
                AfterFailure::RetryIn(wait) => Outcome::Retry(
                    now + jiff::SignedDuration::try_from(wait).unwrap_or_default(),
                    refused.reason,
                ),
                AfterFailure::GiveUp => Outcome::Failed(refused.reason),
            }
        }
    }
}

/// The message with its recipient's address and its words, from what the database holds now.
async fn prepare(
    pool: &PgPool,
    senders: &Senders,
    message: &DueMessage,
) -> Result<Option<Outgoing>, ServiceError> {
    let Some(kind) = MessageKind::from_code(&message.kind) else {
        return Ok(None);
    };
    let Some(to) = db::contact(pool, message.recipient_id).await? else {
        return Ok(None);
    };
    let Some(visit) =
        crate::scheduling::db::schedule::appointment(pool, message.appointment_id).await?
    else {
        return Ok(None);
    };
    let hold_until = message.params["expires_at"]
        .as_str()
        .and_then(|s| s.parse::<Timestamp>().ok())
        .or(visit.hold_expires_at);
    // A visit still ahead and on the books gets "I will come" and "cancel" links, valid until
    // it begins; the same message sent again gets the same links.
    let mut taps = (None, None);
    let ahead = visit.status == crate::scheduling::domain::appointment::Status::Booked
        && visit.start > Timestamp::now();
    if let (Some(keys), true) = (&senders.keys, ahead) {
        if matches!(
            kind,
            MessageKind::Booked | MessageKind::Rescheduled | MessageKind::Reminder
        ) {
            let link = |action| {
                crate::notifications::one_tap::service::issue(
                    pool,
                    keys,
                    message.id,
                    visit.id,
                    message.recipient_id,
                    action,
                    visit.start,
                )
            };
            use crate::notifications::one_tap::token::TapAction;
            let confirm = link(TapAction::Confirm).await?;
            let cancel = link(TapAction::Cancel).await?;
            taps = (
                Some(format!("{}/t/{confirm}", senders.site)),
                Some(format!("{}/t/{cancel}", senders.site)),
            );
        }
    }
    let facts = Facts {
        kind,
        appointment_id: visit.id,
        recipient_name: to.name.clone(),
        patient_name: visit.patient_name,
        doctor_name: visit.doctor_name,
        clinic_ar: visit.clinic_ar,
        clinic_en: visit.clinic_en,
        start: visit.start,
        end: visit.end,
        timezone: visit.timezone,
        hold_until,
        link: format!("{}/appointments/{}", senders.site, visit.id),
        confirm_link: taps.0,
        cancel_link: taps.1,
    };
    let content = compose(&facts, to.locale);
    Ok(Some(Outgoing {
        id: message.id,
        key: message.key.clone(),
        recipient_id: message.recipient_id,
        kind: message.kind.clone(),
        params: message.params.clone(),
        to,
        content,
    }))
}

/// A number in [0, 1) for the backoff's jitter, from the random bits of a v4 UUID (the OS's
/// generator, through the `uuid` crate already in use).
fn jitter() -> f64 {
    // The low 53 bits: clear of the version and variant bits, all random.
    let bits = uuid::Uuid::new_v4().as_u128() & ((1u128 << 53) - 1);
    bits as f64 / (1u64 << 53) as f64
}
