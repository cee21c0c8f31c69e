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
