//! The clinical record's rules, pure and shared with the browser: ICD-10 codes, allergies,
//! vital signs and the parts of a consultation note.

pub mod allergy;
pub mod attachment;
pub mod break_glass;
pub mod chart_list;
pub mod icd10_code;
pub mod note;
pub mod order;
pub mod prescription;
pub mod trend;
pub mod vitals;
