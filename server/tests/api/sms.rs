//! The SMS channel against a gateway played by `wiremock` on loopback: what it is sent, and how
//! each kind of trouble (500, 429 with Retry-After, a timeout, an answer that cannot be read, a
//! refusal, a gateway down for a whole minute) ends for the message.

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers};
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::planner::PlanRules;
use app::notifications::sender::Senders;
use app::notifications::sms_gateway::SmsGateway;
use app::notifications::worker::Notifier;
use serde_json::Value;
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn texter(pool: &PgPool, gateway: &MockServer, threshold: u32, cool_off: Duration) -> Notifier {
    let sms = SmsGateway::new(
        &format!("{}/v1/messages", gateway.uri()),
        "secret-token",
        "Mueen",
        Duration::from_millis(500),
    )
    .expect("client");
    workers(
        pool,
        Senders::new(
            vec![Arc::new(sms)],
            RetryPolicy::default(),
            threshold,
            cool_off,
        ),
    )
}

/// A patient's booking with its confirmation planned (reminders removed: they are not due).
async fn one_confirmation(app: &TestApp) {
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(app, 48, "").await;
}

async fn booked(pool: &PgPool) -> (String, i32, Option<String>, Option<String>, bool) {
    sqlx::query_as(
        "SELECT status::text, attempts, last_error, provider_id, due_at > now() + interval '100 seconds'
         FROM notification_messages WHERE kind = 'booked'",
    )
    .fetch_one(pool)
    .await
    .expect("the confirmation")
}

async fn due_again(pool: &PgPool) {
    sqlx::query("DELETE FROM notification_messages WHERE kind = 'reminder'")
        .execute(pool)
        .await
        .expect("reminders out of the way");
    sqlx::query("UPDATE notification_messages SET due_at = now() WHERE status = 'queued'")
        .execute(pool)
        .await
        .expect("due now");
}

#[tokio::test]
async fn the_gateway_gets_the_arabic_text_with_sender_number_token_and_idempotency_key() {
    let gateway = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("authorization", "Bearer secret-token"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "statusCode": 201, "messageId": 81234
        })))
        .mount(&gateway)
        .await;
    let app = spawn_app(test_pool().await).await;
    one_confirmation(&app).await;
    texter(&app.pool, &gateway, 5, Duration::from_secs(60))
        .drain()
        .await;

    let requests = gateway.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let sent: Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(sent["sender"], "Mueen");
    assert_eq!(sent["recipients"], serde_json::json!(["966500000006"]));
    let text = sent["body"].as_str().expect("text");
    assert!(text.starts_with("تم حجز موعد"), "{text}");
    assert!(text.contains("/appointments/"), "with the link: {text}");
    let key = requests[0]
        .headers
        .get("idempotency-key")
        .expect("an idempotency key");
    assert!(key.to_str().expect("ascii").contains(":sms:"));
    let (status, attempts, _, provider, _) = booked(&app.pool).await;
    assert_eq!((status.as_str(), attempts), ("sent", 1));
    assert_eq!(provider.as_deref(), Some("81234"));
}

