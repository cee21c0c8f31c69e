use app::kernel::config::Config;
use reqwest::{header, Client, Response};
use sqlx::PgPool;
use std::{net::SocketAddr, sync::Arc};

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub client: Client,
    /// The app's own embedded S3-protocol store (a real server on loopback); `stop()` it to
    /// see the app with its storage down.
    pub storage: server::embedded_s3::EmbeddedS3,
    pub vault: app::records::service::attachments::Vault,
    /// Where the app keeps its key file and stored objects.
    pub data_dir: std::path::PathBuf,
    /// What tells the app's page cache that data behind its pages changed.
    pub changes: Arc<server::change_feed::ChangeFeed>,
}

/// The tests' demo password (a real run generates one).
pub const DEMO_PASSWORD: &str = "Mueen-demo-2026";
pub const ADMIN_PHONE: &str = "0500000001";
pub const PATIENT_PHONE: &str = "0500000006";

pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, |_| {}).await
}

pub async fn spawn_app_with(pool: PgPool, adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_serving(pool, adjust, "target/site").await
}

/// An app whose static files come from `site_root`.
pub async fn spawn_app_serving(
    pool: PgPool,
    adjust: impl FnOnce(&mut Config),
    site_root: &str,
) -> TestApp {
    spawn_app_extended(pool, adjust, site_root, |state| state).await
}

/// An app whose state gets more than the tests' usual (`extend`), before its router is built.
pub async fn spawn_app_extended(
    pool: PgPool,
    adjust: impl FnOnce(&mut Config),
    site_root: &str,
    extend: impl FnOnce(app::kernel::state::AppState) -> app::kernel::state::AppState,
) -> TestApp {
    let mut config = Config::from_lookup(|_| None).expect("default config");
    config.data_dir = std::env::temp_dir().join(format!("mueen-test-{}", uuid::Uuid::new_v4()));
    config.data_keys = Some(app::kernel::config::Redacted(TEST_KEYS.clone()));
    adjust(&mut config);
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("mueen")
        .site_root(site_root)
        .build();
    let data_dir = config.data_dir.clone();
    let files = server::files::open(&config)
        .await
        .expect("embedded storage");
    let storage = files.embedded.expect("no S3 configured: embedded");
    let vault = files.vault;
    seed_with(&pool, &vault.keys).await;
    let changes = Arc::new(server::change_feed::ChangeFeed::default());
    let state = app::app_state(leptos_options, pool.clone(), Arc::new(config))
        .with(vault.clone())
        .with(vault.keys.clone())
        .with(changes.clone())
        // As a clinic that sends e-mail and SMS would have it.
        .with(Arc::new(app::notifications::preferences::RunningChannels(
            vec![
                app::notifications::domain::message::Channel::Email,
                app::notifications::domain::message::Channel::Sms,
            ],
        )));
    let router = server::build_router(extend(state)).await.expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("server runs");
    });
    TestApp {
        addr,
        pool,
        client: new_client(),
        storage,
        vault,
        data_dir,
        changes,
    }
}

/// One data key for every test of the run, so the services a test calls directly and the app
/// it spawns read each other's sealed text.
static TEST_KEYS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    app::kernel::crypto::Keyring::new_config("test").expect("a key configuration")
});

/// The tests' key as a `id:base64` entry, to build rings that still open what it sealed.
pub fn test_key_entry() -> String {
    TEST_KEYS.clone()
}

pub fn test_keys() -> Arc<app::kernel::crypto::Keyring> {
    static RING: std::sync::OnceLock<Arc<app::kernel::crypto::Keyring>> =
        std::sync::OnceLock::new();
    RING.get_or_init(|| {
        Arc::new(app::kernel::crypto::Keyring::parse(&TEST_KEYS).expect("the test key parses"))
    })
    .clone()
}

/// Seeds the demo clinic with the tests' password and key.
pub async fn seed(pool: &PgPool) {
    seed_with(pool, &test_keys()).await;
}

