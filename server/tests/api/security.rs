use crate::db::test_pool;
use crate::helpers::*;
use reqwest::{header, StatusCode};

#[tokio::test]
async fn staff_only_functions_refuse_patients_and_strangers() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let anonymous = app.call("staff_directory", &[]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let as_patient = app.call("staff_directory", &[]).await;
    assert_eq!(as_patient.status(), StatusCode::FORBIDDEN);
    let form = [
        ("role", "admin"),
        ("specialty_id", ""),
        ("first_name", "مهاجم"),
        ("father_name", "مهاجم"),
        ("grandfather_name", "مهاجم"),
        ("family_name", "مهاجم"),
        ("latin_name", ""),
        ("phone", "0561112233"),
        ("national_id", "1234567897"),
        ("email", ""),
        ("password", "initial-pass-1"),
    ];
    let escalation = app.call("create_staff", &form).await;
    assert_eq!(escalation.status(), StatusCode::FORBIDDEN);
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(admins, 1, "no account was created");
    assert!(app
        .audit_actions()
        .await
        .contains(&("access.denied".into(), "denied".into())));

    let doctor = new_client();
    app.call_with(
        &doctor,
        "login",
        &[("identifier", "0500000002"), ("password", DEMO_PASSWORD)],
    )
    .await;
    assert_eq!(
        app.call_with(&doctor, "staff_directory", &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call_with(&doctor, "my_profile", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let login_form = [("identifier", PATIENT_PHONE), ("password", DEMO_PASSWORD)];
    let no_origin = app
        .client
        .post(app.url("/api/login"))
        .form(&login_form)
        .send()
        .await
        .expect("sent");
    assert_eq!(no_origin.status(), StatusCode::FORBIDDEN);
    let evil = app
        .client
        .post(app.url("/api/login"))
        .header(header::ORIGIN, "https://evil.example")
        .form(&login_form)
        .send()
        .await
        .expect("sent");
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_json(evil).await, serde_json::json!("CrossSite"));
    let referer_only = app
        .client
        .post(app.url("/api/login"))
        .header(header::REFERER, app.url("/login"))
        .form(&login_form)
        .send()
        .await
        .expect("sent");
    assert_eq!(referer_only.status(), StatusCode::OK);
}

#[tokio::test]
async fn session_id_changes_at_login() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let fixed = "mueen_session=attacker-chosen-session-id";
    let response = app
        .client
        .post(app.url("/api/login"))
        .header(header::ORIGIN, app.url(""))
        .header(header::COOKIE, fixed)
        .form(&[("identifier", PATIENT_PHONE), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(set_cookie.starts_with("mueen_session="), "{set_cookie}");
    assert!(!set_cookie.contains("attacker-chosen"), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
}

#[tokio::test]
async fn staff_sessions_expire_after_thirty_idle_minutes() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let response = app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    let set_cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(set_cookie.contains("Max-Age=1800"), "{set_cookie}");
}

#[tokio::test]
async fn audit_log_cannot_be_changed_or_deleted() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let before = app.audit_actions().await;
    assert!(before.contains(&("auth.login".into(), "success".into())));
    // Even its owner, with the triggers on, cannot change it (the app's own role may not
    // even try: see hardening.rs).
    let owner = crate::db::owner_pool(&app.pool).await;
    for statement in [
        "UPDATE audit_log SET outcome = 'failure'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let err = sqlx::query(statement)
            .execute(&owner)
            .await
            .expect_err(statement);
        assert!(
            err.to_string().contains("append-only"),
            "{statement}: {err}"
        );
    }
    assert_eq!(app.audit_actions().await, before);
}

#[tokio::test]
async fn health_reports_database_and_version() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let response = app
        .client
        .get(app.url("/api/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_is_unavailable_without_a_database() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.pool.close().await;
    let response = app
        .client
        .get(app.url("/api/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn malformed_server_function_input_is_a_client_error() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    // Cannot be parsed at all: 400.
    let missing_fields = app.call("register", &[("first_name", "ليلى")]).await;
    assert_eq!(missing_fields.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_json(missing_fields).await,
        serde_json::json!("BadRequest")
    );
    // Parses, but breaks a rule: 422 with the field that broke it.
    let invalid = app
        .call("register", &registration("0551234567", "1234567890"))
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(invalid).await;
    assert!(
        body["Validation"].to_string().contains("national_id"),
        "{body}"
    );
    // An id argument that is not an id is malformed too.
    let patient = as_role(&app, PATIENT_PHONE).await;
    let bad_id = app
        .call_with(
            &patient,
            "book_appointment",
            &[
                ("doctor_id", "nope"),
                ("visit_type_id", "x"),
                ("start", "x"),
                ("reason", ""),
                ("note", ""),
                ("rescheduled_from", ""),
                ("patient_id", ""),
            ],
        )
        .await;
    assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_desk_search_records_which_patients_it_showed() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let patient: String = sqlx::query_scalar("SELECT id::text FROM users WHERE phone = $1")
        .bind("+966500000006")
        .fetch_one(&app.pool)
        .await
        .expect("demo patient");
    let desk = as_role(&app, "0500000005").await;
    let found = app
        .call_with(&desk, "find_patients", &[("q", "0500000006")])
        .await;
    assert_eq!(found.status(), StatusCode::OK);
    let shown: serde_json::Value = sqlx::query_scalar(
        "SELECT details->'shown' FROM audit_log WHERE action = 'patient.search' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("search audited");
    assert_eq!(shown, serde_json::json!([patient]));
}

#[tokio::test]
async fn a_nul_byte_in_free_text_is_a_field_error_not_a_500() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let desk = as_role(&app, "0500000005").await;
    let search = app
        .call_with(&desk, "find_patients", &[("q", "سارة\0")])
        .await;
    assert_eq!(search.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(search).await;
    assert!(body.to_string().contains("err-text-control"), "{body}");

    let admin = as_role(&app, ADMIN_PHONE).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM specialties")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    let specialty = app
        .call_with(
            &admin,
            "save_specialty",
            &[("name_ar", "جراحة\0"), ("name_en", "Surgery")],
        )
        .await;
    assert_eq!(specialty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM specialties")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(before, after, "nothing saved");
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_pages_are_not_stored() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let page = app.get("/login").await;
    let headers = page.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers["content-security-policy"]
        .to_str()
        .expect("ascii")
        .contains("frame-ancestors 'none'"));
    assert!(headers.contains_key("permissions-policy"));
    assert_eq!(headers["cache-control"], "private, no-store");
    assert!(
        !headers.contains_key("strict-transport-security"),
        "no HSTS over plain HTTP"
    );
    let refused = app.call("staff_directory", &[]).await;
    assert_eq!(refused.headers()["x-frame-options"], "DENY");

    let pool = test_pool().await;
    let tls = spawn_app_with(pool, |c| c.secure_cookies = true).await;
    let page = tls.get("/login").await;
    assert!(page.headers()["strict-transport-security"]
        .to_str()
        .expect("ascii")
        .starts_with("max-age="));
}

#[tokio::test]
async fn a_flood_of_log_ins_is_turned_away_with_503_and_retry_after_not_hashed() {
    let pool = test_pool().await;
    // Every request of the flood reaches the hash gate: with the per-address limit (20
    // failures) in the way, a slow run could answer the latecomers 429 before ten were ever
    // waiting at once, and see no 503 (it did once, in a full run on a loaded machine).
    let app = spawn_app_with(pool, |c| c.login_max_failures_per_ip = 1_000).await;
    let mut tasks = vec![];
    for i in 0..100 {
        let client = app.client.clone();
        let url = app.url("/api/login");
        let origin = app.url("");
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header(header::ORIGIN, origin)
                .header(header::ACCEPT, "application/json")
                .form(&[
                    ("identifier", format!("05{:08}", 50_000_000 + i)),
                    ("password", "wrong-password".to_owned()),
                ])
                .send()
                .await
                .expect("sent")
        }));
    }
    let mut busy = 0;
    for task in tasks {
        let response = task.await.expect("task");
        match response.status() {
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(response.headers()["retry-after"], "5");
                busy += 1;
            }
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(busy > 0, "100 parallel hashes were all admitted");
}

#[tokio::test]
async fn a_staff_session_slides_with_activity_without_writing_every_request() {
    let pool = test_pool().await;
    // A one-minute idle timeout moves its deadline at most every two seconds.
    let app = spawn_app_with(pool, |c| c.staff_idle_minutes = 1).await;
    let login = app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    assert!(login.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .contains("Max-Age=60"));
    let at_once = app.call("staff_directory", &[]).await;
    assert_eq!(at_once.status(), StatusCode::OK);
    assert!(
        !at_once.headers().contains_key(header::SET_COOKIE),
        "an unchanged session is not written again"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let later = app.call("staff_directory", &[]).await;
    assert_eq!(later.status(), StatusCode::OK);
    let refreshed = later.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(refreshed.contains("Max-Age=60"), "{refreshed}");
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let pool = test_pool().await;
    let app = spawn_app_with(pool, |c| c.staff_session_max_hours = 0).await;
    app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = app.call("staff_directory", &[]).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn pages_are_compressed_and_static_files_come_precompressed_and_revalidate() {
    let site = std::env::temp_dir().join(format!("mueen-site-{}", std::process::id()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    std::fs::create_dir_all(site.join("fonts")).expect("fonts dir");
    std::fs::write(pkg.join("mueen.js"), "x".repeat(4000)).expect("js");
    std::fs::write(pkg.join("mueen.js.br"), b"brotli bytes").expect("br");
    std::fs::write(pkg.join("mueen.js.gz"), b"gzip bytes").expect("gz");
    std::fs::write(site.join("fonts/a.woff2"), vec![7u8; 4000]).expect("font");
    let pool = test_pool().await;
    let app = spawn_app_serving(pool, |_| {}, site.to_str().expect("utf-8 path")).await;
    let get = |path: &'static str, encoding: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url(path))
                .header(reqwest::header::ACCEPT_ENCODING, encoding)
                .send()
                .await
                .expect("request")
        }
    };

    let page = get("/", "br, gzip").await;
    assert_eq!(page.headers()["content-encoding"], "br");
    assert!(page.headers()["vary"]
        .to_str()
        .expect("ascii")
        .contains("accept-encoding"));

    let js = get("/pkg/mueen.js", "gzip").await;
    assert_eq!(js.headers()["content-encoding"], "gzip");
    assert_eq!(js.headers()["cache-control"], "public, no-cache");
    let modified = js.headers()["last-modified"].clone();
    assert_eq!(js.bytes().await.expect("body").as_ref(), b"gzip bytes");
    let br = get("/pkg/mueen.js", "br").await;
    assert_eq!(br.bytes().await.expect("body").as_ref(), b"brotli bytes");
    let plain = get("/pkg/mueen.js", "identity").await;
    assert_eq!(plain.bytes().await.expect("body").len(), 4000);

    // A returning visit downloads nothing: the file is unchanged since it was fetched.
    let again = app
        .client
        .get(app.url("/pkg/mueen.js"))
        .header(reqwest::header::ACCEPT_ENCODING, "gzip")
        .header(reqwest::header::IF_MODIFIED_SINCE, modified)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), reqwest::StatusCode::NOT_MODIFIED);

    // Fonts are compressed already; compressing them again only costs time.
    let font = get("/fonts/a.woff2", "br, gzip").await;
    assert!(font.headers().get("content-encoding").is_none());
    let _ = std::fs::remove_dir_all(&site);
}

#[tokio::test]
async fn the_bundle_is_linked_by_a_hash_of_its_content_and_kept_for_a_year() {
    let site = std::env::temp_dir().join(format!("mueen-hashed-{}", std::process::id()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    for (ext, body) in [("js", "js"), ("wasm", "wasm"), ("css", "css")] {
        std::fs::write(pkg.join(format!("mueen.{ext}")), body.repeat(500)).expect("file");
    }
    std::fs::write(pkg.join("mueen.wasm.br"), b"brotli wasm").expect("br");
    let pool = test_pool().await;
    let app = spawn_app_serving(pool, |_| {}, site.to_str().expect("utf-8 path")).await;

    let page = app.get("/").await.text().await.expect("html");
    let linked = |ext: &str| {
        let marker = format!(".{ext}\"");
        page.split("/pkg/mueen.")
            .skip(1)
            .find_map(|rest| rest.find(&marker).map(|end| rest[..end].to_owned()))
            .unwrap_or_else(|| panic!("the page links a .{ext} of the bundle: {page}"))
    };
    let hash = linked("wasm");
    assert_eq!(hash.len(), 16, "{hash}");
    assert_eq!(linked("js"), hash, "one hash for the set");
    assert_eq!(linked("css"), hash, "one hash for the set");

    let get = |path: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&path))
                .header(reqwest::header::ACCEPT_ENCODING, "br")
                .send()
                .await
                .expect("request")
        }
    };
    let wasm = get(format!("/pkg/mueen.{hash}.wasm")).await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(wasm.bytes().await.expect("body").as_ref(), b"brotli wasm");
    let css = app
        .client
        .get(app.url(&format!("/pkg/mueen.{hash}.css")))
        .header(reqwest::header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .expect("request");
    assert_eq!(
        css.bytes().await.expect("body").as_ref(),
        "css".repeat(500).as_bytes()
    );

    // An old release's name is not answered with today's file under a year-long promise.
    let stale = get("/pkg/mueen.0000000000000000.wasm".to_owned()).await;
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    assert_ne!(
        stale.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // The build's own names still work, revalidated on each use.
    let plain = get("/pkg/mueen.css".to_owned()).await;
    assert_eq!(plain.headers()["cache-control"], "public, no-cache");
    let _ = std::fs::remove_dir_all(&site);
}
