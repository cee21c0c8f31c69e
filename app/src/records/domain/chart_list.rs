//! The chart's standing lists besides allergies: problems (coded with ICD-10) and the
//! medications the patient takes, as the doctor adds them. The field names are the forms'
//! own, apart from the prescription form's on the same screen.

use crate::kernel::values::TextRule;
use crate::records::domain::icd10_code::Icd10Code;
use crate::records::domain::prescription::{DRUG, SHORT};

pub const PROBLEM_NOTE: TextRule = TextRule::line(300);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProblem {
    pub code: Icd10Code,
    pub note: String,
}

impl NewProblem {
    /// The code's shape and the note's length; whether the code is in the catalogue is the
    /// service's check, since the catalogue lives on the server.
    pub fn parse(code: &str, note: &str) -> Result<Self, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let code = Icd10Code::parse(code)
            .map_err(|k| errors.push(("problem_code", k)))
            .ok();
        let note = PROBLEM_NOTE
            .parse(note)
            .map_err(|k| errors.push(("problem_note", k)))
            .ok();
        match (code, note) {
            (Some(code), Some(note)) => Ok(NewProblem { code, note }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedication {
    pub drug: String,
    pub dose: String,
}

impl NewMedication {
    pub fn parse(drug: &str, dose: &str) -> Result<Self, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let drug = DRUG
            .parse_required(drug)
            .map_err(|k| errors.push(("med_drug", k)))
            .ok();
        let dose = SHORT
            .parse(dose)
            .map_err(|k| errors.push(("med_dose", k)))
            .ok();
        match (drug, dose) {
            (Some(drug), Some(dose)) => Ok(NewMedication { drug, dose }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_a_code_and_an_optional_note() {
        let p = NewProblem::parse(" i10 ", "منذ 2019").expect("valid");
        assert_eq!(p.note, "منذ 2019");
        assert!(NewProblem::parse("", "").is_err());
        assert_eq!(
            NewProblem::parse("not a code", "").unwrap_err()[0].0,
            "problem_code"
        );
    }

    #[test]
    fn a_medication_needs_its_drug() {
        assert_eq!(
            NewMedication::parse("  ", "1 daily").unwrap_err(),
            [("med_drug", "err-text-required")]
        );
        let m = NewMedication::parse("Amlodipine 5 mg", "مرة يوميًا").expect("valid");
        assert_eq!(m.drug, "Amlodipine 5 mg");
    }
}
