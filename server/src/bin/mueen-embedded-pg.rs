//! Runs only the embedded PostgreSQL, for the test command on machines without a database
//! server. Prints the connection URL once ready and stops the cluster on SIGTERM or Ctrl-C.

use server::embedded_pg::EmbeddedPostgres;
use std::{path::PathBuf, process::ExitCode};

#[tokio::main]
async fn main() -> ExitCode {
    let data_dir = std::env::var("MUEEN_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| "target/test-data".into());
    let port = match std::env::var("MUEEN_EMBEDDED_PG_PORT")
        .ok()
        .map(|p| p.parse::<u16>())
    {
        None => 54330,
        Some(Ok(port)) => port,
        Some(Err(_)) => {
            eprintln!("MUEEN_EMBEDDED_PG_PORT must be a port number");
            return ExitCode::FAILURE;
        }
    };
    let bin_dir = std::env::var("MUEEN_PG_BIN_DIR").ok().map(PathBuf::from);
    let pg = match EmbeddedPostgres::start(&data_dir, port, bin_dir.as_deref()).await {
        Ok(pg) => pg,
        Err(err) => {
            eprintln!("embedded PostgreSQL: {err}");
            return ExitCode::FAILURE;
        }
    };
    // The owner: the test suite creates its databases and roles with it.
    println!("{}", pg.owner_url());
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(signal) => signal,
        Err(err) => {
            eprintln!("cannot listen for SIGTERM: {err}");
            pg.stop().await;
            return ExitCode::FAILURE;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term.recv() => {},
    }
    pg.stop().await;
    ExitCode::SUCCESS
}
