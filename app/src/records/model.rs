//! What the records pages show, shared by the server functions and the pages.

use serde::{Deserialize, Serialize};

/// One ICD-10-CM code with its English title (the classification has no official Arabic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Icd10Entry {
    pub code: String,
    pub title: String,
    /// A code that can stand on a claim (a leaf), not a heading of more specific codes.
    pub billable: bool,
}
