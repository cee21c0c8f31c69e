//! WhatsApp: the template message the Cloud API is sent (played by `wiremock`), and the app's
//! webhook — the GET handshake, signatures, delivery statuses that only move forward, and
//! quick-reply buttons that are one-tap uses, so a replay changes nothing.

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers};
use app::kernel::config::{Redacted, WhatsAppSettings};
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::sender::Senders;
use app::notifications::whatsapp::{signature, WhatsAppSender};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "test-app-secret";

fn settings(graph: &str) -> WhatsAppSettings {
    WhatsAppSettings {
        graph_url: graph.to_owned(),
        phone_number_id: "10987".to_owned(),
        token: Redacted("wa-token".to_owned()),
        app_secret: Redacted(SECRET.to_owned()),
        verify_token: Redacted("verify-me".to_owned()),
        template_prefix: "mueen".to_owned(),
    }
}

/// The app with WhatsApp configured, a booking of the demo patient's sent over WhatsApp to the
/// fake Cloud API; returns the app, the request the API got, and the appointment.
async fn sent_over_whatsapp() -> (TestApp, Value, String) {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v21.0/10987/messages"))
        .and(header("authorization", "Bearer wa-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "966500000006", "wa_id": "966500000006"}],
            "messages": [{"id": "wamid.HBgM"}]
        })))
        .mount(&graph)
        .await;
    let graph_url = format!("{}/v21.0", graph.uri());
    let wa = settings(&graph_url);
    let app = spawn_app_with(test_pool().await, |c| c.whatsapp = Some(wa.clone())).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let appointment = book_after(&app, 48, "").await;
    let sender = WhatsAppSender::new(
        &graph_url,
        "10987",
        "wa-token",
        "mueen",
        Duration::from_secs(2),
    )
    .expect("client");
    workers(
        &app.pool,
        Senders::new(
            vec![Arc::new(sender)],
            RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        )
        .with_keys(app.vault.keys.clone()),
    )
    .drain()
    .await;
    let requests = graph.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let sent: Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    (app, sent, appointment)
}

async fn deliver(app: &TestApp, body: &Value, signed_with: &str) -> StatusCode {
    let bytes = serde_json::to_vec(body).expect("bytes");
    new_client()
        .post(app.url("/webhooks/whatsapp"))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", signature(signed_with, &bytes))
        .body(bytes)
        .send()
        .await
        .expect("sent")
        .status()
}

fn status_event(state: &str) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages",
        "value": {"messaging_product": "whatsapp", "statuses": [{
            "id": "wamid.HBgM", "status": state, "timestamp": "1765000000", "recipient_id": "966500000006"
        }]}
    }]}]})
}

fn button_event(payload: &str) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages",
        "value": {"messaging_product": "whatsapp", "messages": [{
            "from": "966500000006", "id": "wamid.reply", "timestamp": "1765000001",
            "type": "button", "button": {"text": "سأحضر", "payload": payload}
        }]}
    }]}]})
}

async fn message_status(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT status::text FROM notification_messages WHERE kind = 'booked'")
        .fetch_one(&app.pool)
        .await
        .expect("row")
}

