use crate::kernel::values::digits::to_ascii_digits;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Saudi national ID (starts with 1) or Iqama number (starts with 2): ten digits whose last
/// digit is a Luhn check digit over the first nine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NationalId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Citizen,
    Resident,
}

impl NationalId {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let ascii: String = to_ascii_digits(input.trim())
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if ascii.is_empty() {
            return Err("err-national-id-required");
        }
        if ascii.len() != 10 || !ascii.bytes().all(|b| b.is_ascii_digit()) {
            return Err("err-national-id-length");
        }
        if !matches!(ascii.as_bytes()[0], b'1' | b'2') {
            return Err("err-national-id-prefix");
        }
        if !luhn_valid(&ascii) {
            return Err("err-national-id-checksum");
        }
        Ok(Self(ascii))
    }

    pub fn kind(&self) -> IdKind {
        if self.0.starts_with('1') {
            IdKind::Citizen
        } else {
            IdKind::Resident
        }
    }

    /// All but the last four digits hidden, for screens where the number only confirms whom
    /// the record belongs to: `••••••1234`.
    pub fn masked(&self) -> String {
        mask_id(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ten-digit ID shown from the last four digits the database keeps in the clear.
pub fn mask_last4(last4: &str) -> String {
    format!("••••••{last4}")
}

/// The last four characters of an identifier, the rest as dots (whatever its length).
pub fn mask_id(id: &str) -> String {
    let count = id.chars().count();
    id.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < count { '•' } else { c })
        .collect()
}

impl fmt::Display for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_only_the_last_four_digits() {
        assert_eq!(mask_id("1234567890"), "••••••7890");
        assert_eq!(mask_id("123"), "123");
    }

    #[test]
    fn accepts_valid_citizen_and_resident_numbers() {
        let citizen = NationalId::parse("1000000008").expect("valid citizen id");
        assert_eq!(citizen.kind(), IdKind::Citizen);
        let resident = NationalId::parse("2000000006").expect("valid iqama");
        assert_eq!(resident.kind(), IdKind::Resident);
        assert!(NationalId::parse("1234567897").is_ok());
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        assert_eq!(
            NationalId::parse("1000000009"),
            Err("err-national-id-checksum")
        );
        assert_eq!(
            NationalId::parse("1234567890"),
            Err("err-national-id-checksum")
        );
    }

    #[test]
    fn accepts_arabic_indic_digits_and_normalises_them() {
        let id = NationalId::parse("١٠٠٠٠٠٠٠٠٨").expect("arabic-indic digits");
        assert_eq!(id.as_str(), "1000000008");
        let id = NationalId::parse("۲۰۰۰۰۰۰۰۰۶").expect("eastern arabic-indic digits");
        assert_eq!(id.as_str(), "2000000006");
    }

    #[test]
    fn rejects_wrong_length_prefix_and_letters() {
        assert_eq!(NationalId::parse(""), Err("err-national-id-required"));
        assert_eq!(
            NationalId::parse("100000000"),
            Err("err-national-id-length")
        );
        assert_eq!(
            NationalId::parse("10000000081"),
            Err("err-national-id-length")
        );
        assert_eq!(
            NationalId::parse("10000a0008"),
            Err("err-national-id-length")
        );
        // A valid Luhn number that starts with 3 is neither a citizen nor a resident id.
        assert_eq!(
            NationalId::parse("3000000004"),
            Err("err-national-id-prefix")
        );
    }
}
