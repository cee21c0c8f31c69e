//! The doctor search filters in SQL; its name folding must find exactly the doctors the Rust
//! rule (`arabic_search::matches`) finds, or a patient's spelling would work in one and not the
//! other.

use crate::db::test_pool;
use crate::fixtures::{appointment_id, book_slot};
use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD, PATIENT_PHONE};
use app::kernel::values::arabic_search;
use serde_json::Value;

const NAMES: &[&str] = &[
    "خالد مُحَمَّد عليّ الشهري",
    "أسامة إبراهيم آل سعود",
    "فاطمة الزهراء",
    "مصطفى ـــ البنا",
    "عبد الله بن عمر",
    "Khalid Al-Shehri",
    "  Mary-Ann   O'Neil ",
    "ALI alharbi al",
    "إيمان الـ",
    "",
];

/// The cards the search's server function returns for `q`, any specialty and sex.
async fn cards(app: &TestApp, q: &str) -> Vec<Value> {
    let found: Value = app
        .call("find_doctors", &[("q", q), ("specialty", ""), ("sex", "")])
        .await
        .json()
        .await
        .expect("json");
    found["results"].as_array().expect("results").clone()
}

#[tokio::test]
async fn the_database_folds_names_as_the_rust_rule_does() {
    let pool = test_pool().await;
    for name in NAMES {
        let sql: Vec<String> = sqlx::query_scalar("SELECT search_words($1)")
            .bind(name)
            .fetch_one(&pool)
            .await
            .expect("search_words");
        let rust: Vec<String> = arabic_search::normalize(name)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        assert_eq!(sql, rust, "{name:?}");
    }
}

#[tokio::test]
async fn search_finds_in_sql_exactly_whom_the_rust_rule_matches() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let everyone: Value = app
        .call("find_doctors", &[("q", ""), ("specialty", ""), ("sex", "")])
        .await
        .json()
        .await
        .expect("json");
    let all = everyone["results"].as_array().expect("results").clone();
    assert!(all.len() >= 3, "{everyone}");
    for query in [
        "الغامدى ريم",
        "ريم",
        "غامد",
        "شهر",
        "الشهري خالد",
        "xyz",
        "khal",
        "Al-",
        "ـــ",
    ] {
        let found: Value = app
            .call(
                "find_doctors",
                &[("q", query), ("specialty", ""), ("sex", "")],
            )
            .await
            .json()
            .await
            .expect("json");
        let got: Vec<&str> = found["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        let expected: Vec<&str> = all
            .iter()
            .filter(|r| {
                let arabic = r["name_ar"].as_str().unwrap_or_default();
                let latin = r["latin_name"].as_str().unwrap_or_default();
                arabic_search::matches(query, arabic) || arabic_search::matches(query, latin)
            })
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(got, expected, "query {query:?}");
    }
}

#[tokio::test]
async fn the_next_free_time_is_found_beyond_the_first_days_looked_at() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let find = |q: &'static str| {
        let app = &app;
        async move { cards(app, q).await.first().cloned().unwrap_or_default() }
    };
    let before = find("ريم").await;
    assert!(before["next_slot"].is_string(), "{before}");
    // The doctor is away for the next four days: the search must look further than its first
    // read of bookings does.
    let doctor = uuid::Uuid::parse_str(before["id"].as_str().expect("id")).expect("uuid");
    let clinic =
        uuid::Uuid::parse_str(before["clinic"]["id"].as_str().expect("clinic")).expect("uuid");
    sqlx::query(
        "INSERT INTO closures (id, clinic_id, doctor_id, starts_on, ends_on, reason_ar, reason_en)
         VALUES (gen_random_uuid(), $1, $2, (now() AT TIME ZONE 'Asia/Riyadh')::date,
                 (now() AT TIME ZONE 'Asia/Riyadh')::date + 3, 'إجازة', 'Leave')",
    )
    .bind(clinic)
    .bind(doctor)
    .execute(&app.pool)
    .await
    .expect("closure");
    let after = find("ريم").await;
    let next: jiff::Timestamp = after["next_slot"]
        .as_str()
        .expect("still a next free time")
        .parse()
        .expect("instant");
    let first_open = jiff::Timestamp::now()
        .in_tz("Asia/Riyadh")
        .expect("zone")
        .date()
        .checked_add(jiff::Span::new().days(4))
        .expect("date");
    assert!(
        next.in_tz("Asia/Riyadh").expect("zone").date() >= first_open,
        "{after}"
    );
}

