//! Attachments against a real S3-protocol server (the embedded `s3s` store each test app
//! starts on loopback, reached through `aws-sdk-s3`): files are sealed before they reach the
//! store, opened only for those entitled, judged by their bytes, bounded in size; a store that
//! is down fails the upload clearly and keeps the draft; key rotation re-seals and old files
//! still open; the database keeps every file's row as it was written.

use crate::db::{owner_pool, test_pool};
use crate::fixtures::{national_id, open_consultation, staff_user};
use crate::helpers::{
    as_role, error_json, new_client, registration, spawn_app, spawn_app_with, TestApp,
};
use app::kernel::crypto::Keyring;
use app::kernel::values::Role;
use app::records::service::attachments::{reseal_all, Vault};
use reqwest::{header, Client, StatusCode};
use std::sync::Arc;
use uuid::Uuid;

/// A small but real PDF (the magic bytes are what counts) with a text to look for.
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj\n<< /Title ({text}) >>\nendobj\ntrailer\n<<>>\n%%EOF\n").into_bytes()
}

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
];

fn fields<'a>(encounter: &'a str, title: &'a str, shared: bool) -> Vec<(&'static str, &'a str)> {
    let mut f = vec![
        ("encounter_id", encounter),
        ("att_kind", "lab"),
        ("att_title", title),
    ];
    if shared {
        f.push(("att_shared", "on"));
    }
    f
}

async fn upload(
    app: &TestApp,
    doc: &Client,
    encounter: &str,
    title: &str,
    shared: bool,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.upload_with(
        doc,
        &fields(encounter, title, shared),
        ("report.pdf", "application/pdf", bytes),
    )
    .await
}

async fn count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM attachments")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

async fn id_of(app: &TestApp, title: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM attachments WHERE title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .expect("stored")
}

async fn get(app: &TestApp, client: &Client, id: Uuid) -> reqwest::Response {
    client
        .get(app.url(&format!("/attachments/{id}")))
        .send()
        .await
        .expect("sent")
}

