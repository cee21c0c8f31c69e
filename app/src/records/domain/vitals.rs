//! Vital signs as a nurse or doctor types them, in explicit units: blood pressure (mmHg),
//! pulse (beats per minute), temperature (°C, one decimal), SpO2 (%), respiratory rate (per
//! minute), weight (kg, one decimal), height (cm). Values a body cannot have are refused with
//! the field named; values a body can have but should not (a fever, a low saturation) are kept
//! and flagged. BMI is computed, never typed.
//!
//! Stored in whole units (tenths for temperature and weight) so nothing is rounded by a float.

use serde::{Deserialize, Serialize};

/// One set of measurements; every part is optional, but not all of them at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vitals {
    pub systolic_mmhg: Option<i16>,
    pub diastolic_mmhg: Option<i16>,
    pub pulse_bpm: Option<i16>,
    /// Tenths of a degree Celsius: 371 is 37.1 °C.
    pub temperature_dc: Option<i16>,
    pub spo2_pct: Option<i16>,
    pub respiratory_rate: Option<i16>,
    /// Tenths of a kilogram: 725 is 72.5 kg.
    pub weight_hg: Option<i32>,
    pub height_cm: Option<i16>,
}

/// The form as typed, one string per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VitalsForm {
    pub blood_pressure: String,
    pub pulse: String,
    pub temperature: String,
    pub spo2: String,
    pub respiratory_rate: String,
    pub weight: String,
    pub height: String,
}

/// Which way a value is out of its usual adult range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    Low,
    High,
}

/// A measurement by name, for flags and the history chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    Systolic,
    Diastolic,
    Pulse,
    Temperature,
    Spo2,
    RespiratoryRate,
    Bmi,
}

impl Measure {
    /// An adult's usual range, in the unit the value is stored in (tenths for temperature and
    /// BMI), both ends included.
    pub const fn usual_range(self) -> (i32, i32) {
        match self {
            Measure::Systolic => (90, 139),
            Measure::Diastolic => (60, 89),
            Measure::Pulse => (60, 100),
            Measure::Temperature => (361, 378),
            Measure::Spo2 => (95, 100),
            Measure::RespiratoryRate => (12, 20),
            Measure::Bmi => (185, 249),
        }
    }
}

/// Western and Arabic-Indic digits both read; `٫` and `,` as the decimal point.
fn ascii_number(input: &str) -> String {
    crate::kernel::values::digits::to_ascii_digits(input.trim()).replace(['٫', ','], ".")
}

/// A number with at most `decimals` decimals, as an integer in those units, within `range`.
fn scaled(input: &str, decimals: u32, range: (i32, i32)) -> Result<Option<i32>, ()> {
    let text = ascii_number(input);
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) {
        return Err(());
    }
    if fraction.len() as u32 > decimals {
        return Err(());
    }
    let mut value: i32 = whole.parse().map_err(|_| ())?;
    let mut places = 0;
    for b in fraction.bytes() {
        value = value * 10 + i32::from(b - b'0');
        places += 1;
    }
    value *= 10_i32.pow(decimals - places);
    if value < range.0 || value > range.1 {
        return Err(());
    }
    Ok(Some(value))
}

fn small(v: Option<i32>) -> Option<i16> {
    v.and_then(|v| i16::try_from(v).ok())
}

impl VitalsForm {
    /// The measurements, or every field that cannot be a body's value with its message key.
    /// The ranges are those the database enforces too.
    pub fn parse(&self) -> Result<Vitals, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let mut field = |name: &'static str, key: &'static str, result: Result<Option<i32>, ()>| {
            result.unwrap_or_else(|()| {
                errors.push((name, key));
                None
            })
        };
        let (systolic, diastolic) = match ascii_number(&self.blood_pressure).split_once('/') {
            _ if self.blood_pressure.trim().is_empty() => (None, None),
            Some((s, d)) => {
                let s = field("blood_pressure", "err-vitals-bp", scaled(s, 0, (40, 300)));
                let d = field("blood_pressure", "err-vitals-bp", scaled(d, 0, (20, 200)));
                match (s, d) {
                    (Some(s), Some(d)) if d < s => (Some(s), Some(d)),
                    (Some(_), Some(_)) | (Some(_), None) | (None, Some(_)) => {
                        field("blood_pressure", "err-vitals-bp", Err(()));
                        (None, None)
                    }
                    (None, None) => (None, None),
                }
            }
            None => {
                field("blood_pressure", "err-vitals-bp", Err(()));
                (None, None)
            }
        };
        let vitals = Vitals {
            systolic_mmhg: small(systolic),
            diastolic_mmhg: small(diastolic),
            pulse_bpm: small(field(
                "pulse",
                "err-vitals-pulse",
                scaled(&self.pulse, 0, (20, 250)),
            )),
            temperature_dc: small(field(
                "temperature",
                "err-vitals-temperature",
                scaled(&self.temperature, 1, (300, 450)),
            )),
            spo2_pct: small(field(
                "spo2",
                "err-vitals-spo2",
                scaled(&self.spo2, 0, (50, 100)),
            )),
            respiratory_rate: small(field(
                "respiratory_rate",
                "err-vitals-respiratory-rate",
                scaled(&self.respiratory_rate, 0, (4, 80)),
            )),
            weight_hg: field(
                "weight",
                "err-vitals-weight",
                scaled(&self.weight, 1, (5, 5000)),
            ),
            height_cm: small(field(
                "height",
                "err-vitals-height",
                scaled(&self.height, 0, (20, 260)),
            )),
        };
        errors.dedup();
        if errors.is_empty() && vitals == Vitals::default() {
            errors.push(("blood_pressure", "err-vitals-empty"));
        }
        if errors.is_empty() {
            Ok(vitals)
        } else {
            Err(errors)
        }
    }
}

