//! The SMS channel against a gateway played by `wiremock` on loopback: what it is sent, and how
//! each kind of trouble (500, 429 with Retry-After, a timeout, an answer that cannot be read, a
//! refusal, a minute-long outage) ends for the message.

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
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

#[tokio::test]
async fn during_an_outage_the_circuit_opens_and_every_message_goes_once_after_it() {
    let gateway = MockServer::start().await;
    let app = spawn_app(test_pool().await).await;
    one_confirmation(&app).await;
    app::notifications::planner::plan_batch(
        &app.pool,
        &PlanRules {
            running: vec![Channel::Sms],
            ..PlanRules::default()
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
    let cool_off = Duration::from_millis(300);
    let texter = texter(&app.pool, &gateway, 3, cool_off);

    let outage = Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount_as_scoped(&gateway)
        .await;
    texter.drain().await;
    assert_eq!(
        gateway.received_requests().await.expect("recorded").len(),
        3,
        "after three failures in a row the gateway is left alone"
    );
    let queued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notification_messages WHERE kind = 'booked' AND status = 'queued'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(queued, 20, "nothing lost, nothing failed");
    drop(outage);
    gateway.reset().await;

    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "ok"})))
        .mount(&gateway)
        .await;
    tokio::time::sleep(cool_off).await;
    due_again(&app.pool).await;
    texter.drain().await;
    let sent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notification_messages WHERE kind = 'booked' AND status = 'sent'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(sent, 20);
    let requests = gateway.received_requests().await.expect("recorded");
    let keys: std::collections::BTreeSet<String> = requests
        .iter()
        .filter_map(|r| {
            r.headers
                .get("idempotency-key")?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        requests.len(),
        20,
        "each message sent once after the outage"
    );
    assert_eq!(keys.len(), 20, "under its own key");
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
