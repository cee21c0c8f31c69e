//! Server pages under load, on the scheduling benchmark's data set (500 doctors, 1,000,000
//! appointments): each page at 50 connections with wrk, side by side with a bare axum handler
//! on the same pool that runs the same queries and the same slot computation and answers a few
//! bytes of JSON. The ratio page / bare is what Leptos, the session layer, the frame and the
//! HTML cost; both run in this process on the same two cores, in this run.
//!
//! Run with `make bench` (it provides DATABASE_URL, an admin connection to some server, and
//! needs `wrk` on PATH).

mod common;

use app::kernel::config::Config;
use app::scheduling::cache::ScheduleCache;
use axum::{
    extract::{Path, State},
    routing::get,
    Json, Router,
};
use common::Res;
use jiff::Timestamp;
use sqlx::Connection;
use std::{process::Command, sync::Arc};
use uuid::Uuid;

const DOCTORS: i64 = 500;
const PER_DOCTOR: i64 = 2_000;
const PATIENTS: i64 = 10_007;
const CONNECTIONS: &str = "50";
const SECONDS: &str = "8s";

#[tokio::main]
async fn main() -> Res<()> {
    let admin_url =
        std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL (make bench does)")?;
    let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
    // MUEEN_BENCH_DB=<name> measures again on a data set an earlier run kept, without seeding.
    if let Ok(kept) = std::env::var("MUEEN_BENCH_DB") {
        return run(&common::with_db(&admin_url, &kept), false).await;
    }
    let db_name = format!("mueen_pages_{}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {db_name}"))
        .execute(&mut admin)
        .await?;
    let result = run(&common::with_db(&admin_url, &db_name), true).await;
    // MUEEN_BENCH_KEEP_DB=1 leaves the data set in place to look at its query plans.
    if std::env::var_os("MUEEN_BENCH_KEEP_DB").is_some() {
        eprintln!("kept database {db_name}");
        return result;
    }
    if let Err(e) = sqlx::query(&format!("DROP DATABASE {db_name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
    {
        eprintln!("could not drop {db_name}: {e}");
    }
    result
}

/// One line of wrk's answer: requests per second and latency percentiles in milliseconds.
struct Load {
    rps: f64,
    p50: f64,
    p99: f64,
}

fn wrk(url: &str, encoding: &str) -> Res<Load> {
    wrk_as(url, encoding, None)
}

/// wrk with a session cookie: every request as the same logged-in user.
fn wrk_as(url: &str, encoding: &str, cookie: Option<&str>) -> Res<Load> {
    let mut command = Command::new("wrk");
    command
        .args(["-t2", "-c", CONNECTIONS, "-d", SECONDS, "--latency"])
        .args(["-H", &format!("Accept-Encoding: {encoding}")]);
    if let Some(cookie) = cookie {
        command.args(["-H", &format!("Cookie: {cookie}")]);
    }
    let out = command
        .arg(url)
        .output()
        .map_err(|e| format!("wrk could not run ({e}); make bench installs it"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || text.contains("Non-2xx") {
        return Err(format!("wrk on {url} failed or saw errors:\n{text}").into());
    }
    let field = |prefix: &str| -> Option<&str> {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let ms = |v: &str| -> Option<f64> {
        let (number, factor) = if let Some(n) = v.strip_suffix("us") {
            (n, 0.001)
        } else if let Some(n) = v.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = v.strip_suffix('s') {
            (n, 1000.0)
        } else {
            return None;
        };
        number.parse::<f64>().ok().map(|n| n * factor)
    };
    let parsed = (|| {
        Some(Load {
            rps: field("Requests/sec:")?.parse().ok()?,
            p50: ms(field("50%")?)?,
            p99: ms(field("99%")?)?,
        })
    })();
    parsed.ok_or_else(|| format!("could not read wrk's answer:\n{text}").into())
}

async fn run(url: &str, seed: bool) -> Res<()> {
    // The server's own pool settings, shared by the pages and the bare handlers.
    let pool = server::database::app_pool_options().connect(url).await?;
    server::database::prepare(&pool, None).await?;
    // The keys only seal the seeded IDs; the pages measured here read none.
    let keys = Arc::new(app::kernel::crypto::Keyring::parse(
        &app::kernel::crypto::Keyring::new_config("bench")?,
    )?);
    if seed {
        app::demo::seed_demo(&pool, &app::demo::generate_password(), &keys).await?;
        common::seed::seed_bulk(&pool, DOCTORS, PER_DOCTOR, PATIENTS, 0).await?;
        // The bulk rows are written in the clear; sealed as the server does at start-up.
        app::accounts::service::seal_national_ids(&pool, &keys)
            .await
            .map_err(|e| format!("{e:?}"))?;
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    }
    let doctor: Uuid = sqlx::query_scalar(
        "SELECT user_id FROM doctor_profiles WHERE bio_en = 'bench' ORDER BY user_id LIMIT 1",
    )
    .fetch_one(&pool)
    .await?;

    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let options = leptos::config::LeptosOptions::builder()
        .output_name("mueen")
        .site_root(site_root.as_str())
        .build();
    let config = Arc::new(Config::from_lookup(|_| None)?);
    let state = app::app_state(options.clone(), pool.clone(), config).with(keys.clone());
    // The pages' feed of changes, so the bare handlers trust what they keep against the same
    // notices as the pages do.
    let feed = Arc::new(server::change_feed::ChangeFeed::default());
    let pages =
        common::listen(server::build_router(state.clone().with(feed.clone())).await?).await?;
    // The same server without the page cache: every request renders its page, as a logged-in
    // patient's do, with the parts kept per data (`app::kernel::ui::kept`) that such pages use.
    let uncached = Arc::new(Config::from_lookup(|name| {
        (name == "MUEEN_PAGE_CACHE").then(|| "false".to_owned())
    })?);
    let rendered = app::app_state(options, pool.clone(), uncached).with(keys);
    let rendered = common::listen(server::build_router(rendered).await?).await?;
    // The same server, asking the database who each request's device belongs to every time
    // (what it keeps is never trusted), to see what keeping that answer saves.
    let deaf = Arc::new(app::kernel::changes::ChangeCount::default());
    let asking = state
        .clone()
        .with(Arc::new(app::kernel::auth::known::KnownDevices::new(deaf)));
    let asking = common::listen(server::build_router(asking).await?).await?;
    let known = app::kernel::auth::known::KnownDevices::new(feed.accounts.clone());
    let bare = common::listen(bare_router(state.with(Arc::new(known)))).await?;

    let targets: [(&str, String, String); 3] = [
        ("home", "/".into(), "/home".into()),
        (
            "a doctor's calendar",
            format!("/doctors/{doctor}"),
            format!("/doctor/{doctor}"),
        ),
        (
            "doctor search, 500 doctors",
            "/doctors".into(),
            "/doctors".into(),
        ),
    ];
    let patient = patient_session(&pool, pages).await?;
    let floor = wrk(&format!("http://{pages}/api/health"), "identity")?;
    println!(
        "\nserver pages, {CONNECTIONS} connections, {SECONDS} each (wrk and server share the cores)"
    );
    println!(
        "  /api/health (SELECT 1)            {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms",
        floor.rps, floor.p50, floor.p99
    );
    // MUEEN_BENCH_ONLY=<word> measures only the pages whose name holds it.
    let only = std::env::var("MUEEN_BENCH_ONLY").unwrap_or_default();
    for (name, page, handler) in targets.iter().filter(|t| t.0.contains(only.as_str())) {
        let base = wrk(&format!("http://{bare}{handler}"), "identity")?;
        let every = wrk(&format!("http://{rendered}{page}"), "identity")?;
        let base_mine = wrk_as(
            &format!("http://{bare}/me{handler}"),
            "identity",
            Some(&patient),
        )?;
        let mine = wrk_as(&format!("http://{pages}{page}"), "identity", Some(&patient))?;
        let mine_rendered = wrk_as(
            &format!("http://{rendered}{page}"),
            "identity",
            Some(&patient),
        )?;
        let mine_asked = wrk_as(
            &format!("http://{asking}{page}"),
            "identity",
            Some(&patient),
        )?;
        let plain = wrk(&format!("http://{pages}{page}"), "identity")?;
        let br = wrk(&format!("http://{pages}{page}"), "br, gzip")?;
        println!("\n  {name} ({page})");
        println!(
            "    bare axum, same queries         {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms",
            base.rps, base.p50, base.p99
        );
        println!(
            "    page, no page cache (visitor)   {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare",
            every.rps,
            every.p50,
            every.p99,
            every.rps / base.rps
        );
        println!(
            "    bare axum, same queries as the logged-in patient's page\n                                    {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms",
            base_mine.rps, base_mine.p50, base_mine.p99
        );
        println!(
            "    page, a logged-in patient (their copy, checked)\n                                    {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare with the same queries   (goal >= 0.5x)",
            mine.rps,
            mine.p50,
            mine.p99,
            mine.rps / base_mine.rps
        );
        println!(
            "      rendered each time (no page cache)\n                                    {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare with the same queries",
            mine_rendered.rps,
            mine_rendered.p50,
            mine_rendered.p99,
            mine_rendered.rps / base_mine.rps
        );
        println!(
            "      the device asked every time   {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare with the same queries",
            mine_asked.rps,
            mine_asked.p50,
            mine_asked.p99,
            mine_asked.rps / base_mine.rps
        );
        println!(
            "    page (visitor, page cache)      {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare   (goal >= 0.5x)",
            plain.rps,
            plain.p50,
            plain.p99,
            plain.rps / base.rps
        );
        println!(
            "    page, brotli as browsers ask    {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare",
            br.rps,
            br.p50,
            br.p99,
            br.rps / base.rps
        );
    }
    staff_pages(&pool, pages, bare, doctor, &only).await?;
    println!(
        "\n  goals: home and a doctor's calendar >= 5,000 req/s with p99 < 10 ms; doctor search p99 < 20 ms"
    );
    Ok(())
}

/// A logged-in patient's session cookie (`name=value`) on `server`: the demo patient, given a
/// password for this run, logs in as a browser does. Every request of the logged-in line
/// then loads that session and checks its device, as a real patient's page does.
async fn patient_session(pool: &sqlx::PgPool, server: std::net::SocketAddr) -> Res<String> {
    session_of(pool, server, "+966500000006").await
}

/// The session cookie of the user with `phone`, given a password for this run and logged in
/// as a browser does.
async fn session_of(pool: &sqlx::PgPool, server: std::net::SocketAddr, phone: &str) -> Res<String> {
    let password = format!("bench-{}", Uuid::new_v4().simple());
    let hash = app::kernel::hashing::HashGate::for_this_machine()
        .hash(
            app::kernel::values::password::Password::parse(&password)
                .map_err(|e| format!("{e:?}"))?,
        )
        .await
        .map_err(|e| format!("{e:?}"))?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE phone = $2")
        .bind(hash)
        .bind(phone)
        .execute(pool)
        .await?;
    let response = reqwest::Client::new()
        .post(format!("http://{server}/api/login"))
        .header("origin", format!("http://{server}"))
        .header("accept", "application/json")
        .form(&[("identifier", phone), ("password", password.as_str())])
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("{phone} could not log in: {}", response.status()).into());
    }
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .find(|c| c.starts_with(&format!("{}=", server::page_cache::SESSION_COOKIE)))
        .map(str::to_owned)
        .ok_or_else(|| "the log-in set no session cookie".into())
}

/// A doctor's working day and week, as the doctor opens them on a day of eight visits: pages
/// no cache serves (each read is audited), beside the bare handlers that make the same reads
/// and the same audit entries (`staff_day_view`, `staff_week_view`).
async fn staff_pages(
    pool: &sqlx::PgPool,
    pages: std::net::SocketAddr,
    bare: std::net::SocketAddr,
    doctor: Uuid,
    only: &str,
) -> Res<()> {
    let asked: Vec<_> = [
        ("staff: a doctor's day (8 visits)", "/staff", "/staff/day"),
        (
            "staff: a doctor's week (40 visits)",
            "/staff/week",
            "/staff/week",
        ),
    ]
    .into_iter()
    .filter(|t| t.0.contains(only))
    .collect();
    if asked.is_empty() {
        return Ok(());
    }
    let phone: String = sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
        .bind(doctor)
        .fetch_one(pool)
        .await?;
    let day: jiff::civil::Date = sqlx::query_scalar::<_, String>(
        "SELECT ((lower(during) AT TIME ZONE 'Asia/Riyadh')::date)::text FROM appointments
         WHERE doctor_id = $1 ORDER BY lower(during) LIMIT 1",
    )
    .bind(doctor)
    .fetch_one(pool)
    .await?
    .parse()?;
    let cookie = session_of(pool, pages, &phone).await?;
    println!("\n  staff pages, the doctor logged in (rendered each time: no copy is kept)");
    for (name, page, handler) in asked {
        let base = wrk_as(
            &format!("http://{bare}{handler}?day={day}"),
            "identity",
            Some(&cookie),
        )?;
        let served = wrk_as(
            &format!("http://{pages}{page}?day={day}"),
            "identity",
            Some(&cookie),
        )?;
        println!("\n  {name} ({page})");
        println!(
            "    bare axum, same queries         {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms",
            base.rps, base.p50, base.p99
        );
        println!(
            "    page                            {:8.0} req/s  p50 {:6.2} ms  p99 {:6.2} ms  = {:.2}x bare   (goal >= 0.5x)",
            served.rps,
            served.p50,
            served.p99,
            served.rps / base.rps
        );
    }
    Ok(())
}

/// The pages' work without Leptos: the frame's clinic (kept in process, as the pages keep it),
/// then what each page loads.
fn bare_router(state: app::kernel::state::AppState) -> Router {
    // The pages' session store: in memory in front of PostgreSQL.
    let store = tower_sessions::CachingSessionStore::new(
        tower_sessions_moka_store::MokaStore::new(Some(50_000)),
        tower_sessions_sqlx_store::PostgresStore::new(state.pool.clone()),
    );
    let sessions = tower_sessions::SessionManagerLayer::new(store)
        .with_name(server::page_cache::SESSION_COOKIE)
        .with_secure(false);
    Router::new()
        .route("/home", get(bare_home))
        .route("/doctor/{id}", get(bare_doctor))
        .route("/doctors", get(bare_search))
        .route("/me/home", get(bare_my_home))
        .route("/me/doctor/{id}", get(bare_my_doctor))
        .route("/me/doctors", get(bare_my_search))
        .route("/staff/day", get(bare_staff_day))
        .route("/staff/week", get(bare_staff_week))
        .layer(sessions)
        .with_state(state)
}

/// What a logged-in patient's page adds to a visitor's: their session and who it is
/// (`user_from_session`, with the device check the pages make), and on a doctor's page the
/// family the waitlist form offers to book for.
async fn patient(
    state: &app::kernel::state::AppState,
    session: &tower_sessions::Session,
) -> Result<app::kernel::auth::CurrentUser, (axum::http::StatusCode, String)> {
    app::kernel::auth::request::user_from_session(state, session, None)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail("the bench patient is not logged in"))
}

async fn bare_my_home(
    State(state): State<app::kernel::state::AppState>,
    session: tower_sessions::Session,
) -> Answer {
    let user = patient(&state, &session).await?;
    let Json(mut page) = bare_home(State(state)).await?;
    page["user"] = user.short_name.into();
    Ok(Json(page))
}

async fn bare_my_doctor(
    State(state): State<app::kernel::state::AppState>,
    session: tower_sessions::Session,
    id: Path<Uuid>,
) -> Answer {
    let user = patient(&state, &session).await?;
    let family = app::patients::db::dependents_of(&state.pool, user.id)
        .await
        .map_err(fail)?;
    let Json(mut page) = bare_doctor(State(state), id).await?;
    page["user"] = user.short_name.into();
    page["family"] = family.len().into();
    Ok(Json(page))
}

async fn bare_my_search(
    State(state): State<app::kernel::state::AppState>,
    session: tower_sessions::Session,
) -> Answer {
    let user = patient(&state, &session).await?;
    let Json(mut page) = bare_search(State(state)).await?;
    page["user"] = user.short_name.into();
    Ok(Json(page))
}

#[derive(serde::Deserialize)]
struct Day {
    day: String,
}

/// A staff page's work without Leptos: the frame's clinic and user, then `list` (which answers
/// how many visits it listed) on the request as the page's server function sees it.
async fn staff_answer(
    state: app::kernel::state::AppState,
    session: tower_sessions::Session,
    list: impl AsyncFnOnce(
        &app::kernel::auth::request::RequestCtx,
    ) -> Result<usize, app::kernel::error::AppError>,
) -> Answer {
    let clinic = clinic_name(&state).await?;
    let ctx = app::kernel::auth::request::RequestCtx::new(state, session, None, "/staff");
    let user = ctx.current_user().await.map_err(fail)?;
    let visits = list(&ctx).await.map_err(fail)?;
    Ok(Json(serde_json::json!({
        "clinic": clinic,
        "user": user.map(|u| u.short_name),
        "visits": visits,
    })))
}

async fn bare_staff_day(
    State(state): State<app::kernel::state::AppState>,
    session: tower_sessions::Session,
    axum::extract::Query(q): axum::extract::Query<Day>,
) -> Answer {
    staff_answer(state, session, async |ctx| {
        let view = app::scheduling::pages::staff::staff_day_view(ctx, &q.day, None).await?;
        Ok(view.day.appointments.len())
    })
    .await
}

async fn bare_staff_week(
    State(state): State<app::kernel::state::AppState>,
    session: tower_sessions::Session,
    axum::extract::Query(q): axum::extract::Query<Day>,
) -> Answer {
    staff_answer(state, session, async |ctx| {
        let view = app::scheduling::pages::staff_week::staff_week_view(ctx, &q.day, None).await?;
        Ok(view.days.iter().map(|d| d.appointments.len()).sum())
    })
    .await
}

/// Errors answer 500, so wrk counts them (and the run fails) instead of timing them.
type Answer = Result<Json<serde_json::Value>, (axum::http::StatusCode, String)>;

fn fail(e: impl std::fmt::Debug) -> (axum::http::StatusCode, String) {
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        format!("{e:?}"),
    )
}

