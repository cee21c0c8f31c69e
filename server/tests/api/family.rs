use crate::db::test_pool;
use crate::{fixtures::*, helpers::*};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

pub fn child_form(national_id: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("first_name", "يوسف"),
        ("father_name", "خالد"),
        ("grandfather_name", "سعد"),
        ("family_name", "الدوسري"),
        ("latin_name", ""),
        ("national_id", national_id),
        ("date_of_birth", "2018-06-01"),
        ("sex", "male"),
        ("relation", "child"),
        ("phone", ""),
    ]
}

async fn user_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_guardian_adds_a_child_and_books_for_them_and_nobody_else_sees_it() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let child_id = national_id(7_001);
    // Added from the page without JavaScript: the redirect's page says so.
    let (to, page) = app
        .post_page(&app.client, "add_dependent", &child_form(&child_id))
        .await;
    assert_eq!(to, "/me/family?added=1");
    assert!(page.contains(r#"data-testid="fam-added""#), "{page}");
    assert!(page.contains("أُضيف فرد العائلة"), "{page}");
    let family: Value = app.call("my_family", &[]).await.json().await.expect("json");
    assert_eq!(family[0]["relation"], "child");
    let child = family[0]["id"].as_str().expect("id").to_owned();

    let doctor = doctor_id(&app.pool, "+966500000003").await;
    let booked = book_slot_as(&app, doctor, 0, "", &child).await;
    assert_eq!(booked.status(), StatusCode::OK);
    let id = appointment_id(&booked);
    let (patient, booked_by): (Uuid, Uuid) =
        sqlx::query_as("SELECT patient_id, booked_by FROM appointments WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!(
        patient.to_string(),
        child,
        "the appointment is the child's own"
    );
    assert_ne!(booked_by, patient, "the guardian is recorded as the booker");

    let mine: Value = app
        .call("my_appointments", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        mine[0]["id"],
        json!(id),
        "the guardian sees the child's appointment"
    );
    let detail = app.call("appointment_detail", &[("id", &id)]).await;
    assert_eq!(detail.status(), StatusCode::OK);

    let stranger = new_client();
    app.call_with(
        &stranger,
        "register",
        &registration("0551234567", "1234567897"),
    )
    .await;
    let peek = app
        .call_with(&stranger, "appointment_detail", &[("id", &id)])
        .await;
    assert_eq!(peek.status(), StatusCode::NOT_FOUND);
    let theirs: Value = app
        .call_with(&stranger, "my_family", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs, json!([]));
    // Nor can the stranger book in the child's name.
    let hijack = app
        .call_with(
            &stranger,
            "join_waitlist",
            &[
                ("doctor_id", &doctor.to_string()),
                ("from", "2099-01-01"),
                ("until", "2099-01-02"),
                ("patient_id", &child),
            ],
        )
        .await;
    assert_eq!(hijack.status(), StatusCode::NOT_FOUND);

    // The child's record has no password of its own to log in with.
    let login = new_client();
    let tried = app
        .call_with(
            &login,
            "login",
            &[("identifier", &child_id), ("password", "!managed")],
        )
        .await;
    assert_eq!(tried.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_family_member_is_checked_field_by_field_and_ids_stay_unique() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let before = user_count(&app.pool).await;

    let mut bad = child_form("123");
    bad[0].1 = "Yousef";
    bad[8].1 = "cousin";
    bad[9].1 = "12345";
    let refused = app.call("add_dependent", &bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(refused).await;
    let fields: Vec<&str> = body["Validation"]
        .as_array()
        .expect("field errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["first_name", "national_id", "relation", "phone"]);

    // The demo patient's own ID cannot be registered again as a family member.
    let taken = app.call("add_dependent", &child_form("2000000063")).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(taken).await,
        json!({"Conflict": [{"field": "national_id", "key": "err-national-id-taken"}]})
    );
    assert_eq!(user_count(&app.pool).await, before, "nothing was saved");
    let links: i64 = sqlx::query_scalar("SELECT count(*) FROM dependents")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(links, 0);
}

#[tokio::test]
async fn staff_cannot_use_the_family_functions() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(ADMIN_PHONE, DEMO_PASSWORD).await;
    let response = app
        .call("add_dependent", &child_form(&national_id(7_002)))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
