//! One-tap links in messages: they work without logging in, once, for their one visit and
//! action; a made-up or mangled link is not found; a cancellation keeps the clinic's cut-off;
//! each use and refusal is audited.

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers, Recorder};
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::sender::Senders;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// The token of the link labelled `label` in a message's text.
fn token_after(text: &str, label: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("a line starting {label:?} in {text}"));
    let token = line.rsplit("/t/").next().expect("a /t/ link").to_owned();
    assert_eq!(token.len(), 64, "{line}");
    token
}

/// Books a visit two days ahead for the demo patient and sends its confirmation; returns the
/// appointment and the two tokens (confirm, cancel).
async fn booked_with_links(app: &TestApp) -> (String, String, String) {
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let appointment = book_after(app, 48, "").await;
    let (recorder, kept) = Recorder::on(Channel::Sms);
    let notifier = workers(
        &app.pool,
        Senders::new(
            vec![recorder],
            RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        )
        .with_site("https://clinic.example")
        .with_keys(app.vault.keys.clone()),
    );
    notifier.drain().await;
    let sent = kept.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1, "the confirmation");
    let text = &sent[0].content.text;
    let confirm = token_after(text, "سأحضر");
    let cancel = token_after(text, "إلغاء الموعد");
    assert_ne!(confirm, cancel);
    (appointment, confirm, cancel)
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn the_confirm_link_works_once_without_logging_in_and_shows_on_the_desk() {
    let app = spawn_app(test_pool().await).await;
    let (appointment, confirm, _) = booked_with_links(&app).await;
    let stranger = new_client();

    let info = app
        .call_with(&stranger, "one_tap_info", &[("token", &confirm)])
        .await;
    assert_eq!(info.status(), StatusCode::OK);
    let info: Value = info.json().await.expect("json");
    assert_eq!(info["action"], "Confirm");
    assert_eq!(info["state"], "Ready");
    assert_eq!(info["confirmed"], false);
    assert!(
        info.get("patient_phone").is_none(),
        "the page gets no more than the message said"
    );

    let used = app
        .call_with(&stranger, "use_one_tap", &[("token", &confirm)])
        .await;
    assert_eq!(used.status(), StatusCode::OK);
    let confirmed: bool = sqlx::query_scalar(
        "SELECT attendance_confirmed_at IS NOT NULL FROM appointments WHERE id = $1::uuid",
    )
    .bind(&appointment)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert!(confirmed);
    assert_eq!(
        audit_count(&app, "appointment.attendance_confirmed").await,
        1
    );

    let again = app
        .call_with(&stranger, "use_one_tap", &[("token", &confirm)])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_json(again).await, json!({"Rule": "err-tap-used"}));
    let info: Value = app
        .call_with(&stranger, "one_tap_info", &[("token", &confirm)])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(info["state"], "Used");
    assert_eq!(info["confirmed"], true);
    assert_eq!(audit_count(&app, "one_tap.refused").await, 1);

    // The page itself, in Arabic, says so.
    let page = stranger
        .get(app.url(&format!("/t/{confirm}")))
        .header("accept-language", "ar")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("استُخدم هذا الرابط من قبل."), "{html}");
    assert!(html.contains("حضوركم لهذا الموعد مؤكَّد"));

    // The desk's day list shows it.
    let desk = as_role(&app, "0500000005").await;
    let day: String = sqlx::query_scalar(
        "SELECT (lower(a.during) AT TIME ZONE c.timezone)::date::text
         FROM appointments a JOIN clinics c ON c.id = a.clinic_id WHERE a.id = $1::uuid",
    )
    .bind(&appointment)
    .fetch_one(&app.pool)
    .await
    .expect("the visit's local day");
    let listed: Value = app
        .call_with(&desk, "staff_day", &[("day", &day)])
        .await
        .json()
        .await
        .expect("json");
    let row = listed["day"]["appointments"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|a| a["id"] == appointment.as_str())
        .expect("the visit on its day")
        .clone();
    assert_eq!(row["attendance_confirmed"], true);
}

#[tokio::test]
async fn made_up_and_mangled_links_are_not_found_and_change_nothing() {
    let app = spawn_app(test_pool().await).await;
    let (appointment, confirm, _) = booked_with_links(&app).await;
    let stranger = new_client();
    let mut mangled = confirm.clone().into_bytes();
    mangled[63] = if mangled[63] == b'0' { b'1' } else { b'0' };
    let mangled = String::from_utf8(mangled).expect("ascii");
    for token in [mangled.as_str(), "00", "' OR 1=1 --", &"0".repeat(64)] {
        let used = app
            .call_with(&stranger, "use_one_tap", &[("token", token)])
            .await;
        assert_eq!(used.status(), StatusCode::NOT_FOUND, "{token}");
    }
    let confirmed: bool = sqlx::query_scalar(
        "SELECT attendance_confirmed_at IS NOT NULL FROM appointments WHERE id = $1::uuid",
    )
    .bind(&appointment)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert!(!confirmed);
    assert_eq!(audit_count(&app, "one_tap.refused").await, 4);
}

#[tokio::test]
async fn the_cancel_link_keeps_the_clinics_cut_off_and_then_cancels_once() {
    let app = spawn_app(test_pool().await).await;
    let (appointment, confirm, cancel) = booked_with_links(&app).await;
    let stranger = new_client();
    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 4320")
        .execute(&app.pool)
        .await
        .expect("three days' cut-off");
    let late = app
        .call_with(&stranger, "use_one_tap", &[("token", &cancel)])
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(late).await,
        json!({"Rule": "err-cancel-too-late"})
    );
    let info: Value = app
        .call_with(&stranger, "one_tap_info", &[("token", &cancel)])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        info["state"], "Ready",
        "a refused use does not spend the link"
    );

    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 60")
        .execute(&app.pool)
        .await
        .expect("an hour's cut-off");
    let done = app
        .call_with(&stranger, "use_one_tap", &[("token", &cancel)])
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let status: String =
        sqlx::query_scalar("SELECT status::text FROM appointments WHERE id = $1::uuid")
            .bind(&appointment)
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!(status, "cancelled");
    let cancelled_events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM appointment_events WHERE appointment_id = $1::uuid
           AND kind = 'appointment.cancelled'",
    )
    .bind(&appointment)
    .fetch_one(&app.pool)
    .await
    .expect("events");
    assert_eq!(
        cancelled_events, 1,
        "the cancellation is told like any other"
    );

    // The visit is gone: its confirm link can no longer confirm it.
    let confirm_now = app
        .call_with(&stranger, "use_one_tap", &[("token", &confirm)])
        .await;
    assert_eq!(confirm_now.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(confirm_now).await,
        json!({"Rule": "err-tap-not-booked"})
    );
}
