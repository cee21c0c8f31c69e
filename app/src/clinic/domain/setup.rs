//! What admins and the desk type to set a clinic up: booking rules, visit types and prices,
//! weekly hours and closures. Each form parses into a value the database will accept; the
//! ranges here are the same as the table constraints, so a refusal is a message, never a 500.

use crate::clinic::domain::hours::WorkingInterval;
use crate::kernel::values::digits::to_ascii_digits;
use crate::kernel::values::validation::FieldErrors;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

fn int_in(input: &str, min: i32, max: i32, key: &'static str) -> Result<i32, &'static str> {
    let ascii = to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Err("err-number-required");
    }
    match ascii.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(key),
    }
}

pub(crate) fn text_in(input: &str, max: usize) -> Result<String, &'static str> {
    crate::kernel::values::TextRule::line(max).parse_required(input)
}

fn date(input: &str) -> Result<Date, &'static str> {
    let ascii = to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Err("err-date-required");
    }
    ascii.parse().map_err(|_| "err-date-invalid")
}

pub(crate) fn time(input: &str) -> Result<Time, &'static str> {
    let ascii = to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Err("err-time-required");
    }
    ascii.parse().map_err(|_| "err-time-invalid")
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesInput {
    pub timezone: String,
    pub booking_horizon_days: String,
    pub min_notice_minutes: String,
    pub cancel_cutoff_minutes: String,
    pub max_active_bookings: String,
    pub waitlist_hold_minutes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub timezone: String,
    pub booking_horizon_days: i32,
    pub min_notice_minutes: i32,
    pub cancel_cutoff_minutes: i32,
    pub max_active_bookings: i32,
    pub waitlist_hold_minutes: i32,
}

