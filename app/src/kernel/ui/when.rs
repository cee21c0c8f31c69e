//! Dates and times as patients read them: the Gregorian date, the Umm al-Qura Hijri date and
//! a 12-hour clock, in the clinic's time zone and the reader's language.

use crate::kernel::i18n::use_i18n;
use crate::kernel::i18n::I18n;
use crate::kernel::values::hijri::HijriDate;
use jiff::{civil::Date, tz::TimeZone, Timestamp};
use leptos::prelude::*;

pub fn zoned(ts: Timestamp, tz: &str) -> jiff::Zoned {
    ts.to_zoned(TimeZone::get(tz).unwrap_or(TimeZone::UTC))
}

pub fn gregorian_label(i18n: I18n, date: Date) -> String {
    let weekday = date.weekday().to_sunday_zero_offset();
    format!(
        "{} {} {} {}",
        i18n.t(&format!("cal-day-{weekday}")),
        date.day(),
        i18n.t(&format!("cal-greg-{}", date.month())),
        date.year()
    )
}

pub fn hijri_label(i18n: I18n, date: Date) -> String {
    HijriDate::from_gregorian(date)
        .map(|h| {
            format!(
                "{} {} {} {}",
                h.day,
                i18n.t(h.month_key()),
                h.year,
                i18n.t("cal-hijri-era")
            )
        })
        .unwrap_or_default()
}

pub fn time_label(i18n: I18n, ts: Timestamp, tz: &str) -> String {
    let z = zoned(ts, tz);
    let (hour, minute) = (z.hour(), z.minute());
    let half = if hour < 12 { "cal-am" } else { "cal-pm" };
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    format!("{hour12}:{minute:02} {}", i18n.t(half))
}

pub fn price_label(i18n: I18n, halalas: i32) -> String {
    i18n.t_with(
        "common-price",
        &[("amount", format!("{}.{:02}", halalas / 100, halalas % 100))],
    )
}

/// Gregorian and Hijri date with the time, e.g. for a confirmation or a list row.
#[component]
pub fn When(start: Timestamp, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    let date = zoned(start, &tz).date();
    view! {
        <time datetime=start.to_string() class="flex flex-col">
            <span class="font-semibold">{gregorian_label(i18n, date)}</span>
            <span class="text-sm text-slate-500">{hijri_label(i18n, date)}</span>
            <span class="text-teal-800"><bdi>{time_label(i18n, start, &tz)}</bdi></span>
        </time>
    }
}