/// Seeds the demo clinic with the tests' password, its notes sealed with `keys`.
pub async fn seed_with(pool: &PgPool, keys: &app::kernel::crypto::Keyring) {
    let password = app::kernel::values::Password::parse(DEMO_PASSWORD).expect("password");
    app::demo::seed_demo(pool, &password, keys)
        .await
        .expect("seed demo clinic");
}

/// A client of its own, logged in as the demo account with `phone`.
pub async fn as_role(app: &TestApp, phone: &str) -> Client {
    let client = new_client();
    let response = app
        .call_with(
            &client,
            "login",
            &[("identifier", phone), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    client
}

/// A client that always sends the session cookie of a fresh log-in as the demo account with
/// `phone`, whatever a server answers (so it still sends it after log-out, or to another
/// server).
pub async fn pinned_session_client(app: &TestApp, phone: &str) -> Client {
    let login = app.login(phone, DEMO_PASSWORD).await;
    assert_eq!(login.status(), reqwest::StatusCode::OK);
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .find(|c| c.starts_with("mueen_session="))
        .expect("a session cookie")
        .to_owned();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        cookie.parse().expect("a cookie header"),
    );
    Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Calls a server function the way the hydrated page does: same-origin form post.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.call_with(&self.client, endpoint, form).await
    }

    pub async fn call_with(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.post_form(client, endpoint, form, "application/json")
            .await
    }

    /// A same-origin form post to server function `endpoint`, asking for `accept`.
    async fn post_form(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
        accept: &str,
    ) -> Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(header::ORIGIN, format!("http://{}", self.addr))
            .header(header::ACCEPT, accept)
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Posts a multipart form (the upload form) as the page's form enhancer does: the text
    /// fields, then the file as `att_file`.
    pub async fn upload_with(
        &self,
        client: &Client,
        fields: &[(&str, &str)],
        file: (&str, &str, Vec<u8>),
    ) -> Response {
        let (name, mime, bytes) = file;
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)
            .expect("mime");
        client
            .post(self.url("/api/upload_attachment"))
            .header(header::ORIGIN, format!("http://{}", self.addr))
            .header(header::ACCEPT, "application/json")
            .multipart(form.part("att_file", part))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login(&self, identifier: &str, password: &str) -> Response {
        self.call(
            "login",
            &[("identifier", identifier), ("password", password)],
        )
        .await
    }

    /// Posts a form as a browser does without JavaScript (or the enhancer's plain buttons):
    /// asking for HTML, so the server function answers with a redirect to the page to show.
    /// Returns that page's address and its HTML, read with the same client.
    pub async fn post_page(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (String, String) {
        let response = self.post_form(client, endpoint, form, "text/html").await;
        assert_eq!(
            response.status(),
            reqwest::StatusCode::FOUND,
            "{endpoint} answers a plain form with a redirect"
        );
        let to = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .expect("a redirect address")
            .to_owned();
        let page = client
            .get(self.url(&to))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), reqwest::StatusCode::OK, "{to}");
        (to, page.text().await.expect("html"))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .expect("request sent")
    }

    pub async fn audit_actions(&self) -> Vec<(String, String)> {
        sqlx::query_as::<_, (String, String)>("SELECT action, outcome FROM audit_log ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .expect("audit rows")
    }
}

pub fn registration<'a>(phone: &'a str, national_id: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("first_name", "ليلى"),
        ("father_name", "عبد العزيز"),
        ("grandfather_name", "حمد"),
        ("family_name", "المطيري"),
        ("latin_name", "Layla Almutairi"),
        ("phone", phone),
        ("national_id", national_id),
        ("date_of_birth", "1988-02-29"),
        ("sex", "female"),
        ("email", "layla@example.sa"),
        ("password", "a-strong-secret"),
    ]
}

pub async fn error_json(response: Response) -> serde_json::Value {
    response.json().await.expect("json error body")
}
