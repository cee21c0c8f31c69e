use crate::kernel::values::date_of_birth::parse_date_of_birth;
use crate::kernel::values::person_name::parse_arabic_part;
use crate::kernel::values::sex::Sex;
use crate::kernel::values::ArabicFullName;
use crate::kernel::values::Email;
use crate::kernel::values::FieldErrors;
use crate::kernel::values::LatinName;
use crate::kernel::values::NationalId;
use crate::kernel::values::Password;
use crate::kernel::values::Role;
use crate::kernel::values::SaudiMobile;
use serde::{Deserialize, Serialize};
use time::Date;

/// What the registration form sends, exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub first_name: String,
    pub father_name: String,
    pub grandfather_name: String,
    pub family_name: String,
    pub latin_name: String,
    pub phone: String,
    pub national_id: String,
    pub date_of_birth: String,
    pub sex: String,
    pub email: String,
    pub password: String,
}

/// A patient registration that passed every rule.
#[derive(Debug, Clone)]
pub struct Registration {
    pub name: ArabicFullName,
    pub latin_name: Option<LatinName>,
    pub phone: SaudiMobile,
    pub national_id: NationalId,
    pub date_of_birth: Date,
    pub sex: Sex,
    pub email: Option<Email>,
    /// `None` for a walk-in registered at the desk, who has no password until they claim the account.
    pub password: Option<Password>,
}

impl RegistrationInput {
    /// Checks every field and reports all problems at once, so the form shows each message
    /// beside its field in one round trip.
    pub fn parse(&self, today: Date) -> Result<Registration, FieldErrors> {
        self.parse_inner(today, true)
    }

    /// The desk's quick registration of a walk-in: the same rules, without a password.
    pub fn parse_walk_in(&self, today: Date) -> Result<Registration, FieldErrors> {
        self.parse_inner(today, false)
    }

    fn parse_inner(&self, today: Date, with_password: bool) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::default();
        let first = errors.check("first_name", parse_arabic_part(&self.first_name));
        let father = errors.check("father_name", parse_arabic_part(&self.father_name));
        let grandfather = errors.check(
            "grandfather_name",
            parse_arabic_part(&self.grandfather_name),
        );
        let family = errors.check("family_name", parse_arabic_part(&self.family_name));
        let latin_name = errors.check("latin_name", LatinName::parse_optional(&self.latin_name));
        let phone = errors.check("phone", SaudiMobile::parse(&self.phone));
        let national_id = errors.check("national_id", NationalId::parse(&self.national_id));
        let date_of_birth = errors.check(
            "date_of_birth",
            parse_date_of_birth(&self.date_of_birth, today),
        );
        let sex = errors.check("sex", Sex::parse(&self.sex));
        let email = errors.check("email", Email::parse_optional(&self.email));
        let password = if with_password {
            errors
                .check("password", Password::parse(&self.password))
                .map(Some)
        } else {
            Some(None)
        };

        match (
            first,
            father,
            grandfather,
            family,
            latin_name,
            phone,
            national_id,
            date_of_birth,
            sex,
            email,
            password,
        ) {
            (
                Some(first),
                Some(father),
                Some(grandfather),
                Some(family),
                Some(latin_name),
                Some(phone),
                Some(national_id),
                Some(date_of_birth),
                Some(sex),
                Some(email),
                Some(password),
            ) if errors.is_empty() => Ok(Registration {
                name: ArabicFullName {
                    first,
                    father,
                    grandfather,
                    family,
                },
                latin_name,
                phone,
                national_id,
                date_of_birth,
                sex,
                email,
                password,
            }),
            _ => Err(errors),
        }
    }
}

/// What an admin sends to create a staff account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInput {
    pub role: String,
    pub first_name: String,
    pub father_name: String,
    pub grandfather_name: String,
    pub family_name: String,
    pub latin_name: String,
    pub phone: String,
    pub national_id: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub role: Role,
    pub name: ArabicFullName,
    pub latin_name: Option<LatinName>,
    pub phone: SaudiMobile,
    pub national_id: NationalId,
    pub email: Option<Email>,
    pub password: Password,
}