#[tokio::test]
async fn trouble_at_the_gateway_is_retried_and_a_refusal_is_not() {
    let gateway = MockServer::start().await;
    let app = spawn_app(test_pool().await).await;
    one_confirmation(&app).await;
    let texter = texter(&app.pool, &gateway, 100, Duration::from_secs(60));

    // 500: tried again later.
    let mock = Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("internal error"))
        .mount_as_scoped(&gateway)
        .await;
    texter.drain().await;
    let (status, attempts, error, _, _) = booked(&app.pool).await;
    assert_eq!((status.as_str(), attempts), ("queued", 1), "{error:?}");
    assert!(error.unwrap_or_default().contains("500"));
    drop(mock);

    // 429 with Retry-After: not before the gateway asked.
    due_again(&app.pool).await;
    let mock = Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "600"))
        .mount_as_scoped(&gateway)
        .await;
    texter.drain().await;
    let (status, attempts, error, _, waits) = booked(&app.pool).await;
    assert_eq!((status.as_str(), attempts), ("queued", 2), "{error:?}");
    assert!(waits, "due no sooner than Retry-After asked (600 s)");
    drop(mock);

    // A gateway that does not answer within the timeout.
    due_again(&app.pool).await;
    let mock = Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"messageId": "late"}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount_as_scoped(&gateway)
        .await;
    texter.drain().await;
    let (status, attempts, error, _, _) = booked(&app.pool).await;
    assert_eq!((status.as_str(), attempts), ("queued", 3));
    assert!(error.unwrap_or_default().contains("in time"));
    drop(mock);

    // 200 with an answer that names no message: it may not have been taken; tried again.
    due_again(&app.pool).await;
    let mock = Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy</html>"))
        .mount_as_scoped(&gateway)
        .await;
    texter.drain().await;
    let (status, attempts, error, _, _) = booked(&app.pool).await;
    assert_eq!((status.as_str(), attempts), ("queued", 4));
    assert!(error.unwrap_or_default().contains("names no message"));
    drop(mock);

    // 400: the message itself is refused; failed at once, with the gateway's words.
    due_again(&app.pool).await;
    let _mock = Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("invalid sender name"))
        .mount_as_scoped(&gateway)
        .await;
    texter.drain().await;
    let (status, attempts, error, _, _) = booked(&app.pool).await;
    assert_eq!((status.as_str(), attempts), ("failed", 5));
    assert!(error.unwrap_or_default().contains("invalid sender name"));
}

/// The `Idempotency-Key` a request to the fake gateway carried (empty without one).
pub(crate) fn idempotency_key(request: &Request) -> String {
    request
        .headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A gateway that answers 503 until `until`, then takes every message; it notes each request's
/// idempotency key, when it came and whether it was taken.
#[derive(Clone)]
struct DownUntil {
    until: Instant,
    seen: Arc<Mutex<Vec<(Instant, String, bool)>>>,
}

impl Respond for DownUntil {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = idempotency_key(request);
        let now = Instant::now();
        let up = now >= self.until;
        self.seen.lock().expect("lock").push((now, key, up));
        if up {
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "ok"}))
        } else {
            ResponseTemplate::new(503)
        }
    }
}

async fn count_status(pool: &PgPool, status: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM notification_messages WHERE kind = 'booked' AND status::text = $1",
    )
    .bind(status)
    .fetch_one(pool)
    .await
    .expect("count")
}

