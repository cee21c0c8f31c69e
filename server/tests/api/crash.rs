//! The real server binary killed (SIGKILL) while it delivers 200 reminders by e-mail and 200
//! by SMS, then started again: every reminder arrives, none arrives twice.
//!
//! What "twice" means is where it is counted. The SMS gateway (played here by `wiremock`)
//! takes an `Idempotency-Key`, as Gulf gateways do, and sends one text per key however often a
//! request is repeated; a mailbox keeps one message per Message-ID, which is the same for every
//! try of one message. So each is counted by key or Message-ID. The raw requests are counted
//! too: a repeat is possible only for a message a worker had handed over and not yet marked
//! sent when it was killed — at most one per worker.

use crate::db::test_pool;
use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use std::collections::{BTreeSet, HashMap};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const EACH: usize = 200;
const WORKERS: usize = 2;

/// A gateway that sends one text per idempotency key and answers a repeat as it did the first
/// time; it keeps every key it was asked with, repeats included.
#[derive(Default, Clone)]
struct Gateway {
    asked: Arc<Mutex<Vec<String>>>,
}

impl Respond for Gateway {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = crate::sms::idempotency_key(request);
        self.asked.lock().expect("lock").push(key.clone());
        ResponseTemplate::new(201)
            .set_body_json(serde_json::json!({ "id": key }))
            .set_delay(Duration::from_millis(15))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(database_url: &str, dir: &std::path::Path, sink: &SmtpSink, sms: &str) -> Server {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .expect("log file");
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("MUEEN_DATA_DIR", dir)
        .env("MUEEN_DATA_KEYS", test_key_entry())
        .env("MUEEN_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("MUEEN_SMTP_URL", sink.url())
        .env("MUEEN_SMS_URL", sms)
        .env("MUEEN_SMS_TOKEN", "secret-token")
        .env("MUEEN_SMS_SENDER", "Mueen")
        .env("MUEEN_PUBLIC_URL", "https://clinic.example")
        .env("MUEEN_NOTIFY_WORKERS", WORKERS.to_string())
        .env("MUEEN_NOTIFY_LEASE_SECONDS", "6")
        .env("LEPTOS_OUTPUT_NAME", "mueen")
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start the server binary");
    Server { child }
}

/// 200 visits far ahead for the demo patient, each with a reminder due now by e-mail and one by
/// SMS, as planning would have left them.
async fn reminders_due(pool: &sqlx::PgPool) {
    sqlx::query("UPDATE users SET email = 'sara@patients.test' WHERE phone = '+966500000006'")
        .execute(pool)
        .await
        .expect("an e-mail address");
    sqlx::query(
        "WITH d AS (SELECT user_id AS doctor, clinic_id FROM doctor_profiles ORDER BY user_id LIMIT 1),
              v AS (SELECT id, price_halalas FROM visit_types
                    WHERE clinic_id = (SELECT clinic_id FROM d) ORDER BY id LIMIT 1),
              p AS (SELECT id FROM users WHERE phone = '+966500000006')
         INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during,
                                   blocked, price_halalas, booked_by)
         SELECT gen_random_uuid(), d.clinic_id, d.doctor, p.id, v.id,
                tstzrange(t, t + interval '20 minutes'), tstzrange(t, t + interval '20 minutes'),
                v.price_halalas, p.id
         FROM d, v, p, generate_series(1, $1) n,
              LATERAL (SELECT date_trunc('hour', now()) + interval '400 days'
                              + n * interval '30 minutes' AS t) s",
    )
    .bind(EACH as i32)
    .execute(pool)
    .await
    .expect("visits");
    sqlx::query(
        "INSERT INTO notification_messages
             (id, idempotency_key, appointment_id, recipient_id, kind, channel, params, due_at)
         SELECT gen_random_uuid(), 'reminder:' || a.id || ':1440:' || ch || ':' || a.patient_id,
                a.id, a.patient_id, 'reminder', ch,
                jsonb_build_object('start',
                    to_char(lower(a.during) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')),
                now()
         FROM appointments a, unnest(ARRAY['email', 'sms']) ch
         WHERE lower(a.during) > now() + interval '300 days'",
    )
    .execute(pool)
    .await
    .expect("reminders");
}

fn message_ids(sink: &SmtpSink) -> Vec<String> {
    sink.received()
        .iter()
        .filter_map(|m| {
            m.raw.lines().find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("message-id")
                    .then(|| value.trim().to_owned())
            })
        })
        .collect()
}

fn distinct(items: &[String]) -> usize {
    items.iter().collect::<BTreeSet<_>>().len()
}

fn repeats(items: &[String]) -> usize {
    let mut counts: HashMap<&String, usize> = HashMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    counts.values().map(|n| n - 1).sum()
}

async fn wait_until(deadline: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    done()
}

#[tokio::test]
async fn reminders_in_flight_when_the_server_is_killed_all_arrive_once_after_it_restarts() {
    let pool = test_pool().await;
    seed(&pool).await;
    reminders_due(&pool).await;
    // The test's database as its owner, with the credentials of the server the tests use.
    let database_url = {
        let name = pool
            .connect_options()
            .get_database()
            .expect("test pools name their database")
            .to_owned();
        let mut url = reqwest::Url::parse(
            &std::env::var("DATABASE_URL").expect("DATABASE_URL must point at PostgreSQL"),
        )
        .expect("DATABASE_URL");
        url.set_path(&format!("/{name}"));
        url.to_string()
    };
    let dir = std::env::temp_dir().join(format!("mueen-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");

    let sink = SmtpSink::start().await;
    // About 25 ms a message, so the kill lands in the middle of the work.
    sink.slow(Duration::from_millis(5));
    let gateway_server = MockServer::start().await;
    let gateway = Gateway::default();
    Mock::given(method("POST"))
        .respond_with(gateway.clone())
        .mount(&gateway_server)
        .await;
    let sms_url = format!("{}/v1/messages", gateway_server.uri());
    let delivered = || message_ids(&sink).len() + gateway.asked.lock().expect("lock").len();

    let first = start_server(&database_url, &dir, &sink, &sms_url);
    let started = wait_until(Duration::from_secs(60), || delivered() >= 2 * EACH / 3).await;
    let log = || std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    assert!(started, "the server delivered too little:\n{}", log());
    drop(first); // SIGKILL: no shutdown, no draining.
    let at_kill = delivered();
    assert!(
        at_kill < 2 * EACH,
        "everything had gone before the kill ({at_kill}): the test proves nothing"
    );
    let unsent: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notification_messages WHERE status <> 'sent'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert!(unsent > 0, "the kill left nothing to do");

    let second = start_server(&database_url, &dir, &sink, &sms_url);
    let finished = wait_until(Duration::from_secs(60), || {
        distinct(&message_ids(&sink)) >= EACH
            && distinct(&gateway.asked.lock().expect("lock")) >= EACH
    })
    .await;
    assert!(
        finished,
        "not everything arrived after the restart:\n{}",
        log()
    );
    // Longer than a lease: anything still held by the dead process would be sent by now.
    tokio::time::sleep(Duration::from_secs(7)).await;
    drop(second);

    let mails = message_ids(&sink);
    let texts = gateway.asked.lock().expect("lock").clone();
    assert_eq!(distinct(&mails), EACH, "one e-mail per reminder");
    assert_eq!(distinct(&texts), EACH, "one text per reminder");
    assert!(
        repeats(&mails) <= WORKERS && repeats(&texts) <= WORKERS,
        "repeated hand-overs: {} e-mails, {} texts; at most one per worker in flight",
        repeats(&mails),
        repeats(&texts)
    );
    let statuses: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status::text, count(*) FROM notification_messages GROUP BY 1 ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .expect("statuses");
    assert_eq!(statuses, vec![("sent".to_owned(), 2 * EACH as i64)]);
    println!(
        "killed after {at_kill} of {} hand-overs; repeats after the restart: {} e-mails, {} texts",
        2 * EACH,
        repeats(&mails),
        repeats(&texts)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