/// The search keeps each doctor's next free time between requests; a booking of that time, a
/// check-in and a cancellation must each show (or not move it) on the very next search.
#[tokio::test]
async fn a_kept_next_free_time_follows_bookings_and_cancellations() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 0")
        .execute(&app.pool)
        .await
        .expect("rules");
    let next_of = |q: &'static str| {
        let app = &app;
        async move {
            let card = cards(app, q).await.first().cloned().unwrap_or_default();
            let next = card["next_slot"]
                .as_str()
                .expect("a next free time")
                .to_owned();
            (card["id"].as_str().expect("id").to_owned(), next)
        }
    };
    let (doctor, first) = next_of("ريم").await;
    assert_eq!(next_of("ريم").await.1, first, "kept and served again");
    let doctor = uuid::Uuid::parse_str(&doctor).expect("uuid");
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let booked = book_slot(&app, doctor, 0, "").await;
    assert_eq!(booked.status(), reqwest::StatusCode::OK);
    let id = appointment_id(&booked);
    let booked_at: String = sqlx::query_scalar(
        "SELECT to_json(lower(during))#>>'{}' FROM appointments WHERE id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.pool)
    .await
    .expect("start");
    assert_eq!(
        booked_at.parse::<jiff::Timestamp>().expect("instant"),
        first.parse::<jiff::Timestamp>().expect("instant"),
        "the calendar's first slot is the search's next free time"
    );
    let (_, after_booking) = next_of("ريم").await;
    assert!(
        after_booking.parse::<jiff::Timestamp>().expect("instant")
            > first.parse::<jiff::Timestamp>().expect("instant"),
        "the booked time is no longer offered: {after_booking} after {first}"
    );
    // Written behind the app's back: the database's bookings version still tells.
    let version = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT version FROM doctor_bookings_version WHERE doctor_id = $1",
        )
        .bind(doctor)
        .fetch_one(&app.pool)
        .await
        .expect("version")
    };
    let booked_version = version().await;
    sqlx::query("UPDATE appointments SET status = 'checked_in' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&app.pool)
        .await
        .expect("check in");
    assert_eq!(version().await, booked_version, "a check-in frees no time");
    sqlx::query("UPDATE appointments SET status = 'cancelled' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&app.pool)
        .await
        .expect("cancel");
    assert!(version().await > booked_version);
    assert_eq!(
        next_of("ريم").await.1,
        first,
        "the cancelled time is offered again"
    );
}

/// A search's list of doctors is kept between requests; a doctor who leaves, or is renamed,
/// must show on the very next search, even when the change is written behind the app's back.
#[tokio::test]
async fn a_kept_search_follows_a_doctor_leaving_and_being_renamed() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let names = |q: &'static str| {
        let app = &app;
        async move {
            cards(app, q)
                .await
                .iter()
                .map(|c| c["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    let before = names("ريم").await;
    assert_eq!(names("ريم").await, before);
    let doctor = before.first().expect("a doctor named ريم").clone();
    sqlx::query("UPDATE users SET first_name = 'سلمى' WHERE id = $1::uuid")
        .bind(&doctor)
        .execute(&app.pool)
        .await
        .expect("rename");
    assert!(!names("ريم").await.contains(&doctor), "renamed away");
    assert!(names("سلمى").await.contains(&doctor));
    sqlx::query("UPDATE users SET is_active = false WHERE id = $1::uuid")
        .bind(&doctor)
        .execute(&app.pool)
        .await
        .expect("deactivate");
    assert!(!names("سلمى").await.contains(&doctor), "no longer listed");
    assert!(!names("").await.contains(&doctor));
}
