//! Scheduling benchmark: 500 doctors, 1,000,000 appointments over a year, then
//!  - availability of one doctor over 30 days, in the database layer and through HTTP,
//!    p50/p99, each also as a ratio to a `SELECT 1` round trip measured in this run;
//!  - booking throughput on distinct slots with 50 concurrent clients, as a ratio to pgbench
//!    TPC-B (50 clients) on the same server in this run;
//!  - EXPLAIN of the availability query (index or sequential scan).
//!
//! Run with `make bench` (it provides DATABASE_URL, an admin connection to some server).

use app::kernel::auth::CurrentUser;
use app::kernel::config::Config;
use app::kernel::values::Role;
use app::scheduling::booking::BookingRequest;
use app::scheduling::cache::ScheduleCache;
use app::scheduling::schedule::DoctorSchedule;
use jiff::Timestamp;
use sqlx::{postgres::PgPoolOptions, Connection, PgPool};
use std::{
    net::SocketAddr,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};
use uuid::Uuid;

const DOCTORS: i64 = 500;
const PER_DOCTOR: i64 = 2_000;
const PATIENTS: i64 = 10_007; // prime, so no patient is double-booked by the generator
const CLIENTS: usize = 50;

mod common;

use common::Res;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn summarize(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    (percentile(&ms, 0.5), percentile(&ms, 0.99))
}