async fn clinic_name(
    state: &app::kernel::state::AppState,
) -> Result<String, (axum::http::StatusCode, String)> {
    let clinic = app::clinic::header::ClinicHeader::primary(state)
        .await
        .map_err(fail)?;
    Ok(clinic.map(|c| c.name_ar).unwrap_or_default())
}

async fn bare_home(State(state): State<app::kernel::state::AppState>) -> Answer {
    Ok(Json(
        serde_json::json!({ "clinic": clinic_name(&state).await? }),
    ))
}

async fn bare_doctor(
    State(state): State<app::kernel::state::AppState>,
    Path(id): Path<Uuid>,
) -> Answer {
    let clinic = clinic_name(&state).await?;
    let cache = ScheduleCache::of(&state).map_err(fail)?;
    let free = cache
        .free_days(
            &state.pool,
            id,
            None,
            None,
            app::scheduling::model::CALENDAR_DAYS,
            Timestamp::now(),
        )
        .await
        .map_err(fail)?;
    let slots: usize = free.days.iter().map(|(_, s)| s.len()).sum();
    Ok(Json(
        serde_json::json!({ "clinic": clinic, "slots": slots }),
    ))
}

async fn bare_search(State(state): State<app::kernel::state::AppState>) -> Answer {
    let clinic = clinic_name(&state).await?;
    let filter = app::scheduling::search::Filter {
        q: String::new(),
        specialty: None,
        sex: None,
        clinic: None,
    };
    let found = app::scheduling::search::find_doctors(&state, &filter, Timestamp::now())
        .await
        .map_err(fail)?;
    Ok(Json(
        serde_json::json!({ "clinic": clinic, "results": found.results.len() }),
    ))
}
