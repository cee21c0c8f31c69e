//! Data a page's server function may find already read for this request. The page cache
//! (`server::page_cache`) reads a page's data to decide whether its stored copy is current; on
//! a miss it hands what it read to the render, so the page shows exactly the data the new copy
//! is filed under. The cache keeps the copy only if every server function took what it was
//! handed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A value read for this request, carried in the request's extensions.
#[derive(Clone)]
pub struct Prefetched<T> {
    value: Arc<T>,
    used: Used,
}

/// Whether the render took a prefetched value.
#[derive(Clone, Default)]
pub struct Used(Arc<AtomicBool>);

impl Used {
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

impl<T> Prefetched<T> {
    pub fn new(value: T) -> Self {
        Self {
            value: Arc::new(value),
            used: Used::default(),
        }
    }

    /// Tells afterwards whether the render took the value.
    pub fn used(&self) -> Used {
        self.used.clone()
    }
}

/// The `T` read for this request, if there is one and `fits` says it answers what the server
/// function was asked; taking it marks it used.
pub fn prefetched<T: Send + Sync + 'static>(fits: impl FnOnce(&T) -> bool) -> Option<Arc<T>> {
    let (value, used) = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        let found = parts.extensions.get::<Prefetched<T>>()?;
        Some((found.value.clone(), found.used.clone()))
    })??;
    if !fits(&value) {
        return None;
    }
    used.0.store(true, Ordering::Release);
    Some(value)
}
