use crate::kernel::values::digits::to_ascii_digits;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Saudi mobile number in E.164 form (`+9665XXXXXXXX`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SaudiMobile(String);

impl SaudiMobile {
    /// Accepts the ways people write their number: `05x xxx xxxx`, `5xxxxxxxx`, `+9665…`,
    /// `009665…`, with spaces or dashes, in Latin or Arabic-Indic digits.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let ascii = to_ascii_digits(input.trim());
        if ascii.is_empty() {
            return Err("err-phone-required");
        }
        let plus = ascii.starts_with('+');
        let body = if plus { &ascii[1..] } else { &ascii[..] };
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        {
            return Err("err-phone-invalid");
        }
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        let national = if plus {
            digits.strip_prefix("966")
        } else if let Some(rest) = digits.strip_prefix("00966") {
            Some(rest)
        } else if let Some(rest) = digits.strip_prefix("966") {
            Some(rest)
        } else if let Some(rest) = digits.strip_prefix('0') {
            Some(rest)
        } else {
            Some(digits.as_str())
        };
        match national {
            Some(n) if n.len() == 9 && n.starts_with('5') => Ok(Self(format!("+966{n}"))),
            _ => Err("err-phone-invalid"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The local form people read on screen, e.g. `0501234567`.
    pub fn local(&self) -> String {
        format!("0{}", &self.0[4..])
    }
}

impl fmt::Display for SaudiMobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_every_common_spelling_to_e164() {
        for input in [
            "0501234567",
            "050 123 4567",
            "050-123-4567",
            "501234567",
            "+966501234567",
            "+966 50 123 4567",
            "00966501234567",
            "966501234567",
            "٠٥٠١٢٣٤٥٦٧",
        ] {
            let phone = SaudiMobile::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(phone.as_str(), "+966501234567", "{input}");
        }
    }

    #[test]
    fn shows_the_local_form() {
        let phone = SaudiMobile::parse("+966551112222").expect("valid");
        assert_eq!(phone.local(), "0551112222");
    }

    #[test]
    fn rejects_landlines_foreign_and_malformed_numbers() {
        assert_eq!(SaudiMobile::parse(""), Err("err-phone-required"));
        for input in [
            "0112345678",    // Riyadh landline
            "+971501234567", // UAE mobile
            "05012345",      // too short
            "050123456789",  // too long
            "05O1234567",    // letter O
            "+",
            "++966501234567",
        ] {
            assert_eq!(
                SaudiMobile::parse(input),
                Err("err-phone-invalid"),
                "{input}"
            );
        }
    }
}