impl StaffInput {
    pub fn parse(&self) -> Result<NewStaff, FieldErrors> {
        let mut errors = FieldErrors::default();
        let role = errors.check(
            "role",
            self.role.parse::<Role>().and_then(|r| {
                if r.is_staff() {
                    Ok(r)
                } else {
                    Err("err-role-invalid")
                }
            }),
        );
        let first = errors.check("first_name", parse_arabic_part(&self.first_name));
        let father = errors.check("father_name", parse_arabic_part(&self.father_name));
        let grandfather = errors.check(
            "grandfather_name",
            parse_arabic_part(&self.grandfather_name),
        );
        let family = errors.check("family_name", parse_arabic_part(&self.family_name));
        let latin_name = errors.check("latin_name", LatinName::parse_optional(&self.latin_name));
        let phone = errors.check("phone", SaudiMobile::parse(&self.phone));
        let national_id = errors.check("national_id", NationalId::parse(&self.national_id));
        let email = errors.check("email", Email::parse_optional(&self.email));
        let password = errors.check("password", Password::parse(&self.password));
        match (
            role,
            first,
            father,
            grandfather,
            family,
            latin_name,
            phone,
            national_id,
            email,
            password,
        ) {
            (
                Some(role),
                Some(first),
                Some(father),
                Some(grandfather),
                Some(family),
                Some(latin_name),
                Some(phone),
                Some(national_id),
                Some(email),
                Some(password),
            ) if errors.is_empty() => Ok(NewStaff {
                role,
                name: ArabicFullName {
                    first,
                    father,
                    grandfather,
                    family,
                },
                latin_name,
                phone,
                national_id,
                email,
                password,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::values::LoginIdentifier;
    use time::macros::date;

    fn valid_input() -> RegistrationInput {
        RegistrationInput {
            first_name: "سارة".into(),
            father_name: "عبد الله".into(),
            grandfather_name: "محمد".into(),
            family_name: "القحطاني".into(),
            latin_name: "Sara Alqahtani".into(),
            phone: "0501234567".into(),
            national_id: "1000000008".into(),
            date_of_birth: "1990-05-17".into(),
            sex: "female".into(),
            email: "".into(),
            password: "a-long-secret".into(),
        }
    }

    #[test]
    fn a_complete_form_parses_into_normalised_values() {
        let reg = valid_input().parse(date!(2026 - 11 - 25)).expect("valid");
        assert_eq!(reg.phone.as_str(), "+966501234567");
        assert_eq!(reg.name.display(), "سارة عبد الله محمد القحطاني");
        assert_eq!(reg.date_of_birth, date!(1990 - 05 - 17));
        assert_eq!(reg.email, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = RegistrationInput {
            first_name: "Sara".into(),
            phone: "0112345678".into(),
            national_id: "1000000009".into(),
            date_of_birth: "2030-01-01".into(),
            sex: "x".into(),
            password: "short".into(),
            ..valid_input()
        };
        let errors = input.parse(date!(2026 - 11 - 25)).expect_err("invalid");
        assert_eq!(errors.for_field("first_name"), Some("err-name-arabic-only"));
        assert_eq!(errors.for_field("phone"), Some("err-phone-invalid"));
        assert_eq!(
            errors.for_field("national_id"),
            Some("err-national-id-checksum")
        );
        assert_eq!(errors.for_field("date_of_birth"), Some("err-dob-future"));
        assert_eq!(errors.for_field("sex"), Some("err-sex-invalid"));
        assert_eq!(errors.for_field("password"), Some("err-password-short"));
        assert_eq!(errors.for_field("father_name"), None);
        assert_eq!(errors.0.len(), 6);
    }

    #[test]
    fn date_of_birth_rules() {
        let today = date!(2026 - 11 - 25);
        assert_eq!(
            parse_date_of_birth("١٩٩٠-٠٥-١٧", today),
            Ok(date!(1990 - 05 - 17))
        );
        assert_eq!(
            parse_date_of_birth("1990-02-30", today),
            Err("err-dob-invalid")
        );
        assert_eq!(
            parse_date_of_birth("17/05/1990", today),
            Err("err-dob-invalid")
        );
        assert_eq!(
            parse_date_of_birth("1850-01-01", today),
            Err("err-dob-too-old")
        );
        assert_eq!(parse_date_of_birth("", today), Err("err-dob-required"));
    }

    #[test]
    fn staff_form_refuses_the_patient_role() {
        let input = StaffInput {
            role: "patient".into(),
            first_name: "خالد".into(),
            father_name: "سعد".into(),
            grandfather_name: "علي".into(),
            family_name: "الدوسري".into(),
            phone: "0551112222".into(),
            national_id: "1234567897".into(),
            password: "a-long-secret".into(),
            ..Default::default()
        };
        let errors = input.parse().expect_err("patient is not a staff role");
        assert_eq!(errors.for_field("role"), Some("err-role-invalid"));
        let ok = StaffInput {
            role: "doctor".into(),
            ..input
        }
        .parse()
        .expect("valid");
        assert_eq!(ok.role, Role::Doctor);
    }

    #[test]
    fn login_identifier_accepts_phone_or_id() {
        assert_eq!(
            LoginIdentifier::parse("١٠٠٠٠٠٠٠٠٨").map(|i| i.key().to_owned()),
            Ok("1000000008".to_owned())
        );
        assert_eq!(
            LoginIdentifier::parse("050 123 4567").map(|i| i.key().to_owned()),
            Ok("+966501234567".to_owned())
        );
        assert_eq!(
            LoginIdentifier::parse("hello"),
            Err("err-login-identifier-invalid")
        );
    }
}
