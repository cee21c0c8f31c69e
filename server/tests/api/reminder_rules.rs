//! Each branch's reminder rules: set on the setup page, refused with a message when they make
//! no sense, and followed when a booking's reminders are planned — quiet hours included.

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers, Recorder};
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::sender::Senders;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

const DOCTOR_PHONE: &str = "0500000002";

fn form<'a>(hours: &'a str, from: &'a str, until: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("reminder_hours", hours),
        ("quiet_from", from),
        ("quiet_until", until),
        ("clinic_id", ""),
    ]
}

async fn stored(pool: &sqlx::PgPool) -> (Vec<i32>, Option<String>, Option<String>) {
    sqlx::query_as("SELECT reminder_lead_minutes, quiet_from::text, quiet_until::text FROM clinics")
        .fetch_one(pool)
        .await
        .expect("the clinic")
}

async fn reminder_times(pool: &sqlx::PgPool) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT extract(epoch FROM due_at)::bigint FROM notification_messages
         WHERE kind = 'reminder' ORDER BY due_at",
    )
    .fetch_all(pool)
    .await
    .expect("reminders")
}

#[tokio::test]
async fn senseless_reminder_rules_are_refused_with_a_message_and_change_nothing() {
    let app = spawn_app(test_pool().await).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    for (hours, from, until, expected) in [
        (
            "0, 2",
            "",
            "",
            json!([{"field": "reminder_hours", "key": "err-reminder-hours"}]),
        ),
        (
            "72, 24, 2, 1",
            "",
            "",
            json!([{"field": "reminder_hours", "key": "err-reminder-count"}]),
        ),
        (
            "24",
            "22:00",
            "",
            json!([{"field": "quiet_until", "key": "err-quiet-both"}]),
        ),
        (
            "24",
            "07:00",
            "07:00",
            json!([{"field": "quiet_until", "key": "err-quiet-same"}]),
        ),
        (
            "24",
            "<script>",
            "07:00",
            json!([{"field": "quiet_from", "key": "err-time-invalid"}]),
        ),
    ] {
        let refused = app
            .call_with(&admin, "save_reminder_rules", &form(hours, from, until))
            .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{hours}"
        );
        assert_eq!(error_json(refused).await, json!({ "Validation": expected }));
    }
    assert_eq!(stored(&app.pool).await, (vec![1440, 120], None, None));

    // Doctors and patients do not set the clinic up.
    for phone in [DOCTOR_PHONE, PATIENT_PHONE] {
        let other = as_role(&app, phone).await;
        let refused = app
            .call_with(&other, "save_reminder_rules", &form("48", "", ""))
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{phone}");
    }
    assert_eq!(stored(&app.pool).await, (vec![1440, 120], None, None));

    let saved = app
        .call_with(
            &admin,
            "save_reminder_rules",
            &form("٣، ٤٨", "٢٢:٠٠", "06:30"),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(
        stored(&app.pool).await,
        (
            vec![2880, 180],
            Some("22:00:00".into()),
            Some("06:30:00".into())
        )
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("clinic.reminders".into(), "success".into())));
}

#[tokio::test]
async fn a_booking_is_reminded_at_its_branchs_hours_and_never_in_its_quiet_hours() {
    let app = spawn_app(test_pool().await).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let booked = book_after(&app, 72, "").await;
    let start: Timestamp = {
        let seconds: i64 = sqlx::query_scalar(
            "SELECT extract(epoch FROM lower(during))::bigint FROM appointments WHERE id = $1::uuid",
        )
        .bind(&booked)
        .fetch_one(&app.pool)
        .await
        .expect("the visit");
        Timestamp::from_second(seconds).expect("instant")
    };
    // Quiet hours from an hour before until an hour after the moment 3 hours before the
    // visit (Riyadh time): that reminder moves to their end, 2 hours before the visit; the one
    // 48 hours before falls at the visit's own time of day, outside them.
    let riyadh = jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz");
    let three_before = (start - SignedDuration::from_hours(3)).to_zoned(riyadh);
    let clock = |z: jiff::Zoned| format!("{:02}:{:02}", z.hour(), z.minute());
    let from = clock(
        three_before
            .checked_sub(SignedDuration::from_hours(1))
            .expect("time"),
    );
    let until = clock(
        three_before
            .checked_add(SignedDuration::from_hours(1))
            .expect("time"),
    );
    let admin = as_role(&app, ADMIN_PHONE).await;
    let saved = app
        .call_with(&admin, "save_reminder_rules", &form("3, 48", &from, &until))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);

    let (recorder, sent) = Recorder::on(Channel::Sms);
    let notifier = workers(
        &app.pool,
        Senders::new(
            vec![recorder],
            RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        ),
    );
    notifier.drain().await;
    let expected: Vec<i64> = [48, 2]
        .into_iter()
        .map(|h| (start - SignedDuration::from_hours(h)).as_second())
        .collect();
    assert_eq!(reminder_times(&app.pool).await, expected);
    // The confirmation is no reminder: it went at once, quiet hours or not.
    let kinds: Vec<String> = sent
        .lock()
        .expect("lock")
        .iter()
        .map(|m| m.kind.clone())
        .collect();
    assert_eq!(kinds, ["booked"]);
}

#[tokio::test]
async fn a_branch_without_reminders_plans_none() {
    let app = spawn_app(test_pool().await).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let saved = app
        .call_with(&admin, "save_reminder_rules", &form("", "", ""))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 72, "").await;
    let (recorder, sent) = Recorder::on(Channel::Sms);
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
    assert!(reminder_times(&app.pool).await.is_empty());
    assert_eq!(
        sent.lock().expect("lock").len(),
        1,
        "the confirmation still goes"
    );
}
