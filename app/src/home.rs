use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::shell_data::ShellData;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>().0;
    view! {
        <Title text=i18n.t("home-title")/>
        <section class="grid gap-8 rounded-3xl bg-white p-6 shadow-sm sm:p-10 md:grid-cols-2">
            <div class="flex flex-col gap-4 text-start">
                <h1 class="text-3xl font-bold leading-tight text-teal-900 sm:text-4xl">{i18n.t("home-headline")}</h1>
                <p class="text-lg text-slate-600">{i18n.t("home-lead")}</p>
                {awaited(async move {
                    match shell.await.ok().and_then(|s| s.user) {
                        Some(user) => view! {
                            <a href=user.role.home_path() class="self-start rounded-lg bg-teal-700 px-5 py-3 font-semibold text-white">
                                {i18n.t("home-go-to-dashboard")}
                            </a>
                        }.into_any(),
                        None => view! {
                            <div class="flex flex-wrap gap-3">
                                <a href="/register" class="rounded-lg bg-teal-700 px-5 py-3 font-semibold text-white">{i18n.t("nav-register")}</a>
                                <a href="/login" class="rounded-lg border border-teal-700 px-5 py-3 font-semibold text-teal-800">{i18n.t("nav-login")}</a>
                            </div>
                        }.into_any(),
                    }
                })}
            </div>
            <ul class="grid gap-3 text-start">
                {["home-point-booking", "home-point-records", "home-point-arabic"].into_iter().map(|k| view! {
                    <li class="rounded-xl border border-teal-100 bg-teal-50/60 p-4 text-teal-900">{i18n.t(k)}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
