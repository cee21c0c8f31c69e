//! An allergy as the doctor records it: what to (a drug, a food, latex), what happened, and how
//! bad it was. Shown on every chart page and checked against prescriptions.

use crate::kernel::values::TextRule;
use serde::{Deserialize, Serialize};

pub const SUBSTANCE: TextRule = TextRule::line(200);
pub const REACTION: TextRule = TextRule::line(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

impl Severity {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input.trim() {
            "mild" => Ok(Severity::Mild),
            "moderate" => Ok(Severity::Moderate),
            "severe" => Ok(Severity::Severe),
            "" => Err("err-allergy-severity-required"),
            _ => Err("err-allergy-severity-invalid"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Mild => "allergy-mild",
            Severity::Moderate => "allergy-moderate",
            Severity::Severe => "allergy-severe",
        }
    }
}

/// A new allergy, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAllergy {
    pub substance: String,
    pub reaction: String,
    pub severity: Severity,
}

impl NewAllergy {
    pub fn parse(
        substance: &str,
        reaction: &str,
        severity: &str,
    ) -> Result<Self, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let substance = SUBSTANCE
            .parse_required(substance)
            .map_err(|k| errors.push(("substance", k)))
            .ok();
        let reaction = REACTION
            .parse(reaction)
            .map_err(|k| errors.push(("reaction", k)))
            .ok();
        let severity = Severity::parse(severity)
            .map_err(|k| errors.push(("severity", k)))
            .ok();
        match (substance, reaction, severity) {
            (Some(substance), Some(reaction), Some(severity)) => Ok(NewAllergy {
                substance,
                reaction,
                severity,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allergy_needs_a_substance_and_a_known_severity() {
        let ok = NewAllergy::parse(" Penicillin ", "طفح جلدي", "severe").expect("valid");
        assert_eq!(ok.substance, "Penicillin");
        assert_eq!(ok.severity, Severity::Severe);
        assert_eq!(
            NewAllergy::parse("", "", "worst").unwrap_err(),
            [
                ("substance", "err-text-required"),
                ("severity", "err-allergy-severity-invalid")
            ]
        );
    }
}