/// A minute-long outage, in real time, with workers running as in the server: the queue
/// holds, the circuit opens and lets one probe through per cool-off, nothing fails over, and
/// every message goes once soon after the gateway is back.
#[tokio::test]
async fn a_gateway_down_for_a_minute_loses_nothing_and_gets_every_message_once_after() {
    const OUTAGE: Duration = Duration::from_secs(60);
    const COOL_OFF: Duration = Duration::from_secs(5);
    const THRESHOLD: usize = 3;
    let gateway = MockServer::start().await;
    let app = spawn_app(test_pool().await).await;
    one_confirmation(&app).await;
    app::notifications::planner::plan_batch(
        &app.pool,
        &PlanRules {
            running: vec![Channel::Sms],
        },
        50,
        jiff::Timestamp::now(),
    )
    .await
    .expect("planned");
    // Twenty confirmations in the queue: the booked one and copies under their own keys.
    sqlx::query(
        "INSERT INTO notification_messages
             (id, idempotency_key, appointment_id, recipient_id, kind, channel, params, due_at)
         SELECT gen_random_uuid(), idempotency_key || ':' || n, appointment_id, recipient_id,
                kind, channel, params, due_at
         FROM notification_messages, generate_series(1, 19) n WHERE kind = 'booked'",
    )
    .execute(&app.pool)
    .await
    .expect("copies");
    let down = DownUntil {
        until: Instant::now() + OUTAGE,
        seen: Arc::new(Mutex::new(vec![])),
    };
    Mock::given(method("POST"))
        .respond_with(down.clone())
        .mount(&gateway)
        .await;
    let sms = SmsGateway::new(
        &format!("{}/v1/messages", gateway.uri()),
        "secret-token",
        "Mueen",
        Duration::from_millis(500),
    )
    .expect("client");
    // Retries within seconds, so the minute holds many of them; eight tries in all.
    let retry = RetryPolicy {
        base: Duration::from_secs(2),
        cap: Duration::from_secs(8),
        max_attempts: 8,
    };
    let texter = workers(
        &app.pool,
        Senders::new(vec![Arc::new(sms)], retry, THRESHOLD as u32, COOL_OFF),
    );
    texter.spawn(2);

    // Half-way through the outage: the circuit is not closed, nothing is lost or failed.
    tokio::time::sleep(OUTAGE / 2).await;
    let state = texter.senders.health();
    assert!(
        matches!(state.as_slice(), [(Channel::Sms, "open" | "half-open")]),
        "{state:?}"
    );
    assert_eq!(count_status(&app.pool, "failed").await, 0);
    assert_eq!(count_status(&app.pool, "sent").await, 0);

    let deadline = down.until + Duration::from_secs(45);
    while Instant::now() < deadline && count_status(&app.pool, "sent").await < 20 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        count_status(&app.pool, "sent").await,
        20,
        "all sent after the outage"
    );
    let seen = down.seen.lock().expect("lock").clone();
    let during = seen.iter().filter(|(_, _, up)| !up).count();
    // The first failures open the circuit; afterwards one probe per cool-off (plus the probe
    // of a worker that raced it) is all the gateway sees.
    let bound = THRESHOLD + 2 * (OUTAGE.as_secs() / COOL_OFF.as_secs()) as usize + 2;
    assert!(
        during <= bound,
        "{during} requests during the outage, more than {bound}"
    );
    let taken: Vec<&String> = seen
        .iter()
        .filter(|(_, _, up)| *up)
        .map(|(_, k, _)| k)
        .collect();
    let keys: std::collections::BTreeSet<&String> = taken.iter().copied().collect();
    assert_eq!(taken.len(), 20, "each message taken once");
    assert_eq!(keys.len(), 20, "under its own key");
    let last = seen.iter().map(|(at, _, _)| *at).max().expect("requests");
    println!(
        "outage {OUTAGE:?}: {during} requests while down; all 20 sent {:?} after it ended",
        last.saturating_duration_since(down.until)
    );
    assert_eq!(
        count_status(&app.pool, "failed").await,
        0,
        "nothing fell back to another channel"
    );
}

#[tokio::test]
async fn a_message_the_gateway_refuses_for_good_goes_by_email_instead_once() {
    let gateway = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("number blocked"))
        .mount(&gateway)
        .await;
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let app = spawn_app(test_pool().await).await;
    sqlx::query("UPDATE users SET email = 'sara@patients.test' WHERE phone = '+966500000006'")
        .execute(&app.pool)
        .await
        .expect("an e-mail address");
    one_confirmation(&app).await;
    let sms = SmsGateway::new(
        &format!("{}/v1/messages", gateway.uri()),
        "secret-token",
        "Mueen",
        Duration::from_millis(500),
    )
    .expect("client");
    let email = app::notifications::email::EmailSender::new(&sink.url(), "clinic@mueen.test")
        .expect("mailer");
    let notifier = workers(
        &app.pool,
        Senders::new(
            vec![Arc::new(sms), Arc::new(email)],
            RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        ),
    );
    notifier.drain().await;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT channel, status::text FROM notification_messages WHERE kind = 'booked'
         ORDER BY created_at, channel",
    )
    .fetch_all(&app.pool)
    .await
    .expect("rows");
    assert_eq!(
        rows,
        [
            ("sms".to_owned(), "failed".to_owned()),
            ("email".to_owned(), "sent".to_owned())
        ],
        "planned on the first channel only; the second after it failed"
    );
    assert_eq!(sink.received().len(), 1);
    // The failed SMS planned again (a retry after a crash) adds no second e-mail.
    sqlx::query(
        "UPDATE notification_messages SET status = 'queued', due_at = now() WHERE channel = 'sms'",
    )
    .execute(&app.pool)
    .await
    .expect("requeue");
    sqlx::query("DELETE FROM notification_messages WHERE kind = 'reminder'")
        .execute(&app.pool)
        .await
        .expect("reminders out of the way");
    notifier.drain().await;
    assert_eq!(sink.received().len(), 1, "the fallback exists once");
}
