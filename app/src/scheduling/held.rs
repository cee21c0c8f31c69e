//! Doctors' bookings, and the next free time computed from them, kept between requests. Each
//! copy carries the doctor's `doctor_bookings_version` it was read at (a number the database
//! moves with every booking that takes or frees a time), and is used only after the caller has
//! read that number again and found it unchanged; so a copy can be late by nothing but the
//! round trip that checked it. A search's list of doctors is kept the same way, against the
//! `schedule_version`.

use crate::scheduling::domain::schedule::Busy;
use jiff::{civil::Date, Timestamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

/// Bounds what a stream of different doctors and days can make the process hold; past it,
/// the copies are dropped and read again as asked for.
const MAX_COPIES: usize = 20_000;

/// The bookings of one doctor that touch one span of time.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BusyKey {
    pub doctor: Uuid,
    pub from: Timestamp,
    pub until: Timestamp,
}

/// A doctor's next free start at one branch for one visit type.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NextKey {
    pub doctor: Uuid,
    pub clinic: Uuid,
    pub visit: Uuid,
}

/// What a next free time was computed from, and the result: `None` when no time was free.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct NextFree {
    pub schedule_version: i64,
    pub bookings_version: i64,
    /// The doctor's local day it was computed on: the days searched start there.
    pub today: Date,
    pub next: Option<Timestamp>,
}

/// A kept list and the version number it was read at.
type Versioned<T> = (i64, Arc<[T]>);

/// What a patient searched for, in the form the database search takes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SearchKey {
    pub words: Vec<String>,
    pub specialty: Option<Uuid>,
    pub sex: Option<String>,
    pub clinic: Option<Uuid>,
}

/// The doctors each search found, in order, with the `schedule_version` it was run at: every
/// change to who a search can find moves that number, so while it stands the list stands.
#[derive(Default)]
pub struct HeldSearches(Mutex<HashMap<SearchKey, Versioned<Uuid>>>);

impl HeldSearches {
    pub fn get(&self, key: &SearchKey) -> Option<Versioned<Uuid>> {
        lock(&self.0).get(key).cloned()
    }

    pub fn keep(&self, key: SearchKey, schedule_version: i64, doctors: Arc<[Uuid]>) {
        bounded_insert(&mut lock(&self.0), key, (schedule_version, doctors));
    }
}

#[derive(Default)]
pub struct HeldBookings {
    busy: Mutex<HashMap<BusyKey, Versioned<Busy>>>,
    next: Mutex<HashMap<NextKey, NextFree>>,
}

/// A lock whose holder panicked still guards whole copies (each is replaced in one insert).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn bounded_insert<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= MAX_COPIES && !map.contains_key(&key) {
        map.clear();
    }
    map.insert(key, value);
}

impl HeldBookings {
    /// The copy of these bookings, with the bookings version it was read at.
    pub fn busy(&self, key: &BusyKey) -> Option<Versioned<Busy>> {
        lock(&self.busy).get(key).cloned()
    }

    pub fn keep_busy(&self, key: BusyKey, bookings_version: i64, busy: Arc<[Busy]>) {
        bounded_insert(&mut lock(&self.busy), key, (bookings_version, busy));
    }

    pub fn next(&self, key: &NextKey) -> Option<NextFree> {
        lock(&self.next).get(key).copied()
    }

    pub fn keep_next(&self, key: NextKey, next: NextFree) {
        bounded_insert(&mut lock(&self.next), key, next);
    }
}

impl NextFree {
    /// Whether this is still the next free time: nothing it was computed from changed, it is
    /// the same local day (the days searched end at the same place), and the time found is
    /// still far enough ahead to be offered (`earliest`: now plus the branch's notice). Time
    /// passing only takes times away from the front, so the first one still offered is still
    /// the first, and "none free" stays none.
    pub fn holds(
        &self,
        schedule_version: i64,
        bookings_version: i64,
        today: Date,
        earliest: Timestamp,
    ) -> bool {
        self.schedule_version == schedule_version
            && self.bookings_version == bookings_version
            && self.today == today
            && self.next.is_none_or(|t| t >= earliest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("a timestamp")
    }

    fn found(next: Option<&str>) -> NextFree {
        NextFree {
            schedule_version: 4,
            bookings_version: 9,
            today: "2026-12-06".parse().expect("a date"),
            next: next.map(ts),
        }
    }

    #[test]
    fn a_next_free_time_holds_only_while_nothing_it_came_from_moved() {
        let day: Date = "2026-12-06".parse().expect("a date");
        let early = ts("2026-12-06T08:00:00Z");
        let n = found(Some("2026-12-06T09:00:00Z"));
        assert!(n.holds(4, 9, day, early));
        assert!(!n.holds(5, 9, day, early), "setup changed");
        assert!(!n.holds(4, 10, day, early), "a booking changed");
        let tomorrow: Date = "2026-12-07".parse().expect("a date");
        assert!(!n.holds(4, 9, tomorrow, early), "a new day");
        assert!(
            n.holds(4, 9, day, ts("2026-12-06T09:00:00Z")),
            "still offered at its own start"
        );
        assert!(
            !n.holds(4, 9, day, ts("2026-12-06T09:00:01Z")),
            "too soon to be offered now"
        );
        assert!(found(None).holds(4, 9, day, ts("2026-12-06T23:00:00Z")));
    }

    #[test]
    fn the_copies_are_bounded() {
        let held = HeldBookings::default();
        let key = |i: u128| NextKey {
            doctor: Uuid::from_u128(i),
            clinic: Uuid::nil(),
            visit: Uuid::nil(),
        };
        for i in 0..=MAX_COPIES as u128 {
            held.keep_next(key(i), found(None));
        }
        assert!(lock(&held.next).len() <= MAX_COPIES);
        assert!(
            held.next(&key(MAX_COPIES as u128)).is_some(),
            "the newest is kept"
        );
    }
}
