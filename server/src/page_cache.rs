//! Rendered pages kept for visitors and logged-in patients. A patient's phone opening the home
//! page, the doctor search or a doctor's calendar gets the same HTML as everyone else who asks for that address
//! in that language while the data behind it is the same; rendering it again each time is most
//! of what such a request costs. A copy is checked by reading the page's data again (the
//! calendar's bookings and schedule version: one query) and is used only when that data, byte
//! for byte, is what the copy was rendered from. Only the script nonce differs per response:
//! the copy keeps the places it goes and gets a fresh one each time.
//!
//! A copy checked less than `RECHECK` ago is served without reading anything, as long as the
//! change feed (`change_feed`) has been listening and has seen no change since that check: a
//! booking or schedule change anywhere makes every copy check again, within the time the
//! database's notice takes to arrive (this server's own writes count before they are
//! answered). `RECHECK` bounds what the passing of time alone changes (a time slipping inside
//! the booking notice, a new day), and what a notice lost with its connection could hide.
//!
//! A logged-in patient's page names them (its header, the family in its forms), so they get
//! copies of their own, each checked on every request (`patients_copy`); a visitor's copy never
//! reaches a request with a session cookie, nor a patient's copy anyone but that patient.
//! Never for anything but GET of the listed pages, and only for a complete 200 page. The
//! render is handed the very data that was compared (`app::kernel::page_data`), so a copy can
//! never be filed under data other than what it shows.
//!
//! A copy also keeps its pieces deflated, so a browser that takes gzip (all do) gets a body
//! spliced around its fresh nonce instead of one compressed again for every request
//! (`gzip`); compressing a page per response cost more than everything else a kept copy does.

mod gzip;

use app::kernel::auth::request::{client_ip, user_from_session};
use app::kernel::auth::CurrentUser;
use app::kernel::changes::ChangeCount;
use app::kernel::i18n::locale_of;
use app::kernel::page_data::{Prefetched, Used};
use app::kernel::state::AppState;
use app::kernel::ui::shell_data::ShellInfo;
use app::kernel::values::Role;
use app::patients::model::FamilyOf;
use app::scheduling::calendar::{doctor_calendar, CalendarAsk};
use app::scheduling::search::{find_doctors, SearchAsk};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_sessions::Session;
use uuid::Uuid;

/// The session cookie's name (`build_router`); a request carrying it may be logged in.
pub const SESSION_COOKIE: &str = "mueen_session";
/// Bounds what an endless stream of distinct addresses can make the cache hold.
const MAX_BYTES: usize = 32 * 1024 * 1024;
/// The same for logged-in patients' copies (a copy is about 20 kB: some 800 patients' pages).
const MAX_PATIENT_BYTES: usize = 16 * 1024 * 1024;
/// Says whether a page came from a kept copy (`hit`) or was rendered (`miss`), for operators
/// and tests; it tells a visitor nothing the page does not.
pub const CACHE_STATUS: &str = "x-page-cache";
/// A page larger than this is not kept.
const MAX_PAGE: usize = 512 * 1024;
/// How long a checked copy is served without checking again when nothing has changed.
const RECHECK: Duration = Duration::from_secs(1);

pub struct PageCache {
    /// Visitors' copies, one per address and language.
    visitors: Store,
    /// Logged-in patients' copies, one per patient, address and language; apart, so that many
    /// patients filling theirs never push out the copies every visitor shares.
    patients: Store,
    /// The schedule and booking notices' count (`change_feed`).
    changes: Arc<ChangeCount>,
}

/// Copies by key, at most `max_bytes` of them; past that the store starts again empty (the
/// next requests render and refill it).
struct Store {
    stored: Mutex<Stored>,
    max_bytes: usize,
}

#[derive(Default)]
struct Stored {
    pages: HashMap<String, Arc<Copy>>,
    bytes: usize,
}

