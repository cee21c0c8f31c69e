//! A prescription line as the doctor writes it, the check of its drug against the patient's
//! recorded allergies, and the exact text its fingerprint is taken over, so the verification
//! page can tell that what a pharmacist holds is what was issued.

use crate::kernel::values::TextRule;
use serde::{Deserialize, Serialize};

pub const DRUG: TextRule = TextRule::line(120);
pub const DRUG_CODE: TextRule = TextRule::line(32);
pub const SHORT: TextRule = TextRule::line(60);
pub const INSTRUCTIONS: TextRule = TextRule::lines(500);
pub const REASON: TextRule = TextRule::line(300);
pub const MAX_DURATION_DAYS: i16 = 365;
pub const MAX_REFILLS: i16 = 12;

/// How the drug is given; the codes are stored, the labels come from Fluent (`rx-route-*`).
pub const ROUTES: [&str; 12] = [
    "oral",
    "sublingual",
    "topical",
    "inhaled",
    "nasal",
    "eye",
    "ear",
    "im",
    "iv",
    "sc",
    "rectal",
    "vaginal",
];

/// What the form sends, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionForm {
    pub drug: String,
    pub drug_code: String,
    pub strength: String,
    pub dose: String,
    pub route: String,
    pub frequency: String,
    pub duration_days: String,
    pub quantity: String,
    pub refills: String,
    pub instructions_ar: String,
    pub allergy_reason: String,
}

/// A prescription line, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prescription {
    pub drug: String,
    pub drug_code: Option<String>,
    pub strength: String,
    pub dose: String,
    pub route: String,
    pub frequency: String,
    pub duration_days: i16,
    pub quantity: String,
    pub refills: i16,
    pub instructions_ar: String,
}

fn whole(input: &str, min: i16, max: i16, required: bool) -> Result<Option<i16>, &'static str> {
    let digits: String = input
        .trim()
        .chars()
        .map(|c| match c {
            // Arabic-Indic and Eastern Arabic-Indic digits, as phones type them.
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            _ => c,
        })
        .collect();
    if digits.is_empty() {
        return if required {
            Err("err-rx-number-required")
        } else {
            Ok(None)
        };
    }
    match digits.parse::<i16>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err("err-rx-number-range"),
    }
}

impl PrescriptionForm {
    /// The line, or each field that is wrong. The allergy reason is the service's business,
    /// since only it knows the chart.
    pub fn parse(&self) -> Result<Prescription, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let mut text = |name: &'static str, rule: TextRule, required: bool, input: &str| {
            let parsed = if required {
                rule.parse_required(input)
            } else {
                rule.parse(input)
            };
            parsed.unwrap_or_else(|key| {
                errors.push((name, key));
                String::new()
            })
        };
        let drug = text("drug", DRUG, true, &self.drug);
        let drug_code = text("drug_code", DRUG_CODE, false, &self.drug_code);
        let strength = text("strength", SHORT, false, &self.strength);
        let dose = text("dose", SHORT, true, &self.dose);
        let frequency = text("frequency", SHORT, true, &self.frequency);
        let quantity = text("quantity", SHORT, true, &self.quantity);
        let instructions_ar = text(
            "instructions_ar",
            INSTRUCTIONS,
            false,
            &self.instructions_ar,
        );
        let route = self.route.trim();
        if route.is_empty() {
            errors.push(("route", "err-rx-route-required"));
        } else if !ROUTES.contains(&route) {
            errors.push(("route", "err-rx-route-invalid"));
        }
        let duration_days = whole(&self.duration_days, 1, MAX_DURATION_DAYS, true)
            .map_err(|k| errors.push(("duration_days", k)))
            .ok()
            .flatten();
        let refills = whole(&self.refills, 0, MAX_REFILLS, false)
            .map_err(|k| errors.push(("refills", k)))
            .ok()
            .flatten()
            .unwrap_or(0);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Prescription {
            drug,
            drug_code: (!drug_code.is_empty()).then_some(drug_code),
            strength,
            dose,
            route: route.to_owned(),
            frequency,
            duration_days: duration_days.unwrap_or(1),
            quantity,
            refills,
            instructions_ar,
        })
    }
}

