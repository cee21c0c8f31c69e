//! The kept copies of public pages: what a visitor without a session is served, and that the
//! copy follows the data and never reaches someone logged in.

use crate::db::test_pool;
use crate::fixtures::doctor_id;
use crate::helpers::*;
use reqwest::{header, Client, StatusCode};

/// The page's body, its policy's nonce, and the body with that nonce blanked out.
async fn visit(client: &Client, url: &str, language: &str) -> (String, String, String) {
    let (body, nonce, blanked, _) = visit_kept(client, url, language).await;
    (body, nonce, blanked)
}

/// The nonce the answer's Content-Security-Policy names.
fn policy_nonce(headers: &header::HeaderMap) -> String {
    let policy = headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    let start = policy.find("'nonce-").expect("a nonce in the policy") + 7;
    policy[start..policy[start..].find('\'').expect("closed") + start].to_owned()
}

/// As `visit`, and whether the page came from a kept copy.
async fn visit_kept(client: &Client, url: &str, language: &str) -> (String, String, String, bool) {
    let response = client
        .get(url)
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_LANGUAGE, language)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let kept = response
        .headers()
        .get("x-page-cache")
        .is_some_and(|v| v == "hit");
    let nonce = policy_nonce(response.headers());
    let body = response.text().await.expect("html");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the scripts carry the policy's nonce"
    );
    let blanked = body.replace(&nonce, "NONCE");
    (body, nonce, blanked, kept)
}

