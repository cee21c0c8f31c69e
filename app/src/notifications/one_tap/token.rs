//! The token in a one-tap link: the row's id and a MAC of it, as 64 hex digits. Pure, so the
//! page can tell a mangled link from the address alone.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TapAction {
    Confirm,
    Cancel,
}

impl TapAction {
    pub fn code(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Cancel => "cancel",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Confirm, Self::Cancel]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// Where a token stands, for the page that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TapState {
    Ready,
    Used,
    Expired,
}

/// The bytes of the MAC a link carries (the first half of an HMAC-SHA256).
pub const MAC_LEN: usize = 16;

/// The token's text for `id` and its MAC.
pub fn encode(id: Uuid, mac: &[u8]) -> String {
    let mut out = id.simple().to_string();
    for b in mac.iter().take(MAC_LEN) {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Splits a token into the id and the MAC it claims; `None` when it is not 64 hex digits.
pub fn decode(text: &str) -> Option<(Uuid, [u8; MAC_LEN])> {
    let text = text.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let id = Uuid::parse_str(&text[..32]).ok()?;
    let mut mac = [0u8; MAC_LEN];
    for (i, byte) in mac.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[32 + 2 * i..34 + 2 * i], 16).ok()?;
    }
    Some((id, mac))
}

/// Compares two MACs (or shared secrets) in time that does not depend on where they differ.
pub fn same_mac(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_and_a_mangled_one_does_not() {
        let id = Uuid::from_u128(0x1234);
        let mac = [7u8; 32];
        let text = encode(id, &mac);
        assert_eq!(text.len(), 64);
        let (back, claimed) = decode(&text).expect("decodes");
        assert_eq!(back, id);
        assert!(same_mac(&claimed, &mac[..MAC_LEN]));
        assert!(decode(&text[..63]).is_none());
        assert!(decode(&format!("{}g", &text[..63])).is_none());
        assert!(decode("' OR 1=1 --").is_none());
        let mut other = claimed;
        other[15] ^= 1;
        assert!(!same_mac(&other, &mac[..MAC_LEN]));
        // A prefix of the right MAC is not the MAC.
        assert!(!same_mac(&claimed[..MAC_LEN - 1], &mac[..MAC_LEN]));
        assert!(!same_mac(b"", &mac[..MAC_LEN]));
    }

    #[test]
    fn actions_round_trip() {
        for a in [TapAction::Confirm, TapAction::Cancel] {
            assert_eq!(TapAction::from_code(a.code()), Some(a));
        }
        assert_eq!(TapAction::from_code("delete"), None);
    }
}
