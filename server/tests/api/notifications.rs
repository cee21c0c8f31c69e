//! Notifications: planned once from the booking outbox, sent on the patient's channels, retried
//! with the circuit breaker's say, and never a reminder for a visit that is gone.

use crate::db::test_pool;
use crate::family::child_form;
use crate::{fixtures::*, helpers::*};
use app::notifications::channel::{Accepted, Outgoing, Refused, SendFuture, Sender};
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::planner::PlanRules;
use app::notifications::sender::Senders;
use app::notifications::worker::Notifier;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// A provider that records what it was sent and refuses the first `fail_first` tries.
#[derive(Default)]
struct FakeProvider {
    sent: Mutex<Vec<Outgoing>>,
    fail_first: AtomicUsize,
    tries: AtomicUsize,
}

struct Fake(Arc<FakeProvider>);

impl Sender for Fake {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            self.0.tries.fetch_add(1, Ordering::SeqCst);
            let left = self.0.fail_first.load(Ordering::SeqCst);
            if left > 0 {
                self.0.fail_first.store(left - 1, Ordering::SeqCst);
                return Err(Refused {
                    reason: "503 from the gateway".into(),
                    retry_after: None,
                    permanent: false,
                });
            }
            self.0.sent.lock().expect("lock").push(message.clone());
            Ok(Accepted {
                provider_id: Some(format!("fake-{}", message.id)),
            })
        })
    }
}

/// Workers sending on `senders` (the clinic's channels, in that order), with the default plan,
/// as the tests of every channel use them.
pub(crate) fn workers(pool: &PgPool, senders: Senders) -> Notifier {
    Notifier {
        pool: pool.clone(),
        rules: Arc::new(PlanRules {
            running: senders.order().to_vec(),
        }),
        senders: Arc::new(senders),
        idle: Duration::from_millis(10),
    }
}

/// A provider that takes every message on `channel` and keeps it.
pub(crate) struct Recorder {
    pub channel: Channel,
    pub sent: Arc<Mutex<Vec<Outgoing>>>,
}

impl Recorder {
    pub fn on(channel: Channel) -> (Arc<Self>, Arc<Mutex<Vec<Outgoing>>>) {
        let sent = Arc::new(Mutex::new(vec![]));
        (
            Arc::new(Self {
                channel,
                sent: sent.clone(),
            }),
            sent,
        )
    }
}

impl Sender for Recorder {
    fn channel(&self) -> Channel {
        self.channel
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            self.sent.lock().expect("lock").push(message.clone());
            Ok(Accepted {
                provider_id: Some(format!("kept-{}", message.id)),
            })
        })
    }
}

fn notifier(pool: &PgPool, provider: &Arc<FakeProvider>, threshold: u32) -> Notifier {
    workers(
        pool,
        Senders::new(
            vec![Arc::new(Fake(provider.clone()))],
            RetryPolicy::default(),
            threshold,
            Duration::from_secs(3600),
        ),
    )
}

async fn messages(pool: &PgPool) -> Vec<(String, String, String, Uuid)> {
    sqlx::query_as(
        "SELECT kind, channel, status::text, recipient_id FROM notification_messages
         ORDER BY due_at, kind",
    )
    .fetch_all(pool)
    .await
    .expect("messages")
}

/// Books the doctor's first free time at least `hours` ahead for the logged-in patient.
pub(crate) async fn book_after(app: &TestApp, hours: i64, patient: &str) -> String {
    let doctor = doctor_id(&app.pool, "+966500000003").await;
    let (visit, start) = free_start_after(&app.pool, doctor, hours).await;
    let booked = app
        .call(
            "book_appointment",
            &[
                ("doctor_id", &doctor.to_string()),
                ("visit_type_id", &visit.to_string()),
                ("start", &start.to_string()),
                ("reason", ""),
                ("note", ""),
                ("rescheduled_from", ""),
                ("patient_id", patient),
            ],
        )
        .await;
    assert_eq!(booked.status(), StatusCode::OK);
    appointment_id(&booked)
}

#[tokio::test]
async fn a_booking_is_confirmed_and_reminded_once_however_often_it_is_planned() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 48, "").await;
    let provider = Arc::new(FakeProvider::default());
    let n = notifier(&app.pool, &provider, 5);
    n.drain().await;
    let planned = messages(&app.pool).await;
    let kinds: Vec<&str> = planned.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(kinds, ["booked", "reminder", "reminder"], "{planned:?}");
    assert!(planned.iter().all(|m| m.1 == "sms"));
    // The confirmation went; the reminders wait for their time.
    assert_eq!(planned[0].2, "sent");
    assert_eq!(planned[1].2, "queued");
    let sent = provider.sent.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].kind, "booked");

    // Planning the same events again (as after a crash before they were marked) adds nothing.
    sqlx::query("UPDATE appointment_events SET published_at = NULL")
        .execute(&app.pool)
        .await
        .expect("unmark");
    n.drain().await;
    assert_eq!(messages(&app.pool).await.len(), 3);
    assert_eq!(provider.sent.lock().expect("lock").len(), 1);

    // Their time comes: each reminder goes once.
    sqlx::query("UPDATE notification_messages SET due_at = now() WHERE kind = 'reminder'")
        .execute(&app.pool)
        .await
        .expect("due");
    n.drain().await;
    n.drain().await;
    let sent = provider.sent.lock().expect("lock").clone();
    assert_eq!(sent.len(), 3);
    let keys: std::collections::HashSet<&str> = sent.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys.len(), 3, "three different messages");
}

