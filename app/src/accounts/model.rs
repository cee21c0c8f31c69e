//! Read models of accounts, as the pages show them.

use crate::kernel::values::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientProfile {
    pub full_name: String,
    pub latin_name: Option<String>,
    pub phone: Option<String>,
    /// Only the last four digits leave the database in the clear.
    pub national_id_last4: String,
    pub date_of_birth: Option<time::Date>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: Uuid,
    pub role: Role,
    pub full_name: String,
    pub phone: String,
    pub specialty_ar: Option<String>,
    pub specialty_en: Option<String>,
    pub is_active: bool,
}
