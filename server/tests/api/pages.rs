use crate::db::test_pool;
use crate::helpers::*;
use reqwest::{header, StatusCode};

#[tokio::test]
async fn pages_are_arabic_rtl_by_default() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(
        html.contains(r#"<html lang="ar" dir="rtl""#),
        "{}",
        &html[..200.min(html.len())]
    );
    assert!(html.contains("عيادات مُعين"), "clinic name in the header");
}

#[tokio::test]
async fn english_comes_from_the_cookie_or_accept_language() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let by_header = app
        .client
        .get(app.url("/login"))
        .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
        .send()
        .await
        .expect("sent");
    let html = by_header.text().await.expect("html");
    assert!(html.contains(r#"<html lang="en" dir="ltr""#));
    assert!(html.contains("Log in"));

    let switch = app
        .client
        .post(app.url("/api/set_locale"))
        .header(header::ORIGIN, app.url(""))
        .header(header::REFERER, app.url("/login"))
        .header(header::ACCEPT, "text/html")
        .form(&[("lang", "en")])
        .send()
        .await
        .expect("sent");
    assert_eq!(
        switch.status(),
        StatusCode::FOUND,
        "a plain form post returns to the page"
    );
    // Leptos strips error parameters from the Referer and may leave an empty query behind.
    let location = switch.headers()[header::LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(location.trim_end_matches('?'), app.url("/login"));
    let html = app.get("/login").await.text().await.expect("html");
    assert!(html.contains(r#"<html lang="en" dir="ltr""#));
}

#[tokio::test]
async fn unknown_pages_are_404_in_the_users_language() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response
        .text()
        .await
        .expect("html")
        .contains("الصفحة غير موجودة"));
}

#[tokio::test]
async fn a_patient_opening_an_admin_page_gets_403() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let response = app.get("/admin/staff").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.expect("html").contains("غير مسموح"));
}

#[tokio::test]
async fn protected_pages_send_strangers_to_login() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let response = app.get("/me").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[header::LOCATION], "/login");
}

#[tokio::test]
async fn forms_work_without_javascript() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let plain_post = |form: Vec<(&'static str, String)>| {
        app.client
            .post(app.url("/api/login"))
            .header(header::ORIGIN, app.url(""))
            .header(header::REFERER, app.url("/login"))
            .header(header::ACCEPT, "text/html")
            .form(&form)
            .send()
    };
    let wrong = plain_post(vec![
        ("identifier", PATIENT_PHONE.into()),
        ("password", "bad-password".into()),
    ])
    .await
    .expect("sent");
    assert_eq!(wrong.status(), StatusCode::FOUND);
    let back = wrong.headers()[header::LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        back.contains("__err="),
        "error travels back in the URL: {back}"
    );
    let page = app
        .client
        .get(&back)
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .expect("sent");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("كلمة المرور غير صحيحة"),
        "the error is rendered on the page"
    );

    let ok = plain_post(vec![
        ("identifier", PATIENT_PHONE.into()),
        ("password", DEMO_PASSWORD.into()),
    ])
    .await
    .expect("sent");
    assert_eq!(ok.status(), StatusCode::FOUND);
    assert_eq!(ok.headers()[header::LOCATION], "/me");
}

/// The form enhancer's address for its messages, as a page's island names it.
fn messages_address(html: &str) -> String {
    let props = html
        .split(r#"data-component="FormEnhancer"#)
        .nth(1)
        .and_then(|rest| rest.split(r#"data-props=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries the form enhancer");
    let props: serde_json::Value =
        serde_json::from_str(&props.replace("&quot;", "\"").replace("&amp;", "&"))
            .expect("its props are JSON");
    assert_eq!(
        props.as_object().map(|o| o.len()),
        Some(1),
        "only the address: {props}"
    );
    props["messages_at"]
        .as_str()
        .expect("an address")
        .to_owned()
}

#[tokio::test]
async fn a_form_page_names_its_messages_file_which_browsers_keep_for_good() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let arabic = app.get("/login").await.text().await.expect("html");
    let english = app
        .client
        .get(app.url("/login"))
        .header(header::ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    let (ar, en) = (messages_address(&arabic), messages_address(&english));
    assert_ne!(ar, en);
    assert!(
        !arabic.contains("أدخل رقم جوال"),
        "the messages are not in the page"
    );
    for (address, phone_message) in [(&ar, "جوال"), (&en, "mobile")] {
        let file = app.get(address).await;
        assert_eq!(file.status(), StatusCode::OK, "{address}");
        assert_eq!(
            file.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert!(file.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("application/json"));
        let messages: std::collections::HashMap<String, String> =
            file.json().await.expect("a table of messages");
        assert!(messages.len() > 100, "{}", messages.len());
        assert!(
            messages["err-phone-invalid"].contains(phone_message),
            "{address}: {}",
            messages["err-phone-invalid"]
        );
    }
    let unknown = app.get("/i18n/errors-ar-0000000000000000.json").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
