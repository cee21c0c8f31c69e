//! The record's free text at rest: sealed in the database (never the plaintext), unreadable
//! with a wrong key (a clean error, nothing changed), re-sealed by a rotation while a signed
//! note stays final, and rows written before sealing began sealed at start-up.

use crate::records::{checked_in_visit, written, Visit};
use app::kernel::crypto::{CryptoError, Keyring};
use app::kernel::db::DbError;
use app::kernel::error::AppError;
use app::kernel::service_error::ServiceError;
use app::records::domain::chart_list::NewProblem;
use app::records::service::{self, sealing};
use std::sync::Arc;
use uuid::Uuid;

const ADDENDUM: &str = "نتيجة قياس التنفس طبيعية بعد العلاج.";
const PROBLEM_NOTE: &str = "منذ الطفولة، يزداد في الشتاء";

/// A consultation with a saved note, a problem and, when `signed`, an addendum.
async fn written_visit(signed: bool) -> (Visit, Uuid) {
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    service::save_draft(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        id,
        &written(),
        &["J45.909".into()],
    )
    .await
    .expect("draft saved");
    let problem = NewProblem::parse("J45.909", PROBLEM_NOTE).expect("problem");
    service::add_problem(&v.pool, &v.keys, &v.doctor, None, id, &problem)
        .await
        .expect("problem");
    if signed {
        service::sign(&v.pool, &v.keys, &v.doctor, None, id)
            .await
            .expect("signed");
        service::add_addendum(&v.pool, &v.keys, &v.doctor, None, id, ADDENDUM)
            .await
            .expect("addendum");
    }
    (v, id)
}

struct Stored {
    note_sealed: Option<Vec<u8>>,
    plain: Vec<String>,
    addenda: Vec<(Option<Vec<u8>>, String)>,
    problems: Vec<(Option<Vec<u8>>, String)>,
}

