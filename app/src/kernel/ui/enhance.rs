//! The one piece of the page that runs in the browser. Every page is rendered on the server and
//! every form posts to its server function without JavaScript. When the bundle has loaded, this
//! island improves the forms that have fields on them:
//!
//! - a field that names a rule (`data-check`) is checked by the domain parser when it changes;
//! - on submit, every such field is checked first, and nothing is sent while one is wrong;
//! - the form is sent with `fetch` (URL-encoded, or multipart when it carries a file), so an
//!   answer with errors shows them beside the fields and the patient keeps what they typed (a
//!   plain post would reload the page empty);
//! - success follows the server's redirect, or reloads the page so it shows the new state;
//! - a form marked `data-autosave` (the consultation note) is also sent two seconds after the
//!   doctor stops typing, without its submit button (so as a draft), and before any upload on
//!   the page, so leaving the page after an upload loses nothing typed.
//!
//! Forms with nothing typed in them (buttons with hidden fields) are left to post as they are.
//! The messages come from the server in the page's language, so no translation runs here: the
//! island carries only the address of the language's messages file (`i18n::error_messages_file`,
//! kept by the browser for good) and fetches it as it starts; the page is marked live
//! (`data-hydrated`) once the enhancer listens. Should the file not arrive, the forms post as
//! they do without JavaScript.

use crate::kernel::i18n::use_i18n;
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Set once per page by the first form that wants the island, so a page with five forms
/// carries the island (and its messages) once, and a page without forms not at all.
#[derive(Clone, Default)]
pub struct EnhancerPlaced(Arc<AtomicBool>);

pub fn provide_enhancer_slot() {
    provide_context(EnhancerPlaced::default());
}

/// The island, the first time a page asks for it; nothing after that.
#[component]
pub fn EnhanceOnce() -> impl IntoView {
    let first = use_context::<EnhancerPlaced>()
        .map(|slot| !slot.0.swap(true, Ordering::Relaxed))
        .unwrap_or(false);
    first.then(|| {
        #[cfg(feature = "ssr")]
        let messages_at = crate::kernel::i18n::error_messages_file(use_i18n().locale)
            .path
            .clone();
        #[cfg(not(feature = "ssr"))]
        let messages_at = {
            let _ = use_i18n;
            String::new()
        };
        view! { <FormEnhancer messages_at/> }
    })
}

#[island]
fn FormEnhancer(messages_at: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    client::start(messages_at);
    #[cfg(not(feature = "hydrate"))]
    let _ = messages_at;
}

#[cfg(feature = "hydrate")]
pub use client::mark_live_when_ready;

