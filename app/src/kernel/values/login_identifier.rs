//! What a person types to log in: their mobile number or their national ID.

use crate::kernel::values::{NationalId, SaudiMobile};

/// Users log in with either their mobile number or their national ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginIdentifier {
    Phone(SaudiMobile),
    NationalId(NationalId),
}

impl LoginIdentifier {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        if input.trim().is_empty() {
            return Err("err-login-identifier-required");
        }
        if let Ok(id) = NationalId::parse(input) {
            return Ok(Self::NationalId(id));
        }
        SaudiMobile::parse(input)
            .map(Self::Phone)
            .map_err(|_| "err-login-identifier-invalid")
    }

    /// The normalised text rate limits are counted against, whether or not an account exists.
    pub fn key(&self) -> &str {
        match self {
            Self::Phone(p) => p.as_str(),
            Self::NationalId(id) => id.as_str(),
        }
    }
}
