//! Ramadan hours as typed: a weekday and a time each end. Unlike the regular week, an
//! interval may end after midnight (21:00 to 01:00), as evening clinics do in Ramadan.

use crate::clinic::domain::hours::WorkingInterval;
use crate::clinic::domain::setup::time;
use crate::kernel::values::digits::to_ascii_digits;
use crate::kernel::values::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RamadanHoursInput {
    pub weekday: String,
    pub starts_at: String,
    pub ends_at: String,
}

impl RamadanHoursInput {
    pub fn parse(&self) -> Result<WorkingInterval, FieldErrors> {
        let mut e = FieldErrors::default();
        let weekday = e.check(
            "ramadan_weekday",
            match to_ascii_digits(self.weekday.trim()).parse::<i8>() {
                Ok(d) if (0..=6).contains(&d) => Ok(d),
                _ => Err("err-weekday-invalid"),
            },
        );
        let start = e.check("ramadan_from", time(&self.starts_at));
        let end = e.check("ramadan_until", time(&self.ends_at));
        if let (Some(s), Some(t)) = (start, end) {
            if s == t {
                e.push("ramadan_until", "err-ramadan-same");
            }
        }
        match (weekday, start, end) {
            (Some(weekday), Some(start), Some(end)) if e.is_empty() => Ok(WorkingInterval {
                weekday,
                start,
                end,
                valid_from: None,
                valid_until: None,
                ramadan: true,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(weekday: &str, from: &str, to: &str) -> RamadanHoursInput {
        RamadanHoursInput {
            weekday: weekday.into(),
            starts_at: from.into(),
            ends_at: to.into(),
        }
    }

    #[test]
    fn a_night_interval_may_end_after_midnight() {
        let iv = input("٢", "21:00", "01:00").parse().expect("valid");
        assert_eq!(iv.weekday, 2);
        assert!(iv.ramadan);
        assert!(iv.end < iv.start);
    }

    #[test]
    fn nonsense_is_refused_field_by_field() {
        let keys = |i: RamadanHoursInput| -> Vec<(String, String)> {
            i.parse()
                .expect_err("refused")
                .0
                .into_iter()
                .map(|f| (f.field, f.key))
                .collect()
        };
        assert_eq!(
            keys(input("7", "10:00", "15:00")),
            vec![(
                "ramadan_weekday".to_owned(),
                "err-weekday-invalid".to_owned()
            )]
        );
        assert_eq!(
            keys(input("1", "10:00", "10:00")),
            vec![("ramadan_until".to_owned(), "err-ramadan-same".to_owned())]
        );
        assert_eq!(
            keys(input("1", "", "25:00")),
            vec![
                ("ramadan_from".to_owned(), "err-time-required".to_owned()),
                ("ramadan_until".to_owned(), "err-time-invalid".to_owned())
            ]
        );
    }
}
