//! The national ID at rest: sealed with a blind index, never in the clear (not even in the
//! log-in attempts of an unknown ID), still found by log-in, registration checks and the desk's
//! exact search, sealed at start-up when written in the clear, and re-sealed by a rotation
//! while its index stays.

use crate::db::test_pool;
use crate::fixtures::{full_national_id, id_index, make_patients, national_id};
use crate::helpers::{spawn_app, test_key_entry, test_keys, DEMO_PASSWORD};
use app::kernel::crypto::Keyring;
use reqwest::StatusCode;

const ID: &str = "1234567897";

fn registration<'a>(phone: &'a str, id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", "ليلى"),
        ("father_name", "عبد العزيز"),
        ("grandfather_name", "حمد"),
        ("family_name", "المطيري"),
        ("latin_name", ""),
        ("phone", phone),
        ("national_id", id),
        ("date_of_birth", "1990-05-01"),
        ("sex", "female"),
        ("email", ""),
        ("password", "a-strong-secret"),
    ]
}

#[tokio::test]
async fn a_registered_id_is_stored_sealed_and_still_logs_in_and_is_unique() {
    let app = spawn_app(test_pool().await).await;
    let response = app.call("register", &registration("0551234567", ID)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (id, plain, sealed, last4): (uuid::Uuid, Option<String>, Vec<u8>, String) = sqlx::query_as(
        "SELECT id, national_id, national_id_sealed, national_id_last4 FROM users
             WHERE national_id_index = $1",
    )
    .bind(id_index(ID))
    .fetch_one(&app.pool)
    .await
    .expect("found by its index");
    assert_eq!(plain, None);
    assert_eq!(last4, "7897");
    assert!(!sealed.windows(ID.len()).any(|w| w == ID.as_bytes()));
    assert_eq!(full_national_id(&app.pool, id).await, ID);
    // No column of any row holds the ten digits.
    let anywhere: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users u WHERE position($1 IN u::text) > 0")
            .bind(ID)
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(anywhere, 0);

    let logout = app.call("logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(
        app.login(ID, "a-strong-secret").await.status(),
        StatusCode::OK
    );
    // The same ID again is refused as taken, in the user's language (409, a field error).
    let again = app.call("register", &registration("0557654321", ID)).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // A wrong password on an ID nobody has leaves no plaintext ID in the attempts table.
    app.login("1000000008", "not-the-password").await;
    let keys: Vec<String> = sqlx::query_scalar("SELECT identifier FROM login_attempts")
        .fetch_all(&app.pool)
        .await
        .expect("attempts");
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| !k.contains("1000000008")), "{keys:?}");
}

#[tokio::test]
async fn ids_written_in_the_clear_are_sealed_found_and_rotated() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    // Rows as before migration 016 (the fixtures write the plaintext column).
    let patients = make_patients(&app.pool, 3).await;
    let first = national_id(5_000);
    let count = app::accounts::service::seal_national_ids(&app.pool, &test_keys())
        .await
        .expect("sealed");
    assert_eq!(count, 3);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE national_id IS NOT NULL")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(left, 0);
    assert_eq!(full_national_id(&app.pool, patients[0].id).await, first);

    // The desk finds the patient by the exact ID, shown masked.
    let desk = crate::helpers::as_role(&app, "0500000005").await;
    let hits = app
        .call_with(&desk, "find_patients", &[("q", first.as_str())])
        .await;
    assert_eq!(hits.status(), StatusCode::OK);
    let hits: serde_json::Value = hits.json().await.expect("json");
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
    assert_eq!(hits[0]["id"], patients[0].id.to_string());
    assert_eq!(hits[0]["national_id_last4"], &first[6..]);
    assert!(!hits.to_string().contains(&first));

    // A rotation re-seals under the new key; the index, and so log-in and search, stay.
    let rotated = Keyring::parse(&format!(
        "{},{}",
        Keyring::new_entry("k2").expect("e"),
        test_key_entry()
    ))
    .expect("ring");
    let resealed = app::accounts::service::reseal_national_ids(&app.pool, &rotated)
        .await
        .expect("re-sealed");
    assert!(resealed >= 9, "the demo's six and these three: {resealed}");
    let (sealed, index): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT national_id_sealed, national_id_index FROM users WHERE id = $1")
            .bind(patients[0].id)
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!(Keyring::key_id_of(&sealed), Ok("k2"));
    assert_eq!(index, id_index(&first));
    assert_eq!(
        app::kernel::sealed_id::open(&rotated, patients[0].id, &sealed).expect("opens"),
        first
    );
    assert_eq!(
        app.login("2000000063", DEMO_PASSWORD).await.status(),
        StatusCode::OK,
        "a demo account logs in by its ID after the rotation"
    );
}
