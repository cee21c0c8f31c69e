//! Lab and radiology orders and their results. The tests a doctor can order are a catalogue:
//! each lab test lists the analytes its report gives, in explicit units, with the usual adult
//! reference range (by sex where it differs) and the LOINC code for the later FHIR export.
//! The lab's own printed range may differ, so the result form starts from these and the doctor
//! keeps or corrects them. A value outside its range is flagged, never refused; a value no
//! body can have, or too many decimals, is refused with the field named.
//!
//! Values are whole numbers in the analyte's smallest unit (`decimals` places), as the vital
//! signs are, so no value is rounded by a float.

use crate::kernel::values::TextRule;
use serde::{Deserialize, Serialize};

pub const INDICATION: TextRule = TextRule::line(300);
pub const REPORT: TextRule = TextRule::lines(4000);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    Lab,
    Radiology,
}

impl OrderKind {
    pub fn code(self) -> &'static str {
        match self {
            OrderKind::Lab => "lab",
            OrderKind::Radiology => "radiology",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "lab" => Some(OrderKind::Lab),
            "radiology" => Some(OrderKind::Radiology),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            OrderKind::Lab => "order-kind-lab",
            OrderKind::Radiology => "order-kind-radiology",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Routine,
    Urgent,
}

impl Priority {
    pub fn code(self) -> &'static str {
        match self {
            Priority::Routine => "routine",
            Priority::Urgent => "urgent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "routine" => Some(Priority::Routine),
            "urgent" => Some(Priority::Urgent),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Ordered,
    Resulted,
    Cancelled,
}

impl OrderStatus {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "ordered" => Some(OrderStatus::Ordered),
            "resulted" => Some(OrderStatus::Resulted),
            "cancelled" => Some(OrderStatus::Cancelled),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            OrderStatus::Ordered => "order-status-ordered",
            OrderStatus::Resulted => "order-status-resulted",
            OrderStatus::Cancelled => "order-status-cancelled",
        }
    }
}

/// A reference range in the analyte's units; an open end is `None` (HDL has no upper limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub low: Option<i32>,
    pub high: Option<i32>,
}

const fn between(low: i32, high: i32) -> Range {
    Range {
        low: Some(low),
        high: Some(high),
    }
}

const fn at_most(high: i32) -> Range {
    Range {
        low: None,
        high: Some(high),
    }
}

const fn at_least(low: i32) -> Range {
    Range {
        low: Some(low),
        high: None,
    }
}

/// Where a value lies against its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultFlag {
    Low,
    Normal,
    High,
}

impl ResultFlag {
    pub fn of(value: i32, range: Range) -> Self {
        match (range.low, range.high) {
            (Some(low), _) if value < low => ResultFlag::Low,
            (_, Some(high)) if value > high => ResultFlag::High,
            _ => ResultFlag::Normal,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ResultFlag::Low => "low",
            ResultFlag::Normal => "normal",
            ResultFlag::High => "high",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "low" => Some(ResultFlag::Low),
            "normal" => Some(ResultFlag::Normal),
            "high" => Some(ResultFlag::High),
            _ => None,
        }
    }
}

/// One measured quantity of a lab test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analyte {
    /// Names the Fluent message `order-analyte-{code}` and the form's fields.
    pub code: &'static str,
    pub loinc: &'static str,
    pub unit: &'static str,
    pub decimals: u32,
    pub usual: Range,
    /// Where women's usual range differs.
    pub usual_female: Option<Range>,
    /// The largest value a report can carry, in the analyte's units: beyond it is a typing slip.
    pub max: i32,
}

impl Analyte {
    pub fn usual_for(&self, sex: Option<&str>) -> Range {
        match (sex, self.usual_female) {
            (Some("female"), Some(range)) => range,
            _ => self.usual,
        }
    }
}

/// A test a doctor can order: `order-test-{code}` is its name in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestSpec {
    pub code: &'static str,
    pub kind: OrderKind,
    /// The panel's or study's LOINC code, where one is the usual choice.
    pub loinc: Option<&'static str>,
    /// Empty for imaging: its result is a report.
    pub analytes: &'static [Analyte],
}

impl TestSpec {
    pub fn name_key(&self) -> String {
        format!("order-test-{}", self.code)
    }
}

pub fn analyte_name_key(code: &str) -> String {
    format!("order-analyte-{code}")
}

