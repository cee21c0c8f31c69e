//! The branch's holiday calendar on its setup page: each Saudi holiday on or off with its
//! length (and where Eid al-Fitr begins), its next days in both calendars, and for an Eid a
//! move by a day when the official sighting differs from the Umm al-Qura calendar.

use crate::clinic::domain::holidays::{FitrStart, HolidayKind};
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::form::{field_message, ErrorSummary};
use crate::kernel::ui::when::{gregorian_label, hijri_label};
use leptos::prelude::*;

pub use crate::clinic::model::HolidayLine;

/// Saves one holiday's rule; returns how many booked visits fall on days that became holidays.
#[server(endpoint = "save_holiday")]
pub async fn save_holiday(
    kind: String,
    on: Option<String>,
    days: String,
    start: Option<String>,
    clinic_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::clinic::domain::holidays::HolidayInput;
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let rule = HolidayInput {
        kind,
        on,
        days,
        fitr_start: start,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let branch = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref()).await?;
    let today = jiff::Timestamp::now().to_zoned(branch.tz()?).date();
    let booked =
        crate::clinic::holidays::save_rule(ctx.pool(), &by, branch.id, &rule, today).await?;
    saved(branch.id, booked);
    Ok(booked)
}

/// Back to the branch's setup page, saying the calendar was saved and how many booked visits
/// fall on new holiday days (the pages are server-rendered: the answer is the address).
#[cfg(feature = "ssr")]
fn saved(clinic: uuid::Uuid, booked: i64) {
    leptos_axum::redirect(&format!(
        "/setup?clinic={clinic}&saved=holidays&booked={booked}"
    ));
}

/// Moves one year's Eid by `days` from the calendar's date (0: back to it).
#[server(endpoint = "shift_holiday")]
pub async fn shift_holiday(
    kind: String,
    hijri_year: String,
    days: String,
    clinic_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let shift = crate::clinic::domain::holidays::parse_shift(&kind, &hijri_year, &days)
        .map_err(|key| AppError::field("days", key))?;
    let branch = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref()).await?;
    let today = jiff::Timestamp::now().to_zoned(branch.tz()?).date();
    let booked = crate::clinic::holidays::shift(ctx.pool(), &by, branch.id, &shift, today).await?;
    saved(branch.id, booked);
    Ok(booked)
}