impl Vitals {
    /// Body-mass index in tenths (kg/m²), when weight and height are both known.
    pub fn bmi_tenths(&self) -> Option<i32> {
        let (w, h) = (self.weight_hg?, i32::from(self.height_cm?));
        // (w / 10 kg) / (h / 100 m)² in tenths is w · 10,000 / h², rounded half up.
        let numerator = w * 10_000;
        let denominator = h * h;
        Some((numerator * 2 + denominator) / (denominator * 2))
    }

    /// One measurement as stored, or `None` when it was not taken.
    pub fn value(&self, m: Measure) -> Option<i32> {
        let wide = |v: Option<i16>| v.map(i32::from);
        match m {
            Measure::Systolic => wide(self.systolic_mmhg),
            Measure::Diastolic => wide(self.diastolic_mmhg),
            Measure::Pulse => wide(self.pulse_bpm),
            Measure::Temperature => wide(self.temperature_dc),
            Measure::Spo2 => wide(self.spo2_pct),
            Measure::RespiratoryRate => wide(self.respiratory_rate),
            Measure::Bmi => self.bmi_tenths(),
        }
    }

    /// The values outside an adult's usual range, each with its direction.
    pub fn flags(&self) -> Vec<(Measure, Flag)> {
        [
            Measure::Systolic,
            Measure::Diastolic,
            Measure::Pulse,
            Measure::Temperature,
            Measure::Spo2,
            Measure::RespiratoryRate,
            Measure::Bmi,
        ]
        .into_iter()
        .filter_map(|m| {
            let (low, high) = m.usual_range();
            match self.value(m)? {
                v if v < low => Some((m, Flag::Low)),
                v if v > high => Some((m, Flag::High)),
                _ => None,
            }
        })
        .collect()
    }
}

/// Tenths as text with one decimal: 371 → "37.1".
pub fn tenths(value: i32) -> String {
    format!("{}.{}", value / 10, (value % 10).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(
        bp: &str,
        pulse: &str,
        temp: &str,
        spo2: &str,
        weight: &str,
        height: &str,
    ) -> VitalsForm {
        VitalsForm {
            blood_pressure: bp.into(),
            pulse: pulse.into(),
            temperature: temp.into(),
            spo2: spo2.into(),
            respiratory_rate: String::new(),
            weight: weight.into(),
            height: height.into(),
        }
    }

    #[test]
    fn a_full_set_reads_in_stored_units_with_bmi() {
        let v = form("120/80", "72", "37.1", "98", "72.5", "175")
            .parse()
            .expect("valid");
        assert_eq!(v.systolic_mmhg, Some(120));
        assert_eq!(v.diastolic_mmhg, Some(80));
        assert_eq!(v.temperature_dc, Some(371));
        assert_eq!(v.weight_hg, Some(725));
        // 72.5 / 1.75² = 23.67
        assert_eq!(v.bmi_tenths(), Some(237));
        assert!(v.flags().is_empty());
    }

    #[test]
    fn arabic_indic_digits_and_the_arabic_decimal_point_read() {
        let v = form("١٣٠/٨٥", "٨٨", "٣٨٫٢", "", "", "")
            .parse()
            .expect("valid");
        assert_eq!((v.systolic_mmhg, v.diastolic_mmhg), (Some(130), Some(85)));
        assert_eq!(v.temperature_dc, Some(382));
    }

    #[test]
    fn impossible_values_name_their_field() {
        let errors = form("80/120", "500", "37.15", "101", "abc", "2000")
            .parse()
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "blood_pressure",
                "pulse",
                "temperature",
                "spo2",
                "weight",
                "height"
            ]
        );
        assert_eq!(
            form("120", "", "", "", "", "").parse().unwrap_err(),
            [("blood_pressure", "err-vitals-bp")]
        );
        assert_eq!(
            form("", "", "", "", "", "").parse().unwrap_err(),
            [("blood_pressure", "err-vitals-empty")]
        );
    }

    #[test]
    fn values_outside_the_usual_range_are_flagged_not_refused() {
        let v = form("165/95", "118", "39.0", "89", "120", "170")
            .parse()
            .expect("valid");
        assert_eq!(
            v.flags(),
            [
                (Measure::Systolic, Flag::High),
                (Measure::Diastolic, Flag::High),
                (Measure::Pulse, Flag::High),
                (Measure::Temperature, Flag::High),
                (Measure::Spo2, Flag::Low),
                (Measure::Bmi, Flag::High),
            ]
        );
        assert_eq!(tenths(390), "39.0");
    }
}
