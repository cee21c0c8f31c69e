use crate::kernel::config::Config;
use crate::kernel::hashing::HashGate;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Everything a request handler or server function needs, provided as Leptos context. Each
/// feature keeps its own shared state (e.g. scheduling's schedule cache) in `features`, so the
/// kernel does not depend on any feature.
///
/// One `Arc`: a page request clones the state a dozen times (each layer, each context look-up),
/// and cloning the fields one by one meant some twenty reference counts, shared by every worker
/// thread, counted up and down each time.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

#[derive(Clone)]
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
    /// Admission to password hashing for this server.
    pub hashing: Arc<HashGate>,
    features: http::Extensions,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, config: Arc<Config>) -> Self {
        Self(Arc::new(Shared {
            leptos_options,
            pool,
            config,
            hashing: Arc::new(HashGate::for_this_machine()),
            features: http::Extensions::new(),
        }))
    }

    /// Adds a feature's shared state; one value per type. At start-up only: it copies the
    /// state when a clone of it is already out.
    pub fn with<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        Arc::make_mut(&mut self.0).features.insert(value);
        self
    }

    /// The build's options, to change at start-up (the bundle's hashed name).
    pub fn leptos_options_mut(&mut self) -> &mut LeptosOptions {
        &mut Arc::make_mut(&mut self.0).leptos_options
    }

    /// A feature's shared state, registered at start-up by `app::app_state`.
    pub fn feature<T: Clone + Send + Sync + 'static>(&self) -> Option<&T> {
        self.0.features.get::<T>()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
