use app::kernel::config::Config;
use server::{embedded_pg::EmbeddedPostgres, telemetry};
use sqlx::postgres::PgPoolOptions;
use std::{net::SocketAddr, process::ExitCode, sync::Arc, time::Duration};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.log_json);

    let embedded = if config.database_url.is_none() {
        match EmbeddedPostgres::start(
            &config.data_dir,
            config.embedded_pg_port,
            config.pg_bin_dir.as_deref(),
        )
        .await
        {
            Ok(pg) => Some(pg),
            Err(err) => {
                tracing::error!("embedded PostgreSQL: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let url = match (&config.database_url, &embedded) {
        (Some(url), _) => url.clone(),
        (None, Some(pg)) => pg.url().to_owned(),
        (None, None) => unreachable!("embedded database is started when no URL is set"),
    };

    let result = serve(config, &url).await;
    if let Some(pg) = embedded {
        pg.stop().await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let leptos_options = leptos::config::get_configuration(None)?.leptos_options;
    let addr = leptos_options.site_addr;
    let pool = PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await?;
    sqlx::migrate!("../migrations").run(&pool).await?;
    if config.seed_demo {
        if app::demo::seed_demo(&pool).await? {
            tracing::info!("seeded the demo clinic");
        }
        print_demo_accounts();
    }

    let state = app::app_state(leptos_options, pool.clone(), Arc::new(config));
    let router = server::build_router(state).await?;
    let lapse_offers = tokio::spawn(server::waitlist_clock::run(pool.clone()));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Mu'een is listening on http://{addr}");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    lapse_offers.abort();
    tracing::info!("shutting down: requests finished, closing the database pool");
    pool.close().await;
    Ok(())
}

fn print_demo_accounts() {
    use app::demo::DEMO_ACCOUNTS;
    use app::demo::DEMO_PASSWORD;
    println!("\nDemo accounts (log in with the mobile number or the ID; password {DEMO_PASSWORD:?} unless changed):");
    for account in &DEMO_ACCOUNTS {
        println!(
            "  {:<13} {:<11} ID {}  {}",
            account.role.as_str(),
            account.phone,
            account.national_id,
            account.name.join(" ")
        );
    }
    println!();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
