//! `/webhooks/whatsapp`: WhatsApp's calls to us, not a browser's, so it sits outside the
//! session, same-origin and page layers; the signature is the authentication. Not found while
//! WhatsApp is not configured.

use app::kernel::state::AppState;
use axum::{
    body::Bytes,
    extract::{ConnectInfo, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use std::collections::HashMap;
use std::net::SocketAddr;

/// The GET handshake: `hub.challenge` back when the verify token matches.
pub async fn verify(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(wa) = &state.config.whatsapp else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let token_ok = query.get("hub.verify_token").is_some_and(|t| {
        app::notifications::one_tap::token::same_mac(t.as_bytes(), wa.verify_token.0.as_bytes())
    });
    match (
        query.get("hub.mode").map(String::as_str),
        token_ok,
        query.get("hub.challenge"),
    ) {
        (Some("subscribe"), true, Some(challenge)) => challenge.clone().into_response(),
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}

/// A delivery: refused with 401 unless signed with the app secret; otherwise applied and
/// acknowledged (a 200 even for events we do not use, so the provider does not resend them).
pub async fn receive(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(wa) = &state.config.whatsapp else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !app::notifications::whatsapp::signature_valid(&wa.app_secret.0, &body, signature) {
        tracing::warn!(peer = %peer.ip(), "WhatsApp webhook with a bad signature refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let keys = state
        .feature::<std::sync::Arc<app::kernel::crypto::Keyring>>()
        .cloned();
    match app::notifications::whatsapp::apply(&state.pool, keys.as_deref(), &body, Some(peer.ip()))
        .await
    {
        Ok(applied) => {
            tracing::info!(?applied, "WhatsApp webhook applied");
            StatusCode::OK.into_response()
        }
        Err(app::kernel::service_error::ServiceError::Refused(_)) => {
            StatusCode::BAD_REQUEST.into_response()
        }
        Err(err) => {
            tracing::error!(error = ?err, "WhatsApp webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
