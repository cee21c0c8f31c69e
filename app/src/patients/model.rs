//! Read models of patients and family members, as the pages show them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientHit {
    pub id: Uuid,
    pub full_name: String,
    /// `None` for a family member without a mobile of their own.
    pub phone: Option<String>,
    /// Only the last four digits leave the database in the clear.
    pub national_id_last4: String,
}

/// A patient's family as read before their page renders (`kernel::page_data`): whose it is,
/// and its members.
#[derive(Debug, Clone)]
pub struct FamilyOf(pub Uuid, pub Vec<Dependent>);

/// A family member a patient books for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependent {
    pub id: Uuid,
    pub full_name: String,
    pub latin_name: Option<String>,
    pub date_of_birth: Option<time::Date>,
    pub relation: crate::patients::domain::Relation,
}
