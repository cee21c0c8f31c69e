//! The outside review's findings (issue "Security hardening"), each as the attack it describes.

use crate::db::{owner_pool, test_pool};
use crate::{fixtures::*, helpers::*};
use reqwest::StatusCode;
use serde_json::Value;

/// The demo patient's national ID: the same account as PATIENT_PHONE.
const PATIENT_ID_NUMBER: &str = "2000000063";

#[tokio::test]
async fn fifty_parallel_guesses_by_phone_and_id_get_at_most_the_limit_evaluated() {
    let pool = test_pool().await;
    // A high per-address limit, so only the account's limit is under test.
    let app = spawn_app_with(pool, |c| c.login_max_failures_per_ip = 1000).await;
    let guesses = (0..50).map(|i| {
        let identifier = if i % 2 == 0 {
            PATIENT_PHONE
        } else {
            PATIENT_ID_NUMBER
        };
        let app = &app;
        async move {
            let client = new_client();
            app.call_with(
                &client,
                "login",
                &[("identifier", identifier), ("password", "wrong-guess-1")],
            )
            .await
            .status()
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let evaluated = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(evaluated + limited, 50, "{statuses:?}");
    assert!(
        (1..=5).contains(&evaluated),
        "{evaluated} guesses were checked"
    );
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(failures, evaluated as i64);
    // The right password is refused too now, by phone and by ID alike.
    for identifier in [PATIENT_PHONE, PATIENT_ID_NUMBER] {
        assert_eq!(
            app.login(identifier, DEMO_PASSWORD).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[tokio::test]
async fn registrations_from_one_address_are_limited() {
    let pool = test_pool().await;
    let app = spawn_app_with(pool, |c| c.registrations_per_ip = 2).await;
    for n in 0..2 {
        let phone = format!("05911111{n:02}");
        let id = national_id(61_000 + n);
        let email = format!("patient{n}@example.sa");
        let mut form = registration(&phone, &id);
        form.retain(|(k, _)| *k != "email");
        form.push(("email", &email));
        let response = app.call_with(&new_client(), "register", &form).await;
        assert_eq!(response.status(), StatusCode::OK, "registration {n}");
    }
    let third = app
        .call_with(
            &new_client(),
            "register",
            &registration("0591111199", &national_id(61_099)),
        )
        .await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_taken_number_is_refused_before_anything_is_stored() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let before = user_count(&app).await;
    let taken = app
        .call(
            "register",
            &registration(PATIENT_PHONE, &national_id(62_000)),
        )
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let body = error_json(taken).await;
    assert_eq!(body["Conflict"][0]["field"], "phone", "{body}");
    assert_eq!(user_count(&app).await, before);
}

async fn user_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    let pool = test_pool().await;
    password_change_ends_the_other_sessions(&spawn_app(pool).await).await;
}

/// Two browsers of one patient; the password changed in one logs the other out at once.
pub async fn password_change_ends_the_other_sessions(app: &TestApp) {
    let phone_browser = as_role(app, PATIENT_PHONE).await;
    let laptop = as_role(app, PATIENT_PHONE).await;
    for client in [&phone_browser, &laptop] {
        assert_eq!(
            app.call_with(client, "my_profile", &[]).await.status(),
            StatusCode::OK
        );
    }
    let changed = app
        .call_with(
            &laptop,
            "change_password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "another-secret-9"),
                ("confirm_password", "another-secret-9"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        app.call_with(&phone_browser, "my_profile", &[])
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "the other browser is logged out"
    );
    assert_eq!(
        app.call_with(&laptop, "my_profile", &[]).await.status(),
        StatusCode::OK,
        "the browser that changed it stays logged in"
    );
}

#[tokio::test]
async fn my_sessions_lists_devices_and_logs_out_the_others() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let first = as_role(&app, PATIENT_PHONE).await;
    let second = as_role(&app, PATIENT_PHONE).await;
    let other_person = as_role(&app, ADMIN_PHONE).await;
    let list: Value = app
        .call_with(&first, "my_sessions", &[])
        .await
        .json()
        .await
        .expect("json");
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(
        list.iter()
            .filter(|d| d["this_device"] == Value::Bool(true))
            .count(),
        1
    );
    assert_eq!(list[0]["ip"], "127.0.0.1");
    let ended: Value = app
        .call_with(&first, "end_other_sessions", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ended, Value::from(1));
    // Ended from the page (a plain button), the patient reads the count there, through the
    // address the action redirects to: the list is not an island.
    let third = as_role(&app, PATIENT_PHONE).await;
    let (to, page) = app.post_page(&first, "end_other_sessions", &[]).await;
    assert_eq!(to, "/account/password?ended=1");
    assert!(page.contains(r#"data-testid="sessions-ended""#), "{page}");
    assert!(page.contains("انتهت جلسة واحدة على جهاز آخر"), "{page}");
    assert_eq!(
        app.call_with(&third, "my_profile", &[]).await.status(),
        StatusCode::UNAUTHORIZED,
        "and that session is over"
    );
    assert_eq!(
        app.call_with(&second, "my_profile", &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call_with(&first, "my_profile", &[]).await.status(),
        StatusCode::OK
    );
    // Another account's session is not touched.
    assert_eq!(
        app.call_with(&other_person, "my_sessions", &[])
            .await
            .status(),
        StatusCode::OK
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("auth.end_other_sessions".into(), "success".into())));
}

#[tokio::test]
async fn the_app_role_can_append_to_the_audit_log_and_read_it_but_nothing_else() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let role: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&app.pool)
        .await
        .expect("role");
    assert_eq!(role, crate::db::APP_ROLE);
    let before = app.audit_actions().await;
    for statement in [
        "UPDATE audit_log SET outcome = 'failure'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_log_seal ON audit_log",
        "UPDATE audit_chain_head SET last_seq = 0",
        "CREATE TABLE intruder (id int)",
        "TRUNCATE users CASCADE",
        "COPY audit_log TO PROGRAM 'true'",
    ] {
        let err = sqlx::query(statement)
            .execute(&app.pool)
            .await
            .expect_err(statement);
        let text = err.to_string();
        assert!(
            text.contains("permission denied")
                || text.contains("must be owner")
                || text.contains("must be superuser"),
            "{statement}: {text}"
        );
    }
    assert_eq!(app.audit_actions().await, before);
    sqlx::query("INSERT INTO audit_log (action, outcome) VALUES ('test.append', 'success')")
        .execute(&app.pool)
        .await
        .expect("the app role appends");
}

#[tokio::test]
async fn verify_finds_an_edited_row_and_a_removed_last_row() {
    use server::audit_chain::{verify, ChainReport};
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    app.login(ADMIN_PHONE, "wrong-password").await;
    app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    let owner = owner_pool(&app.pool).await;
    let ChainReport::Intact { rows } = verify(&owner).await.expect("verify") else {
        panic!("a fresh chain is intact");
    };
    assert!(rows >= 3, "{rows}");

    // The owner can switch the protection off; the chain still tells.
    let victim: i64 = sqlx::query_scalar(
        "SELECT id FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure'",
    )
    .fetch_one(&owner)
    .await
    .expect("the failed log-in");
    let mut conn = owner.acquire().await.expect("connection");
    for statement in [
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows".to_owned(),
        format!("UPDATE audit_log SET outcome = 'success' WHERE id = {victim}"),
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows".to_owned(),
    ] {
        sqlx::query(&statement)
            .execute(&mut *conn)
            .await
            .expect(&statement);
    }
    drop(conn);
    assert_eq!(
        verify(&owner).await.expect("verify"),
        ChainReport::Broken {
            row: victim,
            reason: "its content changed after it was written"
        }
    );
    sqlx::raw_sql(&format!(
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows;
         UPDATE audit_log SET outcome = 'failure' WHERE id = {victim};
         DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);
         ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows"
    ))
    .execute(&owner)
    .await
    .expect("restore and remove the last row");
    let report = verify(&owner).await.expect("verify");
    assert!(
        matches!(report, ChainReport::Broken { reason, .. } if reason.contains("ends before")),
        "{report}"
    );
}

#[tokio::test]
async fn concurrent_audited_writes_form_one_chain() {
    use server::audit_chain::{verify, ChainReport};
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let logins = (0..20).map(|i| {
        let app = &app;
        async move {
            let password = if i % 3 == 0 {
                "wrong-password"
            } else {
                DEMO_PASSWORD
            };
            app.call_with(
                &new_client(),
                "login",
                &[("identifier", ADMIN_PHONE), ("password", password)],
            )
            .await
            .status()
        }
    });
    futures_util::future::join_all(logins).await;
    let owner = owner_pool(&app.pool).await;
    let report = verify(&owner).await.expect("verify");
    assert!(
        matches!(report, ChainReport::Intact { rows } if rows >= 20),
        "{report}"
    );
}

#[tokio::test]
async fn a_body_larger_than_any_form_is_refused_with_413() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let big = "x".repeat(server::MAX_FORM_BYTES + 1);
    let response = app
        .call("login", &[("identifier", &big), ("password", "x")])
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let logins = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(action, _)| action.starts_with("auth."))
        .count();
    assert_eq!(logins, 0, "nothing was evaluated");
}

async fn add_child(app: &TestApp, n: u32) -> reqwest::Response {
    let id = national_id(n);
    app.call("add_dependent", &crate::family::child_form(&id))
        .await
}

#[tokio::test]
async fn a_guardian_cannot_add_unlimited_dependents_or_book_out_a_calendar() {
    let pool = test_pool().await;
    let app = spawn_app_with(pool, |c| {
        c.max_dependents = 2;
        c.max_family_active_bookings = 3;
    })
    .await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    for n in 0..2 {
        assert_eq!(add_child(&app, 63_000 + n).await.status(), StatusCode::OK);
    }
    let third = add_child(&app, 63_002).await;
    assert_eq!(third.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(third).await,
        serde_json::json!({ "Rule": "err-family-full" })
    );

    let family: Value = app.call("my_family", &[]).await.json().await.expect("json");
    let members: Vec<String> = family
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_owned())
        .collect();
    let doctor = doctor_id(&app.pool, "+966500000003").await;
    // Self, child one, child two: three visits to come in all, the family's cap.
    for patient in ["", members[0].as_str(), members[1].as_str()] {
        let booked = book_slot_as(&app, doctor, 0, "", patient).await;
        assert_eq!(booked.status(), StatusCode::OK, "booking for {patient:?}");
    }
    let fourth = book_slot_as(&app, doctor, 0, "", &members[0]).await;
    assert_eq!(fourth.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(fourth).await,
        serde_json::json!({ "Rule": "err-family-too-many-bookings" })
    );
}

#[tokio::test]
async fn the_owner_of_an_id_claims_it_back_at_the_desk() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    // Someone lists another person's national ID as their "child".
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(add_child(&app, 64_000).await.status(), StatusCode::OK);
    let stolen_id = national_id(64_000);

    // The real owner cannot register: the message sends them to the desk.
    let owner = new_client();
    let refused = app
        .call_with(&owner, "register", &registration("0592222222", &stolen_id))
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let body = error_json(refused).await;
    assert_eq!(
        body["Conflict"][0]["key"], "err-national-id-on-family-record",
        "{body}"
    );

    let desk = as_role(&app, "0500000005").await;
    let claimed = app
        .call_with(
            &desk,
            "claim_family_record",
            &[
                ("claim_national_id", stolen_id.as_str()),
                ("claim_phone", "0592222222"),
            ],
        )
        .await;
    assert_eq!(claimed.status(), StatusCode::OK);
    let family: Value = app.call("my_family", &[]).await.json().await.expect("json");
    assert_eq!(
        family,
        Value::Array(vec![]),
        "the record left the other account"
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("user.claim_dependent".into(), "success".into())));
    // A second claim finds no family record.
    let again = app
        .call_with(
            &desk,
            "claim_family_record",
            &[
                ("claim_national_id", stolen_id.as_str()),
                ("claim_phone", "0592222222"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A patient cannot use the desk's claim.
    let by_patient = app
        .call(
            "claim_family_record",
            &[
                ("claim_national_id", stolen_id.as_str()),
                ("claim_phone", "0592222223"),
            ],
        )
        .await;
    assert_eq!(by_patient.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_first_admin_is_created_once() {
    use app::accounts::domain::StaffInput;
    let pool = test_pool().await;
    let hashing = app::kernel::hashing::HashGate::for_this_machine();
    let input = StaffInput {
        role: "admin".into(),
        first_name: "سارة".into(),
        father_name: "علي".into(),
        grandfather_name: "محمد".into(),
        family_name: "القحطاني".into(),
        phone: "0593333333".into(),
        national_id: national_id(65_000),
        password: "first-admin-secret".into(),
        ..Default::default()
    };
    let staff = input.parse().expect("valid");
    assert!(!app::accounts::db::users::admin_exists(&pool)
        .await
        .expect("query"));
    // Without demo data there is no clinic either: the first admin names it.
    let unnamed = app::accounts::service::bootstrap_admin(
        &pool,
        &crate::helpers::test_keys(),
        &hashing,
        &staff,
        None,
    )
    .await;
    assert!(matches!(
        unnamed.map_err(app::kernel::error::AppError::from),
        Err(app::kernel::error::AppError::Validation(_))
    ));
    app::accounts::service::bootstrap_admin(
        &pool,
        &crate::helpers::test_keys(),
        &hashing,
        &staff,
        Some(("عيادة الشفاء", "Al-Shifa Clinic")),
    )
    .await
    .expect("the first admin");
    let clinic = app::clinic::service::primary_clinic(&pool)
        .await
        .expect("query")
        .expect("the clinic was created");
    assert_eq!(clinic.name_en, "Al-Shifa Clinic");
    assert!(app::accounts::db::users::admin_exists(&pool)
        .await
        .expect("query"));
    let second = StaffInput {
        phone: "0593333334".into(),
        national_id: national_id(65_001),
        ..input
    }
    .parse()
    .expect("valid");
    let refused = app::accounts::service::bootstrap_admin(
        &pool,
        &crate::helpers::test_keys(),
        &hashing,
        &second,
        Some(("أ", "B")),
    )
    .await;
    assert!(matches!(
        refused.map_err(app::kernel::error::AppError::from),
        Err(app::kernel::error::AppError::Forbidden)
    ));
}

/// Each server keeps the sessions it loaded in memory (`server::build_router`'s session store),
/// so with two servers one may hold a copy of a session the other has since ended. The device
/// check every request makes against the database must refuse that copy.
#[tokio::test]
async fn a_session_ended_on_one_server_is_over_on_another_that_kept_a_copy() {
    let pool = test_pool().await;
    let first = spawn_app(pool.clone()).await;
    let second = spawn_app(pool).await;
    // Listening, so the first server keeps who the device belongs to (`kernel::auth::known`)
    // and only the database's notice can tell it the session is over.
    for server in [&first, &second] {
        assert!(
            server
                .changes
                .ready(std::time::Duration::from_secs(5))
                .await
        );
    }
    // A client that always sends this session's cookie, whatever a server answers.
    let kept = pinned_session_client(&first, PATIENT_PHONE).await;
    for server in [&first, &second] {
        assert_eq!(
            server.call_with(&kept, "my_profile", &[]).await.status(),
            StatusCode::OK,
            "both servers load the session"
        );
    }
    let heard = first.changes.accounts.count();
    assert_eq!(
        second.call_with(&kept, "logout", &[]).await.status(),
        StatusCode::OK
    );
    // Another server learns of the log-out from the database's notice, sent on commit.
    assert!(
        crate::device_check::notice_after(&first, heard).await,
        "the first server hears of the log-out"
    );
    assert_eq!(
        first.call_with(&kept, "my_profile", &[]).await.status(),
        StatusCode::UNAUTHORIZED,
        "the first server's copy of the session is refused"
    );
    assert_eq!(
        second.call_with(&kept, "my_profile", &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
