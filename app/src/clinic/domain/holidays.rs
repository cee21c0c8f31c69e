//! The Saudi clinic year by rule: Eid al-Fitr and Eid al-Adha from the Umm al-Qura calendar,
//! Founding Day and National Day from the Gregorian one, each on or off per branch with its
//! own length, and the Eids movable by a day or two when the moon's sighting differs from the
//! calendar. From the rules come the dates, for any span of years, without typing a date.

use crate::kernel::values::hijri::HijriDate;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HolidayKind {
    EidFitr,
    EidAdha,
    FoundingDay,
    NationalDay,
}

impl HolidayKind {
    pub const ALL: [HolidayKind; 4] = [
        HolidayKind::EidFitr,
        HolidayKind::EidAdha,
        HolidayKind::FoundingDay,
        HolidayKind::NationalDay,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HolidayKind::EidFitr => "eid_fitr",
            HolidayKind::EidAdha => "eid_adha",
            HolidayKind::FoundingDay => "founding_day",
            HolidayKind::NationalDay => "national_day",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Fluent key of the holiday's name.
    pub fn name_key(self) -> &'static str {
        match self {
            HolidayKind::EidFitr => "holiday-eid-fitr",
            HolidayKind::EidAdha => "holiday-eid-adha",
            HolidayKind::FoundingDay => "holiday-founding-day",
            HolidayKind::NationalDay => "holiday-national-day",
        }
    }

    /// Whether its date follows the moon (and may be moved when the sighting differs).
    pub fn lunar(self) -> bool {
        matches!(self, HolidayKind::EidFitr | HolidayKind::EidAdha)
    }
}

/// Where Eid al-Fitr's days off begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FitrStart {
    /// On 29 Ramadan.
    Ramadan29,
    /// The day after 29 Ramadan (30 Ramadan or 1 Shawwal): the private-sector rule.
    AfterRamadan29,
    /// On 1 Shawwal, Eid itself.
    Shawwal1,
}

impl FitrStart {
    pub const ALL: [FitrStart; 3] = [
        FitrStart::Ramadan29,
        FitrStart::AfterRamadan29,
        FitrStart::Shawwal1,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FitrStart::Ramadan29 => "ramadan_29",
            FitrStart::AfterRamadan29 => "after_ramadan_29",
            FitrStart::Shawwal1 => "shawwal_1",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Longest holiday a rule may give.
pub const MAX_DAYS: u8 = 10;

/// One holiday of a branch's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRule {
    pub kind: HolidayKind,
    pub enabled: bool,
    /// Days off, 1 to `MAX_DAYS`.
    pub days: u8,
    /// Only read for Eid al-Fitr.
    pub fitr_start: FitrStart,
}

/// The Saudi private-sector set: four days of Eid al-Fitr from the day after 29 Ramadan, four
/// of Eid al-Adha from the Day of Arafah, Founding Day and National Day.
pub fn standard_set() -> Vec<HolidayRule> {
    HolidayKind::ALL
        .into_iter()
        .map(|kind| HolidayRule {
            kind,
            enabled: true,
            days: if kind.lunar() { 4 } else { 1 },
            fitr_start: FitrStart::AfterRamadan29,
        })
        .collect()
}

/// A holiday's days in one year. `year` is the Hijri year for the Eids, the Gregorian one for
/// the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub kind: HolidayKind,
    pub year: i32,
    pub from: Date,
    pub until: Date,
}

/// A day's move of one year's Eid, as the admin set it after the official announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub kind: HolidayKind,
    pub year: i32,
    pub days: i8,
}

fn hijri(year: i32, month: u8, day: u8) -> Option<Date> {
    HijriDate { year, month, day }.to_gregorian()
}

