//! A private PostgreSQL cluster for zero-configuration runs: created under the data directory
//! from the system's server binaries, started with the app and stopped with it.
//!
//! It listens on loopback only and asks every connection for a password (scram-sha-256): no
//! trust authentication. Two roles: `mueen`, the superuser that owns the schema and runs the
//! migrations, and `mueen_app`, which the app runs as (data only; see `database`). Their
//! passwords are generated once and kept in `<data dir>/secrets/`, mode 0600, outside the
//! cluster. A cluster made by an earlier version with trust authentication is converted on
//! its first start.

use std::{
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::process::{Child, Command};

const DB_USER: &str = "mueen";
const APP_USER: &str = "mueen_app";
const DB_NAME: &str = "mueen";

/// Written at every start, so an edited file cannot reopen trust authentication.
const PG_HBA: &str =
    "# Written by Mu'een at every start: passwords (scram-sha-256), loopback only.\n\
host all all 127.0.0.1/32 scram-sha-256\n\
host all all ::1/128 scram-sha-256\n";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedPgError {
    #[error(
        "no PostgreSQL server binaries (initdb, postgres) found under /usr/lib/postgresql/*/bin; \
         install them with `apt-get install postgresql` (Debian/Ubuntu), set MUEEN_PG_BIN_DIR, \
         or point DATABASE_URL at a running server"
    )]
    BinariesNotFound,
    #[error(
        "running as root, but there is no unprivileged `postgres` system user to run the embedded \
         database as (PostgreSQL refuses to run as root); create one or set DATABASE_URL"
    )]
    NoUnprivilegedUser,
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("initdb failed ({status}); see {log}")]
    InitDb { status: String, log: String },
    #[error("the embedded PostgreSQL did not become ready within 30 s; see {log}")]
    NotReady { log: String },
    #[error("the embedded PostgreSQL exited during start-up ({status}); see {log}")]
    Exited { status: String, log: String },
    #[error("could not create the application database: {0}")]
    CreateDatabase(#[from] sqlx::Error),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedPgError {
    let what = what.into();
    move |source| EmbeddedPgError::Io { what, source }
}

pub struct EmbeddedPostgres {
    child: Child,
    port: u16,
    owner_password: String,
    app_password: String,
}

/// A role's password from `dir`, generated (122 random bits, hex) and stored with mode 0600
/// when missing. Returns whether it was new.
fn secret(dir: &Path, role: &str) -> Result<(String, bool), EmbeddedPgError> {
    use std::io::Write;
    let path = dir.join(format!("{role}.password"));
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => return Ok((text.trim().to_owned(), false)),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(io(format!("reading {}", path.display()))(err)),
    }
    let password = uuid::Uuid::new_v4().simple().to_string();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .map_err(io(format!("creating {}", path.display())))?;
    file.write_all(password.as_bytes())
        .map_err(io(format!("writing {}", path.display())))?;
    Ok((password, true))
}

/// The uid/gid to run PostgreSQL as: ourselves, or the `postgres` user when we are root.
fn run_as() -> Result<Option<(u32, u32)>, EmbeddedPgError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").map_err(io("reading /etc/passwd"))?;
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&"postgres") && fields.len() > 3)
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        })
        .map(Some)
        .ok_or(EmbeddedPgError::NoUnprivilegedUser)
}

