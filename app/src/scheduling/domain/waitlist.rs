//! Who may wait for which days. The queue itself (first come, first offered) lives in SQL.

use crate::kernel::values::digits::to_ascii_digits;
use crate::kernel::values::FieldErrors;
use jiff::civil::Date;

/// A wish further out than this is better served by booking once the calendar opens.
pub const MAX_WAIT_DAYS: i32 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitRange {
    pub from: Date,
    pub until: Date,
}

fn parse_day(input: &str) -> Result<Date, &'static str> {
    let ascii = to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Err("err-date-required");
    }
    ascii.parse().map_err(|_| "err-date-invalid")
}

impl WaitRange {
    /// Both ends inclusive, in the clinic's calendar; the range may not start in the past.
    pub fn parse(from: &str, until: &str, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let from = errors.check(
            "from",
            parse_day(from).and_then(|d| {
                if d < today {
                    Err("err-date-past")
                } else {
                    Ok(d)
                }
            }),
        );
        let until = errors.check("until", parse_day(until));
        match (from, until) {
            (Some(from), Some(until)) if until < from => {
                errors.push("until", "err-waitlist-until-before-from");
                Err(errors)
            }
            (Some(from), Some(until)) if (until - from).get_days() >= MAX_WAIT_DAYS => {
                errors.push("until", "err-waitlist-too-long");
                Err(errors)
            }
            (Some(from), Some(until)) => Ok(Self { from, until }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 25);

    #[test]
    fn a_range_from_today_is_accepted_in_either_digit_set() {
        let r = WaitRange::parse("2026-11-25", "٢٠٢٦-١٢-٠٥", TODAY).expect("valid");
        assert_eq!(r.from, TODAY);
        assert_eq!(r.until, date(2026, 12, 5));
    }

    #[test]
    fn past_reversed_and_overlong_ranges_are_refused() {
        let e = WaitRange::parse("2026-11-24", "2026-11-30", TODAY).expect_err("past");
        assert_eq!(e.for_field("from"), Some("err-date-past"));
        let e = WaitRange::parse("2026-12-10", "2026-12-01", TODAY).expect_err("reversed");
        assert_eq!(e.for_field("until"), Some("err-waitlist-until-before-from"));
        let e = WaitRange::parse("2026-11-25", "2027-03-01", TODAY).expect_err("too long");
        assert_eq!(e.for_field("until"), Some("err-waitlist-too-long"));
        let e = WaitRange::parse("", "soon", TODAY).expect_err("empty");
        assert_eq!(e.for_field("from"), Some("err-date-required"));
        assert_eq!(e.for_field("until"), Some("err-date-invalid"));
    }
}
