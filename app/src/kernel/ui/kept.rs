//! Parts of a page that every caller with the same data sees byte for byte the same — a
//! doctor's days and free times, the doctor search's results — rendered once per distinct data
//! and reused. The page cache (`server::page_cache`) serves whole pages to visitors; a
//! logged-in patient's page has a frame of its own (their name, their menu), so it is rendered
//! each time, and this keeps its largest part from being built again while its data is the
//! same. The data is read on every request as before: only turning unchanged data into HTML
//! is skipped, and a copy is used only when the data it was rendered from equals what this
//! request read.
//!
//! Only for parts rendered at once (nothing awaited: the part is turned into HTML on its own),
//! without islands or reactive state, and reading nothing from the request but what the key
//! holds (the language is always part of it).

use leptos::prelude::*;

/// `render`'s view, or the HTML it gave for the same `part`, `key`, language and `data`.
/// `key` holds whatever else the part reads (such as parameters carried in its links).
pub fn kept<T, V>(part: &'static str, key: &str, data: T, render: impl FnOnce(T) -> V) -> AnyView
where
    T: PartialEq + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    #[cfg(feature = "ssr")]
    match server::look_up(part, key, &data) {
        server::Found::Kept(html) => leptos::tachys::html::InertElement::new(html).into_any(),
        server::Found::Missing(slot) => {
            let kept_data = data.clone();
            let html = render(data).into_view().to_html();
            slot.keep(kept_data, html.clone());
            leptos::tachys::html::InertElement::new(html).into_any()
        }
        server::Found::NoStore => render(data).into_any(),
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (part, key);
        render(data).into_any()
    }
}

#[cfg(feature = "ssr")]
pub use server::KeptHtml;

#[cfg(feature = "ssr")]
mod server {
    use crate::kernel::state::AppState;
    use std::any::Any;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    /// Bounds what many doctors, days and languages can make the store hold (HTML bytes, and
    /// parts: each keeps its data beside its HTML, which is of the same order of size); past
    /// either, the store starts again empty (the next requests render and refill it).
    const MAX_BYTES: usize = 16 * 1024 * 1024;
    const MAX_PARTS: usize = 4096;

    /// The process's kept parts, registered in the app state at start-up (`app::app_state`).
    #[derive(Default)]
    pub struct KeptHtml {
        stored: Mutex<Stored>,
    }

    #[derive(Default)]
    struct Stored {
        parts: HashMap<String, Arc<Copy>>,
        bytes: usize,
    }

    /// One part as rendered, with the data it was rendered from. The data is compared as a
    /// value (`PartialEq`), which costs a fraction of serializing it for the comparison.
    struct Copy {
        data: Box<dyn Any + Send + Sync>,
        html: String,
    }

    impl KeptHtml {
        fn get(&self, key: &str) -> Option<Arc<Copy>> {
            let stored = self.stored.lock().unwrap_or_else(|p| p.into_inner());
            stored.parts.get(key).cloned()
        }

        fn put(&self, key: String, copy: Copy) {
            let size = key.len() + copy.html.len();
            let mut stored = self.stored.lock().unwrap_or_else(|p| p.into_inner());
            if stored.bytes + size > MAX_BYTES || stored.parts.len() >= MAX_PARTS {
                stored.parts.clear();
                stored.bytes = 0;
            }
            let key_len = key.len();
            stored.bytes += size;
            if let Some(old) = stored.parts.insert(key, Arc::new(copy)) {
                stored.bytes = stored.bytes.saturating_sub(key_len + old.html.len());
            }
        }
    }

    pub(super) enum Found {
        /// HTML rendered from data equal to this request's.
        Kept(String),
        /// Render, then hand the HTML to the slot.
        Missing(Slot),
        /// No store in this app state: render each time.
        NoStore,
    }

    /// Where a part rendered now is kept, with the data it was rendered from.
    pub(super) struct Slot {
        store: Arc<KeptHtml>,
        key: String,
    }

    impl Slot {
        pub(super) fn keep<T: Send + Sync + 'static>(self, data: T, html: String) {
            self.store.put(
                self.key,
                Copy {
                    data: Box::new(data),
                    html,
                },
            );
        }
    }

    pub(super) fn look_up<T: PartialEq + 'static>(part: &str, key: &str, data: &T) -> Found {
        let Some(store) = leptos::prelude::use_context::<AppState>()
            .and_then(|state| state.feature::<Arc<KeptHtml>>().cloned())
        else {
            return Found::NoStore;
        };
        let locale = crate::kernel::i18n::use_i18n().locale;
        let key = format!("{part}|{}|{key}", locale.code());
        match store.get(&key) {
            Some(copy) if copy.data.downcast_ref::<T>() == Some(data) => {
                Found::Kept(copy.html.clone())
            }
            _ => Found::Missing(Slot { store, key }),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn copy(n: usize) -> Copy {
            Copy {
                data: Box::new(n),
                html: "x".repeat(n),
            }
        }

        #[test]
        fn a_full_store_starts_again_and_a_replaced_copy_is_not_counted_twice() {
            let store = KeptHtml::default();
            store.put("a".into(), copy(10));
            store.put("a".into(), copy(20));
            assert_eq!(store.stored.lock().unwrap().bytes, 1 + 20);
            store.put("b".into(), copy(MAX_BYTES / 2));
            assert!(store.get("a").is_some(), "room for both");
            store.put("c".into(), copy(MAX_BYTES / 2));
            assert!(store.get("a").is_none(), "the store started again");
            assert!(store.get("b").is_none(), "the store started again");
            assert_eq!(store.get("c").map(|c| c.html.len()), Some(MAX_BYTES / 2));
            assert_eq!(store.stored.lock().unwrap().bytes, 1 + MAX_BYTES / 2);
        }

        #[test]
        fn too_many_parts_start_the_store_again() {
            let store = KeptHtml::default();
            for i in 0..MAX_PARTS {
                store.put(i.to_string(), copy(1));
            }
            assert!(store.get("0").is_some());
            store.put("one more".into(), copy(1));
            assert!(store.get("0").is_none());
            assert_eq!(store.stored.lock().unwrap().parts.len(), 1);
        }
    }
}
