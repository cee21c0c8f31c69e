use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "user_role", rename_all = "lowercase")
)]
pub enum Role {
    Patient,
    Doctor,
    Receptionist,
    Admin,
}

impl Role {
    pub const STAFF: [Role; 3] = [Role::Doctor, Role::Receptionist, Role::Admin];

    pub fn is_staff(self) -> bool {
        self != Role::Patient
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Doctor => "doctor",
            Role::Receptionist => "receptionist",
            Role::Admin => "admin",
        }
    }

    /// Fluent key of the role's display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Patient => "role-patient",
            Role::Doctor => "role-doctor",
            Role::Receptionist => "role-receptionist",
            Role::Admin => "role-admin",
        }
    }

    /// Where a user lands after logging in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Patient => "/me",
            Role::Doctor | Role::Receptionist => "/staff",
            Role::Admin => "/admin/staff",
        }
    }
}

impl FromStr for Role {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "patient" => Ok(Role::Patient),
            "doctor" => Ok(Role::Doctor),
            "receptionist" => Ok(Role::Receptionist),
            "admin" => Ok(Role::Admin),
            _ => Err("err-role-invalid"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_knows_staff() {
        for role in [Role::Patient, Role::Doctor, Role::Receptionist, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!(!Role::Patient.is_staff());
        assert!(Role::STAFF.iter().all(|r| r.is_staff()));
        assert_eq!("root".parse::<Role>(), Err("err-role-invalid"));
    }
}
