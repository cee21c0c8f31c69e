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

/// The intervals that apply on `date`: an override covering the date replaces the regular
/// week; on a day of Ramadan, Ramadan hours (where there are any) replace it too.
pub fn intervals_on(date: Date, all: &[WorkingInterval]) -> Vec<&WorkingInterval> {
    let weekday = date.weekday().to_sunday_zero_offset();
    let overridden = all.iter().any(|iv| covers(iv, date));
    // The calendar is read only for doctors with Ramadan hours.
    let ramadan = !overridden
        && all.iter().any(|iv| iv.ramadan)
        && crate::kernel::values::hijri::HijriDate::in_ramadan(date);
    all.iter()
        .filter(|iv| iv.weekday == weekday)
        .filter(|iv| {
            if overridden {
                covers(iv, date)
            } else if ramadan {
                iv.ramadan
            } else {
                !iv.ramadan && iv.valid_from.is_none() && iv.valid_until.is_none()
            }
        })
        .collect()
}

/// Whether the interval runs past midnight into the next day.
fn crosses_midnight(iv: &WorkingInterval) -> bool {
    iv.end <= iv.start
}

pub struct DayQuery<'a> {
    pub tz: &'a TimeZone,
    pub hours: &'a [WorkingInterval],
    pub closures: &'a [Closure],
    pub shape: VisitShape,
    pub busy: &'a [Busy],
    /// The branch's prayer breaks: no slot overlaps one.
    pub breaks: &'a [Busy],
    pub window: BookingWindow,
}

