//! Prayer times by the Umm al-Qura method and the breaks a branch takes around them. The
//! method (Umm al-Qura University, Makkah): Fajr at the sun 18.5° below the horizon, Dhuhr at
//! solar noon, Asr when a shadow is its object's length plus the noon shadow (the standard,
//! Shafi'i reckoning), Maghrib at sunset (the sun's upper limb at the horizon, 0.833° with
//! refraction), Isha 90 minutes after Maghrib (120 in Ramadan). The sun's position is the
//! low-precision formula of the US Naval Observatory's Astronomical Applications Department
//! ("Approximate Solar Coordinates"), as PrayTimes.org uses it, refined twice; checked
//! against the npm package `adhan` (see `prayer_times_check.csv`) to within a minute.
//! Pure arithmetic, so the browser and the server agree.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Prayer {
    Dhuhr,
    Asr,
    Maghrib,
    Isha,
    /// The Friday prayer, at Dhuhr's time with its sermon before it.
    Jumuah,
}

impl Prayer {
    pub const ALL: [Prayer; 5] = [
        Prayer::Dhuhr,
        Prayer::Asr,
        Prayer::Maghrib,
        Prayer::Isha,
        Prayer::Jumuah,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Prayer::Dhuhr => "dhuhr",
            Prayer::Asr => "asr",
            Prayer::Maghrib => "maghrib",
            Prayer::Isha => "isha",
            Prayer::Jumuah => "jumuah",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Fluent key of the prayer's name.
    pub fn name_key(self) -> &'static str {
        match self {
            Prayer::Dhuhr => "prayer-dhuhr",
            Prayer::Asr => "prayer-asr",
            Prayer::Maghrib => "prayer-maghrib",
            Prayer::Isha => "prayer-isha",
            Prayer::Jumuah => "prayer-jumuah",
        }
    }
}

/// The day's prayer times, as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrayerTimes {
    pub fajr: Timestamp,
    pub dhuhr: Timestamp,
    pub asr: Timestamp,
    pub maghrib: Timestamp,
    pub isha: Timestamp,
}

fn sin_d(d: f64) -> f64 {
    d.to_radians().sin()
}
fn cos_d(d: f64) -> f64 {
    d.to_radians().cos()
}
fn tan_d(d: f64) -> f64 {
    d.to_radians().tan()
}
fn fix(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r < 0.0 {
        r + b
    } else {
        r
    }
}

/// Julian day number at 00:00 UTC of `date`.
fn julian(date: Date) -> f64 {
    let (mut y, mut m) = (f64::from(date.year()), f64::from(date.month()));
    let d = f64::from(date.day());
    if m <= 2.0 {
        y -= 1.0;
        m += 12.0;
    }
    let a = (y / 100.0).floor();
    let b = 2.0 - a + (a / 4.0).floor();
    (365.25 * (y + 4716.0)).floor() + (30.6001 * (m + 1.0)).floor() + d + b - 1524.5
}

/// The sun's declination (degrees) and the equation of time (hours) at Julian day `jd`.
fn sun(jd: f64) -> (f64, f64) {
    let d = jd - 2451545.0;
    let g = fix(357.529 + 0.98560028 * d, 360.0);
    let q = fix(280.459 + 0.98564736 * d, 360.0);
    let l = fix(q + 1.915 * sin_d(g) + 0.020 * sin_d(2.0 * g), 360.0);
    let e = 23.439 - 0.00000036 * d;
    let ra = fix(
        (cos_d(e) * sin_d(l)).atan2(cos_d(l)).to_degrees() / 15.0,
        24.0,
    );
    let eqt = q / 15.0 - ra;
    let decl = (sin_d(e) * sin_d(l)).asin().to_degrees();
    (decl, eqt - 24.0 * (eqt / 24.0).round())
}

struct Day {
    jd: f64,
    lat: f64,
    lon: f64,
}

impl Day {
    /// Solar noon in hours UTC, for a time near `t` (hours UTC).
    fn noon(&self, t: f64) -> f64 {
        let (_, eqt) = sun(self.jd + t / 24.0);
        fix(12.0 - eqt - self.lon / 15.0, 24.0)
    }

