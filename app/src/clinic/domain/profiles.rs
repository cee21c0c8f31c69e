//! What patients read about a clinic and its doctors, as setup types it: the clinic's names,
//! address and number, and a doctor's profile (sex, biography, languages).

use crate::clinic::domain::setup::text_in;
use crate::kernel::values::digits::to_ascii_digits;
use crate::kernel::values::validation::FieldErrors;
use serde::{Deserialize, Serialize};

/// The clinic as patients see it: its names, address and switchboard number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailsInput {
    pub name_ar: String,
    pub name_en: String,
    pub address_ar: String,
    pub address_en: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub name_ar: String,
    pub name_en: String,
    pub address_ar: Option<String>,
    pub address_en: Option<String>,
    /// Digits with an optional leading "+": landlines and 800/920 numbers are normal here.
    pub phone: Option<String>,
}

fn optional_text(input: &str, max: usize) -> Result<Option<String>, &'static str> {
    crate::kernel::values::TextRule::lines(max).parse_optional(input)
}

pub fn parse_clinic_phone(input: &str) -> Result<Option<String>, &'static str> {
    let ascii = to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Ok(None);
    }
    let (plus, rest) = match ascii.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", ascii.as_str()),
    };
    let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if (7..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(format!("{plus}{digits}")))
    } else {
        Err("err-clinic-phone-invalid")
    }
}

impl DetailsInput {
    pub fn parse(&self) -> Result<Details, FieldErrors> {
        let mut e = FieldErrors::default();
        let name_ar = e.check("name_ar", text_in(&self.name_ar, 120));
        let name_en = e.check("name_en", text_in(&self.name_en, 120));
        let address_ar = e.check("address_ar", optional_text(&self.address_ar, 200));
        let address_en = e.check("address_en", optional_text(&self.address_en, 200));
        let phone = e.check("phone", parse_clinic_phone(&self.phone));
        match (name_ar, name_en, address_ar, address_en, phone) {
            (Some(name_ar), Some(name_en), Some(address_ar), Some(address_en), Some(phone))
                if e.is_empty() =>
            {
                Ok(Details {
                    name_ar,
                    name_en,
                    address_ar,
                    address_en,
                    phone,
                })
            }
            _ => Err(e),
        }
    }
}

/// Languages a doctor can be searched and chosen by; the codes are stored.
pub const LANGUAGES: [&str; 5] = ["ar", "en", "ur", "hi", "tl"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub sex: String,
    /// The ticked language codes.
    pub languages: Vec<String>,
    pub bio_ar: String,
    pub bio_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub sex: crate::kernel::values::Sex,
    pub languages: Vec<String>,
    pub bio_ar: Option<String>,
    pub bio_en: Option<String>,
}

impl ProfileInput {
    pub fn parse(&self) -> Result<Profile, FieldErrors> {
        let mut e = FieldErrors::default();
        let sex = e.check("sex", crate::kernel::values::Sex::parse(&self.sex));
        let languages: Vec<String> = LANGUAGES
            .iter()
            .filter(|code| self.languages.iter().any(|l| l == *code))
            .map(|code| (*code).to_owned())
            .collect();
        if languages.is_empty() || languages.len() != self.languages.len() {
            e.push("languages", "err-languages-invalid");
        }
        let bio_ar = e.check("bio_ar", optional_text(&self.bio_ar, 600));
        let bio_en = e.check("bio_en", optional_text(&self.bio_en, 600));
        match (sex, bio_ar, bio_en) {
            (Some(sex), Some(bio_ar), Some(bio_en)) if e.is_empty() => Ok(Profile {
                sex,
                languages,
                bio_ar,
                bio_en,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod profile_tests {
    use super::*;

    #[test]
    fn clinic_numbers_may_be_landlines_and_addresses_are_optional() {
        assert_eq!(
            parse_clinic_phone("011 234 5678"),
            Ok(Some("0112345678".into()))
        );
        assert_eq!(
            parse_clinic_phone("+966-11-234-5678"),
            Ok(Some("+966112345678".into()))
        );
        assert_eq!(
            parse_clinic_phone("٩٢٠٠٠١٢٣٤"),
            Ok(Some("920001234".into()))
        );
        assert_eq!(parse_clinic_phone("12ab"), Err("err-clinic-phone-invalid"));
        let details = DetailsInput {
            name_ar: "عيادات مُعين".into(),
            name_en: "Mu'een Clinics".into(),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!((details.address_ar, details.phone), (None, None));
        let e = DetailsInput::default().parse().expect_err("names required");
        assert_eq!(e.for_field("name_en"), Some("err-text-required"));
    }

    #[test]
    fn a_profile_speaks_at_least_one_known_language() {
        let profile = ProfileInput {
            sex: "female".into(),
            languages: vec!["en".into(), "ar".into()],
            bio_ar: "استشارية طب أطفال".into(),
            bio_en: String::new(),
        }
        .parse()
        .expect("valid");
        assert_eq!(profile.languages, ["ar", "en"]);
        assert_eq!(profile.bio_en, None);
        for languages in [vec![], vec!["ar".to_owned(), "xx".to_owned()]] {
            let e = ProfileInput {
                sex: "male".into(),
                languages,
                ..Default::default()
            }
            .parse()
            .expect_err("invalid");
            assert_eq!(e.for_field("languages"), Some("err-languages-invalid"));
        }
    }
}
