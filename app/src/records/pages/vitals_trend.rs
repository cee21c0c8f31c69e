//! The patient's vital signs over their last visits, one small line per measure, drawn on
//! the server as SVG: the usual range as a band, readings outside it in red.

use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::when::{gregorian_label, zoned};
use crate::records::domain::trend::{self, Frame};
use crate::records::domain::vitals::{tenths, Measure, Vitals};
use leptos::prelude::*;

const FRAME: Frame = Frame {
    width: 300.0,
    height: 64.0,
    pad: 6.0,
};

/// What one chart shows: a label, how to write a value, and the lines drawn (blood pressure
/// has two).
struct Chart {
    label: &'static str,
    lines: &'static [Measure],
    unit: &'static str,
    in_tenths: bool,
}

const CHARTS: [Chart; 5] = [
    Chart {
        label: "enc-vitals-bp",
        lines: &[Measure::Systolic, Measure::Diastolic],
        unit: "mmHg",
        in_tenths: false,
    },
    Chart {
        label: "enc-vitals-pulse",
        lines: &[Measure::Pulse],
        unit: "/min",
        in_tenths: false,
    },
    Chart {
        label: "enc-vitals-temperature",
        lines: &[Measure::Temperature],
        unit: "°C",
        in_tenths: true,
    },
    Chart {
        label: "enc-vitals-spo2",
        lines: &[Measure::Spo2],
        unit: "%",
        in_tenths: false,
    },
    Chart {
        label: "enc-vitals-bmi",
        lines: &[Measure::Bmi],
        unit: "kg/m²",
        in_tenths: true,
    },
];

fn written(value: i32, in_tenths: bool) -> String {
    if in_tenths {
        tenths(value)
    } else {
        value.to_string()
    }
}

fn chart_view(i18n: I18n, chart: &Chart, history: &[Vitals]) -> Option<AnyView> {
    let series: Vec<Vec<Option<i32>>> = chart
        .lines
        .iter()
        .map(|m| history.iter().map(|v| v.value(*m)).collect())
        .collect();
    let all: Vec<Option<i32>> = series.iter().flatten().copied().collect();
    let band = chart
        .lines
        .iter()
        .map(|m| m.usual_range())
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let scale = trend::scale(&all, band)?;
    // Fewer than two readings is not a trend.
    if series.iter().all(|s| s.iter().flatten().count() < 2) {
        return None;
    }
    let latest = chart
        .lines
        .iter()
        .filter_map(|m| history.iter().rev().find_map(|v| v.value(*m)))
        .map(|v| written(v, chart.in_tenths))
        .collect::<Vec<_>>()
        .join("/");
    let lines = chart.lines.iter().zip(&series).map(|(m, values)| {
        let pts = trend::points(values, scale, FRAME);
        let (low, high) = m.usual_range();
        let band_top = trend::y_of(high, scale, FRAME);
        let band_bottom = trend::y_of(low, scale, FRAME);
        let dots = values
            .iter()
            .flatten()
            .zip(pts.iter())
            .map(|(v, (x, y))| {
                let out = *v < low || *v > high;
                view! {
                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="3"
                        class=if out { "fill-rose-600" } else { "fill-teal-700" } data-out=out.to_string()/>
                }
            })
            .collect_view();
        view! {
            <rect x=format!("{:.1}", FRAME.pad) y=format!("{band_top:.1}") width=format!("{:.1}", FRAME.width - 2.0 * FRAME.pad)
                height=format!("{:.1}", (band_bottom - band_top).max(0.0)) class="fill-teal-50"/>
            <polyline points=trend::polyline(&pts) fill="none" class="stroke-teal-700" stroke-width="1.5"/>
            {dots}
        }
    }).collect_view();
    let label = i18n.t(chart.label);
    Some(view! {
        <figure class="rounded-lg bg-slate-50 p-2" data-testid="trend">
            <figcaption class="flex justify-between text-xs text-slate-600">
                <span>{label.clone()}</span>
                <bdi class="font-semibold text-slate-900">{format!("{latest} {}", chart.unit)}</bdi>
            </figcaption>
            // Drawn left to right, oldest first, whatever the page's direction.
            <svg viewBox=format!("0 0 {} {}", FRAME.width, FRAME.height) class="mt-1 h-16 w-full" dir="ltr"
                role="img" aria-label=label>
                {lines}
            </svg>
        </figure>
    }.into_any())
}

/// `history` oldest first. Nothing when no measure was taken twice.
#[component]
pub fn VitalsTrend(history: Vec<(jiff::Timestamp, Vitals)>, tz: String) -> impl IntoView {
    let i18n = use_i18n();
    let readings: Vec<Vitals> = history.iter().map(|(_, v)| *v).collect();
    let charts: Vec<AnyView> = CHARTS
        .iter()
        .filter_map(|c| chart_view(i18n, c, &readings))
        .collect();
    let span = history
        .first()
        .zip(history.last())
        .map(|((from, _), (to, _))| {
            format!(
                "{} – {}",
                gregorian_label(i18n, zoned(*from, &tz).date()),
                gregorian_label(i18n, zoned(*to, &tz).date())
            )
        });
    (!charts.is_empty()).then(|| {
        view! {
            <div class="mt-4" data-testid="vitals-trend">
                <h3 class="text-sm font-semibold text-slate-700">{i18n.t("enc-vitals-trend")}</h3>
                <p class="text-xs text-slate-500"><bdi>{span}</bdi></p>
                <div class="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">{charts}</div>
            </div>
        }
    })
}
