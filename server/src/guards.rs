//! Cross-cutting request rules: the same-origin check that makes every form CSRF-safe, and
//! the one place a server function's error becomes its HTTP status.

use app::kernel::error::AppError;
use app::kernel::state::AppState;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Refuses state-changing requests whose `Origin` (or, failing that, `Referer`) is not this
/// host. Browsers send `Origin` on every cross-site POST, so a forged form cannot pass.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_same_origin(req.headers(), state.config.trusts_forwarded_headers()) {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        "cross-site request refused"
    );
    error_response(&AppError::CrossSite)
}

fn is_same_origin(headers: &HeaderMap, trust_forwarded: bool) -> bool {
    let host = trust_forwarded
        .then(|| headers.get("x-forwarded-host"))
        .flatten()
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok());
    let Some(host) = host else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(source) = source else {
        return false;
    };
    source
        .parse::<http::Uri>()
        .ok()
        .and_then(|uri| {
            uri.authority()
                .map(|a| a.as_str().eq_ignore_ascii_case(host))
        })
        .unwrap_or(false)
}

/// Server functions answer every error with 500; the error itself knows its real status.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => return error_response(&AppError::Internal),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(seconds) = error.retry_after() {
            parts.headers.insert(header::RETRY_AFTER, seconds.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Bounds every request body: `MAX_FORM_BYTES` for forms, the attachment limit (and room for
/// the form around the file) for the upload. A body announced as larger is refused at once
/// with 413; one that grows past the limit while it is read fails its reader.
pub async fn body_limit(State(max_upload): State<usize>, req: Request, next: Next) -> Response {
    use server_fn::ServerFn as _;
    let upload = req.uri().path() == app::records::api::attachments::UploadAttachment::PATH;
    let limit = if upload {
        max_upload.saturating_add(crate::MAX_FORM_BYTES)
    } else {
        crate::MAX_FORM_BYTES
    };
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        let error = if upload {
            AppError::field("att_file", "err-attachment-too-large")
        } else {
            AppError::BadRequest
        };
        let mut response = error_response(&error);
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    }
    // The upload's decoder insists on a multipart boundary (and panics without one): anything
    // else sent there is a malformed request, answered before it gets that far.
    if upload
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|ct| multer::parse_boundary(ct).is_err())
    {
        return error_response(&AppError::BadRequest);
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// The logged-in caller of a plain route (a file download) and their address; 401 without a
/// session.
pub async fn route_user(
    state: &AppState,
    session: &tower_sessions::Session,
    parts: &axum::http::request::Parts,
) -> Result<(app::kernel::auth::CurrentUser, Option<std::net::IpAddr>), AppError> {
    use app::kernel::auth::request::{client_ip, user_from_session};
    let ip = client_ip(parts, state.config.trusted_proxy_hops);
    let user = user_from_session(state, session, ip)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((user, ip))
}

pub fn error_response(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(error)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_host_origin_or_referer_passes() {
        assert!(is_same_origin(
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ]),
            false
        ));
        assert!(is_same_origin(
            &headers(&[
                ("host", "clinic.sa"),
                ("referer", "https://clinic.sa/login?x=1")
            ]),
            false
        ));
    }

    #[test]
    fn foreign_null_or_missing_origin_is_refused() {
        assert!(!is_same_origin(
            &headers(&[("host", "clinic.sa"), ("origin", "https://evil.example")]),
            false
        ));
        assert!(!is_same_origin(
            &headers(&[("host", "clinic.sa"), ("origin", "null")]),
            false
        ));
        assert!(!is_same_origin(&headers(&[("host", "clinic.sa")]), false));
        // A look-alike host that merely starts with ours.
        assert!(!is_same_origin(
            &headers(&[
                ("host", "clinic.sa"),
                ("origin", "https://clinic.sa.evil.example")
            ]),
            false
        ));
    }

    #[test]
    fn forwarded_host_counts_only_when_trusted() {
        let h = headers(&[
            ("host", "10.0.0.5:3000"),
            ("x-forwarded-host", "clinic.sa"),
            ("origin", "https://clinic.sa"),
        ]);
        assert!(is_same_origin(&h, true));
        assert!(!is_same_origin(&h, false));
    }
}
