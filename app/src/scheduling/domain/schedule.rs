//! Which slots a doctor can offer: weekly hours (several intervals a day), date-range overrides
//! such as Ramadan hours, closures (leave, public holidays), visit length with buffers, what is
//! already booked, minimum notice and how far ahead booking opens. All arithmetic happens on
//! absolute instants, so days with a daylight-saving jump still yield real-length slots.

use crate::clinic::domain::hours::{Closure, WorkingInterval};
use jiff::{civil::Date, tz::TimeZone, SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitShape {
    pub duration_minutes: i64,
    pub buffer_before_minutes: i64,
    pub buffer_after_minutes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingWindow {
    pub now: Timestamp,
    pub min_notice_minutes: i64,
    pub horizon_days: i64,
}

/// A time the doctor is taken, buffers included: half-open `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Busy {
    pub start: Timestamp,
    pub end: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl VisitShape {
    /// The span a visit starting at `start` keeps the doctor from other patients.
    pub fn blocked(&self, start: Timestamp) -> Busy {
        Busy {
            start: start - minutes(self.buffer_before_minutes),
            end: start + minutes(self.duration_minutes + self.buffer_after_minutes),
        }
    }
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

fn covers(iv: &WorkingInterval, date: Date) -> bool {
    matches!((iv.valid_from, iv.valid_until), (Some(from), Some(until)) if from <= date && date <= until)
}

/// The intervals that apply on `date`: an override covering the date replaces the regular week.
pub fn intervals_on(date: Date, all: &[WorkingInterval]) -> Vec<&WorkingInterval> {
    let weekday = date.weekday().to_sunday_zero_offset();
    let overridden = all.iter().any(|iv| covers(iv, date));
    all.iter()
        .filter(|iv| iv.weekday == weekday)
        .filter(|iv| {
            if overridden {
                covers(iv, date)
            } else {
                iv.valid_from.is_none() && iv.valid_until.is_none()
            }
        })
        .collect()
}

pub struct DayQuery<'a> {
    pub tz: &'a TimeZone,
    pub hours: &'a [WorkingInterval],
    pub closures: &'a [Closure],
    pub shape: VisitShape,
    pub busy: &'a [Busy],
    pub window: BookingWindow,
}

impl DayQuery<'_> {
    /// Free slots on `date`, in time order.
    pub fn slots_on(&self, date: Date) -> Vec<Slot> {
        if self
            .closures
            .iter()
            .any(|c| c.from <= date && date <= c.until)
        {
            return vec![];
        }
        let today = self.window.now.to_zoned(self.tz.clone()).date();
        let last_day = today
            .checked_add(jiff::Span::new().days(self.window.horizon_days))
            .unwrap_or(today);
        if date < today || date > last_day || self.shape.duration_minutes <= 0 {
            return vec![];
        }
        let earliest = self.window.now + minutes(self.window.min_notice_minutes);
        let step = minutes(
            self.shape.buffer_before_minutes
                + self.shape.duration_minutes
                + self.shape.buffer_after_minutes,
        );
        let mut slots = vec![];
        for iv in intervals_on(date, self.hours) {
            let (Ok(open), Ok(close)) = (
                date.to_datetime(iv.start).to_zoned(self.tz.clone()),
                date.to_datetime(iv.end).to_zoned(self.tz.clone()),
            ) else {
                continue;
            };
            let (open, close) = (open.timestamp(), close.timestamp());
            let mut start = open + minutes(self.shape.buffer_before_minutes);
            loop {
                let blocked = self.shape.blocked(start);
                if blocked.end > close {
                    break;
                }
                let taken = self
                    .busy
                    .iter()
                    .any(|b| b.start < blocked.end && blocked.start < b.end);
                if start >= earliest && !taken {
                    slots.push(Slot {
                        start,
                        end: start + minutes(self.shape.duration_minutes),
                    });
                }
                start += step;
            }
        }
        slots.sort_by_key(|s| s.start);
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn riyadh() -> TimeZone {
        TimeZone::get("Asia/Riyadh").expect("bundled tzdb")
    }

    fn weekly(weekday: i8, from: (i8, i8), to: (i8, i8)) -> WorkingInterval {
        WorkingInterval {
            weekday,
            start: time(from.0, from.1, 0, 0),
            end: time(to.0, to.1, 0, 0),
            valid_from: None,
            valid_until: None,
        }
    }

    const CONSULT: VisitShape = VisitShape {
        duration_minutes: 30,
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
    };

    fn window(now: &str) -> BookingWindow {
        BookingWindow {
            now: now.parse().expect("timestamp"),
            min_notice_minutes: 120,
            horizon_days: 60,
        }
    }

    fn local_times(slots: &[Slot], tz: &TimeZone) -> Vec<String> {
        slots
            .iter()
            .map(|s| {
                s.start
                    .to_zoned(tz.clone())
                    .time()
                    .strftime("%H:%M")
                    .to_string()
            })
            .collect()
    }

    // 2026-12-06 is a Sunday.
    const SUNDAY: Date = date(2026, 12, 6);

    #[test]
    fn morning_and_evening_clinics_give_slots_in_local_time() {
        let tz = riyadh();
        let hours = [weekly(0, (9, 0), (11, 0)), weekly(0, (16, 0), (17, 0))];
        let q = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &[],
            shape: CONSULT,
            busy: &[],
            window: window("2026-12-01T00:00:00Z"),
        };
        let slots = q.slots_on(SUNDAY);
        assert_eq!(
            local_times(&slots, &tz),
            ["09:00", "09:30", "10:00", "10:30", "16:00", "16:30"]
        );
        assert_eq!(
            slots[0].start.to_string(),
            "2026-12-06T06:00:00Z",
            "Riyadh is UTC+3 all year"
        );
        assert!(
            q.slots_on(date(2026, 12, 7)).is_empty(),
            "no hours on Monday"
        );
    }

    /// Booking decides "is this time on offer" without reading bookings; that is only sound
    /// while bookings remove slots and never move the others.
    #[test]
    fn bookings_remove_slots_and_never_shift_the_grid() {
        let tz = riyadh();
        let hours = [weekly(0, (9, 0), (13, 0))];
        let shape = VisitShape {
            duration_minutes: 20,
            buffer_before_minutes: 5,
            buffer_after_minutes: 10,
        };
        let free = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &[],
            shape,
            busy: &[],
            window: window("2026-12-01T00:00:00Z"),
        };
        let all = free.slots_on(SUNDAY);
        // An odd-length booking that straddles two grid slots, at an off-grid time.
        let busy = [Busy {
            start: "2026-12-06T06:47:00Z".parse().expect("ts"),
            end: "2026-12-06T07:31:00Z".parse().expect("ts"),
        }];
        let left = DayQuery {
            busy: &busy,
            ..free
        }
        .slots_on(SUNDAY);
        assert!(left.len() < all.len(), "the booking took some slots");
        assert!(
            left.iter().all(|s| all.contains(s)),
            "every remaining slot was on the free grid"
        );
    }

    #[test]
    fn buffers_widen_the_step_and_booked_time_is_skipped() {
        let tz = riyadh();
        let hours = [weekly(0, (9, 0), (11, 0))];
        let shape = VisitShape {
            duration_minutes: 20,
            buffer_before_minutes: 5,
            buffer_after_minutes: 5,
        };
        let booked = shape.blocked("2026-12-06T06:35:00Z".parse().expect("ts")); // 09:35 local
        let q = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &[],
            shape,
            busy: &[booked],
            window: window("2026-12-01T00:00:00Z"),
        };
        // Steps of 30 minutes from 09:05; 09:35 is taken, and its buffers end where 10:05's begin.
        assert_eq!(
            local_times(&q.slots_on(SUNDAY), &tz),
            ["09:05", "10:05", "10:35"]
        );
    }

    #[test]
    fn closures_and_overrides_replace_the_regular_week() {
        let tz = riyadh();
        let mut ramadan = weekly(0, (21, 0), (22, 0));
        ramadan.valid_from = Some(date(2026, 12, 1));
        ramadan.valid_until = Some(date(2026, 12, 10));
        let hours = [weekly(0, (9, 0), (10, 0)), ramadan];
        let leave = [Closure {
            from: date(2026, 12, 13),
            until: date(2026, 12, 13),
        }];
        let q = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &leave,
            shape: CONSULT,
            busy: &[],
            window: window("2026-11-30T00:00:00Z"),
        };
        assert_eq!(
            local_times(&q.slots_on(SUNDAY), &tz),
            ["21:00", "21:30"],
            "override week"
        );
        assert!(q.slots_on(date(2026, 12, 13)).is_empty(), "on leave");
        assert_eq!(
            local_times(&q.slots_on(date(2026, 12, 20)), &tz),
            ["09:00", "09:30"],
            "regular week again"
        );
    }

    #[test]
    fn minimum_notice_and_horizon_limit_what_can_be_booked() {
        let tz = riyadh();
        let hours: Vec<_> = (0..7).map(|d| weekly(d, (9, 0), (11, 0))).collect();
        // 07:00 local on Sunday: with two hours' notice the first bookable slot is 09:00.
        let q = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &[],
            shape: CONSULT,
            busy: &[],
            window: window("2026-12-06T04:00:00Z"),
        };
        assert_eq!(
            local_times(&q.slots_on(SUNDAY), &tz)
                .first()
                .map(String::as_str),
            Some("09:00")
        );
        // 08:00 local: 09:00 and 09:30 are too soon.
        let q = DayQuery {
            window: window("2026-12-06T05:00:00Z"),
            ..q
        };
        assert_eq!(
            local_times(&q.slots_on(SUNDAY), &tz)
                .first()
                .map(String::as_str),
            Some("10:00")
        );
        assert!(q.slots_on(date(2026, 12, 5)).is_empty(), "the past");
        assert!(!q.slots_on(date(2027, 2, 4)).is_empty(), "day 60 is open");
        assert!(
            q.slots_on(date(2027, 2, 5)).is_empty(),
            "day 61 is beyond the horizon"
        );
    }

    #[test]
    fn a_daylight_saving_jump_yields_real_length_slots() {
        let tz = TimeZone::get("America/New_York").expect("bundled tzdb");
        // 2026-03-08 (a Sunday): clocks jump from 02:00 to 03:00, so 01:00–04:00 is two real hours.
        let hours = [weekly(0, (1, 0), (4, 0))];
        let q = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &[],
            shape: CONSULT,
            busy: &[],
            window: window("2026-03-01T00:00:00Z"),
        };
        let slots = q.slots_on(date(2026, 3, 8));
        assert_eq!(
            local_times(&slots, &tz),
            ["01:00", "01:30", "03:00", "03:30"]
        );
        assert!(slots
            .iter()
            .all(|s| s.end.duration_since(s.start) == SignedDuration::from_mins(30)));
        // A week later the same hours give six slots.
        assert_eq!(q.slots_on(date(2026, 3, 15)).len(), 6);
    }
}
