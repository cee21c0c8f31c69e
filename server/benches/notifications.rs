//! Notification delivery: a burst of 1,000 bookings (written in SQL with their outbox events, as
//! the booking service writes them) is planned and sent over HTTP to a fake SMS gateway on
//! loopback (wiremock, answering at once), by 2 workers and then by 8. Printed: messages per
//! second, and the outbox lag — from the burst's commit until the last confirmation was taken
//! by the gateway. Baseline from the same run: the same number of bare POSTs to the same
//! gateway from as many tasks, so the ratio is what planning, the queue and the settling cost.
//!
//! Run with `make bench` (it provides DATABASE_URL, an admin connection to some server).

// `common::listen` serves the pages bench only.
#[allow(dead_code)]
mod common;

use app::notifications::domain::message::Channel;
use app::notifications::domain::retry::RetryPolicy;
use app::notifications::planner::PlanRules;
use app::notifications::sender::Senders;
use app::notifications::sms_gateway::SmsGateway;
use app::notifications::worker::Notifier;
use common::{with_db, Res};
use sqlx::Connection;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BOOKINGS: i64 = 1_000;

#[tokio::main]
async fn main() -> Res<()> {
    let admin_url =
        std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL (make bench does)")?;
    let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
    let db_name = format!("mueen_notify_{}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {db_name}"))
        .execute(&mut admin)
        .await?;
    let result = run(&with_db(&admin_url, &db_name)).await;
    if let Err(e) = sqlx::query(&format!("DROP DATABASE {db_name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
    {
        eprintln!("could not drop {db_name}: {e}");
    }
    result
}

async fn run(url: &str) -> Res<()> {
    let pool = server::database::app_pool_options().connect(url).await?;
    server::database::prepare(&pool, None).await?;
    let keys = Arc::new(app::kernel::crypto::Keyring::parse(
        &app::kernel::crypto::Keyring::new_config("bench")?,
    )?);
    app::demo::seed_demo(&pool, &app::demo::generate_password(), &keys).await?;
    // 50 doctors with 20 visits each: 1,000 bookings of 1,009 patients.
    common::seed::seed_bulk(&pool, 50, BOOKINGS / 50, 1_009, 0).await?;
    let gateway = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"messageId": 1})))
        .mount(&gateway)
        .await;
    let url = format!("{}/v1/messages", gateway.uri());

    println!("\nnotification delivery, {BOOKINGS} bookings at once, SMS gateway on loopback");
    for workers in [2usize, 8] {
        let bare = bare_posts(&url, workers).await?;
        let (rate, lag) = burst(&pool, &url, workers, &keys).await?;
        println!(
            "  {workers} workers: {rate:>7.0} messages/s, outbox lag {:>6.0} ms   (bare POSTs from {workers} tasks: {bare:>7.0}/s; ratio {:.2}x)",
            lag.as_secs_f64() * 1000.0,
            rate / bare
        );
    }
    Ok(())
}

/// Requests per second of `BOOKINGS` plain POSTs from `tasks` tasks.
async fn bare_posts(url: &str, tasks: usize) -> Res<f64> {
    let client = reqwest::Client::new();
    let per = BOOKINGS as usize / tasks;
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let (client, url) = (client.clone(), url.to_owned());
        set.spawn(async move {
            for _ in 0..per {
                let _ = client
                    .post(&url)
                    .json(&serde_json::json!({"sender": "Mueen", "recipients": ["966500000000"], "body": "x"}))
                    .send()
                    .await;
            }
        });
    }
    while set.join_next().await.is_some() {}
    Ok((per * tasks) as f64 / start.elapsed().as_secs_f64())
}

/// Plans and sends the burst's confirmations with `workers` workers; messages per second and
/// the time from the burst until the last was sent.
async fn burst(
    pool: &sqlx::PgPool,
    url: &str,
    workers: usize,
    keys: &Arc<app::kernel::crypto::Keyring>,
) -> Res<(f64, Duration)> {
    sqlx::query("DELETE FROM one_tap_tokens")
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM notification_messages")
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM appointment_events")
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO appointment_events (appointment_id, kind, payload)
         SELECT id, 'appointment.created', '{}'::jsonb FROM appointments",
    )
    .execute(pool)
    .await?;
    let start = Instant::now();
    let sms = SmsGateway::new(url, "token", "Mueen", Duration::from_secs(10))?;
    let notifier = Notifier {
        pool: pool.clone(),
        rules: Arc::new(PlanRules {
            running: vec![Channel::Sms],
        }),
        senders: Arc::new(
            Senders::new(
                vec![Arc::new(sms)],
                RetryPolicy::default(),
                5,
                Duration::from_secs(60),
            )
            .with_keys(keys.clone()),
        ),
        idle: Duration::from_millis(5),
    };
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let me = notifier.clone();
        set.spawn(async move {
            loop {
                if me.round().await == 0 {
                    tokio::time::sleep(me.idle).await;
                }
            }
        });
    }
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM appointments WHERE status = 'booked'")
            .fetch_one(pool)
            .await?;
    loop {
        let sent: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM notification_messages WHERE kind = 'booked' AND status = 'sent'",
        )
        .fetch_one(pool)
        .await?;
        if sent >= total {
            break;
        }
        if start.elapsed() > Duration::from_secs(300) {
            set.abort_all();
            return Err(format!("only {sent} of {total} sent in 5 minutes").into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let lag = start.elapsed();
    set.abort_all();
    Ok((total as f64 / lag.as_secs_f64(), lag))
}
