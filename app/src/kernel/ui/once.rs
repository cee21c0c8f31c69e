//! Async parts of a server-rendered page, built once per request.

use futures::future::{BoxFuture, FutureExt, Shared};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use std::future::{Future, IntoFuture};

/// The view `fut` resolves to, for the parts of a page outside islands (they never hydrate, so
/// nothing needs to re-run them). Leptos renders `<Suspense>{move || Suspend::new(..)}</Suspense>`
/// on the server by calling the closure again each time it checks for pending resources: the
/// body of a doctor's calendar was built 2.76 times per request (callgrind, 100 requests), which
/// was most of what rendering the page cost. This builds it once.
///
/// Not for use inside a `<Suspense>` or `<Transition>`: there, a `Suspend` that is not ready
/// at once renders nothing on the server.
pub fn awaited<V>(fut: impl Future<Output = V> + Send + 'static) -> Suspend<V>
where
    V: IntoView + 'static,
{
    Suspend::new(fut)
}

/// Data that parts of a server-rendered page await, loaded once per request however many parts
/// await it. For what only parts outside islands read: a `Resource` would also track its
/// sources to refetch in the browser, where those parts never run, and costs several times as
/// much to set up on every request (callgrind on a page's frame).
///
/// The load starts at once in a task of its own, with the owner (and so the request's
/// context) it was created under, as a `Resource`'s does: the loads of a page run side by
/// side, and each runs to its end even if a part awaiting it is dropped half way, so nothing
/// it holds (a database connection) is left with a half-run future. (Run lazily inside the
/// first part that awaited it, such a future was stranded and kept its connection: the pool
/// ran dry within seconds under load.)
pub struct Loaded<T: Clone>(Shared<BoxFuture<'static, T>>);

impl<T: Clone> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    pub fn new(load: impl Future<Output = T> + Send + 'static) -> Self {
        // Building the route list renders the app with a mock request but without the app's
        // state: nothing is loaded then (it could only fail, and log that it did).
        #[cfg(feature = "ssr")]
        if with_context::<crate::kernel::state::AppState, _>(|_| ()).is_none() {
            return Self(futures::future::pending().boxed().shared());
        }
        let (task, handle) = ScopedFuture::new_untracked(load).remote_handle();
        leptos::task::spawn(task);
        Self(handle.boxed().shared())
    }
}

impl<T: Clone> IntoFuture for Loaded<T> {
    type Output = T;
    type IntoFuture = Shared<BoxFuture<'static, T>>;

    fn into_future(self) -> Self::IntoFuture {
        self.0
    }
}
