//! Security headers on every response: no framing, no MIME sniffing, no referrer to other
//! sites, no powerful browser features, HSTS when served over TLS, and `private, no-store` on anything
//! that is not a static asset, since pages and server functions may carry patient data.
//! Rendered pages carry their own Content-Security-Policy with the response's script nonce
//! (`app::kernel::ui::csp`); every other response gets the strict one here.

use app::kernel::state::AppState;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// For responses that are not pages (server functions, files, errors): nothing may run.
const CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; style-src 'self'; img-src 'self'; font-src 'self'";
const PERMISSIONS: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/fonts/")
        || path.starts_with(app::kernel::i18n::MESSAGES_DIR)
        || path == "/favicon.svg"
}

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let asset = is_static_asset(req.uri().path());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(
        headers,
        header::HeaderName::from_static("permissions-policy"),
        PERMISSIONS,
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    }
    if state.config.secure_cookies {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if !asset {
        set(headers, header::CACHE_CONTROL, "private, no-store");
    }
    response
}
