//! A branch's reminder rules as the admin types them: how many hours before a visit each
//! reminder goes ("24، 2" — up to three, Arabic or Latin digits and commas) and optional quiet
//! hours in the branch's local time, which may cross midnight (22:00 to 07:00). The ranges are
//! the table's constraints, so a refusal is a message, never a 500.

use crate::kernel::values::digits::to_ascii_digits;
use crate::kernel::values::validation::FieldErrors;
use jiff::civil::Time;
use serde::{Deserialize, Serialize};

/// At most this many reminders per visit.
pub const MAX_REMINDERS: usize = 3;
/// Lead times in hours: one hour to a week.
const MIN_HOURS: i32 = 1;
const MAX_HOURS: i32 = 168;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRulesInput {
    pub hours: String,
    pub quiet_from: String,
    pub quiet_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRules {
    /// Minutes before the visit, longest first; empty: no reminders at this branch.
    pub lead_minutes: Vec<i32>,
    /// Local times between which no reminder is sent.
    pub quiet: Option<(Time, Time)>,
}

impl Default for ReminderRules {
    /// What every branch had before the rules could be set: 24 and 2 hours, no quiet hours.
    fn default() -> Self {
        Self {
            lead_minutes: vec![24 * 60, 2 * 60],
            quiet: None,
        }
    }
}

impl ReminderRules {
    /// The lead times as the form shows them: "24، 2".
    pub fn hours_text(&self) -> String {
        self.lead_minutes
            .iter()
            .map(|m| (m / 60).to_string())
            .collect::<Vec<_>>()
            .join("، ")
    }
}

fn lead_hours(input: &str) -> Result<Vec<i32>, &'static str> {
    let ascii = to_ascii_digits(input);
    let mut hours = vec![];
    for part in ascii
        .split(|c: char| c == ',' || c == '،' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        match part.parse::<i32>() {
            Ok(h) if (MIN_HOURS..=MAX_HOURS).contains(&h) => hours.push(h),
            _ => return Err("err-reminder-hours"),
        }
    }
    hours.sort_unstable_by(|a, b| b.cmp(a));
    hours.dedup();
    if hours.len() > MAX_REMINDERS {
        return Err("err-reminder-count");
    }
    Ok(hours.into_iter().map(|h| h * 60).collect())
}

fn optional_time(input: &str) -> Result<Option<Time>, &'static str> {
    let ascii = to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Ok(None);
    }
    ascii.parse().map(Some).map_err(|_| "err-time-invalid")
}

impl ReminderRulesInput {
    pub fn parse(&self) -> Result<ReminderRules, FieldErrors> {
        let mut e = FieldErrors::default();
        let leads = e.check("reminder_hours", lead_hours(&self.hours));
        let from = e.check("quiet_from", optional_time(&self.quiet_from));
        let until = e.check("quiet_until", optional_time(&self.quiet_until));
        let quiet = match (from, until) {
            (Some(None), Some(None)) => Some(None),
            (Some(Some(from)), Some(Some(until))) if from != until => Some(Some((from, until))),
            (Some(Some(_)), Some(Some(_))) => {
                e.push("quiet_until", "err-quiet-same");
                None
            }
            (Some(None), Some(Some(_))) => {
                e.push("quiet_from", "err-quiet-both");
                None
            }
            (Some(Some(_)), Some(None)) => {
                e.push("quiet_until", "err-quiet-both");
                None
            }
            _ => None,
        };
        match (leads, quiet) {
            (Some(lead_minutes), Some(quiet)) if e.is_empty() => Ok(ReminderRules {
                lead_minutes,
                quiet,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(hours: &str, from: &str, until: &str) -> ReminderRulesInput {
        ReminderRulesInput {
            hours: hours.into(),
            quiet_from: from.into(),
            quiet_until: until.into(),
        }
    }

    fn keys(result: Result<ReminderRules, FieldErrors>) -> Vec<(String, String)> {
        result
            .expect_err("refused")
            .0
            .into_iter()
            .map(|f| (f.field, f.key))
            .collect()
    }

    #[test]
    fn arabic_digits_and_commas_read_as_hours_longest_first() {
        let rules = input("٢، ٤٨", "", "").parse().expect("valid");
        assert_eq!(rules.lead_minutes, vec![48 * 60, 120]);
        assert_eq!(rules.quiet, None);
        assert_eq!(rules.hours_text(), "48، 2");
    }

    #[test]
    fn no_hours_means_no_reminders() {
        assert_eq!(
            input("  ", "", "").parse().expect("valid").lead_minutes,
            Vec::<i32>::new()
        );
    }

    #[test]
    fn hours_outside_an_hour_to_a_week_or_more_than_three_are_refused() {
        for bad in ["0", "169", "2.5", "abc", "-3"] {
            assert_eq!(
                keys(input(bad, "", "").parse()),
                vec![("reminder_hours".to_owned(), "err-reminder-hours".to_owned())],
                "{bad}"
            );
        }
        assert_eq!(
            keys(input("1, 2, 3, 4", "", "").parse()),
            vec![("reminder_hours".to_owned(), "err-reminder-count".to_owned())]
        );
        // The same hour twice is one reminder.
        assert_eq!(
            input("2, 2, 24", "", "")
                .parse()
                .expect("valid")
                .lead_minutes,
            vec![1440, 120]
        );
    }

    #[test]
    fn quiet_hours_may_cross_midnight_and_need_both_ends() {
        let rules = input("24", "٢٢:٠٠", "07:00").parse().expect("valid");
        assert_eq!(
            rules.quiet,
            Some((Time::constant(22, 0, 0, 0), Time::constant(7, 0, 0, 0)))
        );
        assert_eq!(
            keys(input("24", "22:00", "").parse()),
            vec![("quiet_until".to_owned(), "err-quiet-both".to_owned())]
        );
        assert_eq!(
            keys(input("24", "", "07:00").parse()),
            vec![("quiet_from".to_owned(), "err-quiet-both".to_owned())]
        );
        assert_eq!(
            keys(input("24", "07:00", "07:00").parse()),
            vec![("quiet_until".to_owned(), "err-quiet-same".to_owned())]
        );
        assert_eq!(
            keys(input("24", "25:00", "07:00").parse()),
            vec![("quiet_from".to_owned(), "err-time-invalid".to_owned())]
        );
    }
}
