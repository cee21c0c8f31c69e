//! One's own account, for every role: changing the password, and the devices logged in.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::AnyAccount).await?;
    let new = crate::kernel::values::Password::parse(&new_password)
        .map_err(|k| AppError::field("new_password", k))?;
    if new_password != confirm_password {
        return Err(AppError::field("confirm_password", "err-password-mismatch"));
    }
    crate::accounts::service::change_password(
        ctx.pool(),
        &ctx.state.config,
        &ctx.state.hashing,
        &user,
        ctx.ip,
        current_password,
        new,
    )
    .await?;
    ctx.accounts_changed();
    // A new session id, so a session stolen before the change stops working.
    ctx.start_session(user.id, user.role).await?;
    leptos_axum::redirect("/account/password?changed=1");
    Ok(())
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    view! {
        <RequireRole area=crate::kernel::access::Area::AnyAccount>
            <ChangePasswordForm/>
            <crate::accounts::pages::sessions::SessionsList/>
        </RequireRole>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let query = use_query_map();
    // Read once, as the page is built (see `kernel::ui::form::SubmitButton`).
    let changed = query.with_untracked(|q| q.get("changed").is_some())
        && error.try_get_untracked().flatten().is_none();
    view! {
        <Title text=i18n.t("auth-password-title")/>
        <section class="mx-auto max-w-md rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("auth-password-title")}</h1>
            {changed.then(|| view! {
                <p role="status" data-testid="password-changed" class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">
                    {i18n.t("auth-password-changed")}
                </p>
            })}
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-4" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <Field name="current_password" label_key="field-current-password" server_error=error kind="password" required=true autocomplete="current-password"/>
                <Field name="new_password" label_key="field-new-password" server_error=error kind="password" required=true autocomplete="new-password" hint_key="reg-password-hint" check=Check::Password/>
                <Field name="confirm_password" label_key="field-confirm-password" server_error=error kind="password" required=true autocomplete="new-password"/>
                <SubmitButton label_key="auth-password-submit" pending=action.pending().into()/>
            </ActionForm>
        </section>
    }
}