    /// When the sun is `depression` degrees below the horizon, after noon (`after`) or
    /// before; `None` where it never gets there (far north or south).
    fn at_depression(&self, depression: f64, t: f64, after: bool) -> Option<f64> {
        let (decl, _) = sun(self.jd + t / 24.0);
        let cos_h =
            (-sin_d(depression) - sin_d(decl) * sin_d(self.lat)) / (cos_d(decl) * cos_d(self.lat));
        if !(-1.0..=1.0).contains(&cos_h) {
            return None;
        }
        let h = cos_h.acos().to_degrees() / 15.0;
        let noon = self.noon(t);
        Some(if after { noon + h } else { noon - h })
    }

    /// Asr: the shadow is its object plus the noon shadow.
    fn asr(&self, t: f64) -> Option<f64> {
        let (decl, _) = sun(self.jd + t / 24.0);
        let altitude = (1.0 / (1.0 + tan_d((self.lat - decl).abs())))
            .atan()
            .to_degrees();
        self.at_depression(-altitude, t, true)
    }
}

impl PrayerTimes {
    /// The prayer times of `date` at `lat`, `lon` (degrees, north and east positive);
    /// `ramadan` lengthens the wait for Isha. `None` where the sun does not set or reach
    /// Fajr's depth.
    pub fn on(date: Date, lat: f64, lon: f64, ramadan: bool) -> Option<PrayerTimes> {
        let day = Day {
            jd: julian(date),
            lat,
            lon,
        };
        // First guesses in local solar hours, made UTC; then refined twice.
        let local = |h: f64| h - lon / 15.0;
        let (mut fajr, mut dhuhr, mut asr, mut sunset) =
            (local(5.0), local(12.0), local(13.0), local(18.0));
        for _ in 0..2 {
            fajr = day.at_depression(18.5, fajr, false)?;
            dhuhr = day.noon(dhuhr);
            asr = day.asr(asr)?;
            sunset = day.at_depression(0.833, sunset, true)?;
        }
        let isha_after = if ramadan { 120.0 } else { 90.0 } / 60.0;
        let midnight = date
            .to_datetime(jiff::civil::Time::midnight())
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp();
        let at = |hours: f64| -> Option<Timestamp> {
            let seconds = (hours * 3600.0).round() as i64;
            midnight
                .checked_add(SignedDuration::from_secs(seconds))
                .ok()
        };
        Some(PrayerTimes {
            fajr: at(fajr)?,
            dhuhr: at(dhuhr)?,
            asr: at(asr)?,
            maghrib: at(sunset)?,
            isha: at(sunset + isha_after)?,
        })
    }

    pub fn of(&self, prayer: Prayer) -> Timestamp {
        match prayer {
            Prayer::Dhuhr | Prayer::Jumuah => self.dhuhr,
            Prayer::Asr => self.asr,
            Prayer::Maghrib => self.maghrib,
            Prayer::Isha => self.isha,
        }
    }
}

/// A branch's prayer breaks: where it is, which prayers it pauses for, and how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrayerBreaks {
    pub latitude: f64,
    pub longitude: f64,
    pub prayers: Vec<Prayer>,
    /// Minutes from the call to prayer.
    pub minutes: i64,
}

/// How long before the Friday prayer its sermon begins.
const SERMON_MINUTES: i64 = 30;