/// One rendered page: the data it was rendered from, and its body cut where the nonce goes.
struct Copy {
    data: Vec<u8>,
    pieces: Vec<Bytes>,
    /// The same pieces deflated, for clients that take gzip.
    deflated: Vec<gzip::Deflated>,
    content_type: HeaderValue,
    checked: Mutex<Checked>,
}

/// When a copy's data was last found unchanged: the change feed's count and the time, both
/// read before the data was.
#[derive(Clone, Copy, Debug)]
struct Checked {
    changes: u64,
    at: Instant,
}

impl Checked {
    /// Whether a copy checked then may be served now without reading its data again.
    fn holds(&self, changes: &ChangeCount, now: Instant) -> bool {
        changes.holds(self.changes) && now.saturating_duration_since(self.at) < RECHECK
    }

    /// Keeps the later of two checks (two requests may check the same copy at once).
    fn update(&mut self, newer: Checked) {
        if newer.changes >= self.changes && newer.at >= self.at {
            *self = newer;
        }
    }
}

/// The pages kept, and what each is rendered from.
enum Page {
    /// Home, log-in and registration: the frame only.
    Frame,
    Calendar(Uuid, CalendarAsk),
    /// The doctor search, with what its address asks for.
    Search(SearchAsk),
}

impl Page {
    fn of(path: &str, query: Option<&str>) -> Option<Page> {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        // The page reads one value per name; with several, which one it reads is the
        // router's business, so such an address is simply not kept.
        let one = |key: &str| -> Option<Option<String>> {
            let mut found = pairs.iter().filter(|(k, _)| k == key);
            let first = found.next().map(|(_, v)| v.clone());
            found.next().is_none().then_some(first)
        };
        match path {
            "/" | "/login" | "/register" => Some(Page::Frame),
            "/doctors" => {
                // `for` only fills a hidden field from the address (the key holds it).
                one("for")?;
                Some(Page::Search(SearchAsk {
                    q: one("q")?.unwrap_or_default(),
                    specialty: one("specialty")?.unwrap_or_default(),
                    sex: one("sex")?.unwrap_or_default(),
                    // The page always passes the branch, empty when the address has none.
                    clinic: Some(one("clinic")?.unwrap_or_default()),
                }))
            }
            _ => {
                let id = path.strip_prefix("/doctors/")?;
                let id = Uuid::parse_str(id).ok()?;
                let (clinic, visit, day, from) =
                    (one("clinic")?, one("visit")?, one("day")?, one("from")?);
                Some(Page::Calendar(
                    id,
                    CalendarAsk::parse(
                        clinic.as_deref(),
                        visit.as_deref().unwrap_or_default(),
                        day.as_deref().unwrap_or_default(),
                        from.as_deref().unwrap_or_default(),
                    ),
                ))
            }
        }
    }
}

/// The nonce a rendered page's policy names.
fn nonce_of(policy: &HeaderValue) -> Option<String> {
    let text = policy.to_str().ok()?;
    let start = text.find("'nonce-")? + "'nonce-".len();
    let end = text[start..].find('\'')? + start;
    Some(text[start..end].to_owned())
}

impl Copy {
    fn cut(
        data: Vec<u8>,
        body: &[u8],
        nonce: &str,
        content_type: HeaderValue,
        checked: Checked,
    ) -> Option<Copy> {
        let text = std::str::from_utf8(body).ok()?;
        let pieces: Vec<Bytes> = text
            .split(nonce)
            .map(|p| Bytes::copy_from_slice(p.as_bytes()))
            .collect();
        let deflated = pieces
            .iter()
            .map(|p| gzip::Deflated::new(p))
            .collect::<Option<Vec<_>>>()?;
        Some(Copy {
            data,
            pieces,
            deflated,
            content_type,
            checked: Mutex::new(checked),
        })
    }

    fn size(&self) -> usize {
        self.data.len()
            + self.pieces.iter().map(Bytes::len).sum::<usize>()
            + self.deflated.iter().map(gzip::Deflated::len).sum::<usize>()
    }

