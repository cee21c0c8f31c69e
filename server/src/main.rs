//! `server` serves Mu'een; `server verify-audit` checks the audit log's hash chain;
//! `server create-admin --phone … --national-id … --name "…" --clinic "…" --clinic-en "…"`
//! creates the first admin, and the clinic, of a server that runs without demo data (the
//! password is read from standard input); `server rotate-keys` puts a new data key in front of
//! the key file (with `MUEEN_DATA_KEYS`, put the new key first there) and re-seals every
//! attachment with it.

use app::kernel::config::Config;
use server::{embedded_pg::EmbeddedPostgres, telemetry};
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::{net::SocketAddr, process::ExitCode, sync::Arc, time::Duration};

enum Command {
    Serve,
    VerifyAudit,
    CreateAdmin(Vec<String>),
    RotateKeys,
}

fn command() -> Result<Command, String> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        None | Some("serve") => Ok(Command::Serve),
        Some("verify-audit") => Ok(Command::VerifyAudit),
        Some("create-admin") => Ok(Command::CreateAdmin(args.collect())),
        Some("rotate-keys") => Ok(Command::RotateKeys),
        Some(other) => Err(format!(
            "unknown command {other:?}: expected serve, verify-audit, create-admin or rotate-keys"
        )),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let command = match command() {
        Ok(command) => command,
        Err(err) => {
            eprintln!("{err}");
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
    // The owner migrates; the app runs as its own role where one is configured.
    let (owner_url, app_url) = match (&config.database_url, &embedded) {
        (Some(url), _) => (
            config
                .database_owner_url
                .clone()
                .unwrap_or_else(|| url.clone()),
            url.clone(),
        ),
        (None, Some(pg)) => (pg.owner_url(), pg.app_url()),
        (None, None) => unreachable!("embedded database is started when no URL is set"),
    };

    let result = match command {
        Command::Serve => serve(config, &owner_url, &app_url).await,
        Command::VerifyAudit => verify_audit(&owner_url).await,
        Command::CreateAdmin(args) => create_admin(&config, &owner_url, &app_url, &args).await,
        Command::RotateKeys => rotate_keys(&config, &owner_url, &app_url).await,
    };
    if let Some(pg) = embedded {
        pg.stop().await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error>;

/// Migrates as the owner, grants the app's role its privileges, and returns the app's pool.
async fn open_database(owner_url: &str, app_url: &str) -> Result<PgPool, AnyError> {
    let owner = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .connect(owner_url)
        .await?;
    let pool = server::database::app_pool_options()
        .connect(app_url)
        .await?;
    let owner_role = server::database::current_role(&owner).await?;
    let app_role = server::database::current_role(&pool).await?;
    let separate = app_role != owner_role;
    if !separate {
        tracing::warn!(
            role = %app_role,
            "the app runs as the owner of its tables, so it could alter the audit log's \
             protections; set MUEEN_DATABASE_OWNER_URL to the owner and DATABASE_URL to a role \
             with data privileges only"
        );
    }
    server::database::prepare(&owner, separate.then_some(app_role.as_str())).await?;
    owner.close().await;
    Ok(pool)
}

async fn serve(config: Config, owner_url: &str, app_url: &str) -> Result<(), AnyError> {
    let leptos_options = leptos::config::get_configuration(None)?.leptos_options;
    let addr = leptos_options.site_addr;
    let pool = open_database(owner_url, app_url).await?;
    let files = server::files::open(&config).await?;
    // Text written before sealing began is sealed before the first request reads it.
    let ids = app::accounts::service::seal_national_ids(&pool, &files.vault.keys)
        .await
        .map_err(|e| format!("sealing national IDs failed: {e:?}"))?;
    if ids > 0 {
        tracing::info!(rows = ids, "sealed national IDs stored before encryption");
    }
    let sealed = app::records::service::sealing::seal_plaintext(&pool, &files.vault.keys)
        .await
        .map_err(|e| format!("sealing the record's text failed: {e:?}"))?;
    if sealed > 0 {
        tracing::info!(
            rows = sealed,
            "sealed the record's text written before encryption"
        );
    }
    if config.seed_demo {
        let (password, generated) = match &config.demo_password {
            Some(text) => (
                app::kernel::values::Password::parse(text)
                    .map_err(|_| "MUEEN_DEMO_PASSWORD does not meet the password rules")?,
                false,
            ),
            None => (app::demo::generate_password(), true),
        };
        let seeded = app::demo::seed_demo(&pool, &password, &files.vault.keys).await?;
        if seeded {
            tracing::info!("seeded the demo clinic");
        }
        print_demo_accounts((seeded && generated).then_some(password.expose()));
    } else if !app::accounts::db::users::admin_exists(&pool).await? {
        return Err(
            "no admin account exists and demo data is off: create the first admin \
                    with `server create-admin --phone 05… --national-id … --name \"…\" --clinic \"…\"` \
                    (the password is read from standard input), then start again"
                .into(),
        );
    }
    // Carries every branch's holiday calendar forward (it is kept two years ahead).
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    app::clinic::holidays::keep_all(&pool, today)
        .await
        .map_err(|e| format!("keeping the holiday calendars failed: {e:?}"))?;

    let notifier = app::notifications::worker::Notifier::from_config(
        pool.clone(),
        &config,
        files.vault.keys.clone(),
    )?;
    let notify_workers = config.notify_workers;
    let running =
        app::notifications::preferences::RunningChannels(notifier.senders.order().to_vec());
    let state = app::app_state(leptos_options, pool.clone(), Arc::new(config))
        .with(files.vault.clone())
        .with(files.vault.keys.clone())
        .with(Arc::new(running))
        .with(notifier.senders.clone());
    let router = server::build_router(state).await?;
    let lapse_offers = tokio::spawn(server::waitlist_clock::run(pool.clone()));
    let keep_holidays = tokio::spawn(server::holiday_clock::run(
        pool.clone(),
        server::holiday_clock::TICK,
    ));
    // Only the log channel runs until a provider is configured: nothing leaves the machine.
    notifier.spawn(notify_workers);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Mu'een is listening on http://{addr}");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    lapse_offers.abort();
    keep_holidays.abort();
    tracing::info!("shutting down: requests finished, closing the database pool");
    pool.close().await;
    Ok(())
}

async fn rotate_keys(config: &Config, owner_url: &str, app_url: &str) -> Result<(), AnyError> {
    if config.data_keys.is_none() {
        let dir = config.data_dir.join("keys");
        let id = app::kernel::crypto::Keyring::rotate_key_file(&dir)?;
        println!("new data key {id} in {}", dir.join("data-keys").display());
    }
    let pool = open_database(owner_url, app_url).await?;
    let files = server::files::open(config).await?;
    let count = app::records::service::attachments::reseal_all(&pool, &files.vault)
        .await
        .map_err(|e| {
            format!(
                "re-sealing failed: {:?}",
                app::kernel::error::AppError::from(e)
            )
        })?;
    let keys = &files.vault.keys;
    let first = app::records::service::sealing::seal_plaintext(&pool, keys)
        .await
        .map_err(|e| format!("sealing failed: {e:?}"))?;
    let notes = app::records::service::sealing::reseal_stale(&pool, keys)
        .await
        .map_err(|e| format!("re-sealing the record's text failed: {e:?}"))?;
    let ids = app::accounts::service::seal_national_ids(&pool, keys)
        .await
        .map_err(|e| format!("sealing national IDs failed: {e:?}"))?
        + app::accounts::service::reseal_national_ids(&pool, keys)
            .await
            .map_err(|e| format!("re-sealing national IDs failed: {e:?}"))?;
    println!(
        "{count} attachment(s), {} text value(s) of the record and {ids} national ID(s) \
         re-sealed with key {}",
        first + notes,
        keys.current_id()
    );
    pool.close().await;
    Ok(())
}

async fn verify_audit(owner_url: &str) -> Result<(), AnyError> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(owner_url)
        .await?;
    let report = server::audit_chain::verify(&pool).await?;
    println!("{report}");
    match report {
        server::audit_chain::ChainReport::Intact { .. } => Ok(()),
        server::audit_chain::ChainReport::Broken { .. } => Err("the audit log was altered".into()),
    }
}

async fn create_admin(
    config: &Config,
    owner_url: &str,
    app_url: &str,
    args: &[String],
) -> Result<(), AnyError> {
    use app::accounts::domain::StaffInput;
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_default()
    };
    let name = flag("--name");
    let parts: Vec<&str> = name.split_whitespace().collect();
    let part = |i: usize| parts.get(i).map(|p| (*p).to_owned()).unwrap_or_default();
    eprint!("Password for the new admin (8 characters or more): ");
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let input = StaffInput {
        role: "admin".into(),
        first_name: part(0),
        father_name: part(1),
        grandfather_name: part(2),
        // A name of more than four parts keeps the rest in the family name.
        family_name: parts.get(3..).map(|p| p.join(" ")).unwrap_or_default(),
        latin_name: flag("--latin-name"),
        phone: flag("--phone"),
        national_id: flag("--national-id"),
        email: flag("--email"),
        password: password.trim_end_matches(['\r', '\n']).to_owned(),
    };
    let staff = input.parse().map_err(|errors| {
        errors
            .0
            .iter()
            .map(|e| {
                let message =
                    app::kernel::i18n::translate(app::kernel::i18n::Locale::En, &e.key, None);
                format!("{}: {message}", e.field)
            })
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let rule = app::kernel::values::text::TextRule::line(120);
    let clinic_ar = rule
        .parse_optional(&flag("--clinic"))
        .map_err(|_| "--clinic: the clinic's Arabic name, one line of up to 120 characters")?;
    let clinic_en = rule
        .parse_optional(&flag("--clinic-en"))
        .map_err(|_| "--clinic-en: one line of up to 120 characters")?;
    let clinic = clinic_ar
        .as_deref()
        .map(|ar| (ar, clinic_en.as_deref().unwrap_or(ar)));
    let pool = open_database(owner_url, app_url).await?;
    let hashing = app::kernel::hashing::HashGate::for_this_machine();
    let keys = server::files::keys(config)?;
    match app::accounts::service::bootstrap_admin(&pool, &keys, &hashing, &staff, clinic).await {
        Ok(id) => {
            println!(
                "created the first admin ({id}); log in with {}",
                staff.phone.as_str()
            );
            Ok(())
        }
        Err(err) => {
            let err = app::kernel::error::AppError::from(err);
            let message = match &err {
                app::kernel::error::AppError::Forbidden => {
                    "an admin already exists: the first admin is created once; further staff \
                     are added by an admin in the app"
                        .to_owned()
                }
                app::kernel::error::AppError::Validation(f) if f.for_field("clinic").is_some() => {
                    "no clinic exists yet: name it with --clinic \"…\" (Arabic) and --clinic-en \"…\""
                        .to_owned()
                }
                other => app::kernel::i18n::translate(
                    app::kernel::i18n::Locale::En,
                    other.message_key(),
                    None,
                ),
            };
            Err(message.into())
        }
    }
}

fn print_demo_accounts(new_password: Option<&str>) {
    use app::demo::DEMO_ACCOUNTS;
    match new_password {
        Some(password) => println!(
            "\nDemo accounts (log in with the mobile number or the ID). Their password, shown \
             this once and stored nowhere: {password}"
        ),
        None => println!(
            "\nDemo accounts (log in with the mobile number or the ID; the password is the one \
             printed when the demo was seeded, or MUEEN_DEMO_PASSWORD):"
        ),
    }
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
