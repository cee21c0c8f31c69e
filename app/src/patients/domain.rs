//! Family members a patient books for: children, elderly parents. They are patients in their
//! own right (their own record, their own ID) without a log-in of their own.

use crate::kernel::values::date_of_birth::parse_date_of_birth;
use crate::kernel::values::person_name::parse_arabic_part;
use crate::kernel::values::ArabicFullName;
use crate::kernel::values::FieldErrors;
use crate::kernel::values::LatinName;
use crate::kernel::values::NationalId;
use crate::kernel::values::SaudiMobile;
use crate::kernel::values::Sex;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Child,
    Parent,
    Spouse,
    Sibling,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 5] = [
        Relation::Child,
        Relation::Parent,
        Relation::Spouse,
        Relation::Sibling,
        Relation::Other,
    ];

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == input.trim())
            .ok_or(if input.trim().is_empty() {
                "err-relation-required"
            } else {
                "err-relation-invalid"
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Child => "child",
            Relation::Parent => "parent",
            Relation::Spouse => "spouse",
            Relation::Sibling => "sibling",
            Relation::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Relation::Child => "fam-relation-child",
            Relation::Parent => "fam-relation-parent",
            Relation::Spouse => "fam-relation-spouse",
            Relation::Sibling => "fam-relation-sibling",
            Relation::Other => "fam-relation-other",
        }
    }
}

/// The four-part Arabic name every patient form asks for, each part's error under its field.
pub fn parse_full_name(
    errors: &mut FieldErrors,
    first: &str,
    father: &str,
    grandfather: &str,
    family: &str,
) -> Option<ArabicFullName> {
    let first = errors.check("first_name", parse_arabic_part(first));
    let father = errors.check("father_name", parse_arabic_part(father));
    let grandfather = errors.check("grandfather_name", parse_arabic_part(grandfather));
    let family = errors.check("family_name", parse_arabic_part(family));
    Some(ArabicFullName {
        first: first?,
        father: father?,
        grandfather: grandfather?,
        family: family?,
    })
}

/// What the "add a family member" form sends, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependentInput {
    pub first_name: String,
    pub father_name: String,
    pub grandfather_name: String,
    pub family_name: String,
    pub latin_name: String,
    pub national_id: String,
    pub date_of_birth: String,
    pub sex: String,
    pub relation: String,
    /// Optional: a child often has none.
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct NewDependent {
    pub name: ArabicFullName,
    pub latin_name: Option<LatinName>,
    pub national_id: NationalId,
    pub date_of_birth: Date,
    pub sex: Sex,
    pub relation: Relation,
    pub phone: Option<SaudiMobile>,
}

impl DependentInput {
    pub fn parse(&self, today: Date) -> Result<NewDependent, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = parse_full_name(
            &mut errors,
            &self.first_name,
            &self.father_name,
            &self.grandfather_name,
            &self.family_name,
        );
        let latin_name = errors.check("latin_name", LatinName::parse_optional(&self.latin_name));
        let national_id = errors.check("national_id", NationalId::parse(&self.national_id));
        let date_of_birth = errors.check(
            "date_of_birth",
            parse_date_of_birth(&self.date_of_birth, today),
        );
        let sex = errors.check("sex", Sex::parse(&self.sex));
        let relation = errors.check("relation", Relation::parse(&self.relation));
        let phone = match self.phone.trim() {
            "" => Some(None),
            typed => errors.check("phone", SaudiMobile::parse(typed)).map(Some),
        };
        match (
            name,
            latin_name,
            national_id,
            date_of_birth,
            sex,
            relation,
            phone,
        ) {
            (
                Some(name),
                Some(latin_name),
                Some(national_id),
                Some(date_of_birth),
                Some(sex),
                Some(relation),
                Some(phone),
            ) if errors.is_empty() => Ok(NewDependent {
                name,
                latin_name,
                national_id,
                date_of_birth,
                sex,
                relation,
                phone,
            }),
            _ => Err(errors),
        }
    }
}

/// A patient search as typed at the desk or by a doctor: an exact mobile or ID (`exact`,
/// normalised) or a part of a name (`literal`, with LIKE wildcards escaped so `%` and `_` are
/// searched for as typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientQuery {
    pub exact: Option<String>,
    pub literal: String,
}

impl PatientQuery {
    /// `None` for a query too short to search (fewer than two characters).
    pub fn parse(input: &str) -> Result<Option<Self>, &'static str> {
        let q = crate::kernel::values::text::parse_search(input)?;
        if q.chars().count() < 2 {
            return Ok(None);
        }
        let exact = crate::kernel::values::LoginIdentifier::parse(&q)
            .ok()
            .map(|i| i.key().to_owned());
        let literal = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        Ok(Some(Self { exact, literal }))
    }
}

#[cfg(test)]
mod query_tests {
    use super::PatientQuery;

    #[test]
    fn a_query_is_an_exact_identifier_or_a_literal_name_part() {
        assert_eq!(PatientQuery::parse(" س "), Ok(None));
        let q = PatientQuery::parse("055 123 4567")
            .expect("ok")
            .expect("long enough");
        assert_eq!(q.exact.as_deref(), Some("+966551234567"));
        let q = PatientQuery::parse("50%_a\\b")
            .expect("ok")
            .expect("long enough");
        assert_eq!(q.exact, None);
        assert_eq!(q.literal, "50\\%\\_a\\\\b");
        assert_eq!(
            PatientQuery::parse(&"ب".repeat(101)),
            Err("err-search-too-long")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn child() -> DependentInput {
        DependentInput {
            first_name: "سارة".into(),
            father_name: "محمد".into(),
            grandfather_name: "عبدالله".into(),
            family_name: "القحطاني".into(),
            national_id: "1000000008".into(),
            date_of_birth: "2019-03-01".into(),
            sex: "female".into(),
            relation: "child".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_child_needs_no_phone() {
        let dep = child().parse(date!(2026 - 11 - 25)).expect("valid");
        assert_eq!(dep.relation, Relation::Child);
        assert!(dep.phone.is_none());
        assert_eq!(dep.name.first, "سارة");
    }

    #[test]
    fn a_typed_phone_must_still_be_a_saudi_mobile() {
        let mut input = child();
        input.phone = "٠٥٥١٢٣٤٥٦٧".into();
        let dep = input
            .parse(date!(2026 - 11 - 25))
            .expect("Arabic digits accepted");
        assert_eq!(
            dep.phone.map(|p| p.as_str().to_owned()).as_deref(),
            Some("+966551234567")
        );
        input.phone = "12345".into();
        let errors = input.parse(date!(2026 - 11 - 25)).expect_err("bad phone");
        assert!(errors.for_field("phone").is_some());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = DependentInput {
            relation: "cousin".into(),
            date_of_birth: "2030-01-01".into(),
            ..Default::default()
        };
        let errors = input.parse(date!(2026 - 11 - 25)).expect_err("invalid");
        for field in [
            "first_name",
            "family_name",
            "national_id",
            "date_of_birth",
            "sex",
        ] {
            assert!(errors.for_field(field).is_some(), "{field}");
        }
        assert_eq!(errors.for_field("relation"), Some("err-relation-invalid"));
        assert_eq!(errors.for_field("date_of_birth"), Some("err-dob-future"));
    }
}