#[cfg(feature = "hydrate")]
mod client {
    use crate::kernel::error::AppError;
    use crate::kernel::ui::checks::Check;
    use leptos::prelude::*;
    use std::collections::HashMap;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, HtmlFormElement, HtmlInputElement, Response};

    type Messages = Rc<HashMap<String, String>>;

    thread_local! {
        /// Set while the enhancer fetches its messages: the page is not live until it listens.
        static STARTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Fetches the messages at `messages_at`, then listens; marks the page live either way.
    pub fn start(messages_at: String) {
        STARTING.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(messages) = fetch_messages(&messages_at).await {
                listen(messages);
            }
            STARTING.set(false);
            mark_live_when_ready();
        });
    }

    /// Tells the browser tests that the page is live (`body[data-hydrated]`), unless the
    /// enhancer is still starting (it marks the page itself when it listens).
    pub fn mark_live_when_ready() {
        if STARTING.get() {
            return;
        }
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }

    async fn fetch_messages(at: &str) -> Result<HashMap<String, String>, ()> {
        let answer = JsFuture::from(window().fetch_with_str(at))
            .await
            .map_err(drop)?;
        let response: Response = answer.dyn_into().map_err(drop)?;
        if !response.ok() {
            return Err(());
        }
        let body = JsFuture::from(response.text().map_err(drop)?)
            .await
            .map_err(drop)?
            .as_string()
            .unwrap_or_default();
        serde_json::from_str(&body).map_err(drop)
    }

    fn listen(messages: HashMap<String, String>) {
        let messages: Messages = Rc::new(messages);
        let on_change = messages.clone();
        // Listeners on the window see every form's events as they bubble, including forms
        // the page adds later; they live as long as the page.
        let _ = window_event_listener(leptos::ev::change, move |ev| {
            if let Some(field) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                check_field(&field, &on_change);
            }
        });
        let _ = window_event_listener(leptos::ev::input, move |ev| {
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|field| field.closest("form[data-autosave]").ok().flatten())
                .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
            {
                autosave::typed(form);
            }
        });
        let _ = window_event_listener(leptos::ev::submit, move |ev| {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            if !is_enhanced(&form) {
                return;
            }
            ev.prevent_default();
            if let Some(first) = check_all(&form, &messages) {
                show_summary(&form, &messages, None);
                focus(&first);
                return;
            }
            // A form sent by script carries the pressed button's name only if added by hand
            // (e.g. "save" versus "save and sign" on one form).
            let pressed = ev
                .submitter()
                .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
                .map(|b| (b.name(), b.value()))
                .filter(|(name, _)| !name.is_empty());
            let messages = messages.clone();
            leptos::task::spawn_local(async move { send(form, pressed, messages).await });
        });
    }

    /// A form that posts to a server function and has fields whose errors it can show.
    fn is_enhanced(form: &HtmlFormElement) -> bool {
        form.method().eq_ignore_ascii_case("post")
            && same_origin_api(&form.action())
            && form
                .query_selector("[data-field-error]")
                .ok()
                .flatten()
                .is_some()
    }

    fn same_origin_api(action: &str) -> bool {
        let origin = window().location().origin().unwrap_or_default();
        action
            .strip_prefix(origin.as_str())
            .is_some_and(|path| path.starts_with("/api/"))
    }

    fn value_of(field: &Element) -> Option<String> {
        if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            return Some(input.value());
        }
        if let Some(select) = field.dyn_ref::<web_sys::HtmlSelectElement>() {
            return Some(select.value());
        }
        None
    }

    /// Runs the field's rule; returns whether it passed (fields without a rule pass).
    fn check_field(field: &Element, messages: &Messages) -> bool {
        let Some(check) = field
            .get_attribute("data-check")
            .and_then(|code| Check::from_code(&code))
        else {
            return true;
        };
        let Some(value) = value_of(field) else {
            return true;
        };
        let today = time::OffsetDateTime::now_utc().date();
        let problem = check.run(&value, today);
        let name = field.get_attribute("name").unwrap_or_default();
        if let Some(form) = field.closest("form").ok().flatten() {
            set_field_message(&form, &name, problem.map(|k| text(messages, k)));
        }
        problem.is_none()
    }

    /// Checks every field with a rule; returns the first that failed.
    fn check_all(form: &HtmlFormElement, messages: &Messages) -> Option<Element> {
        let fields = form.query_selector_all("[data-check]").ok()?;
        let mut first = None;
        for i in 0..fields.length() {
            let Some(field) = fields.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            if !check_field(&field, messages) && first.is_none() {
                first = Some(field);
            }
        }
        first
    }

    fn text(messages: &Messages, key: &str) -> String {
        messages
            .get(key)
            .or_else(|| messages.get("err-internal"))
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    fn set_field_message(form: &Element, name: &str, message: Option<String>) -> bool {
        let selector = format!("[data-field-error=\"{name}\"]");
        let Some(slot) = form.query_selector(&selector).ok().flatten() else {
            return false;
        };
        slot.set_text_content(message.as_deref());
        if let Some(input) = form
            .query_selector(&format!("[name=\"{name}\"]"))
            .ok()
            .flatten()
        {
            let _ = input.set_attribute("aria-invalid", &message.is_some().to_string());
        }
        true
    }

    /// Shows `message` in the form's summary box, or hides the box when there is none.
    fn show_summary(form: &Element, messages: &Messages, message: Option<&str>) {
        let Some(summary) = form.query_selector("[data-form-error]").ok().flatten() else {
            return;
        };
        match message {
            Some(key) => {
                summary.set_text_content(Some(&text(messages, key)));
                let _ = summary.remove_attribute("hidden");
            }
            None => {
                summary.set_text_content(None);
                let _ = summary.set_attribute("hidden", "");
            }
        }
    }

    fn focus(field: &Element) {
        if let Some(el) = field.dyn_ref::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }

    fn set_busy(form: &HtmlFormElement, busy: bool) {
        let _ = form.set_attribute("aria-busy", &busy.to_string());
        if let Ok(buttons) = form.query_selector_all("button[type=submit], button:not([type])") {
            for i in 0..buttons.length() {
                if let Some(button) = buttons
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::HtmlButtonElement>().ok())
                {
                    button.set_disabled(busy);
                }
            }
        }
    }

    async fn send(form: HtmlFormElement, pressed: Option<(String, String)>, messages: Messages) {
        set_busy(&form, true);
        if form.enctype().eq_ignore_ascii_case("multipart/form-data") {
            autosave::flush().await;
        }
        let outcome = post(&form, pressed).await;
        match outcome {
            Ok(Answer::Redirect(to)) => {
                let _ = window().location().assign(&to);
            }
            Ok(Answer::Done) => {
                let _ = window().location().reload();
            }
            Ok(Answer::Refused(error)) => {
                set_busy(&form, false);
                show_error(&form, &messages, &error);
            }
            Err(()) => {
                set_busy(&form, false);
                show_error(&form, &messages, &AppError::Network);
            }
        }
    }

    enum Answer {
        Redirect(String),
        Done,
        Refused(AppError),
    }

    async fn post(form: &HtmlFormElement, pressed: Option<(String, String)>) -> Result<Answer, ()> {
        let data = web_sys::FormData::new_with_form(form).map_err(drop)?;
        if let Some((name, value)) = pressed {
            data.append_with_str(&name, &value).map_err(drop)?;
        }
        let headers = web_sys::Headers::new().map_err(drop)?;
        // Not text/html: the server then answers with the result instead of a redirect.
        headers.set("Accept", "application/json").map_err(drop)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        if form.enctype().eq_ignore_ascii_case("multipart/form-data") {
            // A file upload goes as it is; the browser sets the boundary in the header.
            init.set_body(&data);
        } else {
            let body =
                web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).map_err(drop)?;
            headers
                .set("Content-Type", "application/x-www-form-urlencoded")
                .map_err(drop)?;
            init.set_body(&body);
        }
        init.set_headers(&headers);
        let answer = JsFuture::from(window().fetch_with_str_and_init(&form.action(), &init))
            .await
            .map_err(drop)?;
        let response: Response = answer.dyn_into().map_err(drop)?;
        let header = |name: &str| response.headers().get(name).ok().flatten();
        if header(server_fn::redirect::REDIRECT_HEADER).is_some() {
            if let Some(to) = header("location") {
                return Ok(Answer::Redirect(to));
            }
        }
        if response.ok() {
            return Ok(Answer::Done);
        }
        let body = JsFuture::from(response.text().map_err(drop)?)
            .await
            .map_err(drop)?
            .as_string()
            .unwrap_or_default();
        Ok(Answer::Refused(
            serde_json::from_str(&body).unwrap_or(AppError::Internal),
        ))
    }

    /// Drafts saved as the doctor types: one timer per page, restarted by each keystroke.
    mod autosave {
        use super::{post, Answer};
        use leptos::prelude::*;
        use std::cell::{Cell, RefCell};
        use std::time::Duration;
        use web_sys::HtmlFormElement;

        const QUIET: Duration = Duration::from_secs(2);

        thread_local! {
            /// Bumped by each keystroke: a timer that finds a newer number was overtaken.
            static TYPED: Cell<u64> = const { Cell::new(0) };
            /// The form with changes not sent yet.
            static PENDING: RefCell<Option<HtmlFormElement>> = const { RefCell::new(None) };
        }

        pub fn typed(form: HtmlFormElement) {
            let n = TYPED.with(|t| {
                t.set(t.get() + 1);
                t.get()
            });
            status(&form, "data-pending-text");
            PENDING.with(|p| *p.borrow_mut() = Some(form));
            set_timeout(
                move || {
                    if TYPED.with(Cell::get) == n {
                        leptos::task::spawn_local(flush());
                    }
                },
                QUIET,
            );
        }

        /// Sends the pending draft now, if there is one.
        pub async fn flush() {
            let Some(form) = PENDING.with(|p| p.borrow_mut().take()) else {
                return;
            };
            let saved = matches!(
                post(&form, None).await,
                Ok(Answer::Redirect(_) | Answer::Done)
            );
            // A half-typed field (a code not finished yet) is no failure of the draft: it is
            // sent again after the next keystroke, and the save button shows the error.
            if saved {
                let now = js_sys::Date::new_0();
                let at = format!("{:02}:{:02}", now.get_hours(), now.get_minutes());
                status(&form, "data-saved-text");
                if let Some(slot) = form.query_selector("[data-autosave-status]").ok().flatten() {
                    let text = slot.text_content().unwrap_or_default();
                    slot.set_text_content(Some(&format!("{text} {at}")));
                }
            } else {
                status(&form, "data-failed-text");
            }
        }

        fn status(form: &HtmlFormElement, which: &str) {
            if let Some(slot) = form.query_selector("[data-autosave-status]").ok().flatten() {
                slot.set_text_content(slot.get_attribute(which).as_deref());
            }
        }
    }

    fn show_error(form: &HtmlFormElement, messages: &Messages, error: &AppError) {
        if let Ok(slots) = form.query_selector_all("[data-field-error]") {
            for i in 0..slots.length() {
                if let Some(slot) = slots.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let name = slot.get_attribute("data-field-error").unwrap_or_default();
                    set_field_message(form, &name, None);
                }
            }
        }
        let mut unplaced = None;
        let mut first_field = None;
        if let Some(fields) = error.field_errors() {
            for e in &fields.0 {
                if set_field_message(form, &e.field, Some(text(messages, &e.key))) {
                    if first_field.is_none() {
                        first_field = form
                            .query_selector(&format!("[name=\"{}\"]", e.field))
                            .ok()
                            .flatten();
                    }
                } else if unplaced.is_none() {
                    unplaced = Some(e.key.clone());
                }
            }
        }
        // As the server-rendered page does: a summary for errors that name no field, and for a
        // field this form does not show.
        let summary = match (error.field_errors(), unplaced) {
            (_, Some(key)) => Some(key),
            (Some(_), None) => None,
            (None, None) => Some(error.message_key().to_owned()),
        };
        show_summary(form, messages, summary.as_deref());
        if let Some(field) = first_field {
            focus(&field);
        }
    }
}

/// Does nothing; the browser entry calls it so this crate, and the islands it exports, are
/// linked into the bundle.
pub fn linked() {}