/// The first day off of `rule`'s holiday in `year`, before any shift.
fn first_day(rule: &HolidayRule, year: i32) -> Option<Date> {
    match rule.kind {
        HolidayKind::EidFitr => match rule.fitr_start {
            FitrStart::Ramadan29 => hijri(year, 9, 29),
            FitrStart::AfterRamadan29 => hijri(year, 9, 29)?.tomorrow().ok(),
            FitrStart::Shawwal1 => hijri(year, 10, 1),
        },
        HolidayKind::EidAdha => hijri(year, 12, 9),
        HolidayKind::FoundingDay => Date::new(i16::try_from(year).ok()?, 2, 22).ok(),
        HolidayKind::NationalDay => Date::new(i16::try_from(year).ok()?, 9, 23).ok(),
    }
}

/// Every day off the enabled rules give that touches `[from, until]`, in date order.
pub fn occurrences(
    rules: &[HolidayRule],
    shifts: &[Shift],
    from: Date,
    until: Date,
) -> Vec<Occurrence> {
    let (Some(h_from), Some(h_until)) = (
        HijriDate::from_gregorian(from),
        HijriDate::from_gregorian(until),
    ) else {
        return vec![];
    };
    let mut out = vec![];
    for rule in rules.iter().filter(|r| r.enabled) {
        let years = if rule.kind.lunar() {
            (h_from.year - 1)..=(h_until.year)
        } else {
            i32::from(from.year())..=i32::from(until.year())
        };
        for year in years {
            let shift = shifts
                .iter()
                .find(|s| s.kind == rule.kind && s.year == year)
                .map_or(0, |s| s.days);
            let Some(start) = first_day(rule, year)
                .and_then(|d| d.checked_add(jiff::Span::new().days(shift)).ok())
            else {
                continue;
            };
            let days = rule.days.clamp(1, MAX_DAYS);
            let Ok(end) = start.checked_add(jiff::Span::new().days(i64::from(days) - 1)) else {
                continue;
            };
            if end >= from && start <= until {
                out.push(Occurrence {
                    kind: rule.kind,
                    year,
                    from: start,
                    until: end,
                });
            }
        }
    }
    out.sort_by_key(|o| (o.from, o.kind));
    out
}

/// Ramadan of the Hijri year `year`, first and last day.
pub fn ramadan(year: i32) -> Option<(Date, Date)> {
    let first = HijriDate {
        year,
        month: 9,
        day: 1,
    };
    let last = first.days_in_month()?;
    Some((first.to_gregorian()?, hijri(year, 9, last)?))
}

/// The holiday calendar form as typed: per holiday a tick (absent when unticked), its length,
/// and for Eid al-Fitr where it begins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayInput {
    pub kind: String,
    pub on: Option<String>,
    pub days: String,
    pub fitr_start: Option<String>,
}

impl HolidayInput {
    /// The field names of this holiday's inputs: `<code>_on`, `<code>_days`.
    pub fn field(kind: HolidayKind, what: &str) -> String {
        format!("{}_{what}", kind.code())
    }

    pub fn parse(&self) -> Result<HolidayRule, crate::kernel::values::validation::FieldErrors> {
        let mut e = crate::kernel::values::validation::FieldErrors::default();
        let Some(kind) = HolidayKind::from_code(self.kind.trim()) else {
            e.push("kind", "err-holiday-kind");
            return Err(e);
        };
        let enabled = match self.on.as_deref() {
            None | Some("") => Some(false),
            Some("on" | "true") => Some(true),
            Some(_) => {
                e.push(&Self::field(kind, "on"), "err-holiday-tick");
                None
            }
        };
        let ascii = crate::kernel::values::digits::to_ascii_digits(self.days.trim());
        let days = match ascii.parse::<u8>() {
            Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
            _ => {
                e.push(&Self::field(kind, "days"), "err-holiday-days");
                None
            }
        };
        let fitr_start = match self.fitr_start.as_deref().map(str::trim) {
            None | Some("") => Some(FitrStart::AfterRamadan29),
            Some(code) => FitrStart::from_code(code).or_else(|| {
                e.push(&Self::field(kind, "start"), "err-holiday-start");
                None
            }),
        };
        match (enabled, days, fitr_start) {
            (Some(enabled), Some(days), Some(fitr_start)) if e.is_empty() => Ok(HolidayRule {
                kind,
                enabled,
                days,
                fitr_start,
            }),
            _ => Err(e),
        }
    }
}

