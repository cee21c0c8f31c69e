//! The request a server function serves: its session, the logged-in user, the client address.

use crate::kernel::auth::known::KnownDevices;
use crate::kernel::auth::CurrentUser;
use crate::kernel::config::Config;
use crate::kernel::error::AppError;
use crate::kernel::state::AppState;
use crate::kernel::values::Role;
use leptos::prelude::*;
use std::net::IpAddr;
use tower_sessions::{Expiry, Session};
use uuid::Uuid;

const USER_ID_KEY: &str = "user_id";
/// When the session started (unix seconds), for its absolute lifetime.
const STARTED_KEY: &str = "started_at";
/// When the session's idle deadline was last moved (unix seconds).
const TOUCHED_KEY: &str = "touched_at";
/// This log-in's row in `user_sessions`, which another device can end.
const DEVICE_KEY: &str = "device";
/// Longer user-agent strings are cut; they are shown, never parsed.
const MAX_USER_AGENT: usize = 300;

/// The logged-in user as this page's render first found them. A page asks more than once (the
/// frame, then server functions of the page such as the family a patient may book for), and
/// each answer is the same database check; the page's root (`crate::shell`) provides one of
/// these, so the check runs once per page. A server function called on its own (a form post)
/// has none and checks once anyway.
#[derive(Clone, Default)]
pub struct UserOnce(std::sync::Arc<tokio::sync::Mutex<Option<Option<CurrentUser>>>>);

/// Everything a server function needs from its request, captured synchronously before the
/// first `.await` so nothing depends on reactive context surviving across suspension points.
#[derive(Clone)]
pub struct RequestCtx {
    pub state: AppState,
    pub session: Session,
    pub ip: Option<IpAddr>,
    pub path: String,
    pub user_agent: String,
    user_once: Option<UserOnce>,
}

