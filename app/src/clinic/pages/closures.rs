//! Closures: the clinic's holidays and a doctor's leave, listed with their dates, added and
//! removed by admins and the desk. A closure over booked days warns; it cancels nobody.

use crate::clinic::model::ClosureRow;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::when::gregorian_label;
use leptos::prelude::*;

/// Adds a closure for the clinic (`doctor_id` empty) or a doctor's leave. Returns how many
/// booked visits fall on those days, which stay booked until someone tells the patients.
#[server(endpoint = "add_closure")]
pub async fn add_closure(
    doctor_id: String,
    starts_on: String,
    ends_on: String,
    reason_ar: String,
    reason_en: String,
    clinic_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::clinic::domain::setup::ClosureInput;
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let spec = ClosureInput {
        starts_on,
        ends_on,
        reason_ar,
        reason_en,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let scope = closure_scope(&ctx, &doctor_id, clinic_id.as_deref()).await?;
    Ok(crate::clinic::closures::add(ctx.pool(), &by, &scope, &spec).await?)
}

#[server(endpoint = "remove_closure")]
pub async fn remove_closure(
    doctor_id: String,
    id: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let scope = closure_scope(&ctx, &doctor_id, clinic_id.as_deref()).await?;
    let id = crate::kernel::error::record_id(&id)?;
    Ok(crate::clinic::closures::remove(ctx.pool(), &by, &scope, id).await?)
}

/// The form's doctor (empty: a holiday of the branch named, or of the first branch) as a
/// closure scope; a doctor id that names no doctor is `NotFound`.
#[cfg(feature = "ssr")]
async fn closure_scope(
    ctx: &crate::kernel::auth::request::RequestCtx,
    doctor_id: &str,
    clinic_id: Option<&str>,
) -> Result<crate::clinic::closures::Scope, AppError> {
    let doctor = match doctor_id.trim() {
        "" => None,
        id => Some(crate::kernel::error::record_id(id)?),
    };
    // A doctor's leave is kept with their home branch, whatever branch the page shows.
    let branch = match doctor {
        None => crate::kernel::error::optional_id(clinic_id)?,
        Some(_) => None,
    };
    Ok(crate::clinic::closures::scope(ctx.pool(), doctor, branch).await?)
}

/// The add and remove actions of a closure list, shared by the clinic and doctor pages.
#[derive(Clone, Copy)]
pub struct ClosureActions {
    pub add: ServerAction<AddClosure>,
    pub remove: ServerAction<RemoveClosure>,
}

impl ClosureActions {
    pub fn new() -> Self {
        Self {
            add: ServerAction::new(),
            remove: ServerAction::new(),
        }
    }

    pub fn version(&self) -> (usize, usize) {
        (self.add.version().get(), self.remove.version().get())
    }
}

impl Default for ClosureActions {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn Closures(
    list: Vec<ClosureRow>,
    doctor_id: String,
    /// The branch of a holiday list; empty on a doctor's leave list.
    clinic_id: String,
    actions: ClosureActions,
    title_key: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let add = actions.add;
    let error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let warning = move || {
        add.value().get().and_then(|r| r.ok()).map(|n| {
            if n > 0 {
                view! { <p role="status" class="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-amber-900" data-testid="closure-warning">{i18n.t_with("setup-closure-booked", &[("n", n.to_string())])}</p> }.into_any()
            } else {
                view! { <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800">{i18n.t("setup-saved")}</p> }.into_any()
            }
        })
    };
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t(title_key)}</h2>
            {warning}
            {if list.is_empty() {
                view! { <p class="mt-2 text-slate-500">{i18n.t("setup-no-closures")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-2" data-testid="closures">
                        {list.into_iter().map(|c| {
                            let doctor_id = doctor_id.clone();
                            let clinic_id = clinic_id.clone();
                            let span = if c.starts_on == c.ends_on { gregorian_label(i18n, c.starts_on) }
                                else { format!("{} – {}", gregorian_label(i18n, c.starts_on), gregorian_label(i18n, c.ends_on)) };
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 pb-2">
                                    <span><span class="font-semibold">{i18n.pick(&c.reason_ar, &c.reason_en).to_owned()}</span>
                                        <span class="ms-2 text-sm text-slate-500">{span}</span></span>
                                    <ActionForm action=actions.remove>
                                        <input type="hidden" name="doctor_id" value=doctor_id.clone()/>
                                        <input type="hidden" name="clinic_id" value=clinic_id/>
                                        <input type="hidden" name="id" value=c.id.to_string()/>
                                        <button type="submit" class="text-sm text-rose-700 underline">{i18n.t("setup-remove")}</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="mt-4 rounded-lg bg-teal-50 p-3">
                <summary class="cursor-pointer font-semibold text-teal-900">{i18n.t("setup-add-closure")}</summary>
                <ActionForm action=add attr:class="mt-3 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
                    <div class="sm:col-span-2"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                    <input type="hidden" name="doctor_id" value=doctor_id.clone()/>
                    <input type="hidden" name="clinic_id" value=clinic_id.clone()/>
                    <Field name="starts_on" label_key="wait-from" server_error=error kind="date" required=true/>
                    <Field name="ends_on" label_key="wait-until" server_error=error kind="date" required=true/>
                    <Field name="reason_ar" label_key="setup-reason-ar" server_error=error required=true/>
                    <Field name="reason_en" label_key="setup-reason-en" server_error=error required=true dir="ltr"/>
                    <div class="sm:col-span-2"><SubmitButton label_key="setup-save" pending=add.pending().into()/></div>
                </ActionForm>
            </details>
        </section>
    }
}
