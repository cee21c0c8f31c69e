//! A fresh database per test, cloned from a template that is migrated once per set of
//! migrations (`CREATE DATABASE … TEMPLATE …`), instead of running every migration per test.
//! Tests run as a role with the app's privileges only (granted by `server::database`, as in
//! production), so a missing grant fails here; `owner_pool` reaches the same database as its
//! owner, for what only an owner (or an attacker who is one) can do.

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    ConnectOptions, Connection, Executor, PgConnection, PgPool,
};
use std::{
    hash::{DefaultHasher, Hash, Hasher},
    str::FromStr,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};
use tokio::sync::OnceCell;

static MIGRATOR: Migrator = sqlx::migrate!("../migrations");
/// The role tests run as; cluster-wide, created once.
pub const APP_ROLE: &str = "mueen_test_app";
const APP_ROLE_PASSWORD: &str = "mueen-test-app";
static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static NEXT: AtomicU32 = AtomicU32::new(0);

fn server_options() -> PgConnectOptions {
    let url =
        std::env::var("DATABASE_URL").expect("DATABASE_URL must point at a PostgreSQL server");
    PgConnectOptions::from_str(&url).expect("DATABASE_URL")
}

async fn maintenance() -> PgConnection {
    server_options()
        .database("postgres")
        .connect()
        .await
        .expect("connect to the postgres database")
}

/// The template's name changes with the migrations and the grants, so an edited migration or
/// grant never reuses a stale template.
fn template_name() -> String {
    let mut hasher = DefaultHasher::new();
    include_str!("../../src/database.rs").hash(&mut hasher);
    for migration in MIGRATOR.iter() {
        migration.version.hash(&mut hasher);
        migration.checksum.hash(&mut hasher);
    }
    format!("mueen_tpl_{:016x}", hasher.finish())
}

/// Run-unique prefix of this process's test databases.
fn run_prefix() -> String {
    format!("mueen_test_{}_", std::process::id())
}

async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut conn = maintenance().await;
            // Several test processes may start at once: one builds, the others wait for it.
            conn.execute("SELECT pg_advisory_lock(722001)")
                .await
                .expect("lock");
            // Databases of earlier runs are dropped here, since a test cannot drop its own
            // database on the way out.
            let stale: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database
                 WHERE datname LIKE 'mueen_test_%' AND datname NOT LIKE $1",
            )
            .bind(format!("{}%", run_prefix()))
            .fetch_all(&mut conn)
            .await
            .expect("list stale test databases");
            for db in stale {
                let _ = conn
                    .execute(format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)").as_str())
                    .await;
            }
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut conn)
                    .await
                    .expect("look up template");
            if !exists {
                let building = format!("{name}_building");
                conn.execute(format!("DROP DATABASE IF EXISTS \"{building}\"").as_str())
                    .await
                    .expect("drop half-built template");
                conn.execute(format!("CREATE DATABASE \"{building}\"").as_str())
                    .await
                    .expect("create template");
                let role_exists: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                )
                .bind(APP_ROLE)
                .fetch_one(&mut conn)
                .await
                .expect("look up the app role");
                if !role_exists {
                    conn.execute(
                        format!(
                            "CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER PASSWORD '{APP_ROLE_PASSWORD}'"
                        )
                        .as_str(),
                    )
                    .await
                    .expect("create the app role");
                }
                let tpl = PgPoolOptions::new()
                    .max_connections(1)
                    .connect_with(server_options().database(&building))
                    .await
                    .expect("connect to template");
                server::database::prepare(&tpl, Some(APP_ROLE))
                    .await
                    .expect("migrate template");
                tpl.close().await;
                // Renamed only when complete, so a crash mid-way never leaves a half template.
                conn.execute(
                    format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\"").as_str(),
                )
                .await
                .expect("publish template");
            }
            conn.execute("SELECT pg_advisory_unlock(722001)")
                .await
                .expect("unlock");
            conn.close().await.expect("close");
            name
        })
        .await
}

/// A new, migrated, empty database for one test, as the app's role, with the pool limits
/// `sqlx::test` used.
pub async fn test_pool() -> PgPool {
    let template = template().await;
    let name = format!("{}{}", run_prefix(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut conn = maintenance().await;
    conn.execute(format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"").as_str())
        .await
        .expect("clone template");
    conn.close().await.expect("close");
    PgPoolOptions::new()
        .max_connections(5)
        .idle_timeout(Some(Duration::from_secs(1)))
        .connect_with(
            server_options()
                .database(&name)
                .username(APP_ROLE)
                .password(APP_ROLE_PASSWORD),
        )
        .await
        .expect("connect to test database")
}

/// The database of `pool`, as its owner.
pub async fn owner_pool(pool: &PgPool) -> PgPool {
    let name = pool
        .connect_options()
        .get_database()
        .expect("test pools name their database")
        .to_owned();
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(server_options().database(&name))
        .await
        .expect("connect as owner")
}
