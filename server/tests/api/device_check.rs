//! Who a logged-in device belongs to is kept in each server for a moment
//! (`app::kernel::auth::known`): these check that an ended session or a changed account is
//! never served from what was kept, whether this server made the change, another did, or
//! someone changed the database by hand.

use crate::db::{owner_pool, test_pool};
use crate::helpers::*;
use app::kernel::auth::known::KnownDevices;
use app::kernel::changes::ChangeCount;
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::Duration;

/// Waits (at most five seconds) until `app` has heard an account notice after `before`.
pub async fn notice_after(app: &TestApp, before: u64) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while app.changes.accounts.count() == before {
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    true
}

/// An app that trusts what it keeps against a count no notice ever moves: only its own writes
/// can tell it that a session ended.
async fn spawn_app_without_notices(pool: sqlx::PgPool) -> TestApp {
    let count = Arc::new(ChangeCount::default());
    count.heard();
    spawn_app_extended(
        pool,
        |_| {},
        "target/site",
        move |state| state.with(Arc::new(KnownDevices::new(count))),
    )
    .await
}

async fn profile(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    app.call_with(client, "my_profile", &[]).await.status()
}

#[tokio::test]
async fn a_password_change_here_ends_the_other_sessions_before_any_notice() {
    let app = spawn_app_without_notices(test_pool().await).await;
    crate::hardening::password_change_ends_the_other_sessions(&app).await;
}

#[tokio::test]
async fn ending_the_other_sessions_here_is_seen_before_any_notice() {
    let app = spawn_app_without_notices(test_pool().await).await;
    let phone = as_role(&app, PATIENT_PHONE).await;
    let laptop = as_role(&app, PATIENT_PHONE).await;
    assert_eq!(profile(&app, &phone).await, StatusCode::OK);
    let ended = app.call_with(&laptop, "end_other_sessions", &[]).await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(profile(&app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(profile(&app, &laptop).await, StatusCode::OK);
}

#[tokio::test]
async fn an_account_deactivated_by_hand_is_refused_once_the_notice_arrives() {
    let pool = test_pool().await;
    let app = spawn_app(pool.clone()).await;
    assert!(app.changes.ready(Duration::from_secs(5)).await);
    let patient = as_role(&app, PATIENT_PHONE).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    assert_eq!(profile(&app, &patient).await, StatusCode::OK);
    assert_eq!(
        app.call_with(&admin, "my_sessions", &[]).await.status(),
        StatusCode::OK
    );
    let before = app.changes.accounts.count();
    let owner = owner_pool(&pool).await;
    sqlx::query("UPDATE users SET is_active = false WHERE phone = '+966500000006'")
        .execute(&owner)
        .await
        .expect("deactivate");
    assert!(notice_after(&app, before).await, "the notice arrives");
    assert_eq!(profile(&app, &patient).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.call_with(&admin, "my_sessions", &[]).await.status(),
        StatusCode::OK,
        "another account is untouched"
    );
}

/// The triggers notify for what can end a device's session or change who it is, and stay
/// quiet for what every request writes (the session's last-seen time). Notices arrive in
/// commit order, so the first one heard after a quiet write belongs to the next write.
#[tokio::test]
async fn only_ended_sessions_and_changed_accounts_notify() {
    let pool = test_pool().await;
    let app = spawn_app(pool.clone()).await;
    as_role(&app, PATIENT_PHONE).await;
    let owner = owner_pool(&pool).await;
    // A pool of its own: the listener keeps its connection.
    let mut listener = sqlx::postgres::PgListener::connect_with(&owner_pool(&pool).await)
        .await
        .expect("listener");
    listener
        .listen(server::change_feed::ACCOUNTS_CHANNEL)
        .await
        .expect("listen");
    assert_eq!(
        next_notice(
            &mut listener,
            &owner,
            "UPDATE user_sessions SET last_seen = now(), ip = '10.0.0.1'",
            "UPDATE users SET latin_name = 'Sara' WHERE phone = '+966500000006'",
        )
        .await,
        "users"
    );
    assert_eq!(
        next_notice(
            &mut listener,
            &owner,
            "UPDATE users SET updated_at = now(), password_hash = password_hash",
            "UPDATE user_sessions SET ended_at = now()",
        )
        .await,
        "user_sessions"
    );
    assert_eq!(
        next_notice(
            &mut listener,
            &owner,
            "UPDATE user_sessions SET last_seen = now()",
            "UPDATE users SET is_active = false WHERE phone = '+966500000006'",
        )
        .await,
        "users"
    );
}

/// Runs `quiet`, then `loud`, and answers the payload of the first notice heard after both.
async fn next_notice(
    listener: &mut sqlx::postgres::PgListener,
    db: &sqlx::PgPool,
    quiet: &str,
    loud: &str,
) -> String {
    for statement in [quiet, loud] {
        sqlx::query(statement).execute(db).await.expect(statement);
    }
    tokio::time::timeout(Duration::from_secs(5), listener.recv())
        .await
        .expect("a notice within five seconds")
        .expect("a notice")
        .payload()
        .to_owned()
}