impl RequestCtx {
    pub fn current() -> Result<Self, AppError> {
        let state = use_context::<AppState>()
            .ok_or_else(|| crate::kernel::error::internal("app state", "missing from context"))?;
        // Read in place: `use_context` would copy the request's headers and extensions.
        let read = with_context::<http::request::Parts, _>(|parts| {
            let session = parts.extensions.get::<Session>().cloned();
            let ip = client_ip(parts, state.config.trusted_proxy_hops);
            let user_agent: String = parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_USER_AGENT)
                .collect();
            (session, ip, user_agent, parts.uri.path().to_owned())
        })
        .ok_or_else(|| crate::kernel::error::internal("request parts", "missing from context"))?;
        let (session, ip, user_agent, path) = read;
        let session = session
            .ok_or_else(|| crate::kernel::error::internal("session", "session layer missing"))?;
        Ok(Self {
            state,
            session,
            ip,
            path,
            user_agent,
            user_once: use_context::<UserOnce>(),
        })
    }

    /// A request served outside a page's render (a plain axum handler, such as the
    /// benchmarks' handlers that run a page's queries without Leptos): the same checks, with
    /// the user looked up once for the request, as a page's render does.
    pub fn new(state: AppState, session: Session, ip: Option<IpAddr>, path: &str) -> Self {
        Self {
            state,
            session,
            ip,
            path: path.to_owned(),
            user_agent: String::new(),
            user_once: Some(UserOnce::default()),
        }
    }

    pub fn pool(&self) -> &sqlx::PgPool {
        &self.state.pool
    }

    /// The data keys the record's free text is sealed with, registered by the server.
    pub fn keys(&self) -> Result<std::sync::Arc<crate::kernel::crypto::Keyring>, AppError> {
        self.state
            .feature::<std::sync::Arc<crate::kernel::crypto::Keyring>>()
            .cloned()
            .ok_or_else(|| {
                crate::kernel::error::internal("data keys", "missing from the app state")
            })
    }

    /// The site's own address for links that leave the browser (a printed QR code): the
    /// configured public URL, else this request's host. A host with anything but the
    /// characters of a host name and port is refused rather than printed.
    pub fn site_url(&self) -> Result<String, AppError> {
        if let Some(url) = &self.state.config.public_url {
            return Ok(url.clone());
        }
        let forwarded = self.state.config.trusts_forwarded_headers();
        let host = with_context::<http::request::Parts, _>(|parts| {
            forwarded
                .then(|| parts.headers.get("x-forwarded-host"))
                .flatten()
                .or_else(|| parts.headers.get(http::header::HOST))
                .and_then(|v| v.to_str().ok())
                .filter(|h| {
                    !h.is_empty()
                        && h.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
                })
                .map(str::to_owned)
        })
        .ok_or_else(|| crate::kernel::error::internal("request parts", "missing from context"))?
        .ok_or(AppError::BadRequest)?;
        let scheme = if self.state.config.secure_cookies {
            "https"
        } else {
            "http"
        };
        Ok(format!("{scheme}://{host}"))
    }

    pub async fn current_user(&self) -> Result<Option<CurrentUser>, AppError> {
        let Some(once) = &self.user_once else {
            return user_from_session(&self.state, &self.session, self.ip).await;
        };
        // Held while checking, so parts of the page asking at once wait for the one answer.
        let mut found = once.0.lock().await;
        if let Some(user) = found.as_ref() {
            return Ok(user.clone());
        }
        let user = user_from_session(&self.state, &self.session, self.ip).await?;
        *found = Some(user.clone());
        Ok(user)
    }

    /// Forgets the user found earlier in this request: the session now names another.
    async fn forget_user(&self) {
        if let Some(once) = &self.user_once {
            *once.0.lock().await = None;
        }
    }

    /// A session was ended or an account changed (and committed): what this server knew of
    /// logged-in devices is asked again, before the database's notice arrives.
    pub fn accounts_changed(&self) {
        if let Some(known) = KnownDevices::of(&self.state) {
            known.changed();
        }
    }

    /// This log-in's device id, while logged in.
    pub async fn device(&self) -> Result<Option<Uuid>, AppError> {
        self.session
            .get(DEVICE_KEY)
            .await
            .map_err(|e| crate::kernel::error::internal("session read", e))
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
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        for key in [STARTED_KEY, TOUCHED_KEY] {
            self.session
                .insert(key, now)
                .await
                .map_err(|e| crate::kernel::error::internal("session write", e))?;
        }
        let device = Uuid::new_v4();
        crate::kernel::auth::db::open_device(
            self.pool(),
            device,
            user_id,
            &self.user_agent,
            self.ip,
        )
        .await?;
        self.session
            .insert(DEVICE_KEY, device)
            .await
            .map_err(|e| crate::kernel::error::internal("session write", e))?;
        let limits = SessionLimits::for_role(&self.state.config, role);
        self.session.set_expiry(Some(limits.expiry()));
        self.forget_user().await;
        Ok(())
    }

    pub async fn end_session(&self) -> Result<(), AppError> {
        if let Some(device) = self.device().await? {
            crate::kernel::auth::db::end_device(self.pool(), device).await?;
            self.accounts_changed();
        }
        self.session
            .flush()
            .await
            .map_err(|e| crate::kernel::error::internal("session flush", e))?;
        self.forget_user().await;
        Ok(())
    }
}

/// How long a session of one role lives: idle, and at most in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle_secs: i64,
    pub max_secs: i64,
}

impl SessionLimits {
    /// Staff sessions expire sooner because their screens hold other people's records.
    pub fn for_role(config: &Config, role: Role) -> Self {
        let (idle_minutes, max_hours) = if role.is_staff() {
            (config.staff_idle_minutes, config.staff_session_max_hours)
        } else {
            (
                config.patient_idle_minutes,
                config.patient_session_max_hours,
            )
        };
        Self {
            idle_secs: idle_minutes.saturating_mul(60),
            max_secs: max_hours.saturating_mul(3600),
        }
    }

    fn expiry(self) -> Expiry {
        Expiry::OnInactivity(time::Duration::seconds(self.idle_secs))
    }

    /// The idle deadline moves at most this often, so a busy screen does not write its session
    /// on every request: a thirtieth of the idle time (a minute for a 30-minute timeout).
    fn touch_every(self) -> i64 {
        (self.idle_secs / 30).max(1)
    }
}

/// What a request does with its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionVerdict {
    /// Past its absolute lifetime: logged out, however active.
    Expired,
    /// Move the idle deadline (the session is written once).
    Touch,
    /// Leave it as it is (nothing written).
    Fresh,
}

