//! The weekdays a branch opens. Doctors' hours on a day the branch is closed stay stored (the
//! branch may open that day again) but offer no slots while it is closed.

use crate::clinic::domain::hours::WorkingInterval;
use serde::{Deserialize, Serialize};

/// One bit per weekday, bit 0 = Sunday … bit 6 = Saturday; never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingWeek(u8);

impl Default for WorkingWeek {
    /// The Saudi working week.
    fn default() -> Self {
        Self(0b001_1111)
    }
}

impl WorkingWeek {
    /// From weekday numbers as stored (0 = Sunday); `None` for an empty week or a number
    /// that is not a weekday.
    pub fn from_days(days: impl IntoIterator<Item = i16>) -> Option<Self> {
        let mut bits = 0u8;
        for day in days {
            if !(0..=6).contains(&day) {
                return None;
            }
            bits |= 1 << day;
        }
        (bits != 0).then_some(Self(bits))
    }

    /// From the seven ticked-or-not boxes of the setup form, Sunday first.
    pub fn from_ticks(ticks: [bool; 7]) -> Result<Self, &'static str> {
        Self::from_days((0..7).filter(|d| ticks[*d as usize])).ok_or("err-week-empty")
    }

    pub fn opens(&self, weekday: i8) -> bool {
        (0..=6).contains(&weekday) && self.0 & (1 << weekday) != 0
    }

    /// The open weekdays, Sunday first, as stored.
    pub fn days(&self) -> Vec<i16> {
        (0..7).filter(|d| self.opens(*d as i8)).collect()
    }

    /// The hours that can offer slots: those on open days.
    pub fn open_hours(&self, hours: Vec<WorkingInterval>) -> Vec<WorkingInterval> {
        hours
            .into_iter()
            .filter(|iv| self.opens(iv.weekday))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    fn on(weekday: i8) -> WorkingInterval {
        WorkingInterval {
            weekday,
            start: time(9, 0, 0, 0),
            end: time(13, 0, 0, 0),
            valid_from: None,
            valid_until: None,
            ramadan: false,
        }
    }

    #[test]
    fn the_default_week_is_sunday_to_thursday() {
        let week = WorkingWeek::default();
        assert_eq!(week.days(), vec![0, 1, 2, 3, 4]);
        assert!(!week.opens(5), "Friday");
        assert!(!week.opens(6), "Saturday");
    }

    #[test]
    fn a_week_needs_a_day_and_only_weekdays() {
        assert_eq!(WorkingWeek::from_days([]), None);
        assert_eq!(WorkingWeek::from_days([0, 7]), None);
        assert_eq!(WorkingWeek::from_days([-1]), None);
        assert_eq!(WorkingWeek::from_ticks([false; 7]), Err("err-week-empty"));
        let weekend_clinic =
            WorkingWeek::from_ticks([false, false, false, false, false, true, true]);
        assert_eq!(weekend_clinic.map(|w| w.days()), Ok(vec![5, 6]));
        assert!(!WorkingWeek::default().opens(7));
    }

    #[test]
    fn hours_on_closed_days_offer_nothing_but_the_rest_stay() {
        let week = WorkingWeek::from_days([0, 1, 2, 3, 4, 6]).expect("a week");
        let open: Vec<i8> = week
            .open_hours((0..7).map(on).collect())
            .iter()
            .map(|iv| iv.weekday)
            .collect();
        assert_eq!(open, vec![0, 1, 2, 3, 4, 6]);
    }
}
