//! A person's sex as registration and doctor profiles record it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input.trim() {
            "male" => Ok(Sex::Male),
            "female" => Ok(Sex::Female),
            "" => Err("err-sex-required"),
            _ => Err("err-sex-invalid"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}