pub fn find_bin_dir(configured: Option<&Path>) -> Result<PathBuf, EmbeddedPgError> {
    if let Some(dir) = configured {
        return if dir.join("initdb").exists() {
            Ok(dir.to_path_buf())
        } else {
            Err(EmbeddedPgError::BinariesNotFound)
        };
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    candidates.sort();
    candidates
        .pop()
        .map(|(_, dir)| dir)
        .ok_or(EmbeddedPgError::BinariesNotFound)
}

fn write_hba(cluster: &Path) -> Result<(), EmbeddedPgError> {
    std::fs::write(cluster.join("pg_hba.conf"), PG_HBA).map_err(io("writing pg_hba.conf"))
}

async fn connect_when_ready(
    child: &mut Child,
    port: u16,
    password: Option<&str>,
    log: &str,
) -> Result<sqlx::PgConnection, EmbeddedPgError> {
    use sqlx::ConnectOptions;
    let mut options = sqlx::postgres::PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username(DB_USER)
        .database("postgres");
    if let Some(password) = password {
        options = options.password(password);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().map_err(io("watching postgres"))? {
            return Err(EmbeddedPgError::Exited {
                status: status.to_string(),
                log: log.to_owned(),
            });
        }
        match options.connect().await {
            Ok(conn) => return Ok(conn),
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            Err(_) => {
                return Err(EmbeddedPgError::NotReady {
                    log: log.to_owned(),
                })
            }
        }
    }
}

fn command(program: PathBuf, user: Option<(u32, u32)>) -> Command {
    let mut cmd = Command::new(program);
    if let Some((uid, gid)) = user {
        cmd.uid(uid).gid(gid);
    }
    cmd
}

impl EmbeddedPostgres {
    pub async fn start(
        data_dir: &Path,
        port: u16,
        bin_dir: Option<&Path>,
    ) -> Result<Self, EmbeddedPgError> {
        let bin = find_bin_dir(bin_dir)?;
        let user = run_as()?;
        std::fs::create_dir_all(data_dir)
            .map_err(io(format!("creating {}", data_dir.display())))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io(format!("resolving {}", data_dir.display())))?;
        let cluster = data_dir.join("postgres");
        let log = data_dir.join("postgres.log");
        let log_text = log.display().to_string();

        let secrets = data_dir.join("secrets");
        std::fs::create_dir_all(&secrets).map_err(io("creating the secrets directory"))?;
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o700))
            .map_err(io("setting secrets permissions"))?;
        let (owner_password, owner_new) = secret(&secrets, DB_USER)?;
        let (app_password, _) = secret(&secrets, APP_USER)?;
        let fresh = !cluster.join("PG_VERSION").exists();
        // A cluster from before passwords: still trust, until it is converted below.
        let legacy_trust = !fresh && owner_new;

        if fresh {
            std::fs::create_dir_all(&cluster).map_err(io("creating the cluster directory"))?;
            std::fs::set_permissions(&cluster, std::fs::Permissions::from_mode(0o700))
                .map_err(io("setting cluster permissions"))?;
            if let Some((uid, gid)) = user {
                std::os::unix::fs::chown(&cluster, Some(uid), Some(gid))
                    .map_err(io("handing the cluster directory to the postgres user"))?;
            }
            tracing::info!(dir = %cluster.display(), "creating embedded PostgreSQL cluster");
            // initdb reads the superuser's password from a file it can open; removed at once.
            let pwfile = data_dir.join("initdb.pw");
            std::fs::write(&pwfile, &owner_password).map_err(io("writing initdb's password"))?;
            std::fs::set_permissions(&pwfile, std::fs::Permissions::from_mode(0o600))
                .map_err(io("setting initdb's password permissions"))?;
            if let Some((uid, gid)) = user {
                std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid))
                    .map_err(io("handing initdb's password to the postgres user"))?;
            }
            let log_file =
                std::fs::File::create(&log).map_err(io("creating the PostgreSQL log"))?;
            let status = command(bin.join("initdb"), user)
                .arg("-D")
                .arg(&cluster)
                .arg(format!("--pwfile={}", pwfile.display()))
                .args([
                    "-U",
                    DB_USER,
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ])
                .stdout(Stdio::null())
                .stderr(log_file)
                .status()
                .await;
            let _ = std::fs::remove_file(&pwfile);
            let status = status.map_err(io("running initdb"))?;
            if !status.success() {
                return Err(EmbeddedPgError::InitDb {
                    status: status.to_string(),
                    log: log_text,
                });
            }
        }
        if !legacy_trust {
            write_hba(&cluster)?;
        }

        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(io("opening the PostgreSQL log"))?;
        let mut child = command(bin.join("postgres"), user)
            .arg("-D")
            .arg(&cluster)
            .args(["-p", &port.to_string()])
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            // Own process group: Ctrl-C reaches only us, so we stop the database after the
            // last request has finished rather than under it.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(io("starting postgres"))?;

        // The old trust cluster lets us in without a password, once, to set one.
        let admin_password = if legacy_trust {
            None
        } else {
            Some(owner_password.as_str())
        };
        let mut conn = connect_when_ready(&mut child, port, admin_password, &log_text).await?;
        if legacy_trust {
            tracing::info!(
                "converting the embedded PostgreSQL from trust to password authentication"
            );
            sqlx::raw_sql(&format!("ALTER ROLE {DB_USER} PASSWORD '{owner_password}'"))
                .execute(&mut conn)
                .await?;
            write_hba(&cluster)?;
            sqlx::raw_sql("SELECT pg_reload_conf()")
                .execute(&mut conn)
                .await?;
        }
        let app_exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                .bind(APP_USER)
                .fetch_one(&mut conn)
                .await?;
        let verb = if app_exists { "ALTER" } else { "CREATE" };
        // The file is the truth: the role's password follows it.
        sqlx::raw_sql(&format!(
            "{verb} ROLE {APP_USER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION \
             NOBYPASSRLS PASSWORD '{app_password}'"
        ))
        .execute(&mut conn)
        .await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(DB_NAME)
                .fetch_one(&mut conn)
                .await?;
        if !exists {
            sqlx::query(&format!("CREATE DATABASE {DB_NAME}"))
                .execute(&mut conn)
                .await?;
        }
        tracing::info!(port, "embedded PostgreSQL ready");
        Ok(Self {
            child,
            port,
            owner_password,
            app_password,
        })
    }

    /// The superuser that owns the schema: migrations, and the test suite's databases.
    pub fn owner_url(&self) -> String {
        format!(
            "postgres://{DB_USER}:{}@127.0.0.1:{}/{DB_NAME}",
            self.owner_password, self.port
        )
    }

    /// The role the app runs as.
    pub fn app_url(&self) -> String {
        format!(
            "postgres://{APP_USER}:{}@127.0.0.1:{}/{DB_NAME}",
            self.app_password, self.port
        )
    }

    /// Fast shutdown (SIGINT): open transactions roll back, data is flushed, no recovery needed
    /// on the next start.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id().and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: kill() with a pid we spawned and a valid signal number.
            unsafe {
                libc::kill(pid, libc::SIGINT);
            }
        }
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(Ok(status)) => tracing::info!(%status, "embedded PostgreSQL stopped"),
            Ok(Err(err)) => tracing::warn!(error = %err, "waiting for PostgreSQL failed"),
            Err(_) => {
                tracing::warn!("PostgreSQL did not stop within 30 s; killing it");
                let _ = self.child.kill().await;
            }
        }
    }
}
