pub mod account;
pub mod admin_staff;
pub mod appointments;
pub mod book;
pub mod closures;
pub mod doctor;
pub mod doctor_setup;
pub mod doctors;
pub mod errors;
pub mod family;
pub mod home;
pub mod login;
pub mod me;
pub mod reception;
pub mod register;
pub mod setup;
pub mod setup_specialties;
pub mod setup_week;
pub mod staff;
pub mod staff_week;
pub mod waitlist;

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
