//! A specialty's names, as admins type them.

use crate::clinic::domain::setup::text_in;
use crate::kernel::values::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialtyInput {
    pub name_ar: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialtyNames {
    pub name_ar: String,
    pub name_en: String,
}

impl SpecialtyInput {
    pub fn parse(&self) -> Result<SpecialtyNames, FieldErrors> {
        let mut e = FieldErrors::default();
        let name_ar = e.check("name_ar", text_in(&self.name_ar, 80));
        let name_en = e.check("name_en", text_in(&self.name_en, 80));
        match (name_ar, name_en) {
            (Some(name_ar), Some(name_en)) if e.is_empty() => {
                Ok(SpecialtyNames { name_ar, name_en })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_names_are_required_trimmed_and_short() {
        let ok = SpecialtyInput {
            name_ar: "  طب الأسنان ".into(),
            name_en: "Dentistry".into(),
        }
        .parse()
        .expect("valid");
        assert_eq!(ok.name_ar, "طب الأسنان");
        let e = SpecialtyInput {
            name_ar: " ".into(),
            name_en: "x".repeat(81),
        }
        .parse()
        .expect_err("invalid");
        assert_eq!(e.for_field("name_ar"), Some("err-text-required"));
        assert_eq!(e.for_field("name_en"), Some("err-text-too-long"));
    }
}
