//! Umm al-Qura (the Saudi official Hijri calendar) dates beside Gregorian ones.

use icu_calendar::{cal::Hijri, Date};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HijriDate {
    pub year: i32,
    /// 1 = Muharram … 12 = Dhu al-Hijjah.
    pub month: u8,
    pub day: u8,
}

impl HijriDate {
    pub fn from_gregorian(date: jiff::civil::Date) -> Option<Self> {
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
}
