//! The browser entry point. Pages are rendered on the server; only islands run here.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The islands themselves are exported by `app`; this names the crate so it is linked.
    app::kernel::ui::enhance::linked();
    leptos::mount::hydrate_islands();
    // The loader hydrates the islands right after this returns, in the same task; a timer
    // fires after them, and tells the browser tests that the page is live (or leaves that to
    // the form enhancer, while it fetches its messages).
    leptos::prelude::set_timeout(
        app::kernel::ui::enhance::mark_live_when_ready,
        std::time::Duration::ZERO,
    );
}