impl PrayerBreaks {
    /// The breaks of the branch's local day `date` (in `tz`), as `[start, end)` instants.
    pub fn on(&self, date: Date, tz: &jiff::tz::TimeZone) -> Vec<(Timestamp, Timestamp)> {
        if self.prayers.is_empty() {
            return vec![];
        }
        let ramadan = crate::kernel::values::hijri::HijriDate::in_ramadan(date);
        let Some(times) = PrayerTimes::on(date, self.latitude, self.longitude, ramadan) else {
            return vec![];
        };
        let friday = date.weekday() == jiff::civil::Weekday::Friday;
        let length = SignedDuration::from_mins(self.minutes);
        let mut out: Vec<(Timestamp, Timestamp)> = self
            .prayers
            .iter()
            .filter(|p| match p {
                Prayer::Jumuah => friday,
                // On Friday, the Friday prayer takes Dhuhr's place.
                Prayer::Dhuhr => !(friday && self.prayers.contains(&Prayer::Jumuah)),
                _ => true,
            })
            .map(|p| {
                let call = times.of(*p);
                let start = if *p == Prayer::Jumuah {
                    call - SignedDuration::from_mins(SERMON_MINUTES)
                } else {
                    call
                };
                (start, call + length)
            })
            // A break belongs to the local day it falls on (UTC dates differ from local ones).
            .filter(|(start, _)| start.to_zoned(tz.clone()).date() == date)
            .collect();
        out.sort();
        out
    }
}

/// The prayer-break form as typed: the branch's position, a tick per prayer (absent when
/// unticked) and the minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrayerBreaksInput {
    pub latitude: String,
    pub longitude: String,
    pub minutes: String,
    /// The codes of the ticked prayers.
    pub prayers: Vec<String>,
}

/// What the branch stores: its position (if given), the prayers and the minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrayerSettings {
    pub position: Option<(f64, f64)>,
    pub prayers: Vec<Prayer>,
    pub minutes: i16,
}

fn degrees(input: &str, limit: f64) -> Result<Option<f64>, &'static str> {
    let ascii = crate::kernel::values::digits::to_ascii_digits(input.trim()).replace('٫', ".");
    if ascii.is_empty() {
        return Ok(None);
    }
    match ascii.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(Some(v)),
        _ => Err("err-prayer-position"),
    }
}