impl DayQuery<'_> {
    fn closed(&self, date: Date) -> bool {
        self.closures
            .iter()
            .any(|c| c.from <= date && date <= c.until)
    }

    /// The instants an interval of `day` opens and closes; one ending after midnight closes
    /// on the next day.
    fn span(&self, day: Date, iv: &WorkingInterval) -> Option<(Timestamp, Timestamp)> {
        let close_day = if crosses_midnight(iv) {
            day.tomorrow().ok()?
        } else {
            day
        };
        let open = day.to_datetime(iv.start).to_zoned(self.tz.clone()).ok()?;
        let close = close_day
            .to_datetime(iv.end)
            .to_zoned(self.tz.clone())
            .ok()?;
        Some((open.timestamp(), close.timestamp()))
    }

    /// Free slots starting on `date`, in time order: from its own intervals, and from the
    /// part after midnight of an interval of the day before (a Ramadan night session), unless
    /// that day was closed.
    pub fn slots_on(&self, date: Date) -> Vec<Slot> {
        if self.closed(date) {
            return vec![];
        }
        let today = self.window.now.to_zoned(self.tz.clone()).date();
        let last_day = today
            .checked_add(jiff::Span::new().days(self.window.horizon_days))
            .unwrap_or(today);
        if date < today || date > last_day || self.shape.duration_minutes <= 0 {
            return vec![];
        }
        let midnight = |d: Date| {
            d.to_datetime(jiff::civil::Time::midnight())
                .to_zoned(self.tz.clone())
                .ok()
                .map(|z| z.timestamp())
        };
        let (Some(day_start), Some(day_end)) =
            (midnight(date), date.tomorrow().ok().and_then(midnight))
        else {
            return vec![];
        };
        let mut spans: Vec<(Timestamp, Timestamp)> = vec![];
        if let Some(eve) = date.yesterday().ok().filter(|d| !self.closed(*d)) {
            spans.extend(
                intervals_on(eve, self.hours)
                    .into_iter()
                    .filter(|iv| crosses_midnight(iv))
                    .filter_map(|iv| self.span(eve, iv)),
            );
        }
        spans.extend(
            intervals_on(date, self.hours)
                .into_iter()
                .filter_map(|iv| self.span(date, iv)),
        );
        let earliest = self.window.now + minutes(self.window.min_notice_minutes);
        let step = minutes(
            self.shape.buffer_before_minutes
                + self.shape.duration_minutes
                + self.shape.buffer_after_minutes,
        );
        let mut slots = vec![];
        for (open, close) in spans {
            let mut start = open + minutes(self.shape.buffer_before_minutes);
            loop {
                let blocked = self.shape.blocked(start);
                if blocked.end > close {
                    break;
                }
                let taken = self
                    .busy
                    .iter()
                    .chain(self.breaks)
                    .any(|b| b.start < blocked.end && blocked.start < b.end);
                let on_this_day = day_start <= start && start < day_end;
                if start >= earliest && !taken && on_this_day {
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
            ramadan: false,
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
            breaks: &[],
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
            breaks: &[],
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
            breaks: &[],
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
            reason_ar: None,
            reason_en: None,
        }];
        let q = DayQuery {
            tz: &tz,
            hours: &hours,
            closures: &leave,
            shape: CONSULT,
            busy: &[],
            breaks: &[],
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
            breaks: &[],
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
            breaks: &[],
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

    fn ramadan_night(weekday: i8, from: (i8, i8), to: (i8, i8)) -> WorkingInterval {
        WorkingInterval {
            ramadan: true,
            ..weekly(weekday, from, to)
        }
    }

    /// Every day of the week: 09:00-11:00 the year round; in Ramadan 21:00-01:00 instead.
    fn ramadan_doctor() -> Vec<WorkingInterval> {
        (0..7)
            .flat_map(|d| {
                [
                    weekly(d, (9, 0), (11, 0)),
                    ramadan_night(d, (21, 0), (1, 0)),
                ]
            })
            .collect()
    }

    fn hour_query<'a>(
        tz: &'a TimeZone,
        hours: &'a [WorkingInterval],
        closures: &'a [Closure],
    ) -> DayQuery<'a> {
        DayQuery {
            tz,
            hours,
            closures,
            shape: CONSULT,
            busy: &[],
            breaks: &[],
            window: BookingWindow {
                now: "2027-01-01T00:00:00Z".parse().expect("ts"),
                min_notice_minutes: 0,
                horizon_days: 365,
            },
        }
    }

    // Ramadan 1448 (Umm al-Qura): 8 February to 8 March 2027; 1 Shawwal is 9 March.
    #[test]
    fn ramadan_hours_replace_the_week_and_run_past_midnight_from_the_first_night() {
        let tz = riyadh();
        let hours = ramadan_doctor();
        let q = hour_query(&tz, &hours, &[]);
        // The last day before Ramadan: the regular morning, nothing after midnight.
        assert_eq!(
            local_times(&q.slots_on(date(2027, 2, 7)), &tz),
            ["09:00", "09:30", "10:00", "10:30"]
        );
        // The first day of Ramadan: no morning; the night starts at 21:00, and its part after
        // midnight belongs to the next day's list.
        assert_eq!(
            local_times(&q.slots_on(date(2027, 2, 8)), &tz),
            ["21:00", "21:30", "22:00", "22:30", "23:00", "23:30"]
        );
        assert_eq!(
            local_times(&q.slots_on(date(2027, 2, 9)), &tz),
            ["00:00", "00:30", "21:00", "21:30", "22:00", "22:30", "23:00", "23:30"]
        );
    }

    #[test]
    fn the_last_night_of_ramadan_stops_at_midnight_when_eid_closes_the_next_day() {
        let tz = riyadh();
        let hours = ramadan_doctor();
        let eid = [Closure {
            from: date(2027, 3, 9),
            until: date(2027, 3, 12),
            reason_ar: Some("عيد الفطر".into()),
            reason_en: Some("Eid al-Fitr".into()),
        }];
        let q = hour_query(&tz, &hours, &eid);
        assert_eq!(
            local_times(&q.slots_on(date(2027, 3, 8)), &tz),
            ["00:00", "00:30", "21:00", "21:30", "22:00", "22:30", "23:00", "23:30"]
        );
        for day in 9..=12 {
            assert!(q.slots_on(date(2027, 3, day)).is_empty(), "Eid day {day}");
        }
        // After Eid the regular week is back, with nothing left of a night before it.
        assert_eq!(
            local_times(&q.slots_on(date(2027, 3, 13)), &tz),
            ["09:00", "09:30", "10:00", "10:30"]
        );
    }

    #[test]
    fn a_doctor_without_ramadan_hours_keeps_the_regular_week_in_ramadan() {
        let tz = riyadh();
        let hours: Vec<WorkingInterval> = (0..7).map(|d| weekly(d, (9, 0), (10, 0))).collect();
        let q = hour_query(&tz, &hours, &[]);
        assert_eq!(
            local_times(&q.slots_on(date(2027, 2, 15)), &tz),
            ["09:00", "09:30"]
        );
    }

    #[test]
    fn a_prayer_break_removes_exactly_the_slots_it_overlaps() {
        let tz = riyadh();
        let hours = [weekly(0, (9, 0), (17, 0))];
        let free = hour_query(&tz, &hours, &[]);
        let sunday = date(2027, 1, 3);
        let all = free.slots_on(sunday);
        // Dhuhr at 11:50 local (08:50 UTC), a 20-minute break: 11:30 and 12:00 overlap it.
        let dhuhr = [Busy {
            start: "2027-01-03T08:50:00Z".parse().expect("ts"),
            end: "2027-01-03T09:10:00Z".parse().expect("ts"),
        }];
        let with_break = DayQuery {
            breaks: &dhuhr,
            ..hour_query(&tz, &hours, &[])
        }
        .slots_on(sunday);
        let removed: Vec<String> = local_times(
            &all.iter()
                .filter(|s| !with_break.contains(s))
                .copied()
                .collect::<Vec<_>>(),
            &tz,
        );
        assert_eq!(removed, ["11:30", "12:00"]);
        assert_eq!(with_break.len(), all.len() - 2);
    }
}