#[tokio::test]
async fn a_cancelled_visit_is_told_of_its_cancellation_and_never_reminded() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 0")
        .execute(&app.pool)
        .await
        .expect("rules");
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let id = book_after(&app, 48, "").await;
    let provider = Arc::new(FakeProvider::default());
    let n = notifier(&app.pool, &provider, 5);
    n.drain().await;
    let cancel = app
        .call(
            "change_appointment",
            &[("id", &id), ("action", "cancel"), ("reason", "سفر")],
        )
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    sqlx::query("UPDATE notification_messages SET due_at = now() WHERE kind = 'reminder'")
        .execute(&app.pool)
        .await
        .expect("due");
    n.drain().await;
    let by_kind: Vec<(String, String)> = messages(&app.pool)
        .await
        .into_iter()
        .map(|m| (m.0, m.2))
        .collect();
    assert!(
        by_kind.contains(&("cancelled".into(), "sent".into())),
        "{by_kind:?}"
    );
    let reminders: Vec<&String> = by_kind
        .iter()
        .filter(|(k, _)| k == "reminder")
        .map(|(_, s)| s)
        .collect();
    assert_eq!(reminders, ["skipped", "skipped"]);
    let sent: Vec<String> = provider
        .sent
        .lock()
        .expect("lock")
        .iter()
        .map(|m| m.kind.clone())
        .collect();
    assert_eq!(sent, ["booked", "cancelled"]);
}

#[tokio::test]
async fn a_failing_provider_is_retried_later_and_left_alone_once_its_circuit_opens() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 48, "").await;
    let provider = Arc::new(FakeProvider::default());
    provider.fail_first.store(2, Ordering::SeqCst);
    let n = notifier(&app.pool, &provider, 2);
    n.drain().await;
    let (status, attempts, error, later): (String, i32, Option<String>, bool) = sqlx::query_as(
        "SELECT status::text, attempts, last_error, due_at > now() FROM notification_messages
         WHERE kind = 'booked'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert_eq!(error.as_deref(), Some("503 from the gateway"));
    assert!(later, "tried again later, not at once");

    // Its time comes and it fails again: two failures in a row open the circuit.
    let due_now = || async {
        sqlx::query("UPDATE notification_messages SET due_at = now() WHERE kind = 'booked'")
            .execute(&app.pool)
            .await
            .expect("due");
    };
    due_now().await;
    n.drain().await;
    assert_eq!(provider.tries.load(Ordering::SeqCst), 2);
    // While the circuit is open the message waits without a try being spent on it.
    due_now().await;
    n.round().await;
    assert_eq!(
        provider.tries.load(Ordering::SeqCst),
        2,
        "the provider is left alone"
    );
    let attempts: i32 =
        sqlx::query_scalar("SELECT attempts FROM notification_messages WHERE kind = 'booked'")
            .fetch_one(&app.pool)
            .await
            .expect("attempts");
    assert_eq!(attempts, 2);

    // A new set of workers (a restart) starts with the circuit closed; the provider is back.
    let n = notifier(&app.pool, &provider, 2);
    due_now().await;
    n.drain().await;
    assert_eq!(provider.sent.lock().expect("lock").len(), 1);
    let status: String =
        sqlx::query_scalar("SELECT status::text FROM notification_messages WHERE kind = 'booked'")
            .fetch_one(&app.pool)
            .await
            .expect("status");
    assert_eq!(status, "sent");
}

#[tokio::test]
async fn a_message_claimed_by_a_worker_that_died_is_sent_after_its_lease() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 48, "").await;
    let provider = Arc::new(FakeProvider::default());
    let n = notifier(&app.pool, &provider, 5);
    app::notifications::planner::plan_batch(&app.pool, &n.rules, 50, jiff::Timestamp::now())
        .await
        .expect("plan");
    // A worker claims the confirmation and dies before settling it.
    let claimed = app::notifications::db::claim_due(&app.pool, 50, 120)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    n.drain().await;
    assert!(
        provider.sent.lock().expect("lock").is_empty(),
        "still leased"
    );
    sqlx::query("UPDATE notification_messages SET lease_until = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .expect("lease over");
    n.drain().await;
    let sent = provider.sent.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].key, claimed[0].key,
        "the same message, with its key"
    );
}

#[tokio::test]
async fn a_childs_messages_go_to_the_guardian_on_the_channels_they_chose() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let added = app
        .call("add_dependent", &child_form(&national_id(7_101)))
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    let family: Value = app.call("my_family", &[]).await.json().await.expect("json");
    let child = family[0]["id"].as_str().expect("id").to_owned();
    let guardian: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE phone = '+966500000006'")
        .fetch_one(&app.pool)
        .await
        .expect("guardian");
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, channels, reminders)
         VALUES ($1, '{sms}', false)",
    )
    .bind(guardian)
    .execute(&app.pool)
    .await
    .expect("preferences");
    book_after(&app, 48, &child).await;
    let provider = Arc::new(FakeProvider::default());
    notifier(&app.pool, &provider, 5).drain().await;
    let planned = messages(&app.pool).await;
    assert_eq!(
        planned.len(),
        1,
        "the confirmation only: reminders are off {planned:?}"
    );
    assert_eq!(planned[0].3, guardian);
}