    /// The page with a fresh nonce, gzip-encoded when the client takes it.
    fn answer(&self, gzipped: bool) -> Response {
        self.answer_with(&leptos::nonce::Nonce::new().to_string(), gzipped)
    }

    fn answer_with(&self, nonce: &str, gzipped: bool) -> Response {
        let body = if gzipped {
            gzip::splice(&self.pieces, &self.deflated, nonce.as_bytes())
        } else {
            let mut body = Vec::with_capacity(self.size() + nonce.len() * self.pieces.len());
            for (i, piece) in self.pieces.iter().enumerate() {
                if i > 0 {
                    body.extend_from_slice(nonce.as_bytes());
                }
                body.extend_from_slice(piece);
            }
            body
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if gzipped {
            // The compression layer leaves an answer that names its encoding alone.
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if let Ok(policy) = HeaderValue::from_str(&app::kernel::ui::csp::page_policy(nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        headers.insert(CACHE_STATUS, HeaderValue::from_static("hit"));
        response
    }

    fn checked(&self) -> Checked {
        *self.checked.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn mark(&self, checked: Checked) {
        self.checked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .update(checked);
    }
}

impl PageCache {
    pub fn new(changes: Arc<ChangeCount>) -> PageCache {
        PageCache {
            visitors: Store::new(MAX_BYTES),
            patients: Store::new(MAX_PATIENT_BYTES),
            changes,
        }
    }

    /// A check starting now.
    fn check(&self) -> Checked {
        Checked {
            changes: self.changes.count(),
            at: Instant::now(),
        }
    }

    /// Whether `copy` may be served without reading its data.
    fn current(&self, copy: &Copy) -> bool {
        copy.checked().holds(&self.changes, Instant::now())
    }
}

impl Store {
    fn new(max_bytes: usize) -> Store {
        Store {
            stored: Mutex::default(),
            max_bytes,
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Copy>> {
        let stored = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        stored.pages.get(key).cloned()
    }

    fn put(&self, key: String, copy: Copy) {
        let key_len = key.len();
        let size = copy.size() + key_len;
        let mut stored = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        if stored.bytes + size > self.max_bytes {
            stored.pages.clear();
            stored.bytes = 0;
        }
        stored.bytes += size;
        if let Some(old) = stored.pages.insert(key, Arc::new(copy)) {
            // Its key was counted with it, as the new copy's is.
            stored.bytes = stored.bytes.saturating_sub(old.size() + key_len);
        }
    }
}

/// Whether the client takes gzip: `gzip` (or `*`) listed with a weight above zero.
fn takes_gzip(headers: &HeaderMap) -> bool {
    let mut named = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("gzip") {
                named = Some(weight > 0.0);
            } else if coding == "*" {
                any = Some(weight > 0.0);
            }
        }
    }
    named.or(any).unwrap_or(false)
}

/// The middleware: answers from a current copy, else renders and keeps the result.
pub async fn serve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(cache) = state.feature::<Arc<PageCache>>().cloned() else {
        return next.run(req).await;
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        // A request that may write (every server function): once it has run, whatever it
        // changed is counted before its answer leaves, so the writer's next visit never gets a
        // copy from before its own change.
        let response = next.run(req).await;
        cache.changes.changed();
        return response;
    }
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some(page) = Page::of(req.uri().path(), req.uri().query()) else {
        return next.run(req).await;
    };
    if app::kernel::cookies::cookie(req.headers(), SESSION_COOKIE).is_some() {
        return patients_copy(&state, &cache, page, req, next).await;
    }
    let key = format!("{}|{}", locale_of(req.headers()).code(), address(&req));
    let gzipped = takes_gzip(req.headers());
    let kept = cache.visitors.get(&key);
    if let Some(copy) = &kept {
        if cache.current(copy) {
            return copy.answer(gzipped);
        }
    }
    let check = cache.check();
    let Ok((data, used)) = read_data(&state, &page, None, &mut req).await else {
        // The page renders the error itself (a 404 for an unknown doctor, say); nothing kept.
        return next.run(req).await;
    };
    if let Some(copy) = kept {
        if copy.data == data {
            copy.mark(check);
            return copy.answer(gzipped);
        }
    }
    render_and_keep(&cache.visitors, key, (data, check), &used, req, next).await
}

/// A logged-in patient's own copy of a listed page: their header (name, menu) and, on a
/// doctor's calendar, their family in the waitlist form. Every request asks who its session
/// belongs to (as every page does) and reads the page's data again, the patient's own
/// included; the copy is used only when that data is, byte for byte, what it was rendered
/// from, and only for the patient it was rendered for. Never unchecked on the change feed's
/// word: some of a patient's data (their family) sends no notice.
///
/// Anyone else with a session (staff, a session no longer logged in) is rendered as before.
async fn patients_copy(
    state: &AppState,
    cache: &PageCache,
    page: Page,
    req: Request,
    next: Next,
) -> Response {
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let ip = client_ip(&parts, state.config.trusted_proxy_hops);
    let mut req = Request::from_parts(parts, body);
    let user = match user_from_session(state, &session, ip).await {
        Ok(Some(user)) if user.role == Role::Patient => user,
        _ => return next.run(req).await,
    };
    let key = format!(
        "{}|{}|{}",
        user.id,
        locale_of(req.headers()).code(),
        address(&req)
    );
    let gzipped = takes_gzip(req.headers());
    let check = cache.check();
    let Ok((data, used)) = read_data(state, &page, Some(&user), &mut req).await else {
        return next.run(req).await;
    };
    if let Some(copy) = cache.patients.get(&key) {
        if copy.data == data {
            return copy.answer(gzipped);
        }
    }
    render_and_keep(&cache.patients, key, (data, check), &used, req, next).await
}

/// The request's path and query, as the page reads them.
fn address(req: &Request) -> &str {
    req.uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
}

/// Reads what the page is rendered from, serialized for comparison, and hands it to the render
/// through the request's extensions; `used` says afterwards whether the render took all of it.
/// `user` is the logged-in patient the page is for (`None`: a visitor).
async fn read_data(
    state: &AppState,
    page: &Page,
    user: Option<&CurrentUser>,
    req: &mut Request,
) -> Result<(Vec<u8>, Vec<Used>), ()> {
    let shell = ShellInfo {
        clinic: app::clinic::header::ClinicHeader::primary(state)
            .await
            .map_err(|_| ())?,
        user: user.cloned(),
        demo: state.config.seed_demo,
    };
    let mut data = serde_json::to_vec(&shell).map_err(|_| ())?;
    let mut used = vec![];
    let shell = Prefetched::new(shell);
    used.push(shell.used());
    req.extensions_mut().insert(shell);
    match page {
        Page::Frame => {}
        Page::Calendar(doctor, ask) => {
            let calendar = doctor_calendar(state, *doctor, ask, jiff::Timestamp::now())
                .await
                .map_err(|_| ())?;
            data.extend(serde_json::to_vec(&calendar).map_err(|_| ())?);
            let calendar = Prefetched::new((*doctor, ask.clone(), calendar));
            used.push(calendar.used());
            req.extensions_mut().insert(calendar);
            // The waitlist form offers a patient their family.
            if let Some(user) = user {
                let family = app::patients::db::dependents_of(&state.pool, user.id)
                    .await
                    .map_err(|_| ())?;
                data.extend(serde_json::to_vec(&family).map_err(|_| ())?);
                let family = Prefetched::new(FamilyOf(user.id, family));
                used.push(family.used());
                req.extensions_mut().insert(family);
            }
        }
        Page::Search(ask) => {
            // A query the page refuses renders its own message; nothing is kept for it.
            let filter = ask.filter().map_err(|_| ())?;
            let found = find_doctors(state, &filter, jiff::Timestamp::now())
                .await
                .map_err(|_| ())?;
            data.extend(serde_json::to_vec(&found).map_err(|_| ())?);
            let found = Prefetched::new((ask.clone(), found));
            used.push(found.used());
            req.extensions_mut().insert(found);
        }
    }
    Ok((data, used))
}

/// Renders the page (handed the data just read) and keeps it when it is a complete page that
/// took all of that data.
async fn render_and_keep(
    store: &Store,
    key: String,
    (data, check): (Vec<u8>, Checked),
    used: &[Used],
    req: Request,
    next: Next,
) -> Response {
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .insert(CACHE_STATUS, HeaderValue::from_static("miss"));
    let complete = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    let nonce = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(nonce_of);
    let (Some(nonce), true) = (nonce, complete) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    // The page was rendered whole before its first byte (`SsrMode::Async`): this only joins
    // what is already in memory.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "a rendered page could not be read back");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if used.iter().all(Used::get) && bytes.len() <= MAX_PAGE {
        if let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() {
            if let Some(copy) = Copy::cut(data, &bytes, &nonce, content_type, check) {
                store.put(key, copy);
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_served_unchecked_only_while_listening_unchanged_and_recent() {
        let at = Instant::now();
        let changes = ChangeCount::default();
        changes.heard();
        let checked = Checked {
            changes: changes.count(),
            at,
        };
        assert!(checked.holds(&changes, at + Duration::from_millis(999)));
        assert!(
            !checked.holds(&changes, at + RECHECK),
            "checked too long ago"
        );
        let deaf = ChangeCount::default();
        while deaf.count() < checked.changes {
            deaf.changed();
        }
        assert!(!checked.holds(&deaf, at), "notices not arriving");
        changes.changed();
        assert!(!checked.holds(&changes, at), "a change since the check");
    }

    #[test]
    fn a_later_check_is_kept_over_an_earlier_one() {
        let at = Instant::now();
        let mut checked = Checked { changes: 3, at };
        checked.update(Checked {
            changes: 2,
            at: at + Duration::from_millis(5),
        });
        assert_eq!(checked.changes, 3, "an older count never replaces a newer");
        let later = at + Duration::from_millis(10);
        checked.update(Checked {
            changes: 4,
            at: later,
        });
        assert_eq!((checked.changes, checked.at), (4, later));
    }

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("a header value"),
        );
        headers
    }

    #[test]
    fn gzip_is_sent_only_to_clients_that_take_it() {
        for takes in [
            "gzip",
            "gzip, deflate, br, zstd",
            "br;q=1.0, gzip;q=0.8",
            "GZIP",
            "*",
            "br, *;q=0.1",
        ] {
            assert!(takes_gzip(&accepting(takes)), "{takes}");
        }
        for refuses in ["identity", "br", "gzip;q=0", "*, gzip;q=0", "br, *;q=0", ""] {
            assert!(!takes_gzip(&accepting(refuses)), "{refuses}");
        }
        assert!(!takes_gzip(&HeaderMap::new()), "no header: identity");
    }

    #[tokio::test]
    async fn a_kept_copy_answers_gzip_with_the_nonce_its_policy_names() {
        use std::io::Read;
        let page = "<html><script nonce=\"NONCE\">go()</script>عيادة<script nonce=\"NONCE\"></script></html>";
        let checked = Checked {
            changes: 0,
            at: Instant::now(),
        };
        let copy = Copy::cut(
            vec![],
            page.as_bytes(),
            "NONCE",
            HeaderValue::from_static("text/html; charset=utf-8"),
            checked,
        )
        .expect("a copy");
        let answer = copy.answer_with("fresh", true);
        assert_eq!(answer.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(answer.headers()[header::VARY], "accept-encoding");
        let policy = answer.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("text");
        assert!(policy.contains("'nonce-fresh'"), "{policy}");
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut plain)
            .expect("gzip");
        assert_eq!(plain, page.replace("NONCE", "fresh"));
        let identity = copy.answer_with("other", false);
        assert!(identity.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