pub fn session_verdict(
    now: i64,
    started: Option<i64>,
    touched: Option<i64>,
    limits: SessionLimits,
) -> SessionVerdict {
    match (started, touched) {
        (Some(started), _) if now - started > limits.max_secs => SessionVerdict::Expired,
        // A session from before these keys existed starts counting now.
        (None, _) | (_, None) => SessionVerdict::Touch,
        (_, Some(touched)) if now - touched >= limits.touch_every() => SessionVerdict::Touch,
        _ => SessionVerdict::Fresh,
    }
}

/// The logged-in user of a session, if the account is still active, the device's session was
/// not ended elsewhere (a password change, "log out other sessions") and the session is within
/// its limits. Activity slides the idle deadline (written at most every `touch_every`).
pub async fn user_from_session(
    state: &AppState,
    session: &Session,
    ip: Option<IpAddr>,
) -> Result<Option<CurrentUser>, AppError> {
    let (pool, config) = (&state.pool, &state.config);
    let read = |e| crate::kernel::error::internal("session read", e);
    let write = |e| crate::kernel::error::internal("session write", e);
    let user_id: Option<Uuid> = session.get(USER_ID_KEY).await.map_err(read)?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let device: Option<Uuid> = session.get(DEVICE_KEY).await.map_err(read)?;
    let user = match device {
        Some(device) => device_user(state, user_id, device).await?,
        // A session from before devices were recorded cannot be ended from elsewhere.
        None => None,
    };
    let (Some(user), Some(device)) = (user, device) else {
        // Deactivated, deleted, or ended from another device since log-in.
        session.flush().await.map_err(write)?;
        return Ok(None);
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let started: Option<i64> = session.get(STARTED_KEY).await.map_err(read)?;
    let touched: Option<i64> = session.get(TOUCHED_KEY).await.map_err(read)?;
    let limits = SessionLimits::for_role(config, user.role);
    match session_verdict(now, started, touched, limits) {
        SessionVerdict::Expired => {
            session.flush().await.map_err(write)?;
            return Ok(None);
        }
        SessionVerdict::Touch => {
            if started.is_none() {
                session.insert(STARTED_KEY, now).await.map_err(write)?;
            }
            session.insert(TOUCHED_KEY, now).await.map_err(write)?;
            crate::kernel::auth::db::device_seen(pool, device, ip).await?;
            // The loaded session does not carry its expiry; without this it would be saved
            // with the store's default lifetime.
            session.set_expiry(Some(limits.expiry()));
        }
        SessionVerdict::Fresh => {}
    }
    Ok(Some(user))
}

/// `user_id` while their account is active and `device`'s session was not ended: as this
/// server last found it while nothing has changed (`KnownDevices`), else from the database.
async fn device_user(
    state: &AppState,
    user_id: Uuid,
    device: Uuid,
) -> Result<Option<CurrentUser>, AppError> {
    let known = KnownDevices::of(state);
    if let Some(user) = known.and_then(|k| k.get(user_id, device)) {
        return Ok(Some(user));
    }
    let stamp = known.and_then(|k| k.stamp());
    let user = crate::kernel::auth::db::active_user(&state.pool, user_id, device).await?;
    if let (Some(known), Some(stamp), Some(user)) = (known, stamp, &user) {
        known.keep(device, user, stamp);
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

    #[test]
    fn activity_slides_the_idle_deadline_at_most_every_thirtieth_and_never_past_the_lifetime() {
        let limits = SessionLimits {
            idle_secs: 1800,
            max_secs: 12 * 3600,
        };
        let start = 1_000_000;
        let verdict = |now, touched| session_verdict(now, Some(start), Some(touched), limits);
        assert_eq!(verdict(start + 59, start), SessionVerdict::Fresh);
        assert_eq!(verdict(start + 60, start), SessionVerdict::Touch);
        assert_eq!(
            verdict(start + 12 * 3600, start + 12 * 3600 - 5),
            SessionVerdict::Fresh
        );
        assert_eq!(
            verdict(start + 12 * 3600 + 1, start + 12 * 3600),
            SessionVerdict::Expired
        );
        assert_eq!(
            session_verdict(start, None, None, limits),
            SessionVerdict::Touch
        );
    }

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