impl PrayerBreaksInput {
    pub fn parse(&self) -> Result<PrayerSettings, crate::kernel::values::validation::FieldErrors> {
        let mut e = crate::kernel::values::validation::FieldErrors::default();
        let lat = e.check("latitude", degrees(&self.latitude, 60.0));
        let lon = e.check("longitude", degrees(&self.longitude, 180.0));
        let minutes = e.check(
            "minutes",
            match crate::kernel::values::digits::to_ascii_digits(self.minutes.trim()).parse::<i16>()
            {
                Ok(m) if (5..=60).contains(&m) => Ok(m),
                _ => Err("err-prayer-minutes"),
            },
        );
        let mut prayers = vec![];
        for code in &self.prayers {
            match Prayer::from_code(code.trim()) {
                Some(p) if !prayers.contains(&p) => prayers.push(p),
                Some(_) => {}
                None => e.push("prayers", "err-prayer-unknown"),
            }
        }
        prayers.sort();
        let position = match (lat, lon) {
            (Some(Some(lat)), Some(Some(lon))) => Some(Some((lat, lon))),
            (Some(None), Some(None)) => Some(None),
            (Some(None), Some(Some(_))) => {
                e.push("latitude", "err-prayer-position-both");
                None
            }
            (Some(Some(_)), Some(None)) => {
                e.push("longitude", "err-prayer-position-both");
                None
            }
            _ => None,
        };
        if matches!(position, Some(None)) && !prayers.is_empty() {
            e.push("latitude", "err-prayer-position-needed");
        }
        match (position, minutes) {
            (Some(position), Some(minutes)) if e.is_empty() => Ok(PrayerSettings {
                position,
                prayers,
                minutes,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes_apart(a: Timestamp, b: Timestamp) -> i64 {
        (a.as_second() - b.as_second()).abs() / 60
    }

    #[test]
    fn times_match_the_independent_table_to_within_a_minute() {
        let tz = jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz");
        let rows: Vec<&str> = include_str!("prayer_times_check.csv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert!(rows.len() >= 10);
        for row in rows {
            let f: Vec<&str> = row.split(',').collect();
            let (lat, lon): (f64, f64) = (f[1].parse().expect("lat"), f[2].parse().expect("lon"));
            let date: Date = f[3].parse().expect("date");
            let times = PrayerTimes::on(date, lat, lon, false).expect("times");
            let local = |hm: &str| -> Timestamp {
                let t: jiff::civil::Time = hm.parse().expect("time");
                date.to_datetime(t)
                    .to_zoned(tz.clone())
                    .expect("zoned")
                    .timestamp()
            };
            for (name, ours, theirs) in [
                ("fajr", times.fajr, f[4]),
                ("dhuhr", times.dhuhr, f[5]),
                ("asr", times.asr, f[6]),
                ("maghrib", times.maghrib, f[7]),
                ("isha", times.isha, f[8]),
            ] {
                let apart = minutes_apart(ours, local(theirs));
                assert!(apart <= 1, "{} {date} {name}: {apart} minutes apart", f[0]);
            }
        }
    }

    #[test]
    fn breaks_follow_the_chosen_prayers_and_friday_has_its_own() {
        let tz = jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz");
        let riyadh = PrayerBreaks {
            latitude: 24.7136,
            longitude: 46.6753,
            prayers: vec![Prayer::Dhuhr, Prayer::Asr, Prayer::Jumuah],
            minutes: 20,
        };
        // Sunday 6 December 2026: Dhuhr and Asr, 20 minutes each.
        let sunday = riyadh.on(jiff::civil::date(2026, 12, 6), &tz);
        assert_eq!(sunday.len(), 2);
        for (start, end) in &sunday {
            assert_eq!(end.as_second() - start.as_second(), 20 * 60);
        }
        // Friday 11 December: the Friday prayer from its sermon, then Asr.
        let friday = riyadh.on(jiff::civil::date(2026, 12, 11), &tz);
        assert_eq!(friday.len(), 2);
        assert_eq!(friday[0].1.as_second() - friday[0].0.as_second(), 50 * 60);
        let none = PrayerBreaks {
            prayers: vec![],
            ..riyadh
        };
        assert!(none.on(jiff::civil::date(2026, 12, 6), &tz).is_empty());
    }

    #[test]
    fn the_form_needs_a_position_for_any_break_and_refuses_nonsense() {
        let input = |lat: &str, lon: &str, minutes: &str, prayers: &[&str]| PrayerBreaksInput {
            latitude: lat.into(),
            longitude: lon.into(),
            minutes: minutes.into(),
            prayers: prayers.iter().map(|p| (*p).to_owned()).collect(),
        };
        let ok = input("٢٤٫٧١", "46.67", "20", &["asr", "dhuhr"])
            .parse()
            .expect("valid");
        assert_eq!(ok.position, Some((24.71, 46.67)));
        assert_eq!(ok.prayers, vec![Prayer::Dhuhr, Prayer::Asr]);
        assert!(
            input("", "", "20", &[]).parse().is_ok(),
            "no breaks, no position"
        );
        let keys = |i: PrayerBreaksInput| -> Vec<String> {
            i.parse()
                .expect_err("refused")
                .0
                .into_iter()
                .map(|f| f.key)
                .collect()
        };
        assert_eq!(
            keys(input("", "", "20", &["asr"])),
            ["err-prayer-position-needed"]
        );
        assert_eq!(keys(input("91", "46", "20", &[])), ["err-prayer-position"]);
        assert_eq!(
            keys(input("24", "", "20", &[])),
            ["err-prayer-position-both"]
        );
        assert_eq!(keys(input("24", "46", "90", &[])), ["err-prayer-minutes"]);
        assert_eq!(
            keys(input("24", "46", "20", &["fajr"])),
            ["err-prayer-unknown"]
        );
        assert_eq!(keys(input("NaN", "46", "20", &[])), ["err-prayer-position"]);
    }

    #[test]
    fn isha_waits_longer_in_ramadan() {
        let d = jiff::civil::date(2027, 2, 15);
        let usual = PrayerTimes::on(d, 24.7, 46.7, false).expect("times");
        let ramadan = PrayerTimes::on(d, 24.7, 46.7, true).expect("times");
        assert_eq!(ramadan.isha.as_second() - usual.isha.as_second(), 30 * 60);
    }
}
