//! Umm al-Qura (the Saudi official Hijri calendar) dates beside Gregorian ones.
//!
//! ICU4X (`icu_calendar` 2.4) follows the official calendar up to the end of 1450 AH
//! (14 May 2029); from 1451 its reckoning is a day late in about a third of the months (1
//! Ramadan 1453 on 16 December 2031 where the calendar says the 15th). From 1451 to 1500 the
//! months therefore come from the Umm al-Qura table as published by the Saudi authorities
//! (ummulqura.org.sa, as carried by the PyPI package `hijridate`); a test checks them against
//! a second package, `moment-hijri`, and ICU4X's own earlier years.

use icu_calendar::{cal::Hijri, Date};
use serde::{Deserialize, Serialize};

const TABLE_FIRST_YEAR: i32 = 1451;
/// 1 Muharram 1451.
const TABLE_START: jiff::civil::Date = jiff::civil::date(2029, 5, 14);
/// Month lengths of 1451-1500 AH: bit 0 is Muharram, a set bit a month of 30 days.
const MONTH_LENGTHS: [u16; 50] = [
    0x54b, 0xa97, 0x54e, 0xaae, 0x5ac, 0xba9, 0xd92, 0xb25, 0x64b, 0xcab, 0x55a, 0xb55, 0x6d2,
    0xea5, 0xe4a, 0xa95, 0x52d, 0xaad, 0x36c, 0x759, 0x6d2, 0x695, 0x52d, 0xa5b, 0x4ba, 0x9ba,
    0x3b4, 0xb69, 0xb52, 0xaa6, 0x4b6, 0x96d, 0x2ec, 0x6d9, 0xeb2, 0xd54, 0xd2a, 0xa56, 0x4ae,
    0x96d, 0xd6a, 0xb54, 0xb29, 0xa93, 0x52b, 0xa57, 0x536, 0xab5, 0x6aa, 0xe93,
];

fn table_length(year: i32, month: u8) -> Option<u8> {
    let index = usize::try_from(year - TABLE_FIRST_YEAR).ok()?;
    let bits = MONTH_LENGTHS.get(index)?;
    (1..=12)
        .contains(&month)
        .then(|| if bits >> (month - 1) & 1 == 1 { 30 } else { 29 })
}

