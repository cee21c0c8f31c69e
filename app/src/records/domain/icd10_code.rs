//! An ICD-10-CM code as a doctor types it: `J45.909`, `j45909` or ` E11.9 ` all read as the
//! catalogue's form (capitals, a dot after the category). Whether the code exists is the
//! catalogue's answer (`records::icd10`); this is only its shape.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Icd10Code(String);

impl Icd10Code {
    /// A letter, two characters that make the category (digits, or a letter third as in
    /// `C4A`), then up to four more: `err-icd10-code` otherwise.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| *c != '.')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = compact.as_bytes();
        let shaped = (3..=7).contains(&bytes.len())
            && bytes[0].is_ascii_uppercase()
            && bytes[1].is_ascii_digit()
            && bytes[2].is_ascii_alphanumeric()
            && bytes[3..].iter().all(u8::is_ascii_alphanumeric);
        let typed = input.trim();
        let dot_after_category = typed.matches('.').count() == 0
            || (typed.matches('.').count() == 1 && typed.find('.') == Some(3) && typed.len() > 4);
        if !shaped || !dot_after_category {
            return Err("err-icd10-code");
        }
        Ok(Self(written_form(&compact)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Upper-case letters and digits without a dot (`J45909`, or the start of one) as the
/// catalogue writes them: a dot after the three-character category (`J45.909`).
pub fn written_form(compact: &str) -> String {
    let upper = compact.to_ascii_uppercase();
    if upper.len() > 3 {
        format!("{}.{}", &upper[..3], &upper[3..])
    } else {
        upper
    }
}

impl std::fmt::Display for Icd10Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_the_catalogue_form() {
        for (typed, form) in [
            ("J45.909", "J45.909"),
            ("j45909", "J45.909"),
            (" e11.9 ", "E11.9"),
            ("I10", "I10"),
            ("C4A.0", "C4A.0"),
            ("S72.001A", "S72.001A"),
        ] {
            assert_eq!(
                Icd10Code::parse(typed).map(|c| c.to_string()),
                Ok(form.into())
            );
        }
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in [
            "",
            "J4",
            "45.1",
            "J45..9",
            "J45.90912",
            "J4$.1",
            "ج45",
            "J.45",
        ] {
            assert_eq!(Icd10Code::parse(bad), Err("err-icd10-code"), "{bad}");
        }
    }
}
