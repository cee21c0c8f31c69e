//! A branch's reminder rules: how long before a visit the reminders go, and the quiet hours in
//! which none is sent. Reminders already planned keep their times; visits booked or moved
//! afterwards follow the new rules.

use crate::clinic::domain::reminders::ReminderRules;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use leptos::prelude::*;

#[server(endpoint = "save_reminder_rules")]
pub async fn save_reminder_rules(
    reminder_hours: String,
    quiet_from: String,
    quiet_until: String,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::clinic::domain::reminders::ReminderRulesInput;
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let rules = ReminderRulesInput {
        hours: reminder_hours,
        quiet_from,
        quiet_until,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let clinic = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref())
        .await?
        .id;
    crate::clinic::settings::save_reminder_rules(ctx.pool(), &by, clinic, &rules).await?;
    leptos_axum::redirect(&format!("/setup?clinic={clinic}&saved=reminders"));
    Ok(())
}

fn clock(t: jiff::civil::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[component]
pub fn ReminderRulesForm(
    rules: ReminderRules,
    clinic: String,
    action: ServerAction<SaveReminderRules>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let saved = super::saved_notice("reminders");
    let (from, until) = rules
        .quiet
        .map(|(f, u)| (clock(f), clock(u)))
        .unwrap_or_default();
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm" data-testid="reminder-rules">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-reminders")}</h2>
            <p class="mt-1 text-sm text-slate-600">{i18n.t("setup-reminders-hint")}</p>
            {saved.then(|| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="reminders-saved">{i18n.t("setup-saved")}</p>
            })}
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-3" attr:novalidate=true>
                <div class="sm:col-span-3"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                <input type="hidden" name="clinic_id" value=clinic/>
                <Field name="reminder_hours" label_key="setup-reminder-hours" hint_key="setup-reminder-hours-hint" server_error=error inputmode="numeric" value=rules.hours_text()/>
                <Field name="quiet_from" label_key="setup-quiet-from" server_error=error kind="time" dir="ltr" value=from/>
                <Field name="quiet_until" label_key="setup-quiet-until" server_error=error kind="time" dir="ltr" value=until/>
                <div class="sm:col-span-3"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