const fn analyte(
    code: &'static str,
    loinc: &'static str,
    unit: &'static str,
    decimals: u32,
    usual: Range,
    max: i32,
) -> Analyte {
    Analyte {
        code,
        loinc,
        unit,
        decimals,
        usual,
        usual_female: None,
        max,
    }
}

const fn by_sex(mut a: Analyte, female: Range) -> Analyte {
    a.usual_female = Some(female);
    a
}

/// Common adult reference intervals (as printed by large reference laboratories); the lab's
/// own report wins, which is why the result form lets the doctor correct them.
pub const CATALOGUE: &[TestSpec] = &[
    TestSpec {
        code: "cbc",
        kind: OrderKind::Lab,
        loinc: Some("58410-2"),
        analytes: &[
            by_sex(
                analyte("hgb", "718-7", "g/dL", 1, between(135, 175), 300),
                between(120, 155),
            ),
            analyte("wbc", "6690-2", "10⁹/L", 1, between(40, 110), 5000),
            analyte("plt", "777-3", "10⁹/L", 0, between(150, 400), 3000),
            by_sex(
                analyte("hct", "4544-3", "%", 1, between(410, 530), 1000),
                between(360, 460),
            ),
        ],
    },
    TestSpec {
        code: "glucose-fasting",
        kind: OrderKind::Lab,
        loinc: Some("1558-6"),
        analytes: &[analyte("glu", "1558-6", "mg/dL", 0, between(70, 99), 3000)],
    },
    TestSpec {
        code: "hba1c",
        kind: OrderKind::Lab,
        loinc: Some("4548-4"),
        analytes: &[analyte("hba1c", "4548-4", "%", 1, between(40, 56), 250)],
    },
    TestSpec {
        code: "lipids",
        kind: OrderKind::Lab,
        loinc: Some("57698-3"),
        analytes: &[
            analyte("chol", "2093-3", "mg/dL", 0, at_most(199), 2000),
            analyte("ldl", "13457-7", "mg/dL", 0, at_most(99), 2000),
            by_sex(
                analyte("hdl", "2085-9", "mg/dL", 0, at_least(40), 500),
                at_least(50),
            ),
            analyte("tg", "2571-8", "mg/dL", 0, at_most(149), 10000),
        ],
    },
    TestSpec {
        code: "kidney",
        kind: OrderKind::Lab,
        loinc: Some("24362-6"),
        analytes: &[
            by_sex(
                analyte("creat", "2160-0", "mg/dL", 2, between(74, 135), 5000),
                between(59, 104),
            ),
            analyte("bun", "3094-0", "mg/dL", 0, between(7, 20), 500),
            analyte("na", "2951-2", "mmol/L", 0, between(135, 145), 250),
            analyte("k", "2823-3", "mmol/L", 1, between(35, 51), 150),
        ],
    },
    TestSpec {
        code: "liver",
        kind: OrderKind::Lab,
        loinc: Some("24325-3"),
        analytes: &[
            analyte("alt", "1742-6", "U/L", 0, between(7, 56), 20000),
            analyte("ast", "1920-8", "U/L", 0, between(10, 40), 20000),
            analyte("alp", "6768-6", "U/L", 0, between(44, 147), 10000),
            analyte("tbil", "1975-2", "mg/dL", 1, between(1, 12), 800),
        ],
    },
    TestSpec {
        code: "tsh",
        kind: OrderKind::Lab,
        loinc: Some("3016-3"),
        analytes: &[analyte(
            "tsh",
            "3016-3",
            "mIU/L",
            2,
            between(40, 400),
            50000,
        )],
    },
    TestSpec {
        code: "vitamin-d",
        kind: OrderKind::Lab,
        loinc: Some("62292-8"),
        analytes: &[analyte(
            "vitd",
            "62292-8",
            "ng/mL",
            0,
            between(30, 100),
            500,
        )],
    },
    TestSpec {
        code: "crp",
        kind: OrderKind::Lab,
        loinc: Some("1988-5"),
        analytes: &[analyte("crp", "1988-5", "mg/L", 1, at_most(50), 5000)],
    },
    TestSpec {
        code: "xr-chest",
        kind: OrderKind::Radiology,
        loinc: None,
        analytes: &[],
    },
    TestSpec {
        code: "us-abdomen",
        kind: OrderKind::Radiology,
        loinc: None,
        analytes: &[],
    },
    TestSpec {
        code: "us-pelvis",
        kind: OrderKind::Radiology,
        loinc: None,
        analytes: &[],
    },
    TestSpec {
        code: "xr-knee",
        kind: OrderKind::Radiology,
        loinc: None,
        analytes: &[],
    },
    TestSpec {
        code: "ct-head",
        kind: OrderKind::Radiology,
        loinc: None,
        analytes: &[],
    },
    TestSpec {
        code: "mri-lumbar",
        kind: OrderKind::Radiology,
        loinc: None,
        analytes: &[],
    },
];

