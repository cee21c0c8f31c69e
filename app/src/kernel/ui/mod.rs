//! Components every feature's pages use: form fields, dates in both calendars, the role gate,
//! the branch filter, error pages, and the frame's shared data.

pub mod branch_filter;
pub mod checks;
pub mod csp;
pub mod enhance;
pub mod errors;
pub mod form;
pub mod guard;
pub mod kept;
pub mod once;
pub mod shell_data;
pub mod when;

/// Sets the HTTP status of the page being rendered on the server; nothing in the browser.
pub fn set_page_status(_status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_status),
    ) {
        options.set_status(code);
    }
}
