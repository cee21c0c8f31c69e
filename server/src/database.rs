//! Getting a database ready: migrations and the session table, run as the owner of the
//! schema, and the privileges of the role the app runs as — data only: no DDL, no TRUNCATE,
//! and the audit log only to append to and read.

use sqlx::PgPool;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A role name as SQL spells it: quoted, so any name is one identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Migrates the database as its owner and, when the app runs as another role (`app_role`),
/// grants that role what the app needs and nothing more.
pub async fn prepare(owner: &PgPool, app_role: Option<&str>) -> Result<(), sqlx::Error> {
    MIGRATOR.run(owner).await?;
    tower_sessions_sqlx_store::PostgresStore::new(owner.clone())
        .migrate()
        .await?;
    if let Some(role) = app_role {
        grant_app_role(owner, role).await?;
    }
    Ok(())
}

/// The app role's privileges, granted again on every start so a new table is covered.
pub async fn grant_app_role(owner: &PgPool, role: &str) -> Result<(), sqlx::Error> {
    let role = quote_ident(role);
    let statements = [
        format!("GRANT USAGE ON SCHEMA public, tower_sessions TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tower_sessions TO {role}"
        ),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}"),
        // The audit log is appended to and read; its chain's head is moved only by the
        // (security-definer) trigger; the migration history is the owner's.
        format!("REVOKE UPDATE, DELETE ON audit_log FROM {role}"),
        format!("REVOKE ALL ON audit_chain_head, _sqlx_migrations FROM {role}"),
    ];
    let mut tx = owner.begin().await?;
    for statement in statements {
        sqlx::raw_sql(&statement).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// The role a pool logs in as.
pub async fn current_role(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT current_user AS "role!""#)
        .fetch_one(pool)
        .await
}

/// The options of the pool the app serves from. A connection is not pinged each time it is
/// taken from the pool (sqlx's default): that doubled the round trips of every query, and was
/// a fifth of a page's time (perf). A connection the server dropped still fails its query and
/// is replaced.
pub fn app_pool_options() -> sqlx::postgres::PgPoolOptions {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .test_before_acquire(false)
}
