use crate::db::test_pool;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn patient_registers_and_is_logged_in() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let response = app
        .call("register", &registration("٠٥٥ ١٢٣ ٤٥٦٧", "1234567897"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["location"], "/me");

    let (phone, role): (String, String) =
        sqlx::query_as("SELECT phone, role::text FROM users WHERE national_id_index = $1")
            .bind(crate::fixtures::id_index("1234567897"))
            .fetch_one(&app.pool)
            .await
            .expect("user row");
    assert_eq!(phone, "+966551234567", "stored normalised to E.164");
    assert_eq!(role, "patient");

    let profile = app.call("my_profile", &[]).await;
    assert_eq!(
        profile.status(),
        StatusCode::OK,
        "the new session is logged in"
    );
    let profile: serde_json::Value = profile.json().await.expect("json");
    assert_eq!(profile["full_name"], "ليلى عبد العزيز حمد المطيري");
    assert!(app
        .audit_actions()
        .await
        .contains(&("user.register".into(), "success".into())));
}

#[tokio::test]
async fn password_is_stored_as_argon2id() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.call("register", &registration("0551234567", "1234567897"))
        .await;
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE national_id_index = $1")
            .bind(crate::fixtures::id_index("1234567897"))
            .fetch_one(&app.pool)
            .await
            .expect("hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[tokio::test]
async fn invalid_fields_are_reported_per_field_and_nothing_is_saved() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let mut form = registration("0112345678", "1234567890");
    form[0] = ("first_name", "Layla");
    let response = app.call("register", &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(response).await;
    let errors = &body["Validation"];
    assert!(errors
        .as_array()
        .expect("field list")
        .contains(&json!({"field": "phone", "key": "err-phone-invalid"})));
    assert!(errors
        .as_array()
        .expect("field list")
        .contains(&json!({"field": "national_id", "key": "err-national-id-checksum"})));
    assert!(errors
        .as_array()
        .expect("field list")
        .contains(&json!({"field": "first_name", "key": "err-name-arabic-only"})));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'patient'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(count, 1, "only the demo patient");
}

#[tokio::test]
async fn duplicate_national_id_or_phone_is_a_conflict_not_a_500() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let first = app
        .call("register", &registration("0551234567", "1234567897"))
        .await;
    assert_eq!(first.status(), StatusCode::OK);

    let other = new_client();
    // Each case repeats one detail only; the form's e-mail is the first registration's.
    let with_email = |mut form: Vec<(&'static str, &'static str)>, email: &'static str| {
        form.retain(|(k, _)| *k != "email");
        form.push(("email", email));
        form
    };
    let same_id = app
        .call_with(
            &other,
            "register",
            &with_email(registration("0559876543", "1234567897"), "b@example.sa"),
        )
        .await;
    assert_eq!(same_id.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(same_id).await,
        json!({"Conflict": [{"field": "national_id", "key": "err-national-id-taken"}]})
    );

    let same_phone = app
        .call_with(
            &other,
            "register",
            &with_email(registration("+966551234567", "2000000006"), "c@example.sa"),
        )
        .await;
    assert_eq!(same_phone.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(same_phone).await,
        json!({"Conflict": [{"field": "phone", "key": "err-phone-taken"}]})
    );
    // Everything taken is named at once, so the form shows it all in one round trip.
    let all_taken = app
        .call_with(
            &other,
            "register",
            &registration("0551234567", "1234567897"),
        )
        .await;
    assert_eq!(
        error_json(all_taken).await,
        json!({"Conflict": [
            {"field": "national_id", "key": "err-national-id-taken"},
            {"field": "phone", "key": "err-phone-taken"},
            {"field": "email", "key": "err-email-taken"},
        ]})
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("user.register".into(), "failure".into())));
}

#[tokio::test]
async fn login_works_with_phone_or_national_id_and_logout_ends_the_session() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let by_phone = app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(by_phone.status(), StatusCode::OK);
    assert_eq!(by_phone.headers()["location"], "/me");
    assert_eq!(app.call("my_profile", &[]).await.status(), StatusCode::OK);

    let logout = app.call("logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(
        app.call("my_profile", &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let by_id = app.login("٢٠٠٠٠٠٠٠٦٣", DEMO_PASSWORD).await;
    assert_eq!(
        by_id.status(),
        StatusCode::OK,
        "national ID in Arabic-Indic digits"
    );
    let admin = app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    assert_eq!(admin.headers()["location"], "/admin/staff");
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let wrong = app.login(PATIENT_PHONE, "not-the-password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong_body = error_json(wrong).await;
    let unknown = app.login("0599999999", "not-the-password").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_json(unknown).await, wrong_body);
    assert_eq!(wrong_body, json!("InvalidCredentials"));
    let failures: Vec<(String, String)> = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(a, o)| a == "auth.login" && o == "failure")
        .collect();
    assert_eq!(failures.len(), 2);
}

