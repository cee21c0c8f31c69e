//! The landing page for doctors and receptionists.

use crate::{components::guard::RequireRole, domain::Role, i18n::use_i18n, ShellResource};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::Doctor, Role::Receptionist, Role::Admin]>
            <StaffWelcome/>
        </RequireRole>
    }
}

#[component]
fn StaffWelcome() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellResource>().0;
    view! {
        <Title text=i18n.t("staff-title")/>
        <Suspense>
            {move || Suspend::new(async move {
                shell.await.ok().and_then(|s| s.user).map(|user| view! {
                    <section class="rounded-2xl bg-white p-5 shadow-sm sm:p-8" data-testid="workspace-home">
                        <h1 class="text-2xl font-bold text-teal-900">
                            {i18n.t_with("common-welcome-user", &[("name", user.short_name.clone())])}
                        </h1>
                        <p class="mt-2 text-slate-600">{i18n.t(user.role.label_key())}</p>
                        <p class="mt-6 rounded-xl bg-teal-50 p-4 text-teal-900">{i18n.t("staff-schedule-soon")}</p>
                    </section>
                })
            })}
        </Suspense>
    }
}
