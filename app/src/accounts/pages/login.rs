//! Log-in with mobile number or national ID, and log-out.

use crate::accounts::domain::LoginIdentifier;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    use crate::kernel::audit::AuditEntry;
    use crate::kernel::audit::Outcome;
    use crate::kernel::auth::server::verify_password;
    use crate::kernel::auth::server::RequestCtx;
    /// Longer input than this is not a password anyone typed; refuse it before hashing.
    const MAX_PASSWORD_BYTES: usize = 1024;
    let ident =
        LoginIdentifier::parse(&identifier).map_err(|k| AppError::field("identifier", k))?;
    if password.is_empty() {
        return Err(AppError::field("password", "err-password-required"));
    }
    let ctx = RequestCtx::current()?;
    let ip = ctx.ip;
    let config = &ctx.state.config;

    let failures = crate::accounts::db::login_attempts::recent_failures(
        ctx.pool(),
        ident.key(),
        ip,
        config.login_window_minutes,
    )
    .await?;
    if failures.by_account >= config.login_max_failures_per_account
        || failures.by_ip >= config.login_max_failures_per_ip
    {
        let entry = AuditEntry::new("auth.login", Outcome::Denied)
            .ip(ip)
            .details(serde_json::json!({ "reason": "rate_limited" }));
        crate::kernel::audit::record(ctx.pool(), &entry).await?;
        return Err(AppError::RateLimited);
    }

    let account = match &ident {
        LoginIdentifier::Phone(phone) => {
            crate::accounts::db::users::credentials_by_phone(ctx.pool(), phone.as_str()).await?
        }
        LoginIdentifier::NationalId(id) => {
            crate::accounts::db::users::credentials_by_national_id(ctx.pool(), id.as_str()).await?
        }
    };
    let password_ok = password.len() <= MAX_PASSWORD_BYTES
        && verify_password(password, account.as_ref().map(|a| a.password_hash.clone())).await?;

    match account {
        Some(account) if password_ok && account.is_active => {
            crate::accounts::db::login_attempts::record(ctx.pool(), ident.key(), ip, true).await?;
            let entry = AuditEntry::new("auth.login", Outcome::Success)
                .actor(account.id, account.role)
                .subject("user", account.id)
                .ip(ip);
            crate::kernel::audit::record(ctx.pool(), &entry).await?;
            ctx.start_session(account.id, account.role).await?;
            leptos_axum::redirect(account.role.home_path());
            Ok(())
        }
        account => {
            crate::accounts::db::login_attempts::record(ctx.pool(), ident.key(), ip, false).await?;
            let mut entry = AuditEntry::new("auth.login", Outcome::Failure).ip(ip);
            if let Some(account) = account {
                entry = entry.subject("user", account.id);
            }
            crate::kernel::audit::record(ctx.pool(), &entry).await?;
            Err(AppError::InvalidCredentials)
        }
    }
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
                    validate=|v| LoginIdentifier::parse(v).err()/>
                <Field name="password" label_key="field-password" server_error=error kind="password"
                    required=true autocomplete="current-password"/>
                <SubmitButton label_key="auth-login-submit" pending=action.pending().into()/>
                <a href="/register" class="text-sm text-teal-800 underline">{i18n.t("auth-no-account")}</a>
            </ActionForm>
        </section>
    }
}