/// Letters only, lower case, Arabic letter variants folded (أ إ آ → ا, ة → ه, ى → ي) and
/// diacritics dropped, so "Penicillin", "PENICILLIN " and "بِنسلين" compare as typed.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ة' => Some('ه'),
            'ى' => Some('ي'),
            '\u{064B}'..='\u{065F}' | '\u{0670}' | 'ـ' => None,
            c if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
            _ => Some(' '),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Drug families whose members cross-react, each with the names (English and Arabic, folded)
/// doctors write for it or its common members. A safety net for the obvious cases, not a drug
/// interaction database: any word match with the allergy also warns.
const FAMILIES: &[&[&str]] = &[
    &[
        "penicillin",
        "amoxicillin",
        "amoxil",
        "augmentin",
        "ampicillin",
        "flucloxacillin",
        "cloxacillin",
        "dicloxacillin",
        "piperacillin",
        "tazocin",
        "بنسلين",
        "بنسيلين",
        "اموكسيسيلين",
        "اموكسيل",
        "اوجمنتين",
    ],
    &[
        "sulfa",
        "sulfonamide",
        "sulfamethoxazole",
        "co trimoxazole",
        "cotrimoxazole",
        "bactrim",
        "septrin",
        "سلفا",
    ],
    &[
        "nsaid",
        "nsaids",
        "ibuprofen",
        "brufen",
        "diclofenac",
        "voltaren",
        "naproxen",
        "aspirin",
        "ketoprofen",
        "mefenamic",
        "ايبوبروفين",
        "بروفين",
        "فولتارين",
        "اسبرين",
    ],
    &[
        "cephalosporin",
        "cephalexin",
        "cefalexin",
        "cefuroxime",
        "ceftriaxone",
        "cefixime",
        "cefazolin",
    ],
    &[
        "codeine",
        "morphine",
        "tramadol",
        "opioid",
        "opiate",
        "كودايين",
    ],
];

fn family_of(folded: &str) -> Option<usize> {
    let words: Vec<&str> = folded.split(' ').collect();
    FAMILIES.iter().position(|family| {
        family.iter().any(|name| {
            if name.contains(' ') {
                folded.contains(name)
            } else {
                words.contains(name)
            }
        })
    })
}

/// The recorded allergies (by substance) that `drug` may set off: the same name, one written
/// inside the other (a word of four letters or more), or members of one drug family.
pub fn allergy_matches<'a>(drug: &str, substances: &'a [String]) -> Vec<&'a str> {
    let drug = fold(drug);
    if drug.is_empty() {
        return vec![];
    }
    let drug_family = family_of(&drug);
    let drug_words: Vec<&str> = drug.split(' ').filter(|w| w.chars().count() >= 4).collect();
    substances
        .iter()
        .filter(|substance| {
            let s = fold(substance);
            if s.is_empty() {
                return false;
            }
            let same_word = s
                .split(' ')
                .filter(|w| w.chars().count() >= 4)
                .any(|w| drug.contains(w))
                || drug_words.iter().any(|w| s.contains(w));
            same_word || (drug_family.is_some() && family_of(&s) == drug_family)
        })
        .map(|s| s.as_str())
        .collect()
}

/// The issued prescription's facts in one fixed text, field by field with their names; its
/// SHA-256 is printed and stored, so any change to a stored line or a forged paper shows.
pub fn fingerprint_text(
    verification_code: &str,
    issued_at_unix: i64,
    patient_id: &str,
    doctor_id: &str,
    rx: &Prescription,
) -> String {
    let fields: [(&str, String); 14] = [
        ("code", verification_code.to_owned()),
        ("issued", issued_at_unix.to_string()),
        ("patient", patient_id.to_owned()),
        ("doctor", doctor_id.to_owned()),
        ("drug", rx.drug.clone()),
        ("drug_code", rx.drug_code.clone().unwrap_or_default()),
        ("strength", rx.strength.clone()),
        ("dose", rx.dose.clone()),
        ("route", rx.route.clone()),
        ("frequency", rx.frequency.clone()),
        ("duration_days", rx.duration_days.to_string()),
        ("quantity", rx.quantity.clone()),
        ("refills", rx.refills.to_string()),
        ("instructions_ar", rx.instructions_ar.clone()),
    ];
    // Lengths before values: no value can pass for a field boundary.
    fields
        .iter()
        .map(|(name, value)| format!("{name}:{}:{value}\n", value.len()))
        .collect()
}

