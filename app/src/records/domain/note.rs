//! A consultation note in SOAP order, as the doctor types it. Drafts may be incomplete; a note
//! is signed only with a chief complaint, an assessment and at least one diagnosis, since a
//! signed note can never be corrected, only added to.

use crate::kernel::values::TextRule;
use serde::{Deserialize, Serialize};

/// Long enough for a thorough examination, short enough that a pasted document is refused.
pub const SECTION: TextRule = TextRule::lines(10_000);
pub const COMPLAINT: TextRule = TextRule::line(300);
pub const ADDENDUM: TextRule = TextRule::lines(5_000);
/// The most diagnoses one encounter lists.
pub const MAX_DIAGNOSES: usize = 12;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub chief_complaint: String,
    pub history: String,
    pub examination: String,
    pub assessment: String,
    pub plan: String,
    /// What the patient reads in the portal once the note is signed.
    pub patient_summary: String,
}

impl Note {
    /// Every section trimmed and within its length, or each field that is not.
    pub fn parse(typed: &Note) -> Result<Note, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let mut take = |name: &'static str, rule: TextRule, text: &str| {
            rule.parse(text).unwrap_or_else(|key| {
                errors.push((name, key));
                String::new()
            })
        };
        let note = Note {
            chief_complaint: take("chief_complaint", COMPLAINT, &typed.chief_complaint),
            history: take("history", SECTION, &typed.history),
            examination: take("examination", SECTION, &typed.examination),
            assessment: take("assessment", SECTION, &typed.assessment),
            plan: take("plan", SECTION, &typed.plan),
            patient_summary: take("patient_summary", SECTION, &typed.patient_summary),
        };
        if errors.is_empty() {
            Ok(note)
        } else {
            Err(errors)
        }
    }

    /// What is missing before this note, with `diagnoses` codes, may be signed.
    pub fn missing_for_signing(&self, diagnoses: usize) -> Vec<(&'static str, &'static str)> {
        let mut missing = Vec::new();
        if self.chief_complaint.is_empty() {
            missing.push(("chief_complaint", "err-text-required"));
        }
        if self.assessment.is_empty() {
            missing.push(("assessment", "err-text-required"));
        }
        if diagnoses == 0 {
            missing.push(("diagnoses", "err-encounter-no-diagnosis"));
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_trimmed_and_control_characters_refused() {
        let typed = Note {
            chief_complaint: "  سعال منذ أسبوع ".into(),
            history: "line one\nline two".into(),
            examination: "bad\u{7}".into(),
            ..Note::default()
        };
        assert_eq!(
            Note::parse(&typed).unwrap_err(),
            [("examination", "err-text-control")]
        );
        let fine = Note {
            examination: String::new(),
            ..typed
        };
        let note = Note::parse(&fine).expect("valid");
        assert_eq!(note.chief_complaint, "سعال منذ أسبوع");
        assert_eq!(note.history, "line one\nline two");
    }

    #[test]
    fn signing_needs_a_complaint_an_assessment_and_a_diagnosis() {
        let empty = Note::default();
        assert_eq!(empty.missing_for_signing(0).len(), 3);
        let ready = Note {
            chief_complaint: "Cough".into(),
            assessment: "Acute bronchitis".into(),
            ..Note::default()
        };
        assert!(ready.missing_for_signing(1).is_empty());
        assert_eq!(
            ready.missing_for_signing(0),
            [("diagnoses", "err-encounter-no-diagnosis")]
        );
    }
}