async fn stored(v: &Visit, id: Uuid) -> Stored {
    let (note_sealed, a, b, c, d, e, f): (
        Option<Vec<u8>>,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT note_sealed, chief_complaint, history, examination, assessment, plan,
                patient_summary FROM encounters WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&v.pool)
    .await
    .expect("encounter row");
    let addenda =
        sqlx::query_as("SELECT body_sealed, body FROM encounter_addenda WHERE encounter_id = $1")
            .bind(id)
            .fetch_all(&v.pool)
            .await
            .expect("addenda");
    let problems = sqlx::query_as("SELECT note_sealed, note FROM problems WHERE patient_id = $1")
        .bind(v.patient.id)
        .fetch_all(&v.pool)
        .await
        .expect("problems");
    Stored {
        note_sealed,
        plain: vec![a, b, c, d, e, f],
        addenda,
        problems,
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn sealed_error(err: ServiceError) -> CryptoError {
    match err {
        ServiceError::Db(DbError::Sealed(e)) => e,
        other => panic!("expected a sealed value that does not open, got {other:?}"),
    }
}

#[tokio::test]
async fn the_database_holds_sealed_text_only_and_the_app_reads_it_back() {
    let (v, id) = written_visit(true).await;
    let row = stored(&v, id).await;
    assert!(row.plain.iter().all(String::is_empty), "{:?}", row.plain);
    let sealed = row.note_sealed.expect("note sealed");
    assert_eq!(Keyring::key_id_of(&sealed), Ok("test"));
    let note = written();
    for text in [
        &note.chief_complaint,
        &note.assessment,
        &note.patient_summary,
    ] {
        assert!(
            !contains(&sealed, text),
            "plaintext in the sealed note: {text}"
        );
    }
    assert_eq!(row.addenda.len(), 1);
    let (body_sealed, body) = &row.addenda[0];
    assert_eq!(body, "");
    assert!(!contains(
        body_sealed.as_deref().expect("addendum sealed"),
        ADDENDUM
    ));
    assert_eq!(row.problems.len(), 1);
    assert_eq!(row.problems[0].1, "");
    assert!(!contains(
        row.problems[0].0.as_deref().expect("problem sealed"),
        PROBLEM_NOTE
    ));

    let view = service::read(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("read");
    assert_eq!(view.row.note, note);
    assert_eq!(view.addenda[0].body, ADDENDUM);
    let mut db = v.pool.acquire().await.expect("connection");
    let today = jiff::Timestamp::now()
        .in_tz("Asia/Riyadh")
        .expect("tz")
        .date();
    let header = service::chart_header(&mut db, &v.keys, v.patient.id, today)
        .await
        .expect("header");
    assert_eq!(header.problems[0].note, PROBLEM_NOTE);
    // The patient's portal reads the summary through the same seal.
    let portal = service::portal::latest_visit(&v.pool, &v.keys, &v.patient, None)
        .await
        .expect("portal")
        .expect("a signed visit");
    assert_eq!(portal.summary, note.patient_summary);
}

#[tokio::test]
async fn a_wrong_key_fails_cleanly_and_changes_nothing() {
    let (v, id) = written_visit(true).await;
    let before = stored(&v, id).await;
    // Same key id, other key bytes: the key file of another installation.
    let impostor = Keyring::parse(&Keyring::new_entry("test").expect("entry")).expect("ring");
    let err = service::read(&v.pool, &impostor, &v.doctor, None, id)
        .await
        .expect_err("must not open");
    assert_eq!(sealed_error(err), CryptoError::DoesNotOpen("test".into()));
    let other = Keyring::parse(&Keyring::new_entry("other").expect("entry")).expect("ring");
    let err = service::read(&v.pool, &other, &v.doctor, None, id)
        .await
        .expect_err("must not open");
    let crypto = sealed_error(err);
    assert_eq!(crypto, CryptoError::UnknownKey("test".into()));
    // Answered as the generic error, never as someone's text.
    assert!(matches!(
        AppError::from(DbError::Sealed(crypto)),
        AppError::Internal
    ));
    // A rotation with the wrong key stops and leaves every value as it was.
    let wrong_rotation = Keyring::parse(&format!(
        "{},{}",
        Keyring::new_entry("k2").expect("entry"),
        Keyring::new_entry("test").expect("entry")
    ))
    .expect("ring");
    let err = sealing::reseal_stale(&v.pool, &wrong_rotation)
        .await
        .expect_err("the old values do not open with this ring");
    assert!(matches!(sealed_error(err), CryptoError::DoesNotOpen(_)));
    let after = stored(&v, id).await;
    assert_eq!(after.note_sealed, before.note_sealed);
    assert_eq!(after.addenda, before.addenda);
    assert_eq!(
        service::read(&v.pool, &v.keys, &v.doctor, None, id)
            .await
            .expect("still reads with the right key")
            .row
            .note,
        written()
    );
}

#[tokio::test]
async fn rotation_reseals_a_signed_note_which_stays_final() {
    let (v, id) = written_visit(true).await;
    let old = stored(&v, id).await.note_sealed.expect("sealed");
    // A new key in front; the old one stays so what it sealed still opens.
    let rotated = Arc::new(
        Keyring::parse(&format!(
            "{},{}",
            Keyring::new_entry("k2").expect("entry"),
            crate::helpers::test_key_entry()
        ))
        .expect("ring"),
    );
    // Before the rotation, the old values still open with the new ring.
    assert_eq!(
        service::read(&v.pool, &rotated, &v.doctor, None, id)
            .await
            .expect("old key still opens")
            .row
            .note,
        written()
    );
    let count = sealing::reseal_stale(&v.pool, &rotated)
        .await
        .expect("re-sealed");
    // This visit's note, addendum and problem, and the demo's two signed notes.
    assert!(count >= 3, "{count}");
    let row = stored(&v, id).await;
    let new = row.note_sealed.expect("sealed");
    assert_eq!(Keyring::key_id_of(&new), Ok("k2"));
    assert_ne!(new, old);
    for (sealed, _) in row.addenda.iter().chain(&row.problems) {
        assert_eq!(
            Keyring::key_id_of(sealed.as_deref().expect("sealed")),
            Ok("k2")
        );
    }
    assert_eq!(
        sealing::reseal_stale(&v.pool, &rotated)
            .await
            .expect("again"),
        0,
        "a second run finds nothing stale"
    );
    let view = service::read(&v.pool, &rotated, &v.doctor, None, id)
        .await
        .expect("reads after rotation");
    assert_eq!(view.row.note, written());
    assert!(view.row.signed);
    assert_eq!(view.addenda[0].body, ADDENDUM);
    // The old key alone no longer opens it: the value really was re-sealed.
    let err = service::read(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect_err("sealed with k2 now");
    assert_eq!(sealed_error(err), CryptoError::UnknownKey("k2".into()));

    // Sealing the signed note again with the same key is refused: new content cannot be
    // slipped in under a signed note even by someone holding the key.
    let other_text = rotated.seal_json(
        &app::records::domain::note::Note {
            assessment: "tampered".into(),
            ..written()
        },
        &app::records::db::sealed::note_aad(id),
    );
    let err = sqlx::query("UPDATE encounters SET note_sealed = $2 WHERE id = $1")
        .bind(id)
        .bind(&other_text)
        .execute(&v.pool)
        .await
        .expect_err("a signed note keeps its value under one key");
    assert_eq!(
        err.as_database_error().and_then(|e| e.constraint()),
        Some("encounter_signed")
    );
    // Nor may a re-seal touch anything else of the row.
    let err = sqlx::query(
        "UPDATE encounters SET note_sealed = $2, signed_at = now() - interval '1 day' WHERE id = $1",
    )
    .bind(id)
    .bind(&old)
    .execute(&v.pool)
    .await
    .expect_err("only the sealed value may change");
    assert_eq!(
        err.as_database_error().and_then(|e| e.constraint()),
        Some("encounter_signed")
    );
}

#[tokio::test]
async fn text_written_before_sealing_is_sealed_and_still_reads() {
    let (v, id) = written_visit(false).await;
    // A draft as rows were written before migration 015: plaintext, nothing sealed.
    let note = written();
    sqlx::query(
        "UPDATE encounters SET note_sealed = NULL, chief_complaint = $2, history = $3,
            examination = $4, assessment = $5, plan = $6, patient_summary = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&note.chief_complaint)
    .bind(&note.history)
    .bind(&note.examination)
    .bind(&note.assessment)
    .bind(&note.plan)
    .bind(&note.patient_summary)
    .execute(&v.pool)
    .await
    .expect("legacy row");
    sqlx::query("UPDATE problems SET note_sealed = NULL, note = $2 WHERE patient_id = $1")
        .bind(v.patient.id)
        .bind(PROBLEM_NOTE)
        .execute(&v.pool)
        .await
        .expect("legacy problem");
    // The app reads a legacy row as it is…
    assert_eq!(
        service::read(&v.pool, &v.keys, &v.doctor, None, id)
            .await
            .expect("reads plaintext")
            .row
            .note,
        note
    );
    // …and then signs it, still in the clear (as an old signed note would be).
    service::sign(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("signed");
    assert!(stored(&v, id).await.note_sealed.is_none());

    let count = sealing::seal_plaintext(&v.pool, &v.keys)
        .await
        .expect("sealed");
    assert_eq!(count, 2, "the note and the problem");
    let row = stored(&v, id).await;
    assert!(row.plain.iter().all(String::is_empty));
    assert!(row.note_sealed.is_some());
    assert_eq!(row.problems[0].1, "");
    let view = service::read(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("reads sealed");
    assert_eq!(view.row.note, note);
    assert!(view.row.signed);
    assert_eq!(
        sealing::seal_plaintext(&v.pool, &v.keys)
            .await
            .expect("again"),
        0
    );
}