/// The first 16 hex digits of a fingerprint, in groups of four, as printed on the paper.
pub fn short_fingerprint(hex: &str) -> String {
    hex.chars()
        .take(16)
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PrescriptionForm {
        PrescriptionForm {
            drug: " Amoxicillin ".into(),
            strength: "500 mg".into(),
            dose: "1 capsule".into(),
            route: "oral".into(),
            frequency: "every 8 hours".into(),
            duration_days: "٧".into(),
            quantity: "21 capsules".into(),
            instructions_ar: "بعد الأكل".into(),
            ..PrescriptionForm::default()
        }
    }

    #[test]
    fn a_complete_line_parses_with_arabic_digits() {
        let rx = form().parse().expect("parses");
        assert_eq!(rx.drug, "Amoxicillin");
        assert_eq!(rx.duration_days, 7);
        assert_eq!(rx.refills, 0);
        assert_eq!(rx.drug_code, None);
    }

    #[test]
    fn each_wrong_field_is_named() {
        let mut f = form();
        f.drug = "  ".into();
        f.route = "by mouth".into();
        f.duration_days = "0".into();
        f.refills = "99".into();
        f.dose = String::new();
        let errors = f.parse().expect_err("refused");
        assert!(errors.contains(&("drug", "err-text-required")));
        assert!(errors.contains(&("route", "err-rx-route-invalid")));
        assert!(errors.contains(&("duration_days", "err-rx-number-range")));
        assert!(errors.contains(&("refills", "err-rx-number-range")));
        assert!(errors.contains(&("dose", "err-text-required")));
        assert_eq!(errors.len(), 5);
    }

    #[test]
    fn the_same_drug_or_its_family_matches_an_allergy() {
        let allergies = vec!["Penicillin".to_owned(), "Latex".to_owned()];
        assert_eq!(
            allergy_matches("Amoxicillin 500", &allergies),
            ["Penicillin"]
        );
        assert_eq!(allergy_matches("PENICILLIN V", &allergies), ["Penicillin"]);
        assert_eq!(allergy_matches("أموكسيسيلين", &allergies), ["Penicillin"]);
        assert!(allergy_matches("Paracetamol", &allergies).is_empty());
        let arabic = vec!["البنسلين".to_owned()];
        assert_eq!(allergy_matches("بنسلين", &arabic), ["البنسلين"]);
        let nsaid = vec!["Ibuprofen (rash)".to_owned()];
        assert_eq!(
            allergy_matches("Diclofenac gel", &nsaid),
            ["Ibuprofen (rash)"]
        );
    }

    #[test]
    fn short_words_do_not_match_by_accident() {
        let allergies = vec!["egg".to_owned()];
        assert!(allergy_matches("Omeprazole", &allergies).is_empty());
        assert!(allergy_matches("", &allergies).is_empty());
    }

    #[test]
    fn the_fingerprint_text_changes_with_any_field() {
        let rx = form().parse().expect("parses");
        let a = fingerprint_text("c", 1, "p", "d", &rx);
        let mut other = rx.clone();
        other.quantity = "210 capsules".into();
        assert_ne!(a, fingerprint_text("c", 1, "p", "d", &other));
        assert_ne!(a, fingerprint_text("c", 2, "p", "d", &rx));
        assert_eq!(
            short_fingerprint("0123456789abcdef99"),
            "0123-4567-89AB-CDEF"
        );
    }
}