fn free_starts(html: &str) -> Vec<String> {
    html.split("data-start=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// Waits for the app to hear the database's notice of a change written after `before` was
/// read; fails the test after five seconds.
async fn noticed(app: &TestApp, before: u64) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while app.changes.pages.count() == before {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the change was noticed within five seconds"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Books `start` for `client` with the visit type the calendar page `page` offers, as its
/// links would; fails the test unless the booking is taken.
async fn book_from_page(
    app: &TestApp,
    client: &Client,
    doctor: uuid::Uuid,
    page: &str,
    start: &str,
) {
    let visit_id = page
        .split("visit=")
        .nth(1)
        .and_then(|rest| rest.get(..36))
        .expect("the calendar names its visit type")
        .to_owned();
    let booked = app
        .call_with(
            client,
            "book_appointment",
            &[
                ("doctor_id", &doctor.to_string()),
                ("visit_type_id", &visit_id),
                ("start", start),
                ("reason", ""),
                ("note", ""),
                ("rescheduled_from", ""),
                ("patient_id", ""),
            ],
        )
        .await;
    assert!(
        booked.status().is_success() || booked.status() == StatusCode::FOUND,
        "booked: {}",
        booked.status()
    );
}

/// An app on a fresh database, its first demo doctor and that doctor's calendar page.
async fn demo_calendar() -> (TestApp, uuid::Uuid, String) {
    let app = spawn_app(test_pool().await).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    let url = app.url(&format!("/doctors/{doctor}"));
    (app, doctor, url)
}

#[tokio::test]
async fn a_visitor_gets_the_same_page_again_with_a_fresh_nonce_each_time() {
    let (_app, _, url) = demo_calendar().await;
    let visitor = new_client();
    let (_, first_nonce, first, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(!kept, "the first visit renders the page");
    let (_, second_nonce, second, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(kept, "the second is served the kept copy");
    let (_, third_nonce, third, _) = visit_kept(&visitor, &url, "ar").await;
    assert_ne!(first_nonce, second_nonce);
    assert_ne!(second_nonce, third_nonce);
    assert_eq!(first, second, "the kept copy is the page as rendered");
    assert_eq!(second, third);
    assert!(
        !free_starts(&first).is_empty(),
        "the demo doctor has free times"
    );

    // Each language is its own copy.
    let (english, _, _, kept) = visit_kept(&visitor, &url, "en-US,en;q=0.9").await;
    assert!(!kept, "English is rendered for itself");
    assert!(english.contains(r#"<html lang="en" dir="ltr""#));
    let (arabic, _, _) = visit(&visitor, &url, "ar").await;
    assert!(arabic.contains(r#"<html lang="ar" dir="rtl""#));
}

#[tokio::test]
async fn a_booking_takes_its_time_off_the_kept_calendar_at_once() {
    let (app, doctor, url) = demo_calendar().await;
    let visitor = new_client();
    let (_, _, before) = visit(&visitor, &url, "ar").await;
    let (_, _, again, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(kept);
    assert_eq!(before, again);
    let starts = free_starts(&before);
    let taken = starts[0].clone();

    let patient = as_role(&app, PATIENT_PHONE).await;
    book_from_page(&app, &patient, doctor, &before, &taken).await;
    let (_, _, after, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(!kept, "the booking changed the data: rendered again");
    let left = free_starts(&after);
    assert!(
        !left.contains(&taken),
        "the booked time is gone from the page"
    );
    assert!(left.len() < starts.len() || starts.len() == 1);
    let (_, _, kept_page, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(kept, "nothing changed since: the copy again");
    assert_eq!(kept_page, after);

    // A cancellation written behind the app's back (another server, or SQL by hand) reaches
    // this server as the database's notice; the time is offered again.
    assert!(app.changes.ready(std::time::Duration::from_secs(5)).await);
    let before = app.changes.pages.count();
    let cancelled = sqlx::query(
        "UPDATE appointments SET status = 'cancelled'
         WHERE doctor_id = $1 AND status <> 'cancelled' AND lower(during) = $2::timestamptz",
    )
    .bind(doctor)
    .bind(&taken)
    .execute(&app.pool)
    .await
    .expect("cancel in SQL");
    assert_eq!(cancelled.rows_affected(), 1, "the booking made above");
    noticed(&app, before).await;
    let (_, _, reopened, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(!kept, "the cancellation changed the data: rendered again");
    assert!(
        free_starts(&reopened).contains(&taken),
        "the cancelled time is offered again"
    );
}

/// A logged-in patient gets copies of their own (their name in the header), never a
/// visitor's; no visitor and no other patient ever gets theirs; staff are rendered each time.
#[tokio::test]
async fn a_logged_in_patient_gets_only_their_own_copy_and_nobody_else_theirs() {
    let app = spawn_app(test_pool().await).await;
    let visitor = new_client();
    let (home, _, _) = visit(&visitor, &app.url("/"), "ar").await;
    assert!(!home.contains("data-testid=\"current-user\""));
    let (_, _, again, kept) = visit_kept(&visitor, &app.url("/"), "ar").await;
    assert!(kept);
    assert!(!again.contains("data-testid=\"current-user\""));

    let patient = as_role(&app, PATIENT_PHONE).await;
    let (_, _, theirs, kept) = visit_kept(&patient, &app.url("/"), "ar").await;
    assert!(!kept, "a session is never served a visitor's copy");
    assert!(
        theirs.contains("data-testid=\"current-user\""),
        "the patient's own header"
    );
    assert!(theirs.contains("سارة"), "with the patient's name");
    let (_, _, again, kept) = visit_kept(&patient, &app.url("/"), "ar").await;
    assert!(kept, "the patient's own copy on the next visit");
    assert_eq!(again, theirs);

    let other = new_client();
    let registered = app
        .call_with(
            &other,
            "register",
            &registration("0551234567", "1234567897"),
        )
        .await;
    assert!(registered.status().is_success(), "{}", registered.status());
    let logged_in = app
        .call_with(
            &other,
            "login",
            &[
                ("identifier", "0551234567"),
                ("password", "a-strong-secret"),
            ],
        )
        .await;
    assert_eq!(logged_in.status(), StatusCode::OK);
    let (_, _, others, kept) = visit_kept(&other, &app.url("/"), "ar").await;
    assert!(!kept, "another patient never gets the first one's copy");
    assert!(others.contains("ليلى"), "their own name");
    assert!(!others.contains("سارة"), "not the first patient's");
    let (_, _, again, kept) = visit_kept(&other, &app.url("/"), "ar").await;
    assert!(kept);
    assert_eq!(again, others);

    let (after, _, _) = visit(&visitor, &app.url("/"), "ar").await;
    assert!(!after.contains("data-testid=\"current-user\""));
    assert!(!after.contains("سارة") && !after.contains("ليلى"));

    let doctor = as_role(&app, "0500000002").await;
    for _ in 0..2 {
        let (page, _, _, kept) = visit_kept(&doctor, &app.url("/"), "ar").await;
        assert!(!kept, "staff pages are rendered each time");
        assert!(page.contains("data-testid=\"current-user\""));
    }
}

/// A patient's copy is checked against their own data on every visit: a new family member
/// (which sends no notice at all) shows in the waitlist form at once, a new name in the header
/// once the account's notice is heard, and a session ended by log-out gets no copy.
#[tokio::test]
async fn a_patients_copy_follows_their_family_and_name_and_ends_with_their_session() {
    let (app, _, url) = demo_calendar().await;
    let patient = pinned_session_client(&app, PATIENT_PHONE).await;
    let (_, _, first, _) = visit_kept(&patient, &url, "ar").await;
    let (_, _, second, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(kept, "kept while nothing changed");
    assert_eq!(first, second);
    assert!(!second.contains("يوسف"), "no family yet");

    let added = app
        .call_with(
            &patient,
            "add_dependent",
            &crate::family::child_form(&crate::fixtures::national_id(7_011)),
        )
        .await;
    assert!(added.status().is_success(), "{}", added.status());
    let (_, _, with_child, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(!kept, "the family changed: rendered again");
    assert!(
        with_child.contains("يوسف"),
        "the child is offered in the waitlist form"
    );
    let (_, _, again, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(kept);
    assert_eq!(again, with_child);

    // Written behind the app's back.
    let before = app.changes.accounts.count();
    sqlx::query("UPDATE users SET first_name = 'نورة' WHERE phone = '+966500000006'")
        .execute(&app.pool)
        .await
        .expect("renamed");
    assert!(
        crate::device_check::notice_after(&app, before).await,
        "the rename is noticed"
    );
    let (_, _, renamed, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(!kept, "the header's name changed: rendered again");
    assert!(renamed.contains("نورة"));

    assert_eq!(
        app.call_with(&patient, "logout", &[]).await.status(),
        StatusCode::OK
    );
    let (after, _, _, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(!kept, "no copy for an ended session");
    assert!(!after.contains("data-testid=\"current-user\""));
    assert!(!after.contains("نورة"));
}

/// A logged-in patient's calendar (their name, their waitlist form) is their own copy while
/// its data is the same: a booking takes its time off at once, and each language and each
/// patient carried in the links (the desk books for someone) has a copy of its own.
#[tokio::test]
async fn a_logged_in_patients_calendar_follows_its_data_language_and_carried_patient() {
    let (app, doctor, url) = demo_calendar().await;
    let patient = as_role(&app, PATIENT_PHONE).await;
    let (_, _, first, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(!kept, "the first visit renders the page");
    let (_, _, second, kept) = visit_kept(&patient, &url, "ar").await;
    assert!(kept, "the next is the patient's copy");
    assert_eq!(first, second, "the same page but for the nonce");
    assert!(second.contains("سارة"), "the patient's own header");
    assert!(
        second.contains(r#"data-testid="waitlist""#),
        "the patient's own waitlist form"
    );
    assert!(second.contains("اختر الوقت"));
    let starts = free_starts(&second);
    assert!(!starts.is_empty(), "the demo doctor has free times");

    let carried = uuid::Uuid::new_v4();
    let (_, _, for_someone, _) = visit_kept(&patient, &format!("{url}?for={carried}"), "ar").await;
    assert!(
        for_someone.contains(&format!("&amp;for={carried}")),
        "the links carry the patient booked for"
    );
    let (_, _, plain, _) = visit_kept(&patient, &url, "ar").await;
    assert!(!plain.contains(&carried.to_string()), "and only there");
    assert_eq!(plain, second);

    let (english, _, _) = visit(&patient, &url, "en").await;
    assert!(english.contains("Choose a time"));
    assert!(!english.contains("اختر الوقت"), "no Arabic copy in English");
    assert_eq!(free_starts(&english), starts);

    let taken = starts[0].clone();
    book_from_page(&app, &patient, doctor, &second, &taken).await;
    let (_, _, after, _) = visit_kept(&patient, &url, "ar").await;
    assert!(
        !free_starts(&after).contains(&taken),
        "the booked time is gone from the patient's page at once"
    );
    let (english, _, _) = visit(&patient, &url, "en").await;
    assert!(!free_starts(&english).contains(&taken), "in English too");
}

#[tokio::test]
async fn an_unknown_doctor_is_still_not_found_and_nothing_is_kept() {
    let app = spawn_app(test_pool().await).await;
    let visitor = new_client();
    let url = app.url(&format!("/doctors/{}", uuid::Uuid::new_v4()));
    for _ in 0..2 {
        let response = visitor.get(&url).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(response.headers().get("x-page-cache").is_none());
    }
}

/// The doctor search is kept per address and language; a doctor renamed (written behind the
/// app's back) shows on the next visit, and a refused query is never kept.
#[tokio::test]
async fn the_doctor_search_is_kept_until_what_it_found_changes() {
    let app = spawn_app(test_pool().await).await;
    let visitor = new_client();
    let url = app.url("/doctors?q=%D8%B1%D9%8A%D9%85&specialty=&sex=");
    let (_, _, first, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(!kept, "nothing kept yet");
    let (_, _, second, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(kept, "the second visit is served from the copy");
    assert_eq!(first, second, "the same page but for the nonce");
    let (_, _, english, kept) = visit_kept(&visitor, &url, "en").await;
    assert!(!kept, "each language is its own copy");
    assert_ne!(english, second);

    let doctor: String = sqlx::query_scalar(
        "SELECT id::text FROM users WHERE role = 'doctor' AND first_name = 'ريم' LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a doctor named ريم");
    assert!(second.contains(&doctor));
    assert!(app.changes.ready(std::time::Duration::from_secs(5)).await);
    let before = app.changes.pages.count();
    sqlx::query("UPDATE users SET first_name = 'سلمى' WHERE id = $1::uuid")
        .bind(&doctor)
        .execute(&app.pool)
        .await
        .expect("rename");
    noticed(&app, before).await;
    let (_, _, after, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(!kept, "what the search found changed: rendered again");
    assert!(
        !after.contains(&doctor),
        "the renamed doctor no longer matches"
    );

    let refused = app.url(&format!("/doctors?q={}", "x".repeat(500)));
    for _ in 0..2 {
        let response = visitor.get(&refused).send().await.expect("sent");
        assert_ne!(
            response
                .headers()
                .get("x-page-cache")
                .map(|v| v.to_str().unwrap_or_default().to_owned()),
            Some("hit".to_owned()),
            "a refused query is rendered each time"
        );
    }
}

#[tokio::test]
async fn a_browser_that_takes_gzip_gets_the_kept_copy_gzipped_around_a_fresh_nonce() {
    use std::io::Read;
    let (_app, _, url) = demo_calendar().await;
    let visitor = new_client();
    let (_, _, rendered, kept) = visit_kept(&visitor, &url, "ar").await;
    assert!(!kept);
    let mut nonces = vec![];
    for _ in 0..2 {
        let response = visitor
            .get(&url)
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_LANGUAGE, "ar")
            .header(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["x-page-cache"], "hit");
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        assert_eq!(headers[header::VARY], "accept-encoding");
        let nonce = policy_nonce(&headers);
        let packed = response.bytes().await.expect("body");
        assert!(packed.len() * 3 < rendered.len(), "compressed");
        let mut page = String::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_string(&mut page)
            .expect("one valid gzip member, checksum and length included");
        assert!(page.contains(&format!("nonce=\"{nonce}\"")));
        assert_eq!(
            page.replace(&nonce, "NONCE"),
            rendered,
            "the kept page, byte for byte"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce each time");
}
