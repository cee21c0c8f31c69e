//! A private PostgreSQL cluster for zero-configuration runs: created under the data directory
//! from the system's server binaries, started with the app and stopped with it.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::process::{Child, Command};

const DB_USER: &str = "mueen";
const DB_NAME: &str = "mueen";

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
    url: String,
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

        if !cluster.join("PG_VERSION").exists() {
            std::fs::create_dir_all(&cluster).map_err(io("creating the cluster directory"))?;
            std::fs::set_permissions(&cluster, std::fs::Permissions::from_mode(0o700))
                .map_err(io("setting cluster permissions"))?;
            if let Some((uid, gid)) = user {
                std::os::unix::fs::chown(&cluster, Some(uid), Some(gid))
                    .map_err(io("handing the cluster directory to the postgres user"))?;
            }
            tracing::info!(dir = %cluster.display(), "creating embedded PostgreSQL cluster");
            let log_file =
                std::fs::File::create(&log).map_err(io("creating the PostgreSQL log"))?;
            let status = command(bin.join("initdb"), user)
                .arg("-D")
                .arg(&cluster)
                .args([
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ])
                .stdout(Stdio::null())
                .stderr(log_file)
                .status()
                .await
                .map_err(io("running initdb"))?;
            if !status.success() {
                return Err(EmbeddedPgError::InitDb {
                    status: status.to_string(),
                    log: log_text,
                });
            }
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

        let admin_url = format!("postgres://{DB_USER}@127.0.0.1:{port}/postgres");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let mut conn = loop {
            if let Some(status) = child.try_wait().map_err(io("watching postgres"))? {
                return Err(EmbeddedPgError::Exited {
                    status: status.to_string(),
                    log: log_text,
                });
            }
            match <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url).await {
                Ok(conn) => break conn,
                Err(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(200)).await
                }
                Err(_) => return Err(EmbeddedPgError::NotReady { log: log_text }),
            }
        };
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
            url: format!("postgres://{DB_USER}@127.0.0.1:{port}/{DB_NAME}"),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
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
