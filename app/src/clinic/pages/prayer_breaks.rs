//! A branch's prayer breaks on its setup page: where it is, which prayers it pauses for and
//! for how long, with the coming week's times so the desk can check them against the mosque.

use crate::clinic::domain::prayer::{Prayer, PrayerSettings};
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::when::gregorian_label;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The prayer times of one coming day, local "HH:MM".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrayerDay {
    pub date: jiff::civil::Date,
    pub times: Vec<(Prayer, String)>,
}

/// The next seven days' prayer times at the branch, when its position is known.
#[cfg(feature = "ssr")]
pub fn coming_week(
    settings: &PrayerSettings,
    tz: &jiff::tz::TimeZone,
    today: jiff::civil::Date,
) -> Vec<PrayerDay> {
    use crate::clinic::domain::prayer::PrayerTimes;
    let Some((lat, lon)) = settings.position else {
        return vec![];
    };
    (0..7)
        .filter_map(|i| today.checked_add(jiff::Span::new().days(i)).ok())
        .filter_map(|date| {
            let ramadan = crate::kernel::values::hijri::HijriDate::in_ramadan(date);
            let times = PrayerTimes::on(date, lat, lon, ramadan)?;
            let friday = date.weekday() == jiff::civil::Weekday::Friday;
            let shown = [
                if friday {
                    Prayer::Jumuah
                } else {
                    Prayer::Dhuhr
                },
                Prayer::Asr,
                Prayer::Maghrib,
                Prayer::Isha,
            ];
            Some(PrayerDay {
                date,
                times: shown
                    .into_iter()
                    .map(|p| {
                        let at = times.of(p).to_zoned(tz.clone());
                        (p, format!("{:02}:{:02}", at.hour(), at.minute()))
                    })
                    .collect(),
            })
        })
        .collect()
}

#[server(endpoint = "save_prayer_breaks")]
#[allow(clippy::too_many_arguments)]
pub async fn save_prayer_breaks(
    latitude: String,
    longitude: String,
    minutes: String,
    dhuhr: Option<String>,
    asr: Option<String>,
    maghrib: Option<String>,
    isha: Option<String>,
    jumuah: Option<String>,
    clinic_id: Option<String>,
) -> Result<(), AppError> {
    use crate::clinic::domain::prayer::PrayerBreaksInput;
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    let by = super::setup_editor(&ctx).await?;
    let mut prayers = vec![];
    for (code, tick) in [
        ("dhuhr", dhuhr),
        ("asr", asr),
        ("maghrib", maghrib),
        ("isha", isha),
        ("jumuah", jumuah),
    ] {
        if crate::kernel::error::parse_tick(tick.as_deref())? {
            prayers.push(code.to_owned());
        }
    }
    let settings = PrayerBreaksInput {
        latitude,
        longitude,
        minutes,
        prayers,
    }
    .parse()
    .map_err(AppError::Validation)?;
    let clinic = crate::clinic::service::setup_clinic(ctx.pool(), clinic_id.as_deref())
        .await?
        .id;
    crate::clinic::settings::save_prayer_breaks(ctx.pool(), &by, clinic, &settings).await?;
    leptos_axum::redirect(&format!("/setup?clinic={clinic}&saved=prayer"));
    Ok(())
}

#[component]
pub fn PrayerBreaksForm(
    settings: PrayerSettings,
    week: Vec<PrayerDay>,
    clinic: String,
    action: ServerAction<SavePrayerBreaks>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let saved = super::saved_notice("prayer");
    let (lat, lon) = settings
        .position
        .map(|(a, o)| (a.to_string(), o.to_string()))
        .unwrap_or_default();
    let chosen = settings.prayers.clone();
    let bold = chosen.clone();
    view! {
        <section class="mt-6 rounded-2xl bg-white p-5 shadow-sm" data-testid="breaks-form">
            <h2 class="text-lg font-bold text-teal-900">{i18n.t("setup-prayer")}</h2>
            <p class="mt-1 text-sm text-slate-600">{i18n.t("setup-prayer-hint")}</p>
            {saved.then(|| view! {
                <p role="status" class="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="breaks-saved">{i18n.t("setup-saved")}</p>
            })}
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-3" attr:novalidate=true>
                <div class="sm:col-span-3"><ErrorSummary error=Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()))/></div>
                <input type="hidden" name="clinic_id" value=clinic/>
                <Field name="latitude" label_key="setup-latitude" server_error=error inputmode="decimal" dir="ltr" value=lat/>
                <Field name="longitude" label_key="setup-longitude" server_error=error inputmode="decimal" dir="ltr" value=lon/>
                <Field name="minutes" label_key="setup-prayer-minutes" server_error=error kind="number" value=settings.minutes.to_string()/>
                <fieldset class="sm:col-span-3">
                    <legend class="text-sm font-semibold text-slate-700">{i18n.t("setup-prayer-which")}</legend>
                    <div class="mt-2 flex flex-wrap gap-2">
                        {Prayer::ALL.into_iter().map(|p| view! {
                            <label class="flex items-center gap-2 rounded-lg border border-slate-300 px-3 py-2">
                                <input type="checkbox" name=p.code() value="on" checked=chosen.contains(&p) class="h-4 w-4 accent-teal-800"/>
                                {i18n.t(p.name_key())}
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="sm:col-span-3"><SubmitButton label_key="setup-save" pending=action.pending().into()/></div>
            </ActionForm>
            {(!week.is_empty()).then(|| view! {
                <div class="mt-4 overflow-x-auto">
                    <table class="w-full text-start text-sm" data-testid="breaks-week">
                        <caption class="text-start font-semibold text-slate-700">{i18n.t("setup-prayer-week")}</caption>
                        <tbody>
                            {week.into_iter().map(|d| view! {
                                <tr class="border-b border-slate-100">
                                    <th scope="row" class="py-1 pe-3 text-start font-normal text-slate-600">{gregorian_label(i18n, d.date)}</th>
                                    {d.times.into_iter().map(|(p, at)| {
                                        let on = bold.contains(&p);
                                        view! {
                                            <td class=if on { "py-1 pe-3 font-semibold text-teal-900" } else { "py-1 pe-3 text-slate-500" }>
                                                {i18n.t(p.name_key())}" "<bdi dir="ltr">{at}</bdi>
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
