//! Specialties, named in both languages by admins and the desk: patients search doctors by
//! them and the waitlist can wait for "any doctor of" one.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::values::Named;
use leptos::prelude::*;

/// Adds a specialty (no `id`) or renames one.
#[server(endpoint = "save_specialty")]
pub async fn save_specialty(
    id: Option<String>,
    name_ar: String,
    name_en: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::domain::specialty::SpecialtyInput;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let names = SpecialtyInput { name_ar, name_en }
        .parse()
        .map_err(AppError::Validation)?;
    let existing = crate::kernel::error::optional_id(id.as_deref())?;
    crate::clinic::settings::save_specialty(ctx.pool(), &by, existing, &names).await?;
    crate::clinic::header::ClinicHeader::forget(&ctx.state);
    Ok(())
}

#[component]
pub fn Specialties(list: Vec<Named>, action: ServerAction<SaveSpecialty>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-specialties")}</h2>
            <ul class="mt-3 grid gap-2" data-testid="specialties">
                {list.into_iter().map(|s| {
                    let label = s.name(i18n.locale).to_owned();
                    view! {
                        <li><details class="rounded-lg border border-slate-200 p-3">
                            <summary class="cursor-pointer">{label}</summary>
                            <SpecialtyForm action value=Some(s)/>
                        </details></li>
                    }
                }).collect_view()}
            </ul>
            <details class="mt-4 rounded-lg bg-teal-50 p-3" data-testid="add-specialty">
                <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("setup-add-specialty")}</summary>
                <SpecialtyForm action value=None/>
            </details>
        </section>
    }
}

#[component]
fn SpecialtyForm(action: ServerAction<SaveSpecialty>, value: Option<Named>) -> impl IntoView {
    let error = action_error(action.value());
    let id = value.as_ref().map(|v| v.id.to_string()).unwrap_or_default();
    let (name_ar, name_en) = value.map(|v| (v.name_ar, v.name_en)).unwrap_or_default();
    view! {
        <ActionForm action=action attr:class="mt-3 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
            <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
            <input type="hidden" name="id" value=id/>
            <Field name="name_ar" label_key="setup-name-ar" server_error=error required=true value=name_ar/>
            <Field name="name_en" label_key="setup-name-en" server_error=error required=true dir="ltr" value=name_en/>
            <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
        </ActionForm>
    }
}