pub fn test(code: &str) -> Option<&'static TestSpec> {
    CATALOGUE.iter().find(|t| t.code == code)
}

/// A value in its units as text: `135` with one decimal is "13.5".
pub fn scaled_text(value: i32, decimals: u32) -> String {
    if decimals == 0 {
        return value.to_string();
    }
    let div = 10_i32.pow(decimals);
    format!(
        "{}.{:0width$}",
        value / div,
        value % div,
        width = decimals as usize
    )
}

/// A number as typed (Western or Arabic-Indic digits, `.`, `٫` or `,` as the point) in units
/// of `decimals` places; `None` when empty, the message key when it is not such a number or is
/// above `max`.
pub fn parse_scaled(input: &str, decimals: u32, max: i32) -> Result<Option<i32>, &'static str> {
    const NOT_A_VALUE: &str = "err-result-value";
    let text =
        crate::kernel::values::digits::to_ascii_digits(input.trim()).replace(['٫', ','], ".");
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() as u32 > decimals
    {
        return Err(NOT_A_VALUE);
    }
    let mut value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| NOT_A_VALUE)?
    };
    for b in fraction.bytes() {
        value = value * 10 + i64::from(b - b'0');
    }
    value *= 10_i64.pow(decimals - fraction.len() as u32);
    match i32::try_from(value) {
        Ok(v) if v <= max => Ok(Some(v)),
        _ => Err(NOT_A_VALUE),
    }
}

/// A new order as the doctor filled it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub test: &'static TestSpec,
    pub priority: Priority,
    pub indication: String,
}

impl NewOrder {
    pub fn parse(
        test_code: &str,
        priority: &str,
        indication: &str,
    ) -> Result<Self, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let spec = test(test_code.trim());
        if spec.is_none() {
            errors.push(("order_test", "err-order-test"));
        }
        let priority = Priority::from_code(priority);
        if priority.is_none() {
            errors.push(("order_priority", "err-order-priority"));
        }
        let indication = INDICATION
            .parse(indication)
            .map_err(|k| errors.push(("order_indication", k)))
            .ok();
        match (spec, priority, indication) {
            (Some(test), Some(priority), Some(indication)) if errors.is_empty() => Ok(NewOrder {
                test,
                priority,
                indication,
            }),
            _ => Err(errors),
        }
    }
}

/// One analyte's line of a result, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultValue {
    pub analyte: &'static str,
    pub value: i32,
    pub range: Range,
    pub flag: ResultFlag,
}

/// A result as recorded: the lab's values (none for imaging), the report or comment, and
/// whether it is abnormal (any value flagged, or the radiologist's word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResult {
    pub values: Vec<ResultValue>,
    pub report: String,
    pub abnormal: bool,
}

/// The form's field names for an analyte's value and range ends.
pub fn field_names(code: &str) -> [String; 3] {
    [
        format!("value[{code}]"),
        format!("low[{code}]"),
        format!("high[{code}]"),
    ]
}

/// What the result form sent: each field by analyte code.
pub type Typed = std::collections::BTreeMap<String, String>;

