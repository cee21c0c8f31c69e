#![recursion_limit = "256"]
//! Mu'een: one folder per feature (accounts, patients, clinic, scheduling), each with its pure
//! rules, its SQL and services (behind `ssr`), its server functions and its pages, over a small
//! kernel they all share. This file wires the routes.

pub mod accounts;
pub mod clinic;
pub mod frame;
pub mod home;
pub mod kernel;
pub mod notifications;
pub mod patient_home;
pub mod patients;
pub mod records;
pub mod scheduling;

#[cfg(feature = "ssr")]
pub mod demo;

use crate::frame::{Footer, Header, ShellProvider};
use crate::kernel::i18n::{request_locale, I18n};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The bundle's current file name (without extension), hashed by the server at start-up.
#[derive(Clone)]
struct BundleName(std::sync::Arc<str>);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    // Read once per request: `App` and every page take it from here.
    provide_context(I18n { locale });
    crate::kernel::ui::csp::set_page_policy();
    // The bundle's current (hashed) name, for the stylesheet link in `App`; only the name, as
    // the whole options would be copied at each look-up.
    provide_context(BundleName(options.output_name.clone()));
    #[cfg(feature = "ssr")]
    provide_context(crate::kernel::auth::request::UserOnce::default());
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
                <HydrationScripts options islands=true/>
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
    let i18n = use_context::<I18n>().unwrap_or_else(|| {
        let i18n = I18n {
            locale: request_locale(),
        };
        provide_context(i18n);
        i18n
    });
    crate::kernel::ui::enhance::provide_enhancer_slot();

    let bundle = use_context::<BundleName>()
        .map(|b| b.0.to_string())
        .unwrap_or_else(|| "mueen".to_owned());
    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{bundle}.css")/>
        <Title text=i18n.t("common-app-name")/>
        <Router>
            <ShellProvider>
                <Header/>
                <main class="mx-auto w-full max-w-5xl px-4 py-6 sm:py-10 print:max-w-none print:p-0">
                    <Routes fallback=|| view! { <crate::kernel::ui::errors::NotFound/> }>
                        <Route path=path!("/") view=crate::home::HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/register") view=crate::accounts::pages::register::RegisterPage ssr=SsrMode::Async/>
                        <Route path=path!("/login") view=crate::accounts::pages::login::LoginPage ssr=SsrMode::Async/>
                        <Route path=path!("/me") view=crate::patient_home::PatientHomePage ssr=SsrMode::Async/>
                        <Route path=path!("/staff") view=crate::scheduling::pages::staff::StaffHomePage ssr=SsrMode::Async/>
                        <Route path=path!("/staff/week") view=crate::scheduling::pages::staff_week::StaffWeekPage ssr=SsrMode::Async/>
                        <Route path=path!("/setup") view=crate::clinic::pages::setup::SetupPage ssr=SsrMode::Async/>
                        <Route path=path!("/setup/doctors/:id") view=crate::clinic::pages::doctor_setup::DoctorSetupPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/staff") view=crate::accounts::pages::admin_staff::AdminStaffPage ssr=SsrMode::Async/>
                        <Route path=path!("/doctors") view=crate::scheduling::pages::doctors::DoctorsPage ssr=SsrMode::Async/>
                        <Route path=path!("/doctors/:id") view=crate::scheduling::pages::doctor::DoctorPage ssr=SsrMode::Async/>
                        <Route path=path!("/reception") view=crate::patients::pages::reception::ReceptionPage ssr=SsrMode::Async/>
                        <Route path=path!("/book") view=crate::scheduling::pages::book::BookPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/notifications") view=crate::notifications::admin::NotificationsAdminPage ssr=SsrMode::Async/>
                        <Route path=path!("/me/notifications") view=crate::notifications::preferences::NotificationSettingsPage ssr=SsrMode::Async/>
                        <Route path=path!("/me/family") view=crate::patients::pages::family::FamilyPage ssr=SsrMode::Async/>
                        <Route path=path!("/me/appointments") view=crate::scheduling::pages::appointments::MyAppointmentsPage ssr=SsrMode::Async/>
                        <Route path=path!("/appointments/:id") view=crate::scheduling::pages::appointments::AppointmentPage ssr=SsrMode::Async/>
                        <Route path=path!("/encounters/:id") view=crate::records::pages::encounter::EncounterPage ssr=SsrMode::Async/>
                        <Route path=path!("/prescriptions/:id") view=crate::records::pages::prescriptions::PrescriptionPage ssr=SsrMode::Async/>
                        <Route path=path!("/rx/:code") view=crate::records::pages::prescriptions::VerifyPage ssr=SsrMode::Async/>
                        <Route path=path!("/chart") view=crate::records::pages::chart::ChartSearchPage ssr=SsrMode::Async/>
                        <Route path=path!("/chart/:id") view=crate::records::pages::chart::PatientChartPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/break-glass") view=crate::records::pages::break_glass::BreakGlassReviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/me/records") view=crate::records::pages::portal::MyRecordPage ssr=SsrMode::Async/>
                        <Route path=path!("/t/:token") view=crate::notifications::one_tap::page::OneTapPage ssr=SsrMode::Async/>
                        <Route path=path!("/account/password") view=crate::accounts::pages::account::ChangePasswordPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
                <Footer/>
            </ShellProvider>
        </Router>
    }
}

/// The app state with every feature's shared state registered: what the server, the tests and
/// the benchmark start from.
#[cfg(feature = "ssr")]
pub fn app_state(
    leptos_options: LeptosOptions,
    pool: sqlx::PgPool,
    config: std::sync::Arc<kernel::config::Config>,
) -> kernel::state::AppState {
    kernel::state::AppState::new(leptos_options, pool, config)
        .with(std::sync::Arc::new(
            scheduling::cache::ScheduleCache::default(),
        ))
        .with(std::sync::Arc::new(clinic::header::ClinicHeader::default()))
        .with(std::sync::Arc::new(kernel::ui::kept::KeptHtml::default()))
}