/// Days from 1 Muharram 1451 to the first of `month` of `year`, inside the table.
fn table_offset(year: i32, month: u8) -> Option<i64> {
    table_length(year, month)?;
    let mut days = 0i64;
    for y in TABLE_FIRST_YEAR..=year {
        let last = if y == year { month - 1 } else { 12 };
        for m in 1..=last {
            days += i64::from(table_length(y, m)?);
        }
    }
    Some(days)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HijriDate {
    pub year: i32,
    /// 1 = Muharram … 12 = Dhu al-Hijjah.
    pub month: u8,
    pub day: u8,
}

impl HijriDate {
    pub fn from_gregorian(date: jiff::civil::Date) -> Option<Self> {
        if date >= TABLE_START {
            if let Some(found) = Self::from_table(date) {
                return Some(found);
            }
        }
        let month = u8::try_from(date.month()).ok()?;
        let day = u8::try_from(date.day()).ok()?;
        let iso = Date::try_new_iso(i32::from(date.year()), month, day).ok()?;
        let hijri = iso.to_calendar(Hijri::new_umm_al_qura());
        Some(Self {
            year: hijri.era_year().year,
            month: hijri.month().ordinal,
            day: hijri.day_of_month().0,
        })
    }

    fn from_table(date: jiff::civil::Date) -> Option<Self> {
        let mut left = i64::from(date.since(TABLE_START).ok()?.get_days());
        for year in TABLE_FIRST_YEAR..TABLE_FIRST_YEAR + MONTH_LENGTHS.len() as i32 {
            for month in 1..=12u8 {
                let length = i64::from(table_length(year, month)?);
                if left < length {
                    let day = u8::try_from(left + 1).ok()?;
                    return Some(Self { year, month, day });
                }
                left -= length;
            }
        }
        None
    }

    /// The Gregorian date of this Umm al-Qura date; `None` for a day the month does not have.
    pub fn to_gregorian(&self) -> Option<jiff::civil::Date> {
        if let Some(offset) = table_offset(self.year, self.month) {
            if self.day == 0 || self.day > table_length(self.year, self.month)? {
                return None;
            }
            let days = offset + i64::from(self.day) - 1;
            return TABLE_START.checked_add(jiff::Span::new().days(days)).ok();
        }
        let hijri = Date::try_new_hijri_with_calendar(
            self.year,
            self.month,
            self.day,
            Hijri::new_umm_al_qura(),
        )
        .ok()?;
        if hijri.day_of_month().0 != self.day || hijri.month().ordinal != self.month {
            return None;
        }
        let iso = hijri.to_calendar(icu_calendar::Iso);
        jiff::civil::Date::new(
            i16::try_from(iso.era_year().year).ok()?,
            i8::try_from(iso.month().ordinal).ok()?,
            i8::try_from(iso.day_of_month().0).ok()?,
        )
        .ok()
    }

    /// How many days this date's month has (29 or 30 in Umm al-Qura).
    pub fn days_in_month(&self) -> Option<u8> {
        if let Some(length) = table_length(self.year, self.month) {
            return Some(length);
        }
        Date::try_new_hijri_with_calendar(self.year, self.month, 1, Hijri::new_umm_al_qura())
            .ok()
            .map(|d| d.days_in_month())
    }

    /// Whether `date` falls in Ramadan (the ninth month).
    pub fn in_ramadan(date: jiff::civil::Date) -> bool {
        Self::from_gregorian(date).is_some_and(|h| h.month == 9)
    }

    /// Fluent key of the month's name.
    pub fn month_key(&self) -> &'static str {
        const KEYS: [&str; 12] = [
            "cal-hijri-1",
            "cal-hijri-2",
            "cal-hijri-3",
            "cal-hijri-4",
            "cal-hijri-5",
            "cal-hijri-6",
            "cal-hijri-7",
            "cal-hijri-8",
            "cal-hijri-9",
            "cal-hijri-10",
            "cal-hijri-11",
            "cal-hijri-12",
        ];
        KEYS[usize::from(self.month.clamp(1, 12) - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn converts_known_umm_al_qura_dates() {
        // 1 Ramadan 1447 AH fell on 18 February 2026 in the Umm al-Qura calendar.
        assert_eq!(
            HijriDate::from_gregorian(date(2026, 2, 18)),
            Some(HijriDate {
                year: 1447,
                month: 9,
                day: 1
            })
        );
        // Saudi National Day 2026 (23 September) is 11 Rabi' al-Thani 1448.
        let national_day = HijriDate::from_gregorian(date(2026, 9, 23)).expect("in range");
        assert_eq!((national_day.year, national_day.month), (1448, 4));
        assert_eq!(national_day.month_key(), "cal-hijri-4");
    }

    #[test]
    fn converts_back_to_gregorian_and_refuses_days_a_month_lacks() {
        let first = HijriDate {
            year: 1447,
            month: 9,
            day: 1,
        };
        assert_eq!(first.to_gregorian(), Some(date(2026, 2, 18)));
        assert_eq!(first.days_in_month(), Some(30));
        // Ramadan 1448 has 29 days: there is no 30 Ramadan 1448.
        let thirtieth = HijriDate {
            year: 1448,
            month: 9,
            day: 30,
        };
        assert_eq!(thirtieth.to_gregorian(), None);
        assert!(HijriDate::in_ramadan(date(2027, 2, 8)));
        assert!(!HijriDate::in_ramadan(date(2027, 3, 9)));
    }

    /// Month starts from 1447 to 1500 AH as the npm package moment-hijri 3 (its own copy of
    /// the Umm al-Qura table) gives them: `umm_al_qura_months.txt`, made by
    /// `scripts/umm_al_qura_months.js`.
    #[test]
    fn every_month_start_matches_a_second_umm_al_qura_table() {
        let mut checked = 0;
        for line in include_str!("umm_al_qura_months.txt").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split(' ').collect();
            let (year, month): (i32, u8) = (f[0].parse().expect("y"), f[1].parse().expect("m"));
            let first: jiff::civil::Date = f[2].parse().expect("date");
            let ours = HijriDate {
                year,
                month,
                day: 1,
            };
            assert_eq!(ours.to_gregorian(), Some(first), "1/{month}/{year}");
            assert_eq!(HijriDate::from_gregorian(first), Some(ours), "{first}");
            let eve = first.yesterday().expect("a day before");
            let before = HijriDate::from_gregorian(eve).expect("in range");
            assert_ne!(before.month, month, "{eve} ends the month before");
            assert_eq!(
                Some(before.day),
                HijriDate { day: 1, ..before }.days_in_month(),
                "{eve} is its month's last day"
            );
            checked += 1;
        }
        assert!(checked >= 600);
    }
}
