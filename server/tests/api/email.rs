//! The e-mail channel against a real SMTP server on loopback (`smtp_sink`): what a patient's
//! mailbox receives, read back as a mail client reads it.

use crate::db::test_pool;
use crate::helpers::*;
use crate::notifications::{book_after, workers};
use crate::smtp_sink::SmtpSink;
use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::email::EmailSender;
use app::notifications::planner::PlanRules;
use app::notifications::sender::Senders;
use app::notifications::worker::Notifier;
use mail_parser::{MessageParser, MimeHeaders};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

const SARA: &str = "sara@patients.test";

fn mailer(pool: &PgPool, sink: &SmtpSink) -> Notifier {
    let sender = EmailSender::new(&sink.url(), "عيادة مُعين <clinic@mueen.test>").expect("sender");
    workers(
        pool,
        Senders::new(
            vec![Arc::new(sender)],
            RetryPolicy::default(),
            5,
            Duration::from_secs(3600),
        )
        .with_site("https://clinic.example/"),
    )
}

async fn give_email(pool: &PgPool, phone: &str, email: Option<&str>) {
    sqlx::query("UPDATE users SET email = $2 WHERE phone = $1")
        .bind(phone)
        .bind(email)
        .execute(pool)
        .await
        .expect("set the e-mail address");
}

async fn status_of(pool: &PgPool, kind: &str) -> (String, i32, Option<String>) {
    sqlx::query_as(
        "SELECT status::text, attempts, last_error FROM notification_messages WHERE kind = $1",
    )
    .bind(kind)
    .fetch_one(pool)
    .await
    .expect("the message")
}

#[tokio::test]
async fn a_booking_confirmation_arrives_in_arabic_with_both_calendars_and_its_ics() {
    let sink = SmtpSink::start().await;
    let app = spawn_app(test_pool().await).await;
    give_email(&app.pool, "+966500000006", Some(SARA)).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let appointment = book_after(&app, 48, "").await;
    mailer(&app.pool, &sink).drain().await;

    let received = sink.received();
    assert_eq!(received.len(), 1, "one confirmation; reminders wait");
    assert_eq!(received[0].to, [SARA]);
    assert_eq!(received[0].from, "clinic@mueen.test");
    let mail = MessageParser::default()
        .parse(received[0].raw.as_bytes())
        .expect("a well-formed message");
    assert_eq!(mail.subject(), Some("تأكيد موعد في عيادات مُعين - الرياض"));
    let text = mail.body_text(0).expect("a plain-text part");
    assert!(text.starts_with("مرحبًا سارة،"), "{text}");
    let doctor: String =
        sqlx::query_scalar("SELECT first_name FROM users WHERE phone = '+966500000003'")
            .fetch_one(&app.pool)
            .await
            .expect("the doctor");
    assert!(text.contains(&doctor), "names the doctor: {text}");
    assert!(text.contains("هـ"), "the Hijri date: {text}");
    assert!(
        text.contains(&format!(
            "https://clinic.example/appointments/{appointment}"
        )),
        "{text}"
    );
    let html = mail.body_html(0).expect("an HTML part");
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    let ics = mail
        .attachments()
        .find(|a| a.attachment_name() == Some("appointment.ics"))
        .expect("the visit as a calendar file");
    let ics = String::from_utf8_lossy(ics.contents()).into_owned();
    assert!(ics.contains(&format!("UID:{appointment}@mueen")), "{ics}");
    assert!(ics.contains("STATUS:CONFIRMED"));
    let (status, attempts, _) = status_of(&app.pool, "booked").await;
    assert_eq!((status.as_str(), attempts), ("sent", 1));
}

#[tokio::test]
async fn a_mail_server_saying_try_later_is_tried_again_and_a_patient_without_an_address_fails_clearly(
) {
    let sink = SmtpSink::start().await;
    let app = spawn_app(test_pool().await).await;
    give_email(&app.pool, "+966500000006", Some(SARA)).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 48, "").await;
    sink.refuse_next(1);
    let mailer = mailer(&app.pool, &sink);
    mailer.drain().await;
    assert!(sink.received().is_empty(), "451: nothing kept");
    let (status, attempts, error) = status_of(&app.pool, "booked").await;
    assert_eq!(
        (status.as_str(), attempts),
        ("queued", 1),
        "queued again for later: {error:?}"
    );
    sqlx::query("UPDATE notification_messages SET due_at = now()")
        .execute(&app.pool)
        .await
        .expect("due now");
    // The reminders become due too; only the confirmation is counted here.
    sqlx::query("DELETE FROM notification_messages WHERE kind = 'reminder'")
        .execute(&app.pool)
        .await
        .expect("reminders out of the way");
    mailer.drain().await;
    assert_eq!(sink.received().len(), 1, "sent on the second try");
    assert_eq!(status_of(&app.pool, "booked").await.1, 2);

    // The address is removed before a cancellation is sent: failed at once, with the reason,
    // not retried eight times.
    give_email(&app.pool, "+966500000006", None).await;
    sqlx::query(
        "UPDATE notification_messages SET kind = 'cancelled', status = 'queued', due_at = now()",
    )
    .execute(&app.pool)
    .await
    .expect("requeue as a cancellation");
    mailer.drain().await;
    let (status, _, error) = status_of(&app.pool, "cancelled").await;
    assert_eq!(status, "failed");
    assert!(
        error
            .as_deref()
            .unwrap_or_default()
            .contains("no e-mail address"),
        "{error:?}"
    );
    assert_eq!(sink.received().len(), 1, "nothing more sent");
}

#[tokio::test]
async fn patients_without_an_address_do_not_stop_the_mail_of_those_with_one() {
    let sink = SmtpSink::start().await;
    let app = spawn_app(test_pool().await).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    book_after(&app, 48, "").await;
    let mailer = mailer(&app.pool, &sink);
    app::notifications::planner::plan_batch(
        &app.pool,
        &PlanRules {
            running: vec![Channel::Email],
        },
        50,
        jiff::Timestamp::now(),
    )
    .await
    .expect("planned");
    // Ten confirmations for the demo patient, who has no address yet: each fails for itself.
    sqlx::query(
        "INSERT INTO notification_messages
             (id, idempotency_key, appointment_id, recipient_id, kind, channel, params, due_at)
         SELECT gen_random_uuid(), idempotency_key || ':' || n, appointment_id, recipient_id,
                kind, channel, params, now() - interval '1 minute'
         FROM notification_messages, generate_series(1, 10) n WHERE kind = 'booked'",
    )
    .execute(&app.pool)
    .await
    .expect("copies");
    sqlx::query("DELETE FROM notification_messages WHERE kind = 'reminder'")
        .execute(&app.pool)
        .await
        .expect("reminders out of the way");
    mailer.drain().await;
    let failed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notification_messages WHERE status = 'failed'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(failed, 11);
    // The address arrives; a new message goes at once (the circuit stayed closed).
    give_email(&app.pool, "+966500000006", Some(SARA)).await;
    sqlx::query(
        "UPDATE notification_messages SET status = 'queued', due_at = now(), attempts = 0
         WHERE idempotency_key NOT LIKE '%:%:%:%:%'",
    )
    .execute(&app.pool)
    .await
    .expect("requeue the original");
    mailer.drain().await;
    assert_eq!(sink.received().len(), 1, "sent, not held back");
    assert_eq!(
        mailer.senders.health(),
        [(Channel::Email, "closed")],
        "eleven refusals of single messages left the mail server's circuit closed"
    );
}
