//! A patient's notification settings: what the page offers, what is refused, and that the next
//! message follows them (channel, reminders, language).

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers, Recorder};
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::sender::Senders;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

async fn settings(app: &TestApp) -> Value {
    let answer = app.call("my_notification_settings", &[]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.expect("json")
}

#[tokio::test]
async fn a_patient_chooses_sms_in_english_without_reminders_and_the_next_message_follows() {
    let app = spawn_app(test_pool().await).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let before = settings(&app).await;
    assert_eq!(before["offered"], serde_json::json!(["Email", "Sms"]));
    assert_eq!(
        before["chosen"], before["offered"],
        "all offered until chosen"
    );
    assert_eq!(before["reminders"], true);

    // Refused: a channel the clinic does not run, a language it does not write.
    let whatsapp = app
        .call(
            "save_notification_settings",
            &[("whatsapp", "on"), ("language", "ar")],
        )
        .await;
    assert_eq!(whatsapp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let french = app
        .call(
            "save_notification_settings",
            &[("sms", "on"), ("language", "fr")],
        )
        .await;
    assert_eq!(french.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        settings(&app).await,
        before,
        "nothing saved by a refused form"
    );

    let saved = app
        .call(
            "save_notification_settings",
            &[("sms", "on"), ("language", "en")],
        )
        .await;
    assert!(
        saved.status().is_success() || saved.status().is_redirection(),
        "{}",
        saved.status()
    );
    let after = settings(&app).await;
    assert_eq!(after["chosen"], serde_json::json!(["Sms"]));
    assert_eq!(after["reminders"], false);
    assert_eq!(after["language"], "en");

    // A booking now: one confirmation, by SMS, in English, and no reminders.
    book_after(&app, 48, "").await;
    let (email, emailed) = Recorder::on(Channel::Email);
    let (sms, texted) = Recorder::on(Channel::Sms);
    workers(
        &app.pool,
        Senders::new(
            vec![email, sms],
            RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        ),
    )
    .drain()
    .await;
    let planned: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, channel FROM notification_messages ORDER BY due_at")
            .fetch_all(&app.pool)
            .await
            .expect("rows");
    assert_eq!(planned, [("booked".to_owned(), "sms".to_owned())]);
    assert!(
        emailed.lock().expect("lock").is_empty(),
        "nothing by e-mail"
    );
    let sent = texted.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .content
            .subject
            .starts_with("Appointment confirmed at"),
        "{}",
        sent[0].content.subject
    );
}

#[tokio::test]
async fn staff_have_no_notification_settings_page_of_their_own() {
    let app = spawn_app(test_pool().await).await;
    let desk = as_role(&app, "0500000005").await;
    let answer = app.call_with(&desk, "my_notification_settings", &[]).await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
}
