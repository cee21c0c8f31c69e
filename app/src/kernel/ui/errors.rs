use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::set_page_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn ErrorPage(code: u16, title_key: &'static str, body_key: &'static str) -> impl IntoView {
    set_page_status(code);
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(title_key)/>
        <section class="mx-auto max-w-lg rounded-2xl bg-white p-8 text-center shadow-sm" data-testid="error-page" data-status=code>
            <p class="text-5xl font-bold text-teal-700">{code}</p>
            <h1 class="mt-4 text-2xl font-bold">{i18n.t(title_key)}</h1>
            <p class="mt-2 text-slate-600">{i18n.t(body_key)}</p>
            <a href="/" class="mt-6 inline-block rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white">{i18n.t("page-back-home")}</a>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage code=404 title_key="page-not-found-title" body_key="page-not-found-body"/> }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    view! { <ErrorPage code=403 title_key="page-forbidden-title" body_key="page-forbidden-body"/> }
}

#[component]
pub fn ServerError() -> impl IntoView {
    view! { <ErrorPage code=500 title_key="page-server-error-title" body_key="page-server-error-body"/> }
}

/// Shows the page that fits a failed data load.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    match error {
        AppError::Forbidden => view! { <Forbidden/> }.into_any(),
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Unauthenticated => {
            view! { <leptos_router::components::Redirect path="/login"/> }.into_any()
        }
        _ => view! { <ServerError/> }.into_any(),
    }
}
