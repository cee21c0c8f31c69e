//! Log-in with mobile number or national ID, and log-out.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ident = crate::kernel::values::LoginIdentifier::parse(&identifier)
        .map_err(|k| AppError::field("identifier", k))?;
    if password.is_empty() {
        return Err(AppError::field("password", "err-password-required"));
    }
    let ctx = RequestCtx::current()?;
    let (id, role) = crate::accounts::login::authenticate(
        ctx.pool(),
        &*ctx.keys()?,
        &ctx.state.config,
        &ctx.state.hashing,
        &ident,
        password,
        ctx.ip,
    )
    .await?;
    ctx.start_session(id, role).await?;
    leptos_axum::redirect(role.home_path());
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    view! {
        <Title text=i18n.t("auth-login-title")/>
        <section class="mx-auto max-w-md rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("auth-login-title")}</h1>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-4" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <Field name="identifier" label_key="field-login-identifier" server_error=error required=true
                    autocomplete="username" dir="ltr" hint_key="auth-identifier-hint"
                    check=Check::LoginIdentifier/>
                <Field name="password" label_key="field-password" server_error=error kind="password"
                    required=true autocomplete="current-password"/>
                <SubmitButton label_key="auth-login-submit" pending=action.pending().into()/>
                <a href="/register" class="text-sm text-teal-800 underline">{i18n.t("auth-no-account")}</a>
            </ActionForm>
        </section>
    }
}
