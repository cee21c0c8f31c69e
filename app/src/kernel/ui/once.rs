//! Async parts of a server-rendered page, built once per request.

use leptos::prelude::*;
use std::future::Future;

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