impl RulesInput {
    pub fn parse(&self) -> Result<Rules, FieldErrors> {
        let mut e = FieldErrors::default();
        let timezone = e.check(
            "timezone",
            match self.timezone.trim() {
                "" => Err("err-timezone-invalid"),
                tz => jiff::tz::TimeZone::get(tz)
                    .map(|_| tz.to_owned())
                    .map_err(|_| "err-timezone-invalid"),
            },
        );
        let horizon = e.check(
            "booking_horizon_days",
            int_in(&self.booking_horizon_days, 1, 365, "err-horizon-range"),
        );
        let notice = e.check(
            "min_notice_minutes",
            int_in(&self.min_notice_minutes, 0, 10080, "err-minutes-week-range"),
        );
        let cutoff = e.check(
            "cancel_cutoff_minutes",
            int_in(
                &self.cancel_cutoff_minutes,
                0,
                10080,
                "err-minutes-week-range",
            ),
        );
        let max_active = e.check(
            "max_active_bookings",
            int_in(&self.max_active_bookings, 1, 50, "err-max-active-range"),
        );
        let hold = e.check(
            "waitlist_hold_minutes",
            int_in(&self.waitlist_hold_minutes, 5, 1440, "err-hold-range"),
        );
        match (timezone, horizon, notice, cutoff, max_active, hold) {
            (Some(timezone), Some(h), Some(n), Some(c), Some(m), Some(w)) if e.is_empty() => {
                Ok(Rules {
                    timezone,
                    booking_horizon_days: h,
                    min_notice_minutes: n,
                    cancel_cutoff_minutes: c,
                    max_active_bookings: m,
                    waitlist_hold_minutes: w,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitTypeInput {
    pub name_ar: String,
    pub name_en: String,
    pub duration_minutes: String,
    /// Riyals as typed: "150", "150.5", "١٥٠٫٥٠".
    pub price_sar: String,
    pub buffer_before_minutes: String,
    pub buffer_after_minutes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitTypeSpec {
    pub name_ar: String,
    pub name_en: String,
    pub duration_minutes: i32,
    pub price_halalas: i32,
    pub buffer_before_minutes: i32,
    pub buffer_after_minutes: i32,
}

/// Riyals with at most two decimals, as halalas; no negative prices, nothing above a million.
pub fn parse_price(input: &str) -> Result<i32, &'static str> {
    let ascii = to_ascii_digits(input.trim()).replace('٫', ".");
    if ascii.is_empty() {
        return Err("err-price-required");
    }
    let (whole, fraction) = ascii.split_once('.').unwrap_or((&ascii, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 2 {
        return Err("err-price-invalid");
    }
    let riyals: i64 = whole.parse().map_err(|_| "err-price-invalid")?;
    let halalas: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| "err-price-invalid")?;
    if riyals > 1_000_000 {
        return Err("err-price-invalid");
    }
    i32::try_from(riyals * 100 + halalas).map_err(|_| "err-price-invalid")
}

impl VisitTypeInput {
    pub fn parse(&self) -> Result<VisitTypeSpec, FieldErrors> {
        let mut e = FieldErrors::default();
        let name_ar = e.check("name_ar", text_in(&self.name_ar, 80));
        let name_en = e.check("name_en", text_in(&self.name_en, 80));
        let duration = e.check(
            "duration_minutes",
            int_in(&self.duration_minutes, 5, 480, "err-duration-range"),
        );
        let price = e.check("price_sar", parse_price(&self.price_sar));
        let buffer = |v: &str| match v.trim() {
            "" => Ok(0),
            v => int_in(v, 0, 120, "err-buffer-range"),
        };
        let before = e.check("buffer_before_minutes", buffer(&self.buffer_before_minutes));
        let after = e.check("buffer_after_minutes", buffer(&self.buffer_after_minutes));
        match (name_ar, name_en, duration, price, before, after) {
            (Some(name_ar), Some(name_en), Some(d), Some(p), Some(b), Some(a)) if e.is_empty() => {
                Ok(VisitTypeSpec {
                    name_ar,
                    name_en,
                    duration_minutes: d,
                    price_halalas: p,
                    buffer_before_minutes: b,
                    buffer_after_minutes: a,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursInput {
    pub weekday: String,
    pub starts_at: String,
    pub ends_at: String,
    /// Both empty for the regular week; both set for an override such as Ramadan hours.
    pub valid_from: String,
    pub valid_until: String,
}

impl HoursInput {
    pub fn parse(&self) -> Result<WorkingInterval, FieldErrors> {
        let mut e = FieldErrors::default();
        let weekday = e.check(
            "weekday",
            int_in(&self.weekday, 0, 6, "err-weekday-invalid"),
        );
        let start = e.check("starts_at", time(&self.starts_at));
        let end = e.check("ends_at", time(&self.ends_at));
        if let (Some(s), Some(t)) = (start, end) {
            if t <= s {
                e.push("ends_at", "err-ends-before-starts");
            }
        }
        let range = match (self.valid_from.trim(), self.valid_until.trim()) {
            ("", "") => Some((None, None)),
            (from, until) => {
                let from = e.check("valid_from", date(from));
                let until = e.check("valid_until", date(until));
                match (from, until) {
                    (Some(f), Some(u)) if u < f => {
                        e.push("valid_until", "err-until-before-from");
                        None
                    }
                    (Some(f), Some(u)) => Some((Some(f), Some(u))),
                    _ => None,
                }
            }
        };
        match (weekday, start, end, range) {
            (Some(w), Some(start), Some(end), Some((valid_from, valid_until))) if e.is_empty() => {
                Ok(WorkingInterval {
                    weekday: w as i8,
                    start,
                    end,
                    valid_from,
                    valid_until,
                    ramadan: false,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureInput {
    pub starts_on: String,
    pub ends_on: String,
    pub reason_ar: String,
    pub reason_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureSpec {
    pub starts_on: Date,
    pub ends_on: Date,
    pub reason_ar: String,
    pub reason_en: String,
}

impl ClosureInput {
    pub fn parse(&self) -> Result<ClosureSpec, FieldErrors> {
        let mut e = FieldErrors::default();
        let from = e.check("starts_on", date(&self.starts_on));
        let until = e.check("ends_on", date(&self.ends_on));
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                e.push("ends_on", "err-until-before-from");
            } else if (u - f).get_days() > 366 {
                e.push("ends_on", "err-closure-too-long");
            }
        }
        let reason_ar = e.check("reason_ar", text_in(&self.reason_ar, 120));
        let reason_en = e.check("reason_en", text_in(&self.reason_en, 120));
        match (from, until, reason_ar, reason_en) {
            (Some(starts_on), Some(ends_on), Some(reason_ar), Some(reason_en)) if e.is_empty() => {
                Ok(ClosureSpec {
                    starts_on,
                    ends_on,
                    reason_ar,
                    reason_en,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date as d, time as t};

    #[test]
    fn prices_are_riyals_with_at_most_two_decimals() {
        assert_eq!(parse_price("150"), Ok(15_000));
        assert_eq!(parse_price("150.5"), Ok(15_050));
        assert_eq!(parse_price("١٥٠٫٢٥"), Ok(15_025));
        assert_eq!(parse_price("0"), Ok(0));
        for bad in ["-1", "1.234", "abc", "1e3", ".5", "2000000"] {
            assert_eq!(parse_price(bad), Err("err-price-invalid"), "{bad}");
        }
        assert_eq!(parse_price(" "), Err("err-price-required"));
    }

    #[test]
    fn rules_match_the_database_ranges() {
        let good = RulesInput {
            timezone: "Asia/Riyadh".into(),
            booking_horizon_days: "60".into(),
            min_notice_minutes: "١٢٠".into(),
            cancel_cutoff_minutes: "720".into(),
            max_active_bookings: "3".into(),
            waitlist_hold_minutes: "15".into(),
        };
        assert_eq!(good.parse().expect("valid").min_notice_minutes, 120);
        let bad = RulesInput {
            timezone: "Mars/Olympus".into(),
            booking_horizon_days: "0".into(),
            max_active_bookings: "51".into(),
            waitlist_hold_minutes: "4".into(),
            ..good
        };
        let e = bad.parse().expect_err("invalid");
        assert_eq!(e.for_field("timezone"), Some("err-timezone-invalid"));
        assert_eq!(
            e.for_field("booking_horizon_days"),
            Some("err-horizon-range")
        );
        assert_eq!(
            e.for_field("max_active_bookings"),
            Some("err-max-active-range")
        );
        assert_eq!(e.for_field("waitlist_hold_minutes"), Some("err-hold-range"));
        assert_eq!(e.for_field("min_notice_minutes"), None);
    }

    #[test]
    fn visit_types_need_names_a_length_and_a_price() {
        let spec = VisitTypeInput {
            name_ar: "استشارة".into(),
            name_en: "Consultation".into(),
            duration_minutes: "30".into(),
            price_sar: "250".into(),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!((spec.price_halalas, spec.buffer_after_minutes), (25_000, 0));
        let e = VisitTypeInput {
            duration_minutes: "3".into(),
            buffer_before_minutes: "200".into(),
            ..Default::default()
        }
        .parse()
        .expect_err("invalid");
        for (field, key) in [
            ("name_ar", "err-text-required"),
            ("duration_minutes", "err-duration-range"),
            ("price_sar", "err-price-required"),
            ("buffer_before_minutes", "err-buffer-range"),
        ] {
            assert_eq!(e.for_field(field), Some(key), "{field}");
        }
    }

    #[test]
    fn hours_run_forward_and_overrides_need_both_dates() {
        let evening = HoursInput {
            weekday: "0".into(),
            starts_at: "16:00".into(),
            ends_at: "21:00".into(),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!(
            (evening.start, evening.end),
            (t(16, 0, 0, 0), t(21, 0, 0, 0))
        );
        let ramadan = HoursInput {
            weekday: "1".into(),
            starts_at: "21:00".into(),
            ends_at: "23:30".into(),
            valid_from: "2027-02-08".into(),
            valid_until: "2027-03-09".into(),
        }
        .parse()
        .expect("valid");
        assert_eq!(ramadan.valid_until, Some(d(2027, 3, 9)));
        let e = HoursInput {
            weekday: "7".into(),
            starts_at: "13:00".into(),
            ends_at: "09:00".into(),
            valid_from: "2027-02-08".into(),
            valid_until: "".into(),
        }
        .parse()
        .expect_err("invalid");
        assert_eq!(e.for_field("weekday"), Some("err-weekday-invalid"));
        assert_eq!(e.for_field("ends_at"), Some("err-ends-before-starts"));
        assert_eq!(e.for_field("valid_until"), Some("err-date-required"));
    }

    #[test]
    fn closures_need_an_order_and_a_reason_in_both_languages() {
        let ok = ClosureInput {
            starts_on: "2026-09-23".into(),
            ends_on: "2026-09-23".into(),
            reason_ar: "اليوم الوطني".into(),
            reason_en: "National Day".into(),
        };
        assert!(ok.parse().is_ok());
        let e = ClosureInput {
            ends_on: "2026-09-22".into(),
            reason_en: String::new(),
            ..ok
        }
        .parse()
        .expect_err("invalid");
        assert_eq!(e.for_field("ends_on"), Some("err-until-before-from"));
        assert_eq!(e.for_field("reason_en"), Some("err-text-required"));
    }
}
