use crate::kernel::config::Config;
use crate::kernel::hashing::HashGate;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Everything a request handler or server function needs, provided as Leptos context. Each
/// feature keeps its own shared state (e.g. scheduling's schedule cache) in `features`, so the
/// kernel does not depend on any feature.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
    /// Admission to password hashing for this server.
    pub hashing: Arc<HashGate>,
    features: Arc<http::Extensions>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, config: Arc<Config>) -> Self {
        Self {
            leptos_options,
            pool,
            config,
            hashing: Arc::new(HashGate::for_this_machine()),
            features: Arc::default(),
        }
    }

    /// Adds a feature's shared state; one value per type.
    pub fn with<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        Arc::make_mut(&mut self.features).insert(value);
        self
    }

    /// A feature's shared state, registered at start-up by `app::app_state`.
    pub fn feature<T: Clone + Send + Sync + 'static>(&self) -> Option<&T> {
        self.features.get::<T>()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