/// A move of one year's Eid as the admin asks for it.
pub fn parse_shift(kind: &str, year: &str, days: &str) -> Result<Shift, &'static str> {
    let kind = HolidayKind::from_code(kind.trim())
        .filter(|k| k.lunar())
        .ok_or("err-holiday-kind")?;
    let year: i32 = crate::kernel::values::digits::to_ascii_digits(year.trim())
        .parse()
        .ok()
        .filter(|y| (1400..=1600).contains(y))
        .ok_or("err-holiday-year")?;
    let days: i8 = crate::kernel::values::digits::to_ascii_digits(days.trim())
        .parse()
        .ok()
        .filter(|d| (-2..=2).contains(d))
        .ok_or("err-holiday-shift")?;
    Ok(Shift { kind, year, days })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// (Hijri year, 1 Ramadan, days of Ramadan, 1 Shawwal, Day of Arafah) from the independent
    /// table (see its header).
    fn table() -> Vec<(i32, Date, u8, Date, Date)> {
        include_str!("umm_al_qura_check.csv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (
                    f[0].parse().expect("year"),
                    f[1].parse().expect("date"),
                    f[2].parse().expect("days"),
                    f[3].parse().expect("date"),
                    f[4].parse().expect("date"),
                )
            })
            .collect()
    }

    fn rule(kind: HolidayKind, days: u8, fitr_start: FitrStart) -> HolidayRule {
        HolidayRule {
            kind,
            enabled: true,
            days,
            fitr_start,
        }
    }

    #[test]
    fn ramadan_and_both_eids_match_the_independent_table_for_ten_years() {
        let rows = table();
        assert!(rows.len() >= 5, "at least five Hijri years");
        for (year, ramadan_1, ramadan_days, shawwal_1, arafah) in rows {
            let (first, last) = ramadan(year).expect("in range");
            assert_eq!(first, ramadan_1, "1 Ramadan {year}");
            let length = last.since(first).expect("span").get_days() + 1;
            assert_eq!(length, i32::from(ramadan_days), "Ramadan {year}");
            assert_eq!(last.tomorrow().expect("day"), shawwal_1, "1 Shawwal {year}");
            let window = (
                first,
                arafah.checked_add(jiff::Span::new().days(10)).expect("d"),
            );
            let eids = occurrences(
                &[
                    rule(HolidayKind::EidFitr, 1, FitrStart::Shawwal1),
                    rule(HolidayKind::EidAdha, 1, FitrStart::Shawwal1),
                ],
                &[],
                window.0,
                window.1,
            );
            let of = |kind| {
                eids.iter()
                    .find(|o| o.kind == kind && o.year == year)
                    .map(|o| o.from)
            };
            assert_eq!(
                of(HolidayKind::EidFitr),
                Some(shawwal_1),
                "Eid al-Fitr {year}"
            );
            assert_eq!(of(HolidayKind::EidAdha), Some(arafah), "Arafah {year}");
        }
    }

    #[test]
    fn the_standard_set_gives_the_private_sector_days_of_1448() {
        let days = occurrences(&standard_set(), &[], date(2027, 1, 1), date(2027, 12, 31));
        let spans: Vec<(HolidayKind, Date, Date)> =
            days.iter().map(|o| (o.kind, o.from, o.until)).collect();
        assert_eq!(
            spans,
            vec![
                (
                    HolidayKind::FoundingDay,
                    date(2027, 2, 22),
                    date(2027, 2, 22)
                ),
                // Ramadan 1448 has 29 days: the day after 29 Ramadan is 1 Shawwal.
                (HolidayKind::EidFitr, date(2027, 3, 9), date(2027, 3, 12)),
                (HolidayKind::EidAdha, date(2027, 5, 15), date(2027, 5, 18)),
                (
                    HolidayKind::NationalDay,
                    date(2027, 9, 23),
                    date(2027, 9, 23)
                ),
            ]
        );
    }

    #[test]
    fn where_eid_al_fitr_begins_is_the_branchs_choice() {
        let start = |s| {
            occurrences(
                &[rule(HolidayKind::EidFitr, 2, s)],
                &[],
                date(2026, 1, 1),
                date(2026, 12, 31),
            )[0]
            .from
        };
        // Ramadan 1447 has 30 days: 29 Ramadan is 18 March, 1 Shawwal 20 March.
        assert_eq!(start(FitrStart::Ramadan29), date(2026, 3, 18));
        assert_eq!(start(FitrStart::AfterRamadan29), date(2026, 3, 19));
        assert_eq!(start(FitrStart::Shawwal1), date(2026, 3, 20));
    }

    #[test]
    fn a_sighting_shift_moves_only_that_year_and_disabled_rules_give_nothing() {
        let adha = rule(HolidayKind::EidAdha, 4, FitrStart::Shawwal1);
        let shifted = occurrences(
            &[adha],
            &[Shift {
                kind: HolidayKind::EidAdha,
                year: 1448,
                days: 1,
            }],
            date(2027, 1, 1),
            date(2028, 12, 31),
        );
        let froms: Vec<Date> = shifted.iter().map(|o| o.from).collect();
        assert_eq!(froms, vec![date(2027, 5, 16), date(2028, 5, 4)]);
        let off = HolidayRule {
            enabled: false,
            ..adha
        };
        assert!(occurrences(&[off], &[], date(2027, 1, 1), date(2028, 12, 31)).is_empty());
    }

    #[test]
    fn the_form_reads_ticks_lengths_and_starts_and_refuses_the_rest() {
        let input = |kind: &str, on: Option<&str>, days: &str, start: Option<&str>| HolidayInput {
            kind: kind.into(),
            on: on.map(str::to_owned),
            days: days.into(),
            fitr_start: start.map(str::to_owned),
        };
        assert_eq!(
            input("eid_fitr", Some("on"), "٥", Some("shawwal_1")).parse(),
            Ok(HolidayRule {
                kind: HolidayKind::EidFitr,
                enabled: true,
                days: 5,
                fitr_start: FitrStart::Shawwal1
            })
        );
        assert!(
            !input("national_day", None, "1", None)
                .parse()
                .expect("off")
                .enabled
        );
        let keys = |r: Result<HolidayRule, crate::kernel::values::validation::FieldErrors>| {
            r.expect_err("refused")
                .0
                .into_iter()
                .map(|f| f.key)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(input("eid_adha", Some("on"), "0", None).parse()),
            ["err-holiday-days"]
        );
        assert_eq!(
            keys(input("eid_adha", Some("on"), "11", None).parse()),
            ["err-holiday-days"]
        );
        assert_eq!(
            keys(input("eid_adha", Some("yes"), "2", None).parse()),
            ["err-holiday-tick"]
        );
        assert_eq!(
            keys(input("eid_fitr", Some("on"), "2", Some("ramadan_1")).parse()),
            ["err-holiday-start"]
        );
        assert_eq!(
            keys(input("christmas", None, "1", None).parse()),
            ["err-holiday-kind"]
        );
    }

    #[test]
    fn only_an_eid_moves_and_by_two_days_at_most() {
        assert_eq!(
            parse_shift("eid_adha", "١٤٤٨", "-1"),
            Ok(Shift {
                kind: HolidayKind::EidAdha,
                year: 1448,
                days: -1
            })
        );
        assert_eq!(
            parse_shift("national_day", "1448", "1"),
            Err("err-holiday-kind")
        );
        assert_eq!(
            parse_shift("eid_fitr", "1448", "3"),
            Err("err-holiday-shift")
        );
        assert_eq!(
            parse_shift("eid_fitr", "99999", "1"),
            Err("err-holiday-year")
        );
    }

    #[test]
    fn codes_read_back() {
        for kind in HolidayKind::ALL {
            assert_eq!(HolidayKind::from_code(kind.code()), Some(kind));
        }
        for start in FitrStart::ALL {
            assert_eq!(FitrStart::from_code(start.code()), Some(start));
        }
        assert_eq!(HolidayKind::from_code("christmas"), None);
    }
}