impl NewResult {
    /// A lab result needs at least one value and takes only the test's analytes; an imaging
    /// result needs its report. Every refusal names its field.
    pub fn parse(
        spec: &TestSpec,
        values: &Typed,
        lows: &Typed,
        highs: &Typed,
        report: &str,
        abnormal: bool,
    ) -> Result<Self, Vec<(String, &'static str)>> {
        let mut errors: Vec<(String, &'static str)> = Vec::new();
        let known = |k: &String| spec.analytes.iter().any(|a| a.code == k);
        if values
            .keys()
            .chain(lows.keys())
            .chain(highs.keys())
            .any(|k| !known(k))
        {
            errors.push(("result".to_owned(), "err-result-analyte"));
        }
        let report = REPORT
            .parse(report)
            .map_err(|k| errors.push(("result_report".to_owned(), k)))
            .unwrap_or_default();
        let mut parsed = Vec::new();
        for a in spec.analytes {
            let [value_field, low_field, high_field] = field_names(a.code);
            let read = |typed: &Typed, field: &str, errors: &mut Vec<(String, &'static str)>| {
                let text = typed.get(a.code).map(String::as_str).unwrap_or_default();
                parse_scaled(text, a.decimals, a.max).unwrap_or_else(|key| {
                    errors.push((field.to_owned(), key));
                    None
                })
            };
            let value = read(values, &value_field, &mut errors);
            let low = read(lows, &low_field, &mut errors);
            let high = read(highs, &high_field, &mut errors);
            if let (Some(l), Some(h)) = (low, high) {
                if l > h {
                    errors.push((low_field.clone(), "err-result-range"));
                }
            }
            if let Some(value) = value {
                let range = Range { low, high };
                parsed.push(ResultValue {
                    analyte: a.code,
                    value,
                    range,
                    flag: ResultFlag::of(value, range),
                });
            }
        }
        match spec.kind {
            OrderKind::Lab if parsed.is_empty() && errors.is_empty() => {
                errors.push(("result".to_owned(), "err-result-empty"));
            }
            OrderKind::Radiology if report.is_empty() => {
                errors.push(("result_report".to_owned(), "err-result-report"));
            }
            _ => {}
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let abnormal = match spec.kind {
            OrderKind::Lab => parsed.iter().any(|v| v.flag != ResultFlag::Normal),
            OrderKind::Radiology => abnormal,
        };
        Ok(NewResult {
            values: parsed,
            report,
            abnormal,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Typed {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn numbers_read_in_the_analytes_units() {
        assert_eq!(parse_scaled("13.5", 1, 300), Ok(Some(135)));
        assert_eq!(parse_scaled("١٣٫٥", 1, 300), Ok(Some(135)));
        assert_eq!(parse_scaled("13", 1, 300), Ok(Some(130)));
        assert_eq!(parse_scaled(".9", 2, 5000), Ok(Some(90)));
        assert_eq!(parse_scaled("  ", 1, 300), Ok(None));
        assert_eq!(parse_scaled("13.55", 1, 300), Err("err-result-value"));
        assert_eq!(
            parse_scaled("31", 1, 300),
            Err("err-result-value"),
            "above the plausible maximum"
        );
        assert_eq!(parse_scaled("-4", 1, 300), Err("err-result-value"));
        assert_eq!(parse_scaled("1e3", 1, 300), Err("err-result-value"));
        assert_eq!(parse_scaled(".", 1, 300), Err("err-result-value"));
        assert_eq!(
            parse_scaled("99999999999", 0, i32::MAX),
            Err("err-result-value")
        );
        assert_eq!(scaled_text(135, 1), "13.5");
        assert_eq!(scaled_text(90, 2), "0.90");
        assert_eq!(scaled_text(7, 0), "7");
    }

    #[test]
    fn flags_follow_the_range_ends_included() {
        let r = between(135, 175);
        assert_eq!(ResultFlag::of(134, r), ResultFlag::Low);
        assert_eq!(ResultFlag::of(135, r), ResultFlag::Normal);
        assert_eq!(ResultFlag::of(175, r), ResultFlag::Normal);
        assert_eq!(ResultFlag::of(176, r), ResultFlag::High);
        assert_eq!(ResultFlag::of(10, at_least(40)), ResultFlag::Low);
        assert_eq!(ResultFlag::of(1000, at_least(40)), ResultFlag::Normal);
        assert_eq!(
            ResultFlag::of(
                0,
                Range {
                    low: None,
                    high: None
                }
            ),
            ResultFlag::Normal
        );
    }

    #[test]
    fn women_have_their_own_haemoglobin_range() {
        let hgb = test("cbc").unwrap().analytes[0];
        assert_eq!(hgb.usual_for(Some("female")), between(120, 155));
        assert_eq!(hgb.usual_for(Some("male")), between(135, 175));
        assert_eq!(hgb.usual_for(None), between(135, 175));
    }

    #[test]
    fn the_catalogue_is_consistent() {
        for (i, t) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE[..i].iter().all(|o| o.code != t.code),
                "{} twice",
                t.code
            );
            assert_eq!(
                t.kind == OrderKind::Lab,
                !t.analytes.is_empty(),
                "{}",
                t.code
            );
            for a in t.analytes {
                for r in [Some(a.usual), a.usual_female].into_iter().flatten() {
                    assert!(r.low.or(r.high).is_some(), "{} has no range", a.code);
                    assert!(r.low.unwrap_or(0) <= r.high.unwrap_or(a.max), "{}", a.code);
                    assert!(r.high.unwrap_or(0) <= a.max, "{}", a.code);
                }
                assert!(a.decimals <= 3 && !a.unit.is_empty());
                // The database's CHECK on order_results.analyte: ^[a-z0-9-]{1,40}$.
                assert!(
                    (1..=40).contains(&a.code.len())
                        && a.code
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{} is not a storable analyte code",
                    a.code
                );
            }
        }
    }

    #[test]
    fn every_test_and_analyte_has_a_name_in_both_languages() {
        use crate::kernel::i18n::{translate, Locale};
        for locale in [Locale::Ar, Locale::En] {
            for t in CATALOGUE {
                let keys = std::iter::once(t.name_key())
                    .chain(t.analytes.iter().map(|a| analyte_name_key(a.code)));
                for key in keys {
                    assert_ne!(translate(locale, &key, None), key, "{locale:?}: {key}");
                }
            }
        }
    }

    #[test]
    fn a_lab_result_flags_each_value_and_the_whole() {
        let cbc = test("cbc").unwrap();
        let r = NewResult::parse(
            cbc,
            &typed(&[("hgb", "10.2"), ("plt", "250")]),
            &typed(&[("hgb", "12.0"), ("plt", "150")]),
            &typed(&[("hgb", "15.5"), ("plt", "400")]),
            "",
            false,
        )
        .unwrap();
        assert_eq!(r.values.len(), 2);
        assert_eq!(
            (r.values[0].analyte, r.values[0].flag),
            ("hgb", ResultFlag::Low)
        );
        assert_eq!(
            (r.values[1].analyte, r.values[1].flag),
            ("plt", ResultFlag::Normal)
        );
        assert!(r.abnormal);
    }

    #[test]
    fn a_lab_result_names_what_is_wrong() {
        let cbc = test("cbc").unwrap();
        let none = typed(&[]);
        let err = NewResult::parse(cbc, &none, &none, &none, "", false).unwrap_err();
        assert_eq!(err, vec![("result".to_owned(), "err-result-empty")]);
        let err = NewResult::parse(
            cbc,
            &typed(&[("hgb", "abc")]),
            &typed(&[("hgb", "16")]),
            &typed(&[("hgb", "12")]),
            "",
            false,
        )
        .unwrap_err();
        assert!(err.contains(&("value[hgb]".to_owned(), "err-result-value")));
        assert!(err.contains(&("low[hgb]".to_owned(), "err-result-range")));
        let err =
            NewResult::parse(cbc, &typed(&[("glu", "90")]), &none, &none, "", false).unwrap_err();
        assert!(err.contains(&("result".to_owned(), "err-result-analyte")));
    }

    #[test]
    fn an_imaging_result_is_its_report() {
        let xr = test("xr-chest").unwrap();
        let none = typed(&[]);
        let err = NewResult::parse(xr, &none, &none, &none, "  ", true).unwrap_err();
        assert_eq!(err, vec![("result_report".to_owned(), "err-result-report")]);
        let r =
            NewResult::parse(xr, &none, &none, &none, "Right lower lobe opacity.", true).unwrap();
        assert!(r.abnormal && r.values.is_empty());
    }

    #[test]
    fn an_order_names_a_catalogued_test() {
        let o = NewOrder::parse("hba1c", "urgent", "Known diabetic").unwrap();
        assert_eq!((o.test.code, o.priority), ("hba1c", Priority::Urgent));
        let err = NewOrder::parse("cbc'; drop", "soon", "").unwrap_err();
        assert_eq!(
            err,
            vec![
                ("order_test", "err-order-test"),
                ("order_priority", "err-order-priority")
            ]
        );
    }
}
