//! Every server function the router serves, called with hostile bodies — malformed, oversized,
//! wrong-typed, control characters, missing fields — anonymously and as each role: none may
//! answer 5xx, and none may change stored data. The list of functions comes from the server's
//! own registry, so a new function is covered without editing this file; its field names are
//! read from its signature in the source.

use crate::db::{owner_pool, test_pool};
use crate::helpers::*;
use reqwest::{header, Client};
use sqlx::PgPool;
use std::collections::BTreeMap;

/// Field names of every `#[server(endpoint = "…")]` function under app/src, by endpoint.
fn signatures() -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read app/src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            let mut rest = text.as_str();
            while let Some(at) = rest.find("#[server(endpoint = \"") {
                rest = &rest[at + "#[server(endpoint = \"".len()..];
                let name = rest[..rest.find('"').expect("endpoint name")].to_owned();
                let function = rest.find("pub async fn").expect("the function");
                let open = function + rest[function..].find('(').expect("(");
                let close = open + rest[open..].find(')').expect(")");
                let fields = rest[open + 1..close]
                    .split(',')
                    .filter_map(|arg| arg.split(':').next())
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .collect();
                found.insert(name, fields);
            }
        }
    }
    found
}

/// A digest of everything stored except what a request legitimately writes while refusing:
/// the audit log, attempt counts and sessions.
async fn stored_data(owner: &PgPool) -> BTreeMap<String, String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'
           AND tablename NOT IN ('audit_log', 'audit_chain_head', 'login_attempts',
                                 'user_sessions', '_sqlx_migrations')
         ORDER BY tablename",
    )
    .fetch_all(owner)
    .await
    .expect("tables");
    let mut digest = BTreeMap::new();
    for table in tables {
        let sum: Option<String> = sqlx::query_scalar(&format!(
            "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM \"{table}\" t"
        ))
        .fetch_one(owner)
        .await
        .expect("digest");
        digest.insert(table, sum.unwrap_or_default());
    }
    digest
}

/// The hostile bodies for a function with `fields`, each with a label for the failure message.
fn bodies(fields: &[String]) -> Vec<(&'static str, Vec<u8>)> {
    const HOSTILE: &str = "a\u{0}b\u{1}c\u{1b}[31m\u{7f}";
    let form = |value: &str| -> Vec<u8> {
        let pairs: Vec<(String, String)> = fields
            .iter()
            .map(|f| (f.clone(), value.to_owned()))
            .collect();
        serde_urlencoded::to_string(pairs)
            .expect("encode")
            .into_bytes()
    };
    let mut all = vec![
        ("empty", Vec::new()),
        ("malformed encoding", b"%%%&&==\xff\xfe%zz=%00".to_vec()),
        ("not a form", br#"{"json": [1, 2, 3]}"#.to_vec()),
        ("control characters", form(HOSTILE)),
        (
            "wrong types",
            form("not-a-uuid-or-number-99999999999999999999"),
        ),
        ("negative number", form("-1")),
        ("long text", form(&"ب".repeat(2_000))),
        ("script", form("<script>alert(1)</script>' OR 1=1 --")),
        ("oversized", vec![b'x'; server::MAX_FORM_BYTES + 10]),
    ];
    // Each field missing in turn (the others hostile: a valid call could rightly change data).
    for missing in 0..fields.len() {
        let pairs: Vec<(String, String)> = fields
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != missing)
            .map(|(_, f)| (f.clone(), HOSTILE.to_owned()))
            .collect();
        all.push((
            "a field missing",
            serde_urlencoded::to_string(pairs)
                .expect("encode")
                .into_bytes(),
        ));
    }
    all
}

#[tokio::test]
async fn no_server_function_fails_or_changes_data_on_hostile_input() {
    let pool = test_pool().await;
    let app = spawn_app_with(pool, |c| {
        // Hostile log-ins and registrations must not lock the test's own accounts out.
        c.login_max_failures_per_account = 100_000;
        c.login_max_failures_per_ip = 100_000;
        c.registrations_per_ip = 100_000;
    })
    .await;
    let owner = owner_pool(&app.pool).await;
    let signatures = signatures();
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(registered.len() >= 40, "{registered:?}");
    for path in &registered {
        let name = path.trim_start_matches("/api/");
        assert!(
            signatures.contains_key(name),
            "{path} is served but its signature was not found in app/src"
        );
    }

    let before = stored_data(&owner).await;
    let callers: Vec<(&str, Option<&str>)> = vec![
        ("anonymous", None),
        ("patient", Some(PATIENT_PHONE)),
        ("doctor", Some("0500000002")),
        ("desk", Some("0500000005")),
        ("admin", Some(ADMIN_PHONE)),
    ];
    let mut seen: BTreeMap<u16, usize> = BTreeMap::new();
    for (who, phone) in callers {
        let client = match phone {
            Some(phone) => as_role(&app, phone).await,
            None => new_client(),
        };
        for path in &registered {
            let name = path.trim_start_matches("/api/");
            // Logging out would turn the rest of this role's calls anonymous.
            if name == "logout" && phone.is_some() {
                continue;
            }
            for (label, body) in bodies(&signatures[name]) {
                let status = post(&app, &client, path, body).await;
                *seen.entry(status.as_u16()).or_default() += 1;
                assert!(
                    status.as_u16() < 500,
                    "{who} → {path} with {label}: {status}"
                );
            }
            assert_eq!(
                stored_data(&owner).await,
                before,
                "hostile input to {path} as {who} changed stored data"
            );
        }
    }
    // The bodies reached every layer: the size limit, the parser, the policy, the domain rules.
    let calls: usize = seen.values().sum();
    assert!(calls > 1_000, "{calls} calls");
    for status in [400, 401, 403, 413, 422] {
        assert!(seen.contains_key(&status), "no {status} among {seen:?}");
    }
    println!("hostile calls by status: {seen:?}");
}

async fn post(app: &TestApp, client: &Client, path: &str, body: Vec<u8>) -> reqwest::StatusCode {
    client
        .post(app.url(path))
        .header(header::ORIGIN, format!("http://{}", app.addr))
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("request sent")
        .status()
}
