use serde::{Deserialize, Serialize};
use std::fmt;

/// An e-mail address, trimmed, with its domain lower-cased. The check is deliberately shallow
/// (one `@`, a dotted domain, no spaces): only a delivered message proves an address works.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let trimmed = input.trim();
        if trimmed.len() > 254 || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("err-email-invalid");
        }
        let (local, domain) = trimmed.split_once('@').ok_or("err-email-invalid")?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err("err-email-invalid");
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// Empty input means "no e-mail" on forms where it is optional.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, &'static str> {
        if input.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(input).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases_the_domain() {
        let e = Email::parse("  Sara.Ali@Clinic.SA ").expect("valid");
        assert_eq!(e.as_str(), "Sara.Ali@clinic.sa");
    }

    #[test]
    fn treats_blank_as_absent_when_optional() {
        assert_eq!(Email::parse_optional("   "), Ok(None));
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "sara",
            "sara@",
            "@clinic.sa",
            "sara@clinic",
            "a b@c.sa",
            "a@b@c.sa",
            "a@-b.sa",
        ] {
            assert_eq!(Email::parse(bad), Err("err-email-invalid"), "{bad}");
        }
    }
}