#[tokio::main]
async fn main() -> Res<()> {
    let admin_url =
        std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL (make bench does)")?;
    let db_name = format!("mueen_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
    sqlx::query(&format!("CREATE DATABASE {db_name}"))
        .execute(&mut admin)
        .await?;
    let url = common::with_db(&admin_url, &db_name);
    let result = run(&url, &admin_url).await;
    let pool_closed = sqlx::query(&format!("DROP DATABASE {db_name} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
    if let Err(e) = pool_closed {
        eprintln!("could not drop {db_name}: {e}");
    }
    result
}

async fn run(url: &str, admin_url: &str) -> Res<()> {
    let pool = PgPoolOptions::new()
        .max_connections(60)
        .connect(url)
        .await?;
    server::database::prepare(&pool, None).await?;
    // The bench reads no notes; the demo's are sealed with a key of this run only.
    let keys =
        app::kernel::crypto::Keyring::parse(&app::kernel::crypto::Keyring::new_config("bench")?)?;
    app::demo::seed_demo(&pool, &app::demo::generate_password(), &keys).await?;
    let t = Instant::now();
    common::seed::seed_bulk(&pool, DOCTORS, PER_DOCTOR, PATIENTS, (CLIENTS * 100) as i64).await?;
    // The bulk rows are written in the clear; sealed as the server does at start-up.
    app::accounts::service::seal_national_ids(&pool, &keys)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&pool)
        .await?;
    println!(
        "seeded {DOCTORS} doctors and {appointments} appointments in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    sqlx::query("VACUUM ANALYZE").execute(&pool).await?;

    let doctors: Vec<Uuid> = sqlx::query_scalar(
        "SELECT user_id FROM doctor_profiles WHERE bio_en = 'bench' ORDER BY user_id",
    )
    .fetch_all(&pool)
    .await?;

    // Baseline: the cheapest possible round trip on the same pool.
    let mut ping = vec![];
    for _ in 0..500 {
        let t = Instant::now();
        sqlx::query("SELECT 1").execute(&pool).await?;
        ping.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (ping50, ping99) = summarize(ping);

    // The database layer as the availability endpoint uses it: through the schedule cache.
    // First each doctor's first request (nothing cached: the schedule read, then the bookings
    // with the version), then the same doctors again (one query: bookings and version).
    let cache = ScheduleCache::default();
    let picks: Vec<Uuid> = (0..300)
        .map(|i| doctors[(i * 7919) % doctors.len()])
        .collect();
    let mut cold_ms = vec![];
    let mut db_ms = vec![];
    for round in [&mut cold_ms, &mut db_ms] {
        for doctor in &picks {
            let t = Instant::now();
            let free = cache
                .free_days(&pool, *doctor, None, None, 30, Timestamp::now())
                .await?;
            round.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(free.days.len(), 30);
        }
    }
    let (cold50, cold99) = summarize(cold_ms);
    let (db50, db99) = summarize(db_ms);

    // A new server with an empty cache, and 300 distinct doctors: every request is that
    // doctor's first, the slower path.
    let addr = serve(pool.clone()).await?;
    let client = reqwest::Client::new();
    let mut http_ms = vec![];
    for i in 0..300 {
        let doctor = doctors[(i * 104_729) % doctors.len()];
        let t = Instant::now();
        let response = client
            .post(format!("http://{addr}/api/availability"))
            .header("origin", format!("http://{addr}"))
            .form(&[
                ("doctor_id", doctor.to_string()),
                ("visit", String::new()),
                ("days", "30".into()),
            ])
            .send()
            .await?;
        let status = response.status();
        let _ = response.bytes().await?;
        http_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(status.is_success(), "availability answered {status}");
    }
    let (http50, http99) = summarize(http_ms);

    println!("\navailability of one doctor over 30 days (300 runs):");
    println!("  SELECT 1 baseline        p50 {ping50:7.3} ms   p99 {ping99:7.3} ms");
    println!("  database layer, cached   p50 {db50:7.3} ms   p99 {db99:7.3} ms   = {:.1}x / {:.1}x baseline   (goal p99 < 5 ms)", db50 / ping50, db99 / ping99);
    println!("  database layer, first    p50 {cold50:7.3} ms   p99 {cold99:7.3} ms   = {:.1}x / {:.1}x baseline   (each doctor's first request: schedule read too)", cold50 / ping50, cold99 / ping99);
    println!("  through HTTP, first      p50 {http50:7.3} ms   p99 {http99:7.3} ms   = {:.1}x / {:.1}x baseline   (goal p99 < 20 ms)", http50 / ping50, http99 / ping99);

    let plan: Vec<String> = sqlx::query_scalar(
        "EXPLAIN SELECT v.version, lower(a.blocked), upper(a.blocked)
         FROM schedule_version v
         LEFT JOIN appointments a ON a.doctor_id = $1 AND a.status <> 'cancelled'
              AND a.blocked && tstzrange(now(), now() + interval '30 days')
         ORDER BY lower(a.blocked)",
    )
    .bind(doctors[0])
    .fetch_all(&pool)
    .await?;
    println!("\nEXPLAIN of the availability query:");
    for line in &plan {
        println!("  {line}");
    }
    let seq = plan.iter().any(|l| l.contains("Seq Scan on appointments"));
    println!(
        "index used: {}",
        if seq { "NO (sequential scan)" } else { "yes" }
    );
    let booking_tps = booking_throughput(&pool, &doctors).await?;
    // pgbench needs the connections this run's pool holds.
    pool.close().await;
    let pgbench_tps = pgbench(admin_url)?;
    println!("\nbooking throughput, {CLIENTS} concurrent clients on distinct slots: {booking_tps:.0} bookings/s");
    println!(
        "pgbench TPC-B, {CLIENTS} clients, same server:                    {pgbench_tps:.0} tps"
    );
    println!(
        "ratio booking / pgbench: {:.2}   (goal >= 0.5)",
        booking_tps / pgbench_tps
    );

    Ok(())
}

async fn serve(pool: PgPool) -> Res<SocketAddr> {
    let state = app::app_state(
        leptos::config::LeptosOptions::builder()
            .output_name("mueen")
            .build(),
        pool,
        Arc::new(Config::from_lookup(|_| None)?),
    );
    common::listen(server::build_router(state).await?).await
}

/// Each client books its own doctor's free evening slots, so no two clients want the same time.
async fn booking_throughput(pool: &PgPool, doctors: &[Uuid]) -> Res<f64> {
    let patients: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM users WHERE family_name LIKE 'حاجز%' ORDER BY id")
            .fetch_all(pool)
            .await?;
    let now = Timestamp::now();
    let mut plans = vec![];
    for (c, doctor) in doctors.iter().take(CLIENTS).enumerate() {
        let schedule = DoctorSchedule::load(pool, *doctor, None, now).await?;
        let visit = schedule
            .visit_types
            .iter()
            .find(|v| v.duration_minutes == 15)
            .cloned()
            .ok_or("no follow-up type")?;
        let days = schedule
            .days(pool, &visit, schedule.today(now), 30, now)
            .await?;
        let starts: Vec<Timestamp> = days
            .into_iter()
            .flat_map(|(_, s)| s)
            .map(|s| s.start)
            .take(40)
            .collect();
        plans.push((c, *doctor, schedule.clinic.id, visit.id, starts));
    }
    // One process's cache, shared by every client as the server shares it between requests.
    let cache = std::sync::Arc::new(app::scheduling::cache::ScheduleCache::default());
    let started = Instant::now();
    let mut tasks = vec![];
    for (c, doctor, clinic, visit, starts) in plans {
        let pool = pool.clone();
        let cache = cache.clone();
        let patients = patients[c * 100..(c + 1) * 100].to_vec();
        tasks.push(tokio::spawn(async move {
            let (mut done, mut refused) = (0_u64, 0_u64);
            for (i, start) in starts.into_iter().enumerate() {
                let patient = patients[i % patients.len()];
                let actor = CurrentUser {
                    id: patient,
                    role: Role::Patient,
                    short_name: String::new(),
                    latin_name: None,
                };
                let req = BookingRequest {
                    doctor_id: doctor,
                    clinic_id: Some(clinic),
                    visit_type_id: visit,
                    start,
                    patient_id: patient,
                    reason: String::new(),
                    note: String::new(),
                    rescheduled_from: None,
                    family_cap: None,
                };
                match app::scheduling::booking::book(&pool, &cache, &actor, None, req).await {
                    Ok(_) => done += 1,
                    Err(e) => {
                        refused += 1;
                        eprintln!("booking refused: {e:?}");
                    }
                }
            }
            (done, refused)
        }));
    }
    let (mut total, mut refused) = (0, 0);
    for task in tasks {
        let (d, r) = task.await?;
        total += d;
        refused += r;
    }
    let secs = started.elapsed().as_secs_f64();
    println!("\nbooked {total} appointments in {secs:.2} s ({refused} refused)");
    Ok(total as f64 / secs)
}

fn pgbench(admin_url: &str) -> Res<f64> {
    let db = format!("mueen_pgbench_{}", std::process::id());
    let url = common::with_db(admin_url, &db);
    let run = |args: &[&str]| -> Res<String> {
        let out = Command::new("pgbench").args(args).output()?;
        if !out.status.success() {
            return Err(
                format!("pgbench {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into(),
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let create = Command::new("psql")
        .args([admin_url, "-qc", &format!("CREATE DATABASE {db}")])
        .status();
    if !matches!(create, Ok(s) if s.success()) {
        return Err("psql could not create the pgbench database".into());
    }
    run(&["-i", "-q", "-s", "10", &url])?;
    let clients = CLIENTS.to_string();
    let out = run(&["-n", "-c", &clients, "-j", "2", "-T", "15", &url]);
    let _ = Command::new("psql")
        .args([
            admin_url,
            "-qc",
            &format!("DROP DATABASE {db} WITH (FORCE)"),
        ])
        .status();
    std::thread::sleep(Duration::from_millis(100));
    let out = out?;
    out.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no tps in pgbench output: {out}").into())
}
