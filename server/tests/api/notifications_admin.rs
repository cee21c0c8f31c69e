//! The admins' view of messages: status, SMS segments and cost per day, and resending a failed
//! message (audited); nobody else reaches it.

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers, Recorder};
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::domain::sms::segments;
use app::notifications::sender::Senders;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn admins_see_each_message_with_its_segments_and_cost_and_resend_a_failed_one() {
    let app = spawn_app(test_pool().await).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 48, "").await;
    let (recorder, kept) = Recorder::on(Channel::Sms);
    workers(
        &app.pool,
        Senders::new(
            vec![recorder],
            RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        ),
    )
    .drain()
    .await;
    let sent = kept.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1);
    let parts = segments(&sent[0].content.short);
    assert!(parts.count >= 2, "an Arabic text with a link: {parts:?}");

    let admin = as_role(&app, "0500000001").await;
    let overview: Value = app
        .call_with(&admin, "notification_overview", &[("status", "")])
        .await
        .json()
        .await
        .expect("json");
    let booked = overview["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["kind"] == "booked")
        .expect("the confirmation")
        .clone();
    assert_eq!(booked["status"], "sent");
    assert_eq!(booked["channel"], "sms");
    assert_eq!(
        booked["provider_id"],
        format!("kept-{}", booked["id"].as_str().expect("id"))
    );
    assert_eq!(booked["sms_segments"], json!(parts.count));
    let today = &overview["days"][0];
    assert_eq!(today["delivered"], 1);
    assert_eq!(today["segments"], json!(parts.count));
    assert_eq!(today["cost_halalas"], json!(parts.count * 8));

    // A failed message is listed under "failed" and can be sent again, once.
    sqlx::query("UPDATE notification_messages SET status = 'failed', last_error = 'gateway 400' WHERE kind = 'booked'")
        .execute(&app.pool)
        .await
        .expect("fail it");
    let failed: Value = app
        .call_with(&admin, "notification_overview", &[("status", "failed")])
        .await
        .json()
        .await
        .expect("json");
    let rows = failed["messages"].as_array().expect("messages");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["last_error"], "gateway 400");
    let id = rows[0]["id"].as_str().expect("id").to_owned();
    let resent = app
        .call_with(&admin, "resend_message", &[("id", &id)])
        .await;
    assert_eq!(resent.status(), StatusCode::OK);
    let (status, attempts): (String, i32) = sqlx::query_as(
        "SELECT status::text, attempts FROM notification_messages WHERE id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!((status.as_str(), attempts), ("queued", 0));
    let again = app
        .call_with(&admin, "resend_message", &[("id", &id)])
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(again).await,
        json!({"Rule": "err-notify-not-failed"})
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'notification.resent'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(audited, 1);

    let odd = app
        .call_with(
            &admin,
            "notification_overview",
            &[("status", "'; DROP TABLE x; --")],
        )
        .await;
    assert_eq!(odd.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
