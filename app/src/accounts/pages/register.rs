//! Patient self-registration.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ArabicNameFields;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SelectField;
use crate::kernel::ui::form::SubmitButton;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "register")]
pub async fn register(
    first_name: String,
    father_name: String,
    grandfather_name: String,
    family_name: String,
    latin_name: String,
    phone: String,
    national_id: String,
    date_of_birth: String,
    sex: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use crate::accounts::domain::RegistrationInput;
    use crate::kernel::auth::request::RequestCtx;
    use crate::kernel::values::Role;
    let ctx = RequestCtx::current()?;
    let input = RegistrationInput {
        first_name,
        father_name,
        grandfather_name,
        family_name,
        latin_name,
        phone,
        national_id,
        date_of_birth,
        sex,
        email,
        password,
    };
    let today = time::OffsetDateTime::now_utc().date();
    let registration = input.parse(today).map_err(AppError::Validation)?;
    let id = crate::accounts::service::register_patient(
        ctx.pool(),
        &*ctx.keys()?,
        &ctx.state.config,
        &ctx.state.hashing,
        &registration,
        ctx.ip,
    )
    .await?;
    ctx.start_session(id, Role::Patient).await?;
    leptos_axum::redirect(Role::Patient.home_path());
    Ok(())
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let error = action_error(action.value());
    let pending = action.pending().into();
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    view! {
        <Title text=i18n.t("reg-title")/>
        <section class="mx-auto max-w-2xl rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("reg-title")}</h1>
            <p class="mt-1 text-slate-600">{i18n.t("reg-lead")}</p>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-5" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <fieldset class="grid gap-4 sm:grid-cols-2">
                    <legend class="mb-2 font-semibold text-slate-800">{i18n.t("reg-name-legend")}</legend>
                    <ArabicNameFields server_error=error own=true/>
                </fieldset>
                <Field name="latin_name" label_key="field-latin-name" server_error=error dir="ltr" hint_key="reg-latin-hint" check=Check::LatinName/>
                <div class="grid gap-4 sm:grid-cols-2">
                    <Field name="phone" label_key="field-phone" server_error=error kind="tel" required=true autocomplete="tel" inputmode="tel" dir="ltr" hint_key="reg-phone-hint" check=Check::Mobile/>
                    <Field name="national_id" label_key="field-national-id" server_error=error required=true inputmode="numeric" dir="ltr" hint_key="reg-national-id-hint" check=Check::NationalId/>
                    <Field name="date_of_birth" label_key="field-date-of-birth" server_error=error kind="date" required=true autocomplete="bday" check=Check::DateOfBirth/>
                    <SelectField name="sex" label_key="field-sex" server_error=error required=true check=Check::Sex
                        options=vec![("female", "field-sex-female"), ("male", "field-sex-male")]/>
                </div>
                <Field name="email" label_key="field-email" server_error=error kind="email" autocomplete="email" dir="ltr" check=Check::Email/>
                <Field name="password" label_key="field-password" server_error=error kind="password" required=true autocomplete="new-password" hint_key="reg-password-hint" check=Check::Password/>
                <div class="flex flex-wrap items-center gap-4">
                    <SubmitButton label_key="reg-submit" pending=pending/>
                    <a href="/login" class="text-sm text-teal-800 underline">{i18n.t("reg-have-account")}</a>
                </div>
            </ActionForm>
        </section>
    }
}
