//! The doctor search filters in SQL; its name folding must find exactly the doctors the Rust
//! rule (`arabic_search::matches`) finds, or a patient's spelling would work in one and not the
//! other.

use crate::db::test_pool;
use crate::helpers::spawn_app;
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
        async move {
            let found: Value = app
                .call("find_doctors", &[("q", q), ("specialty", ""), ("sex", "")])
                .await
                .json()
                .await
                .expect("json");
            found["results"][0].clone()
        }
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
