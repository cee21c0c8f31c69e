//! The HTTP server: routes, layers and start-up pieces. `main.rs` only wires them together, and
//! the integration tests build the very same router.

pub mod assets;
pub mod attachment_file;
pub mod audit_chain;
pub mod calendar_file;
pub mod change_feed;
pub mod database;
pub mod embedded_pg;
pub mod embedded_s3;
pub mod files;
pub mod guards;
pub mod headers;
pub mod health;
pub mod holiday_clock;
pub mod page_cache;
pub mod telemetry;
pub mod waitlist_clock;
pub mod whatsapp_webhook;

use app::kernel::state::AppState;
use app::shell;
use app::App;
use axum::{middleware, routing::get, Router};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::{
        predicate::{NotForContentType, Predicate},
        CompressionLayer, DefaultPredicate,
    },
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    trace::TraceLayer,
    CompressionLevel,
};
use tower_sessions::{
    cookie::SameSite, session_store::ExpiredDeletion, CachingSessionStore, SessionManagerLayer,
};
use tower_sessions_moka_store::MokaStore;
use tower_sessions_sqlx_store::PostgresStore;

// Rendering a page allocates and frees many small values; mimalloc does that with less
// contention between the worker threads than the system allocator. Declared in the library so
// the benchmarks and tests that build this router run on the allocator the server runs on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sessions kept in memory, the most recently used first; a few hundred bytes each.
const KEPT_SESSIONS: u64 = 50_000;

/// The largest request body any form sends (a booking note is 1,000 characters).
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// Builds the whole application, on a database `database::prepare` made ready.
pub async fn build_router(mut state: AppState) -> Result<Router, sqlx::Error> {
    let pkg_dir = std::path::Path::new(state.leptos_options.site_root.as_ref())
        .join(state.leptos_options.site_pkg_dir.as_ref());
    let fingerprint = assets::fingerprint(state.leptos_options_mut(), &pkg_dir);
    // A test may hand in the feed to watch it; otherwise the router makes its own.
    let changes = state
        .feature::<std::sync::Arc<change_feed::ChangeFeed>>()
        .cloned()
        .unwrap_or_default();
    changes.spawn(state.pool.clone());
    // Likewise the devices known to be logged in: a test may hand in some trusted against a
    // count of its own.
    if app::kernel::auth::known::KnownDevices::of(&state).is_none() {
        state = state.with(std::sync::Arc::new(
            app::kernel::auth::known::KnownDevices::new(changes.accounts.clone()),
        ));
    }
    if state.config.page_cache {
        state = state.with(std::sync::Arc::new(page_cache::PageCache::new(
            changes.pages.clone(),
        )));
    }
    let store = PostgresStore::new(state.pool.clone());
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(300)),
    );
    // Every page a logged-in user opens loads their session; kept in memory after the first
    // load, that is one query less per page. Safe with several servers: a session ended on
    // another (log-out, a password change, "end my other sessions") ends its device row, which
    // every request checks (`kernel::auth::request::user_from_session`; the answer is kept
    // only until the database's notice of such a change, `kernel::auth::known`), and a copy is
    // dropped at the expiry it was loaded with, so a stale one is read again.
    let store = CachingSessionStore::new(MokaStore::new(Some(KEPT_SESSIONS)), store);
    let sessions = SessionManagerLayer::new(store)
        .with_name(page_cache::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies);

    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    let site = std::path::PathBuf::from(leptos_options.site_root.as_ref());
    // The layers wrap the whole router once. Added with `Router::layer`, each layer wraps every
    // route on its own, and a request then clones the route's whole stack of layers and their
    // state once per layer (measured: about 50 clones of the page handler per page request).
    let browser = Router::new()
        .route("/api/health", get(health::health))
        .route(
            "/appointments/{id}/calendar.ics",
            get(calendar_file::appointment_ics),
        )
        .route("/attachments/{id}", get(attachment_file::attachment))
        .route("/i18n/{file}", get(assets::error_messages))
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(
                    fingerprint,
                    assets::hashed_names,
                ))
                .service(static_files(pkg_dir)),
        )
        .nest_service(
            "/fonts",
            tower::ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(None, assets::hashed_names))
                .service(static_files(site.join("fonts"))),
        )
        .leptos_routes(&state, routes, move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state.clone());
    // Outermost first.
    let browser = tower::ServiceBuilder::new()
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guards::same_origin,
        ))
        // Every form is small; a larger body is refused with 413 before it is read. The one
        // upload form gets the attachment limit instead.
        .layer(middleware::from_fn_with_state(
            state.config.max_upload_bytes,
            guards::body_limit,
        ))
        .layer(middleware::from_fn(guards::server_fn_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
        .service(browser);
    let everything = Router::new()
        // A provider's calls, authenticated by their signature: outside the browser's layers.
        .route(
            "/webhooks/whatsapp",
            get(whatsapp_webhook::verify)
                .post(whatsapp_webhook::receive)
                .layer(axum::extract::DefaultBodyLimit::max(256 * 1024)),
        )
        .fallback_service(browser)
        .with_state(state.clone());
    let everything = tower::ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(telemetry::request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        // Pages and server-function answers compressed for clients that accept it; static files
        // come precompressed from the build and are not compressed again.
        // Level 4: brotli's default (11) is meant for files compressed once at build time and
        // cost a third of the throughput on pages; at 4 a page still shrinks to under half.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("font/"))),
        )
        .layer(middleware::from_fn_with_state(
            state,
            headers::security_headers,
        ))
        .service(everything);
    Ok(Router::new().fallback_service(everything))
}

type StaticFiles = tower_http::set_header::SetResponseHeader<ServeDir, axum::http::HeaderValue>;

/// The bundle, styles and fonts: the build's brotli and gzip files when the client accepts
/// them, chosen per request (hence `Vary`). How long a browser may keep them is decided in
/// `assets::hashed_names`.
fn static_files(dir: std::path::PathBuf) -> StaticFiles {
    use axum::http::{header, HeaderValue};
    use tower_http::set_header::SetResponseHeader;
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    SetResponseHeader::appending(
        files,
        header::VARY,
        HeaderValue::from_static("accept-encoding"),
    )
}
