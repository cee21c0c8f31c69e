//! A branch's working week: which weekdays it opens. Closing a day stops its slots at once but
//! keeps the doctors' hours and any visits already booked on it (whoever saved it is told how many).

use crate::clinic::domain::working_week::WorkingWeek;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::form::{field_message, ErrorSummary};
use leptos::prelude::*;

/// Saves the ticked weekdays (a box left unticked is not sent at all); returns the number of
/// booked visits to come that now fall on a closed day.
#[server(endpoint = "save_working_week")]
#[allow(clippy::too_many_arguments)]
pub async fn save_working_week(
    day0: Option<String>,
    day1: Option<String>,
    day2: Option<String>,
    day3: Option<String>,
    day4: Option<String>,
    day5: Option<String>,
    day6: Option<String>,
    clinic_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    use crate::clinic::service::setup_clinic;
    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let mut ticks = [false; 7];
    for (tick, day) in ticks
        .iter_mut()
        .zip([day0, day1, day2, day3, day4, day5, day6])
    {
        *tick = crate::kernel::error::parse_tick(day.as_deref())?;
    }
    let week =
        WorkingWeek::from_ticks(ticks).map_err(|key| AppError::field("working_days", key))?;
    let clinic = setup_clinic(ctx.pool(), clinic_id.as_deref()).await?.id;
    let booked = crate::clinic::settings::save_working_week(ctx.pool(), &by, clinic, week).await?;
    // The count reaches the page through the address (see `saved_count`).
    leptos_axum::redirect(&format!(
        "/setup?clinic={clinic}&saved=week&booked={booked}"
    ));
    Ok(booked)
}

#[component]
pub fn WorkingWeekForm(
    week: WorkingWeek,
    clinic: String,
    action: ServerAction<SaveWorkingWeek>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    // Read once, as the page is built: this form is not an island, nothing re-renders it, and
    // a read while the HTML is written can find the action's signals already disposed (see
    // `kernel::ui::form::SubmitButton`).
    let field_error = field_message(error, "working_days");
    let saved = super::saved_count("week");
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm" data-testid="working-week">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-week")}</h2>
            <p class="mt-1 text-sm text-slate-600">{i18n.t("setup-week-hint")}</p>
            {saved.map(|stranded| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="week-saved">
                    {i18n.t("setup-saved")}
                    {(stranded > 0).then(|| view! {
                        " "<span class="font-semibold text-amber-800">{i18n.t_with("setup-week-stranded", &[("n", stranded.to_string())])}</span>
                    })}
                </p>
            })}
            <ActionForm action=action attr:class="mt-4 grid gap-4" attr:novalidate=true>
                <ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/>
                <input type="hidden" name="clinic_id" value=clinic/>
                <fieldset aria-describedby="working-days-error">
                    <legend class="sr-only">{i18n.t("setup-week")}</legend>
                    <div class="flex flex-wrap gap-2" data-testid="working-days">
                        {(0..7_i8).map(|day| view! {
                            <label class="flex items-center gap-2 rounded-lg border border-slate-300 px-3 py-2">
                                <input type="checkbox" name=format!("day{day}") value="on" checked=week.opens(day)
                                    class="h-4 w-4 accent-teal-800"/>
                                <span>{i18n.t(&format!("cal-day-{day}"))}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    <p id="working-days-error" class="mt-1 text-sm text-red-700" role="alert">{field_error}</p>
                </fieldset>
                <div><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
