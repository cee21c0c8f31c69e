//! Quiet hours: a branch may ask that no reminder reach a patient at night. A reminder due
//! inside them goes when they end, if that is still a quarter of an hour before the visit;
//! otherwise just before they begin (the evening before), if that is still ahead; otherwise it
//! is not sent — a patient woken at 05:00 for an 07:05 visit is worse off than one not
//! reminded twice. Times are the branch's local time; the hours may cross midnight.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// How long before the visit a moved reminder must still arrive.
const MARGIN: SignedDuration = SignedDuration::from_mins(15);
/// A reminder moved before the quiet hours goes this long before they begin.
const BEFORE: SignedDuration = SignedDuration::from_mins(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from: Time,
    pub until: Time,
}

impl QuietHours {
    /// Whether the local time `t` falls in [from, until), across midnight when from > until.
    pub fn contains(&self, t: Time) -> bool {
        if self.from < self.until {
            self.from <= t && t < self.until
        } else {
            t >= self.from || t < self.until
        }
    }

    /// Where a reminder due at `due`, for a visit at `visit`, goes (see the module's rule).
    pub fn place(
        &self,
        due: Timestamp,
        visit: Timestamp,
        now: Timestamp,
        tz: &TimeZone,
    ) -> Option<Timestamp> {
        let local = due.to_zoned(tz.clone());
        if !self.contains(local.time()) {
            return Some(due);
        }
        let at = |date: Date, time: Time| -> Option<Timestamp> {
            date.to_datetime(time)
                .to_zoned(tz.clone())
                .ok()
                .map(|z| z.timestamp())
        };
        let date = local.date();
        let mut end = at(date, self.until)?;
        if end <= due {
            end = at(date.tomorrow().ok()?, self.until)?;
        }
        if end.checked_add(MARGIN).ok()? <= visit {
            return Some(end);
        }
        let mut begin = at(date, self.from)?;
        if begin > due {
            begin = at(date.yesterday().ok()?, self.from)?;
        }
        let before = begin.checked_sub(BEFORE).ok()?;
        (before > now).then_some(before)
    }
}

/// Each reminder of `times` (lead minutes, due) moved out of the quiet hours; two that land on
/// the same moment are sent once.
pub fn place_all(
    times: Vec<(i64, Timestamp)>,
    quiet: Option<QuietHours>,
    tz: &TimeZone,
    visit: Timestamp,
    now: Timestamp,
) -> Vec<(i64, Timestamp)> {
    let Some(quiet) = quiet else {
        return times;
    };
    let mut out: Vec<(i64, Timestamp)> = times
        .into_iter()
        .filter_map(|(lead, due)| Some((lead, quiet.place(due, visit, now, tz)?)))
        .collect();
    out.sort_by_key(|(_, due)| *due);
    out.dedup_by_key(|(_, due)| *due);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn riyadh() -> TimeZone {
        TimeZone::get("Asia/Riyadh").expect("tz")
    }

    /// A Riyadh wall-clock time as an instant.
    fn local(s: &str) -> Timestamp {
        let dt: jiff::civil::DateTime = s.parse().expect("datetime");
        dt.to_zoned(riyadh()).expect("zoned").timestamp()
    }

    fn night() -> QuietHours {
        QuietHours {
            from: Time::constant(22, 0, 0, 0),
            until: Time::constant(7, 0, 0, 0),
        }
    }

    #[test]
    fn quiet_hours_across_midnight_contain_the_night_only() {
        let q = night();
        assert!(q.contains(Time::constant(22, 0, 0, 0)));
        assert!(q.contains(Time::constant(3, 0, 0, 0)));
        assert!(!q.contains(Time::constant(7, 0, 0, 0)));
        assert!(!q.contains(Time::constant(12, 0, 0, 0)));
        let noon = QuietHours {
            from: Time::constant(12, 0, 0, 0),
            until: Time::constant(13, 0, 0, 0),
        };
        assert!(noon.contains(Time::constant(12, 30, 0, 0)));
        assert!(!noon.contains(Time::constant(11, 59, 0, 0)));
        assert!(!noon.contains(Time::constant(13, 0, 0, 0)));
    }

    #[test]
    fn a_reminder_outside_quiet_hours_is_not_moved() {
        let due = local("2026-12-10T08:00");
        assert_eq!(
            night().place(
                due,
                local("2026-12-10T10:00"),
                local("2026-12-01T00:00"),
                &riyadh()
            ),
            Some(due)
        );
    }

    #[test]
    fn a_night_reminder_goes_when_the_quiet_hours_end() {
        // 2 hours before an 08:30 visit is 06:30: moved to 07:00.
        assert_eq!(
            night().place(
                local("2026-12-10T06:30"),
                local("2026-12-10T08:30"),
                local("2026-12-01T00:00"),
                &riyadh()
            ),
            Some(local("2026-12-10T07:00"))
        );
        // 24 hours before a 23:00 visit is 23:00 the day before: moved to 07:00 of the visit's day.
        assert_eq!(
            night().place(
                local("2026-12-09T23:00"),
                local("2026-12-10T23:00"),
                local("2026-12-01T00:00"),
                &riyadh()
            ),
            Some(local("2026-12-10T07:00"))
        );
    }

    #[test]
    fn when_the_end_is_too_late_it_goes_before_they_begin_or_not_at_all() {
        // A 07:05 visit: 07:00 is too close, so 21:59 the evening before.
        assert_eq!(
            night().place(
                local("2026-12-10T05:05"),
                local("2026-12-10T07:05"),
                local("2026-12-01T00:00"),
                &riyadh()
            ),
            Some(local("2026-12-09T21:59"))
        );
        // Booked at 23:00 for 07:05: no moment outside the quiet hours is left.
        assert_eq!(
            night().place(
                local("2026-12-10T05:05"),
                local("2026-12-10T07:05"),
                local("2026-12-09T23:00"),
                &riyadh()
            ),
            None
        );
    }

    #[test]
    fn two_reminders_moved_to_the_same_moment_are_sent_once() {
        let placed = place_all(
            vec![
                (300, local("2026-12-10T03:30")),
                (120, local("2026-12-10T06:30")),
            ],
            Some(night()),
            &riyadh(),
            local("2026-12-10T08:30"),
            local("2026-12-01T00:00"),
        );
        assert_eq!(placed, vec![(300, local("2026-12-10T07:00"))]);
        let untouched = vec![(120, local("2026-12-10T03:30"))];
        assert_eq!(
            place_all(
                untouched.clone(),
                None,
                &riyadh(),
                local("2026-12-10T05:30"),
                local("2026-12-01T00:00")
            ),
            untouched
        );
    }
}