#[component]
pub fn HolidayCalendar(
    lines: Vec<HolidayLine>,
    clinic: String,
    save: ServerAction<SaveHoliday>,
    shift: ServerAction<ShiftHoliday>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| shift.value().get().and_then(|r| r.err()))
    });
    let stranded = super::saved_count("holidays");
    view! {
        <section id="year-calendar" class="mt-6 rounded-2xl bg-white p-5 shadow-sm" data-testid="year-calendar">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-holiday-calendar")}</h2>
            <p class="mt-1 text-sm text-slate-600">{i18n.t("setup-holiday-calendar-hint")}</p>
            {stranded.map(|n| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="holidays-saved">
                    {i18n.t("setup-saved")}
                    {(n > 0).then(|| view! {
                        " "<span class="font-semibold text-amber-800">{i18n.t_with("setup-holiday-booked", &[("n", n.to_string())])}</span>
                    })}
                </p>
            })}
            <ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/>
            <ul class="mt-3 grid gap-4">
                {lines.into_iter().map(|line| {
                    let kind = line.rule.kind;
                    let code = kind.code();
                    let clinic = clinic.clone();
                    let clinic_for_shift = clinic.clone();
                    let days_field = format!("{code}_days");
                    // Read once, as the page is built: these forms are not islands, so nothing
                    // re-renders them, and a read while the HTML is written can find the
                    // form's signals already disposed (see `kernel::ui::form::SubmitButton`).
                    let days_error = field_message(error, &days_field);
                    let next = line.next.map(|o| {
                        let range = if o.from == o.until {
                            gregorian_label(i18n, o.from)
                        } else {
                            i18n.t_with("setup-holiday-range", &[("from", gregorian_label(i18n, o.from)), ("until", gregorian_label(i18n, o.until))])
                        };
                        let hijri = if o.from == o.until {
                            hijri_label(i18n, o.from)
                        } else {
                            i18n.t_with("setup-holiday-range", &[("from", hijri_label(i18n, o.from)), ("until", hijri_label(i18n, o.until))])
                        };
                        (o, range, hijri)
                    });
                    view! {
                        <li class="rounded-xl border border-slate-200 p-4" data-testid=format!("rule-{code}")>
                            <div class="flex flex-wrap items-baseline justify-between gap-2">
                                <h3 class="font-bold text-slate-900">{i18n.t(kind.name_key())}</h3>
                                {next.as_ref().map(|(_, greg, hijri)| view! {
                                    <p class="text-sm text-slate-600" data-testid="next-days-off">
                                        <span class="font-semibold">{i18n.t("setup-holiday-next")}</span>" "
                                        <span>{greg.clone()}</span>
                                        " "<span class="text-slate-500">"("{hijri.clone()}")"</span>
                                    </p>
                                })}
                            </div>
                            <ActionForm action=save attr:class="mt-3 flex flex-wrap items-end gap-3" attr:novalidate=true>
                                <input type="hidden" name="kind" value=code/>
                                <input type="hidden" name="clinic_id" value=clinic/>
                                <label class="flex items-center gap-2">
                                    <input type="checkbox" name="on" value="on" checked=line.rule.enabled class="h-4 w-4 accent-teal-800"/>
                                    {i18n.t("setup-holiday-on")}
                                </label>
                                <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("setup-holiday-days")}
                                    <input type="number" name="days" min="1" max="10" value=line.rule.days.to_string()
                                        aria-invalid=days_error.is_some().then_some("true")
                                        class="w-24 rounded-lg border border-slate-300 px-3 py-2 text-base font-normal"/>
                                    {days_error.map(|m| view! { <span class="text-sm font-normal text-rose-700">{m}</span> })}
                                </label>
                                {(kind == HolidayKind::EidFitr).then(|| view! {
                                    <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("setup-holiday-fitr-start")}
                                        <select name="start" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                                            {FitrStart::ALL.into_iter().map(|s| view! {
                                                <option value=s.code() selected=s == line.rule.fitr_start>{i18n.t(&format!("setup-fitr-{}", s.code()))}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                })}
                                <SubmitButton label_key="setup-save" pending=save.pending().into()/>
                            </ActionForm>
                            {(kind.lunar()).then(|| next.map(|(o, _, _)| {
                                let clinic = clinic_for_shift.clone();
                                view! {
                                    <div class="mt-3 flex flex-wrap items-center gap-2 text-sm" data-testid="sighting-shift">
                                        <span class="text-slate-600">{i18n.t_with("setup-holiday-sighting", &[("year", o.year.to_string())])}</span>
                                        {[-1_i8, 0, 1].into_iter().map(|d| {
                                            let clinic = clinic.clone();
                                            let current = d == line.shift;
                                            view! {
                                                <ActionForm action=shift>
                                                    <input type="hidden" name="kind" value=code/>
                                                    <input type="hidden" name="hijri_year" value=o.year.to_string()/>
                                                    <input type="hidden" name="days" value=d.to_string()/>
                                                    <input type="hidden" name="clinic_id" value=clinic/>
                                                    <button type="submit" aria-pressed=if current { "true" } else { "false" }
                                                        class=if current { "rounded-full bg-teal-800 px-3 py-1 text-white" } else { "rounded-full border border-slate-300 px-3 py-1 text-slate-700" }>
                                                        {i18n.t(match d { -1 => "setup-shift-earlier", 0 => "setup-shift-none", _ => "setup-shift-later" })}
                                                    </button>
                                                </ActionForm>
                                            }
                                        }).collect_view()}
                                    </div>
                                }
                            }))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
