//! The domain rules a form field can run in the browser before anything is sent. A field names
//! its rule in `data-check`; the browser looks the rule up here and runs the same parser the
//! server runs, so both show the same message.

use crate::kernel::values::date_of_birth::parse_date_of_birth;
use crate::kernel::values::person_name::{parse_arabic_part, LatinName};
use crate::kernel::values::{Email, LoginIdentifier, NationalId, Password, SaudiMobile, Sex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    ArabicNamePart,
    LatinName,
    Mobile,
    NationalId,
    DateOfBirth,
    Email,
    Password,
    Sex,
    LoginIdentifier,
}

impl Check {
    pub const ALL: [Check; 9] = [
        Check::ArabicNamePart,
        Check::LatinName,
        Check::Mobile,
        Check::NationalId,
        Check::DateOfBirth,
        Check::Email,
        Check::Password,
        Check::Sex,
        Check::LoginIdentifier,
    ];

    /// The name written into the page's `data-check` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Check::ArabicNamePart => "arabic-name",
            Check::LatinName => "latin-name",
            Check::Mobile => "mobile",
            Check::NationalId => "national-id",
            Check::DateOfBirth => "date-of-birth",
            Check::Email => "email",
            Check::Password => "password",
            Check::Sex => "sex",
            Check::LoginIdentifier => "login-identifier",
        }
    }

    pub fn from_code(code: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The Fluent key of what is wrong with `value`, or `None` when the rule accepts it.
    pub fn run(self, value: &str, today: time::Date) -> Option<&'static str> {
        match self {
            Check::ArabicNamePart => parse_arabic_part(value).err(),
            Check::LatinName => LatinName::parse_optional(value).err(),
            Check::Mobile => SaudiMobile::parse(value).err(),
            Check::NationalId => NationalId::parse(value).err(),
            Check::DateOfBirth => parse_date_of_birth(value, today).err(),
            Check::Email => Email::parse_optional(value).err(),
            Check::Password => Password::parse(value).err(),
            Check::Sex => Sex::parse(value).err(),
            Check::LoginIdentifier => LoginIdentifier::parse(value).err(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_found_by_the_name_the_page_carries() {
        for check in Check::ALL {
            assert_eq!(Check::from_code(check.code()), Some(check));
        }
        assert_eq!(Check::from_code("no-such-rule"), None);
    }

    #[test]
    fn a_rule_answers_as_the_server_parser_does() {
        let today = time::macros::date!(2026 - 12 - 01);
        assert_eq!(Check::Mobile.run("0512345678", today), None);
        assert_eq!(
            Check::Mobile.run("0112345678", today),
            SaudiMobile::parse("0112345678").err()
        );
        assert!(Check::NationalId.run("1234567890", today).is_some());
        assert_eq!(
            Check::DateOfBirth.run("2030-01-01", today),
            Some("err-dob-future")
        );
        assert_eq!(Check::Email.run("", today), None);
        assert!(Check::Sex.run("", today).is_some());
    }
}
