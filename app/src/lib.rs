#![recursion_limit = "256"]
//! Mu'een: the components, server functions, domain rules and (behind `ssr`) database layer.

pub mod auth;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod models;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod scheduling;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod waitlist;

use components::layout::{load_shell, Footer, Header, ShellInfo};
use error::AppError;
use i18n::{request_locale, I18n};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

/// Header data (clinic, current user) for the whole page, refetched on every navigation and
/// after log-out, so the header never shows a stale user.
#[derive(Clone, Copy)]
pub struct ShellResource(pub Resource<Result<ShellInfo, AppError>>);

/// The header's log-out action, owned here because the shell data depends on it.
#[derive(Clone, Copy)]
pub struct LogoutAction(pub ServerAction<pages::login::Logout>);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code() dir=locale.dir()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#115e59"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="preload" href="/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2"
                    r#as="font" r#type="font/woff2" crossorigin="anonymous"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n {
        locale: request_locale(),
    };
    provide_context(i18n);

    view! {
        <Stylesheet id="leptos" href="/pkg/mueen.css"/>
        <Title text=i18n.t("common-app-name")/>
        <Router>
            <ShellProvider>
                <Header/>
                <main class="mx-auto w-full max-w-5xl px-4 py-6 sm:py-10">
                    <Routes fallback=|| view! { <pages::errors::NotFound/> }>
                        <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/register") view=pages::register::RegisterPage ssr=SsrMode::Async/>
                        <Route path=path!("/login") view=pages::login::LoginPage ssr=SsrMode::Async/>
                        <Route path=path!("/me") view=pages::me::PatientHomePage ssr=SsrMode::Async/>
                        <Route path=path!("/staff") view=pages::staff::StaffHomePage ssr=SsrMode::Async/>
                        <Route path=path!("/staff/week") view=pages::staff_week::StaffWeekPage ssr=SsrMode::Async/>
                        <Route path=path!("/setup") view=pages::setup::SetupPage ssr=SsrMode::Async/>
                        <Route path=path!("/setup/doctors/:id") view=pages::doctor_setup::DoctorSetupPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/staff") view=pages::admin_staff::AdminStaffPage ssr=SsrMode::Async/>
                        <Route path=path!("/doctors") view=pages::doctors::DoctorsPage ssr=SsrMode::Async/>
                        <Route path=path!("/doctors/:id") view=pages::doctor::DoctorPage ssr=SsrMode::Async/>
                        <Route path=path!("/reception") view=pages::reception::ReceptionPage ssr=SsrMode::Async/>
                        <Route path=path!("/book") view=pages::book::BookPage ssr=SsrMode::Async/>
                        <Route path=path!("/me/family") view=pages::family::FamilyPage ssr=SsrMode::Async/>
                        <Route path=path!("/me/appointments") view=pages::appointments::MyAppointmentsPage ssr=SsrMode::Async/>
                        <Route path=path!("/appointments/:id") view=pages::appointments::AppointmentPage ssr=SsrMode::Async/>
                        <Route path=path!("/account/password") view=pages::account::ChangePasswordPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
                <Footer/>
            </ShellProvider>
        </Router>
    }
}

#[component]
fn ShellProvider(children: Children) -> impl IntoView {
    let location = use_location();
    let logout = ServerAction::<pages::login::Logout>::new();
    let resource = Resource::new(
        move || (location.pathname.get(), logout.version().get()),
        |_| load_shell(),
    );
    provide_context(ShellResource(resource));
    provide_context(LogoutAction(logout));
    children()
}
