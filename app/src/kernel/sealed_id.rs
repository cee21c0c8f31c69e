//! The national ID as the database keeps it (migration 20261202000016): sealed, with a blind
//! index to find it by and to keep it unique, and its last four digits for the masked display.

use crate::kernel::crypto::{CryptoError, Keyring};
use crate::kernel::values::NationalId;
use uuid::Uuid;

const KIND: &str = "national-id";

fn aad(user_id: Uuid) -> String {
    format!("national-id:{user_id}")
}

/// What a user's row stores for their national ID.
pub struct StoredNationalId {
    pub index: Vec<u8>,
    pub sealed: Vec<u8>,
    pub last4: String,
}

impl StoredNationalId {
    pub fn seal(keys: &Keyring, user_id: Uuid, id: &NationalId) -> Result<Self, CryptoError> {
        let digits = id.as_str();
        Ok(Self {
            index: lookup(keys, id)?,
            sealed: keys.seal_text(digits, &aad(user_id)),
            last4: digits[digits.len().saturating_sub(4)..].to_owned(),
        })
    }
}

/// The blind index a stored ID is found by.
pub fn lookup(keys: &Keyring, id: &NationalId) -> Result<Vec<u8>, CryptoError> {
    keys.blind_index(KIND, id.as_str())
}

/// The whole number again, for the rare screen that needs it (and for re-sealing).
pub fn open(keys: &Keyring, user_id: Uuid, sealed: &[u8]) -> Result<String, CryptoError> {
    keys.open_text(sealed, &aad(user_id))
}

/// Seals `sealed` again for the same user with the current key.
pub fn reseal(keys: &Keyring, user_id: Uuid, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    Ok(keys.seal_text(&open(keys, user_id, sealed)?, &aad(user_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_no_digits_but_the_last_four_and_opens_for_its_user_only() {
        let keys = Keyring::parse(&Keyring::new_config("k1").expect("config")).expect("ring");
        let id = NationalId::parse("1000000016").expect("id");
        let user = Uuid::new_v4();
        let stored = StoredNationalId::seal(&keys, user, &id).expect("sealed");
        assert_eq!(stored.last4, "0016");
        assert!(!stored.sealed.windows(10).any(|w| w == b"1000000016"));
        assert_eq!(stored.index, lookup(&keys, &id).expect("index"));
        assert_eq!(
            open(&keys, user, &stored.sealed).expect("opens"),
            "1000000016"
        );
        assert!(open(&keys, Uuid::new_v4(), &stored.sealed).is_err());
    }
}