fn field_keys(body: &serde_json::Value) -> Vec<(String, String)> {
    body["Validation"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["key"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_file_is_stored_sealed_and_opened_only_for_those_entitled() {
    let app = spawn_app(test_pool().await).await;
    app.login(crate::helpers::PATIENT_PHONE, crate::helpers::DEMO_PASSWORD)
        .await;
    let (doc, encounter) = open_consultation(&app).await;
    let report = pdf("CBC haemoglobin 13.2");
    let shared = upload(&app, &doc, &encounter, "تحليل دم CBC", true, report.clone()).await;
    assert_eq!(shared.status(), StatusCode::OK);
    assert_eq!(
        shared.headers()["location"],
        format!("/encounters/{encounter}?attached=1#attachments").as_str()
    );
    let private = upload(&app, &doc, &encounter, "Doctor's scan", false, PNG.to_vec()).await;
    assert_eq!(private.status(), StatusCode::OK);
    let shared_id = id_of(&app, "تحليل دم CBC").await;
    let private_id = id_of(&app, "Doctor's scan").await;

    // What the store holds is sealed: not the file, and it names the key it was sealed with.
    let (key, mime, size): (String, String, i32) = sqlx::query_as(
        "SELECT object_key, content_type, size_bytes FROM attachments WHERE id = $1",
    )
    .bind(shared_id)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!(
        (mime.as_str(), size as usize),
        ("application/pdf", report.len())
    );
    let stored = app.vault.store.get(&key).await.expect("in the store");
    assert!(!stored.windows(13).any(|w| w == b"CBC haemoglob"));
    assert!(!stored.starts_with(b"%PDF"));
    assert_eq!(Keyring::key_id_of(&stored), Ok(app.vault.keys.current_id()));

    // Her doctor opens both; the bytes are the file's, never cached.
    let opened = get(&app, &doc, shared_id).await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(opened.headers()[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(opened.headers()[header::CACHE_CONTROL], "private, no-store");
    assert_eq!(opened.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(opened.bytes().await.expect("body").to_vec(), report);
    assert_eq!(get(&app, &doc, private_id).await.status(), StatusCode::OK);

    // The patient opens the shared one only; the portal lists only that one.
    assert_eq!(
        get(&app, &app.client, shared_id).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&app, &app.client, private_id).await.status(),
        StatusCode::NOT_FOUND
    );
    let portal = app.call("my_record", &[]).await.text().await.expect("body");
    assert!(portal.contains(&shared_id.to_string()));
    assert!(!portal.contains(&private_id.to_string()));

    // Nobody else: another patient, another doctor, the desk, an admin, a stranger.
    let other = new_client();
    let other_id = national_id(5_151);
    let registered = app
        .call_with(&other, "register", &registration("0553334444", &other_id))
        .await;
    assert_eq!(registered.status(), StatusCode::OK);
    for client in [
        other,
        as_role(&app, "0500000003").await,
        as_role(&app, "0500000005").await,
        as_role(&app, "0500000001").await,
    ] {
        assert_eq!(
            get(&app, &client, shared_id).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        get(&app, &new_client(), shared_id).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&app, &doc, Uuid::new_v4()).await.status(),
        StatusCode::NOT_FOUND
    );

    // Every upload and every opening is in the audit log, refusals too.
    let audited = app.audit_actions().await;
    let n = |action: &str, outcome: &str| {
        audited
            .iter()
            .filter(|(a, o)| a == action && o == outcome)
            .count()
    };
    assert_eq!(n("attachment.uploaded", "success"), 2);
    assert_eq!(n("attachment.read", "success"), 3);
    assert!(n("attachment.read", "denied") >= 5, "{audited:?}");
}

#[tokio::test]
async fn a_spoofed_type_an_empty_or_oversized_file_is_refused_and_nothing_is_stored() {
    let app = spawn_app_with(test_pool().await, |c| c.max_upload_bytes = 4 * 1024).await;
    app.login(crate::helpers::PATIENT_PHONE, crate::helpers::DEMO_PASSWORD)
        .await;
    let (doc, encounter) = open_consultation(&app).await;
    for (bytes, key) in [
        (
            b"<html><script>fetch('/api/my_record')</script></html>".to_vec(),
            "err-attachment-type",
        ),
        (b"MZ\x90\x00 an executable".to_vec(), "err-attachment-type"),
        (vec![], "err-attachment-empty"),
        (
            [pdf("big"), vec![b' '; 5 * 1024]].concat(),
            "err-attachment-too-large",
        ),
    ] {
        let refused = upload(&app, &doc, &encounter, "Lab", true, bytes).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_keys(&error_json(refused).await),
            [("att_file".to_owned(), key.to_owned())]
        );
    }
    // A body far past the limit is turned away before it is read.
    let huge = upload(&app, &doc, &encounter, "Lab", true, vec![b'%'; 200 * 1024]).await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // The form's own fields are checked too, each named.
    let bad = app
        .upload_with(
            &doc,
            &[
                ("encounter_id", &encounter),
                ("att_kind", "x-ray"),
                ("att_title", "  "),
            ],
            ("a.pdf", "application/pdf", pdf("ok")),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_keys(&error_json(bad).await),
        [
            ("att_kind".to_owned(), "err-attachment-kind".to_owned()),
            ("att_title".to_owned(), "err-text-required".to_owned())
        ]
    );
    // A body that is not a multipart form is a malformed request, not a crash.
    let plain = app
        .call_with(
            &doc,
            "upload_attachment",
            &[("encounter_id", encounter.as_str())],
        )
        .await;
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
    // Someone else's consultation, or none, reads as missing; patients cannot upload.
    let other_doctor = as_role(&app, "0500000003").await;
    let theirs = upload(&app, &other_doctor, &encounter, "Lab", true, pdf("x")).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let patient = upload(&app, &app.client, &encounter, "Lab", true, pdf("x")).await;
    assert_eq!(patient.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn storage_down_fails_the_upload_clearly_and_the_draft_is_kept() {
    let app = spawn_app(test_pool().await).await;
    app.login(crate::helpers::PATIENT_PHONE, crate::helpers::DEMO_PASSWORD)
        .await;
    let (doc, encounter) = open_consultation(&app).await;
    let saved = app
        .call_with(
            &doc,
            "save_encounter",
            &[
                ("id", encounter.as_str()),
                ("chief_complaint", "صداع منذ ثلاثة أيام"),
                ("history", ""),
                ("examination", ""),
                ("assessment", ""),
                ("plan", ""),
                ("patient_summary", ""),
                ("diagnoses", ""),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    app.storage.stop();
    let refused = upload(&app, &doc, &encounter, "MRI report", true, pdf("mri")).await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.headers()[header::RETRY_AFTER], "30");
    assert_eq!(error_json(refused).await, "StorageDown");
    assert_eq!(count(&app).await, 0, "no row for a file that is not stored");
    let page = app
        .call_with(&doc, "encounter", &[("id", encounter.as_str())])
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let page: serde_json::Value = page.json().await.expect("json");
    assert_eq!(page["note"]["chief_complaint"], "صداع منذ ثلاثة أيام");
}

#[tokio::test]
async fn rotation_reseals_every_file_and_files_sealed_before_still_open() {
    // The embedded default: keys from the key file under the data directory.
    let app = crate::helpers::spawn_app_with(test_pool().await, |c| c.data_keys = None).await;
    app.login(crate::helpers::PATIENT_PHONE, crate::helpers::DEMO_PASSWORD)
        .await;
    let (doc, encounter) = open_consultation(&app).await;
    let report = pdf("lipid panel");
    for title in ["first", "second"] {
        let r = upload(&app, &doc, &encounter, title, true, report.clone()).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let first = id_of(&app, "first").await;
    let (key, old_key_id): (String, String) =
        sqlx::query_as("SELECT object_key, key_id FROM attachments WHERE id = $1")
            .bind(first)
            .fetch_one(&app.pool)
            .await
            .expect("row");
    let before = app.vault.store.get(&key).await.expect("stored");

    // `server rotate-keys` on the embedded default: a new key in front of the key file, the
    // old one kept so what it sealed still opens.
    let old = app.vault.keys.clone();
    let dir = app.data_dir.join("keys");
    let new_id = Keyring::rotate_key_file(&dir).expect("rotated");
    assert_ne!(new_id, old_key_id);
    let rotated = Keyring::from_key_file(&dir).expect("ring");
    assert_eq!(rotated.current_id(), new_id);
    let vault = Vault {
        store: app.vault.store.clone(),
        keys: Arc::new(rotated),
        max_bytes: app.vault.max_bytes,
    };
    assert_eq!(reseal_all(&app.pool, &vault).await.expect("resealed"), 2);
    assert_eq!(
        reseal_all(&app.pool, &vault).await.expect("nothing left"),
        0
    );
    let after = app.vault.store.get(&key).await.expect("stored");
    assert_ne!(before, after);
    assert_eq!(Keyring::key_id_of(&after), Ok(new_id.as_str()));
    let key_ids: Vec<String> = sqlx::query_scalar("SELECT key_id FROM attachments ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("rows");
    assert_eq!(key_ids, [new_id.clone(), new_id.clone()]);
    // The re-sealed file opens with the new ring to the same bytes; the old ring alone no
    // longer opens it, and says why instead of returning garbage.
    let user = staff_user(&app.pool, "+966500000002", Role::Doctor).await;
    let opened =
        app::records::service::attachments::download(&app.pool, &vault, &user, None, first)
            .await
            .map_err(|e| format!("{e:?}"))
            .expect("opens");
    assert_eq!(opened.bytes, report);
    assert_eq!(
        old.open(&after, &format!("attachment:{first}")),
        Err(app::kernel::crypto::CryptoError::UnknownKey(new_id.clone()))
    );
    // Through the app (still on the old ring alone) the file now fails cleanly: a 500 with
    // the generic message, never the sealed bytes.
    let failed = get(&app, &doc, first).await;
    assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_json(failed).await, "Internal");
}

#[tokio::test]
async fn the_database_keeps_every_file_row_as_written() {
    let app = spawn_app(test_pool().await).await;
    app.login(crate::helpers::PATIENT_PHONE, crate::helpers::DEMO_PASSWORD)
        .await;
    let (doc, encounter) = open_consultation(&app).await;
    let r = upload(&app, &doc, &encounter, "ECG", false, pdf("ecg")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let id = id_of(&app, "ECG").await;
    let owner = owner_pool(&app.pool).await;
    for sql in [
        "UPDATE attachments SET title = 'changed' WHERE id = $1",
        "UPDATE attachments SET object_key = 'elsewhere' WHERE id = $1",
        "UPDATE attachments SET patient_id = uploaded_by WHERE id = $1",
        "DELETE FROM attachments WHERE id = $1",
    ] {
        let err = sqlx::query(sql)
            .bind(id)
            .execute(&owner)
            .await
            .expect_err(sql);
        let db = err.as_database_error().expect("database error");
        assert_eq!(db.constraint(), Some("attachment_kept"), "{sql}");
    }
    assert!(sqlx::query("TRUNCATE attachments CASCADE")
        .execute(&owner)
        .await
        .is_err());
    // What may change: the key (rotation) and whether the patient sees it.
    sqlx::query("UPDATE attachments SET shared_with_patient = true, key_id = 'k2' WHERE id = $1")
        .bind(id)
        .execute(&owner)
        .await
        .expect("allowed");
    assert_eq!(count(&app).await, 1);
}