#[tokio::test]
async fn a_booking_goes_as_an_arabic_template_with_confirm_and_cancel_buttons() {
    let (app, sent, _) = sent_over_whatsapp().await;
    assert_eq!(sent["messaging_product"], "whatsapp");
    assert_eq!(sent["to"], "966500000006");
    assert_eq!(sent["template"]["name"], "mueen_booked");
    assert_eq!(sent["template"]["language"]["code"], "ar");
    let components = sent["template"]["components"]
        .as_array()
        .expect("components");
    let body = &components[0];
    assert_eq!(body["type"], "body");
    assert_eq!(body["parameters"].as_array().expect("params").len(), 6);
    assert!(body["parameters"][3]["text"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .any(|c| c.is_ascii_digit()));
    let payloads: Vec<&str> = components[1..]
        .iter()
        .map(|c| c["parameters"][0]["payload"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(payloads.len(), 2);
    assert!(payloads[0].starts_with("confirm:") && payloads[0].len() == 8 + 64);
    assert!(payloads[1].starts_with("cancel:") && payloads[1].len() == 7 + 64);
    let provider: String =
        sqlx::query_scalar("SELECT provider_id FROM notification_messages WHERE kind = 'booked'")
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!(provider, "wamid.HBgM");
}

#[tokio::test]
async fn the_handshake_answers_only_with_the_verify_token() {
    let app = spawn_app_with(test_pool().await, |c| {
        c.whatsapp = Some(settings("http://127.0.0.1:9"))
    })
    .await;
    let ask = |token: &str| {
        new_client()
            .get(app.url(&format!(
                "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
            )))
            .send()
    };
    let ok = ask("verify-me").await.expect("sent");
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.text().await.expect("body"), "1158201444");
    assert_eq!(
        ask("guess").await.expect("sent").status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn statuses_move_forward_only_and_a_forged_delivery_changes_nothing() {
    let (app, _, _) = sent_over_whatsapp().await;
    assert_eq!(message_status(&app).await, "sent");

    assert_eq!(
        deliver(&app, &status_event("read"), "not-the-secret").await,
        StatusCode::UNAUTHORIZED
    );
    let unsigned = new_client()
        .post(app.url("/webhooks/whatsapp"))
        .body(serde_json::to_vec(&status_event("read")).expect("bytes"))
        .send()
        .await
        .expect("sent");
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        message_status(&app).await,
        "sent",
        "forged: nothing changed"
    );

    assert_eq!(
        deliver(&app, &status_event("delivered"), SECRET).await,
        StatusCode::OK
    );
    assert_eq!(message_status(&app).await, "delivered");
    assert_eq!(
        deliver(&app, &status_event("read"), SECRET).await,
        StatusCode::OK
    );
    assert_eq!(message_status(&app).await, "read");
    // Late and replayed statuses: a "delivered" after "read", a "failed" after delivery.
    for late in ["delivered", "failed", "read"] {
        assert_eq!(
            deliver(&app, &status_event(late), SECRET).await,
            StatusCode::OK
        );
        assert_eq!(message_status(&app).await, "read", "{late} after read");
    }
}

#[tokio::test]
async fn the_confirm_button_confirms_once_and_a_replay_changes_nothing() {
    let (app, sent, appointment) = sent_over_whatsapp().await;
    let confirm = sent["template"]["components"][1]["parameters"][0]["payload"]
        .as_str()
        .expect("payload")
        .to_owned();
    let event = button_event(&confirm);
    assert_eq!(
        deliver(&app, &event, "wrong").await,
        StatusCode::UNAUTHORIZED
    );
    let confirmed = || async {
        sqlx::query_scalar::<_, bool>(
            "SELECT attendance_confirmed_at IS NOT NULL FROM appointments WHERE id = $1::uuid",
        )
        .bind(&appointment)
        .fetch_one(&app.pool)
        .await
        .expect("row")
    };
    assert!(!confirmed().await, "a forged reply confirms nothing");

    assert_eq!(deliver(&app, &event, SECRET).await, StatusCode::OK);
    assert!(confirmed().await);
    let at: String = sqlx::query_scalar(
        "SELECT attendance_confirmed_at::text FROM appointments WHERE id = $1::uuid",
    )
    .bind(&appointment)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!(deliver(&app, &event, SECRET).await, StatusCode::OK);
    let again: String = sqlx::query_scalar(
        "SELECT attendance_confirmed_at::text FROM appointments WHERE id = $1::uuid",
    )
    .bind(&appointment)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!(at, again, "the replay changed nothing");
    let used: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'appointment.attendance_confirmed'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(used, 1);
    let refused: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'one_tap.refused'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(refused, 1, "the replay is audited as refused");
}
