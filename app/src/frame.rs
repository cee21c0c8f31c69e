//! The frame around every page: clinic name, navigation for the caller's role, language
//! switch, log-out, footer. Its data comes from one server function.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::once::{awaited, Loaded};
use crate::kernel::ui::shell_data::{LogoutAction, ShellData, ShellInfo};
use crate::kernel::values::Role;
use leptos::prelude::*;

#[server(endpoint = "shell_info")]
pub async fn load_shell() -> Result<ShellInfo, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    // A visitor without a session, as the page cache read it (`kernel::page_data`).
    if let Some(read) = crate::kernel::page_data::prefetched::<ShellInfo>(|_| true) {
        return Ok((*read).clone());
    }
    let ctx = RequestCtx::current()?;
    Ok(ShellInfo {
        clinic: crate::clinic::header::ClinicHeader::primary(&ctx.state).await?,
        user: ctx.current_user().await?,
        demo: ctx.state.config.seed_demo,
    })
}

/// Stores the chosen language in a cookie. Posted by a plain form, so the whole page reloads
/// in the new direction.
#[server(endpoint = "set_locale")]
pub async fn set_locale(lang: String) -> Result<(), AppError> {
    let locale = crate::kernel::i18n::Locale::from_code(&lang).ok_or(AppError::BadRequest)?;
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::kernel::i18n::LOCALE_COOKIE,
        locale.code()
    );
    let value = http::HeaderValue::from_str(&cookie)
        .map_err(|e| crate::kernel::error::internal("locale cookie", e))?;
    response.append_header(http::header::SET_COOKIE, value);
    Ok(())
}

fn nav_links(role: Option<Role>) -> Vec<(&'static str, &'static str)> {
    match role {
        None => vec![
            ("/", "nav-home"),
            ("/doctors", "nav-doctors"),
            ("/login", "nav-login"),
            ("/register", "nav-register"),
        ],
        Some(Role::Patient) => vec![
            ("/me", "nav-my-home"),
            ("/doctors", "nav-book"),
            ("/me/appointments", "nav-my-appointments"),
            ("/me/records", "nav-my-record"),
            ("/me/family", "nav-family"),
            ("/me/notifications", "nav-notifications"),
            ("/account/password", "nav-password"),
        ],
        Some(Role::Doctor) => vec![
            ("/staff", "nav-staff-home"),
            ("/chart", "nav-charts"),
            ("/account/password", "nav-password"),
        ],
        Some(Role::Receptionist) => vec![
            ("/staff", "nav-staff-home"),
            ("/reception", "nav-reception"),
            ("/setup", "nav-setup"),
            ("/account/password", "nav-password"),
        ],
        Some(Role::Admin) => vec![
            ("/admin/staff", "nav-admin-staff"),
            ("/admin/break-glass", "nav-break-glass"),
            ("/admin/notifications", "nav-notifications-admin"),
            ("/setup", "nav-setup"),
            ("/staff", "nav-staff-home"),
            ("/reception", "nav-reception"),
            ("/account/password", "nav-password"),
        ],
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<crate::kernel::ui::shell_data::ShellData>().0;
    let logout = expect_context::<crate::kernel::ui::shell_data::LogoutAction>().0;
    let set_locale_path = <SetLocale as server_fn::ServerFn>::PATH;
    // One wait for the whole header: each awaited part costs a suspense of its own.
    awaited(async move {
        let (clinic, user, demo) = match shell.await {
            Ok(info) => (info.clinic, info.user, info.demo),
            Err(_) => (None, None, false),
        };
        let clinic = clinic
            .map(|c| c.name(i18n.locale).to_owned())
            .unwrap_or_else(|| i18n.t("common-app-name"));
        let role = user.as_ref().map(|u| u.role);
        view! {
            <header class="border-b border-teal-900/10 bg-teal-800 text-white print:hidden">
                <div class="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
                    <a href="/" class="flex items-center gap-2 text-lg font-bold">
                        <span aria-hidden="true" class="grid h-9 w-9 place-items-center rounded-full bg-white text-teal-800">"م"</span>
                        <span data-testid="clinic-name">{clinic}</span>
                    </a>
                    <form method="post" action=set_locale_path class="order-2 sm:order-3">
                        <input type="hidden" name="lang" value=i18n.locale.other().code()/>
                        <button type="submit" data-testid="lang-switch"
                            lang=i18n.locale.other().code()
                            class="rounded-full border border-white/40 px-3 py-1 text-sm hover:bg-white/10">
                            {i18n.t("common-switch-language")}
                        </button>
                    </form>
                    <nav aria-label=i18n.t("nav-label") class="order-3 w-full sm:order-2 sm:w-auto">
                        <ul class="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
                            {nav_links(role).into_iter().map(|(href, key)| view! {
                                <li><a href=href class="hover:underline underline-offset-4">{i18n.t(key)}</a></li>
                            }).collect_view()}
                            {user.map(|u| view! {
                                <li class="text-teal-100" data-testid="current-user">
                                    {u.short_name}" · "{i18n.t(u.role.label_key())}
                                </li>
                                <li>
                                    <ActionForm action=logout>
                                        <button type="submit" data-testid="logout"
                                            class="rounded-md bg-white/10 px-3 py-1 hover:bg-white/20">
                                            {i18n.t("nav-logout")}
                                        </button>
                                    </ActionForm>
                                </li>
                            })}
                        </ul>
                    </nav>
                </div>
                {demo.then(|| view! {
                    <p data-testid="demo-banner" class="bg-amber-100 px-4 py-1 text-center text-sm font-semibold text-amber-900">
                        {i18n.t("common-demo-banner")}
                    </p>
                })}
            </header>
        }
    })
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="mt-12 border-t border-slate-200 bg-white print:hidden">
            <div class="mx-auto flex max-w-5xl flex-col gap-1 px-4 py-6 text-sm text-slate-500 sm:flex-row sm:justify-between">
                <p>{i18n.t("common-footer-tagline")}</p>
                <p>{i18n.t("common-footer-privacy")}</p>
            </div>
        </footer>
    }
}

#[component]
pub fn ShellProvider(children: Children) -> impl IntoView {
    let logout = ServerAction::<crate::kernel::auth::logout::Logout>::new();
    provide_context(ShellData(Loaded::new(load_shell())));
    provide_context(LogoutAction(logout));
    children()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::access::Area;

    /// The area of the access policy a navigation link leads into.
    fn area_of(path: &str) -> Option<Area> {
        match path {
            "/" | "/doctors" | "/login" | "/register" => None,
            "/staff" => Some(Area::StaffSchedule),
            "/reception" => Some(Area::Desk),
            "/setup" => Some(Area::ClinicSetup),
            "/admin/staff" => Some(Area::StaffAdmin),
            "/admin/break-glass" => Some(Area::AccessReview),
            "/admin/notifications" => Some(Area::Messaging),
            "/chart" => Some(Area::Clinical),
            "/account/password" => Some(Area::AnyAccount),
            p if p.starts_with("/me") => Some(Area::PatientSelf),
            other => panic!("no area known for {other}"),
        }
    }

    #[test]
    fn the_navigation_offers_only_what_the_access_policy_admits() {
        for role in [Role::Patient, Role::Doctor, Role::Receptionist, Role::Admin] {
            for (path, _) in nav_links(Some(role)) {
                if let Some(area) = area_of(path) {
                    assert!(area.admits(role), "{role:?} is shown {path}");
                }
            }
        }
        for (path, _) in nav_links(None) {
            assert_eq!(area_of(path), None, "a visitor is shown {path}");
        }
    }
}
