//! The request a server function serves: its session, the logged-in user, the client address.

use crate::kernel::auth::CurrentUser;
use crate::kernel::error::AppError;
use crate::kernel::state::AppState;
use crate::kernel::values::Role;
use leptos::prelude::*;
use std::net::IpAddr;
use tower_sessions::{Expiry, Session};
use uuid::Uuid;

const USER_ID_KEY: &str = "user_id";

/// Everything a server function needs from its request, captured synchronously before the
/// first `.await` so nothing depends on reactive context surviving across suspension points.
#[derive(Clone)]
pub struct RequestCtx {
    pub state: AppState,
    pub session: Session,
    pub ip: Option<IpAddr>,
    pub path: String,
}

impl RequestCtx {
    pub fn current() -> Result<Self, AppError> {
        let state = use_context::<AppState>()
            .ok_or_else(|| crate::kernel::error::internal("app state", "missing from context"))?;
        let parts = use_context::<http::request::Parts>().ok_or_else(|| {
            crate::kernel::error::internal("request parts", "missing from context")
        })?;
        let session =
            parts.extensions.get::<Session>().cloned().ok_or_else(|| {
                crate::kernel::error::internal("session", "session layer missing")
            })?;
        let ip = client_ip(&parts, state.config.trusted_proxy_hops);
        Ok(Self {
            state,
            session,
            ip,
            path: parts.uri.path().to_owned(),
        })
    }

    pub fn pool(&self) -> &sqlx::PgPool {
        &self.state.pool
    }

    pub async fn current_user(&self) -> Result<Option<CurrentUser>, AppError> {
        user_from_session(self.pool(), &self.session).await
    }

    /// Starts a fresh session for `user_id`: a new id defeats session fixation, and staff
    /// sessions expire sooner because their screens hold other people's records.
    pub async fn start_session(&self, user_id: Uuid, role: Role) -> Result<(), AppError> {
        self.session
            .cycle_id()
            .await
            .map_err(|e| crate::kernel::error::internal("session cycle", e))?;
        self.session
            .insert(USER_ID_KEY, user_id)
            .await
            .map_err(|e| crate::kernel::error::internal("session write", e))?;
        let minutes = if role.is_staff() {
            self.state.config.staff_idle_minutes
        } else {
            self.state.config.patient_idle_minutes
        };
        self.session
            .set_expiry(Some(Expiry::OnInactivity(time::Duration::minutes(minutes))));
        Ok(())
    }

    pub async fn end_session(&self) -> Result<(), AppError> {
        self.session
            .flush()
            .await
            .map_err(|e| crate::kernel::error::internal("session flush", e))
    }
}

/// The logged-in user of a session, if the account is still active.
pub async fn user_from_session(
    pool: &sqlx::PgPool,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let user_id: Option<Uuid> = session
        .get(USER_ID_KEY)
        .await
        .map_err(|e| crate::kernel::error::internal("session read", e))?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let user = crate::kernel::auth::db::active_user(pool, user_id).await?;
    if user.is_none() {
        // The account was deactivated or deleted since log-in.
        session
            .flush()
            .await
            .map_err(|e| crate::kernel::error::internal("session flush", e))?;
    }
    Ok(user)
}

/// The client's address: the socket peer, or — behind `trusted_hops` proxies — the address the
/// outermost trusted proxy saw.
pub fn client_ip(parts: &http::request::Parts, trusted_hops: u8) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    forwarded_client(forwarded, trusted_hops, peer)
}

/// Each proxy appends the address it received the request from, so the client chooses every
/// entry left of what our own proxies wrote: with `hops` trusted proxies the client is the
/// `hops`-th entry from the right, never the leftmost. A header shorter than that did not come
/// through all of our proxies, and the peer address is used.
pub fn forwarded_client(header: Option<&str>, hops: u8, peer: Option<IpAddr>) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = header
        .map(|h| h.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let hops = usize::from(hops);
    if entries.len() < hops {
        return peer;
    }
    entries[entries.len() - hops].parse().ok().or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn the_client_cannot_choose_its_address_by_prepending_to_x_forwarded_for() {
        let proxy = ip("10.0.0.2");
        // The client sent "6.6.6.6"; our one proxy appended the address it really saw.
        let header = Some("6.6.6.6, 203.0.113.7");
        assert_eq!(forwarded_client(header, 1, proxy), ip("203.0.113.7"));
        // Two proxies: the second from the right is what the outer proxy saw.
        let header = Some("6.6.6.6, 203.0.113.7, 10.0.0.1");
        assert_eq!(forwarded_client(header, 2, proxy), ip("203.0.113.7"));
    }

    #[test]
    fn without_trusted_proxies_or_a_full_header_the_peer_is_the_client() {
        let peer = ip("198.51.100.4");
        assert_eq!(forwarded_client(Some("6.6.6.6"), 0, peer), peer);
        assert_eq!(forwarded_client(None, 1, peer), peer);
        assert_eq!(forwarded_client(Some("203.0.113.7"), 2, peer), peer);
        assert_eq!(forwarded_client(Some("not-an-ip"), 1, peer), peer);
    }
}