#[tokio::test]
async fn account_locks_after_five_failures_even_for_the_right_password() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    for _ in 0..5 {
        assert_eq!(
            app.login(PATIENT_PHONE, "wrong-password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_json(locked).await, json!("RateLimited"));
    // Typing the ID instead reaches the same account, and the same count.
    assert_eq!(
        app.login("2000000063", DEMO_PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // An attacker on a nonexistent account is limited identically, so existence does not leak.
    for _ in 0..5 {
        app.login("0598887777", "wrong-password").await;
    }
    assert_eq!(
        app.login("0598887777", "wrong-password").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account from the same address is still allowed (per-IP limit is higher).
    assert_eq!(
        app.login(ADMIN_PHONE, DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("auth.login".into(), "denied".into())));
}

#[tokio::test]
async fn one_address_is_limited_across_accounts() {
    let pool = test_pool().await;
    let app = spawn_app_with(pool, |c| c.login_max_failures_per_ip = 8).await;
    for i in 0..8 {
        let phone = format!("05970000{i:02}");
        assert_eq!(
            app.login(&phone, "wrong-password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login(ADMIN_PHONE, DEMO_PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn change_password_requires_the_current_one() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let wrong = app
        .call(
            "change_password",
            &[
                ("current_password", "nope-nope"),
                ("new_password", "brand-new-pass"),
                ("confirm_password", "brand-new-pass"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mismatch = app
        .call(
            "change_password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "brand-new-pass"),
                ("confirm_password", "brand-new-typo"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .call(
            "change_password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "brand-new-pass"),
                ("confirm_password", "brand-new-pass"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    app.call("logout", &[]).await;
    assert_eq!(
        app.login(PATIENT_PHONE, DEMO_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(PATIENT_PHONE, "brand-new-pass").await.status(),
        StatusCode::OK
    );
    // Changed from the page without JavaScript, the patient is told so on the page the form
    // redirects to.
    let (to, page) = app
        .post_page(
            &app.client,
            "change_password",
            &[
                ("current_password", "brand-new-pass"),
                ("new_password", "another-new-pass"),
                ("confirm_password", "another-new-pass"),
            ],
        )
        .await;
    assert_eq!(to, "/account/password?changed=1");
    assert!(page.contains(r#"data-testid="password-changed""#), "{page}");
    assert!(page.contains("تم تغيير كلمة المرور"), "{page}");
    assert_eq!(
        app.login(PATIENT_PHONE, "another-new-pass").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn guessing_the_current_password_is_limited_like_a_log_in() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let attempt = |current: &'static str| {
        let app = &app;
        async move {
            app.call(
                "change_password",
                &[
                    ("current_password", current),
                    ("new_password", "brand-new-pass"),
                    ("confirm_password", "brand-new-pass"),
                ],
            )
            .await
            .status()
        }
    };
    // The default limit is five failures per account in the window.
    for _ in 0..5 {
        assert_eq!(
            attempt("a-wrong-guess").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        attempt("a-wrong-guess").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Locked for the window even with the right password; the password is unchanged.
    assert_eq!(attempt(DEMO_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    // Guesses through either door count for the account: log-in is locked too.
    app.call("logout", &[]).await;
    assert_eq!(
        app.login(PATIENT_PHONE, DEMO_PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let unchanged: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = '+966500000006'")
            .fetch_one(&app.pool)
            .await
            .expect("hash");
    assert!(
        app::kernel::hashing::HashGate::for_this_machine()
            .verify(DEMO_PASSWORD.into(), Some(unchanged))
            .await
            .expect("verify"),
        "the password is unchanged"
    );
}

#[tokio::test]
async fn admin_creates_a_doctor_with_a_specialty() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    let directory: serde_json::Value = app
        .call("staff_directory", &[])
        .await
        .json()
        .await
        .expect("json");
    let specialty = directory["specialties"][0]["id"]
        .as_str()
        .expect("specialty id")
        .to_owned();
    let form = [
        ("role", "doctor"),
        ("specialty_id", specialty.as_str()),
        ("first_name", "فيصل"),
        ("father_name", "تركي"),
        ("grandfather_name", "ماجد"),
        ("family_name", "الحربي"),
        ("latin_name", ""),
        ("phone", "0561112233"),
        ("national_id", "1234567897"),
        ("email", ""),
        ("password", "initial-pass-1"),
    ];
    let created = app.call("create_staff", &form).await;
    assert_eq!(created.status(), StatusCode::OK);
    let (role, specialty_id): (String, uuid::Uuid) = sqlx::query_as(
        "SELECT u.role::text, d.specialty_id FROM users u JOIN doctor_profiles d ON d.user_id = u.id WHERE u.phone = '+966561112233'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("doctor row");
    assert_eq!(role, "doctor");
    assert_eq!(specialty_id.to_string(), specialty);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&("user.create_staff".into(), "success".into())));
    assert!(actions.contains(&("role.assign".into(), "success".into())));

    let no_specialty = app
        .call(
            "create_staff",
            &form.map(|(k, v)| match k {
                "specialty_id" => (k, ""),
                "phone" => (k, "0561112244"),
                "national_id" => (k, "2000000006"),
                _ => (k, v),
            }),
        )
        .await;
    assert_eq!(no_specialty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(no_specialty).await,
        json!({"Validation": [{"field": "specialty_id", "key": "err-specialty-required"}]})
    );
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    assert!(!app::demo::seed_demo(
        &app.pool,
        &app::kernel::values::Password::parse(DEMO_PASSWORD).expect("password"),
        &app.vault.keys
    )
    .await
    .expect("second seed"));
    let counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT role::text, count(*) FROM users GROUP BY role ORDER BY role::text")
            .fetch_all(&app.pool)
            .await
            .expect("counts");
    assert_eq!(
        counts,
        vec![
            ("admin".into(), 1),
            ("doctor".into(), 3),
            ("patient".into(), 1),
            ("receptionist".into(), 1)
        ]
    );
}
