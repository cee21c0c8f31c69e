//! Encryption at rest of what the database or the object store must not hold in the clear
//! (attachments' bytes; later notes' free text): AES-256-GCM, a fresh random nonce per value,
//! and the id of the key it was sealed with inside the value, so keys can rotate while values
//! sealed with an older key still open. The associated data ties a value to its place
//! (`attachment:<id>`): a sealed value copied onto another record does not open there.
//!
//! Keys come from `MUEEN_DATA_KEYS` (`id:base64,id:base64`, the first seals) or, for the
//! embedded default, from a key file the server generates under its data directory (mode
//! 0600), outside the database.
//!
//! One entry, `index:base64`, is not a data key: it keys the blind index (HMAC-SHA256) of
//! values that must be found by equality while sealed (the national ID). It does not rotate
//! with the data keys, since every stored index would have to be computed again.

use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use std::path::Path;

/// Format marker and version at the start of every sealed value.
const MAGIC: &[u8; 3] = b"MK1";
const NONCE_LEN: usize = 12;
const MAX_ID_LEN: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The value names a key this server does not have (rotated away too early, or the key
    /// file of another installation).
    #[error("sealed with key {0:?}, which is not configured")]
    UnknownKey(String),
    /// The key is right by name but the value does not open: a wrong key under that id, a
    /// value moved to another record, or altered bytes. GCM cannot tell these apart.
    #[error("the value does not open with key {0:?} (wrong key, moved or altered)")]
    DoesNotOpen(String),
    #[error("not a sealed value")]
    Malformed,
    #[error("key configuration: {0}")]
    Config(String),
}

struct DataKey {
    id: String,
    cipher: Aes256Gcm,
}

/// The keys this server may open values with; the first one seals.
pub struct Keyring {
    keys: Vec<DataKey>,
    index: Option<[u8; 32]>,
}

/// The reserved id of the blind-index key's entry.
pub const INDEX_ID: &str = "index";

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Keyring").field("ids", &ids).finish()
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Keyring {
    /// Parses `id:base64-key` entries separated by commas or new lines; the first seals.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        let mut keys: Vec<DataKey> = vec![];
        let mut index = None;
        for entry in text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let (id, key) = entry
                .split_once(':')
                .ok_or_else(|| CryptoError::Config("expected id:base64-key".into()))?;
            let id = id.trim();
            if !valid_id(id) {
                return Err(CryptoError::Config(format!(
                    "key id {id:?}: 1-{MAX_ID_LEN} letters, digits, - or _"
                )));
            }
            if keys.iter().any(|k| k.id == id) {
                return Err(CryptoError::Config(format!("key id {id:?} appears twice")));
            }
            let bytes = BASE64
                .decode(key.trim())
                .map_err(|_| CryptoError::Config(format!("key {id:?} is not base64")))?;
            if id == INDEX_ID {
                if index.is_some() {
                    return Err(CryptoError::Config("two index keys".into()));
                }
                index =
                    Some(<[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
                        CryptoError::Config("the index key is not 32 bytes".into())
                    })?);
                continue;
            }
            let key = Key::<Aes256Gcm>::try_from(bytes.as_slice())
                .map_err(|_| CryptoError::Config(format!("key {id:?} is not 32 bytes")))?;
            keys.push(DataKey {
                id: id.to_owned(),
                cipher: Aes256Gcm::new(&key),
            });
        }
        if keys.is_empty() {
            return Err(CryptoError::Config("no keys".into()));
        }
        Ok(Self { keys, index })
    }

    /// A data key and an index key, as a first configuration.
    pub fn new_config(id: &str) -> Result<String, CryptoError> {
        Ok(format!(
            "{},{}",
            Self::new_entry(id)?,
            Self::new_entry(INDEX_ID)?
        ))
    }

    /// Whether the index key is configured; the server refuses to start without it.
    pub fn has_index(&self) -> bool {
        self.index.is_some()
    }

    /// The blind index of `value` within `kind` (so equal values of two kinds differ): equal
    /// inputs give equal outputs, and nobody without the index key can compute or reverse one.
    pub fn blind_index(&self, kind: &str, value: &str) -> Result<Vec<u8>, CryptoError> {
        use hmac::{Mac, SimpleHmac};
        let key = self
            .index
            .ok_or_else(|| CryptoError::Config("no index key configured".into()))?;
        let mut mac = SimpleHmac::<sha2::Sha256>::new_from_slice(&key)
            .map_err(|_| CryptoError::Config("index key".into()))?;
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        Ok(mac.finalize().into_bytes().to_vec())
    }

    /// A new random key as a `id:base64` entry.
    pub fn new_entry(id: &str) -> Result<String, CryptoError> {
        if !valid_id(id) {
            return Err(CryptoError::Config(format!("bad key id {id:?}")));
        }
        let key = Key::<Aes256Gcm>::generate();
        Ok(format!("{id}:{}", BASE64.encode(key.as_slice())))
    }

    /// The embedded default: the key file under `dir`, created with one new key (mode 0600)
    /// the first time.
    pub fn from_key_file(dir: &Path) -> Result<Self, CryptoError> {
        let path = dir.join("data-keys");
        let io = |e: std::io::Error| CryptoError::Config(format!("{}: {e}", path.display()));
        if !path.exists() {
            std::fs::create_dir_all(dir).map_err(io)?;
            write_private(&path, &format!("{}\n", Self::new_entry("k1")?)).map_err(io)?;
        }
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let ring = Self::parse(&text)?;
        if ring.has_index() {
            return Ok(ring);
        }
        // A key file from before the blind index: the index key is added once, for good.
        let text = format!("{}\n{}\n", text.trim_end(), Self::new_entry(INDEX_ID)?);
        write_private(&path, &text).map_err(io)?;
        Self::parse(&text)
    }

    /// Adds a new key in front of the key file (it seals from now on) and returns its id; the
    /// older keys stay so what they sealed still opens until it is re-sealed.
    pub fn rotate_key_file(dir: &Path) -> Result<String, CryptoError> {
        let path = dir.join("data-keys");
        let io = |e: std::io::Error| CryptoError::Config(format!("{}: {e}", path.display()));
        let old = Self::from_key_file(dir)?;
        let next = (1..)
            .map(|n| format!("k{n}"))
            .find(|id| old.keys.iter().all(|k| &k.id != id))
            .unwrap_or_else(|| "k0".into());
        let text = std::fs::read_to_string(&path).map_err(io)?;
        write_private(&path, &format!("{}\n{text}", Self::new_entry(&next)?)).map_err(io)?;
        Ok(next)
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Encrypts `plain` for the place named by `aad`.
    pub fn seal(&self, plain: &[u8], aad: &str) -> Vec<u8> {
        let key = &self.keys[0];
        let nonce = Nonce::generate();
        // Encryption fails only for inputs beyond GCM's 64 GiB limit, far above any value here.
        let sealed = key
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(4 + key.id.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.push(key.id.len() as u8);
        out.extend_from_slice(key.id.as_bytes());
        out.extend_from_slice(nonce.as_slice());
        out.extend_from_slice(&sealed);
        out
    }

    /// The key id a sealed value names.
    pub fn key_id_of(sealed: &[u8]) -> Result<&str, CryptoError> {
        let rest = sealed.strip_prefix(MAGIC).ok_or(CryptoError::Malformed)?;
        let (&len, rest) = rest.split_first().ok_or(CryptoError::Malformed)?;
        let id = rest.get(..len as usize).ok_or(CryptoError::Malformed)?;
        std::str::from_utf8(id).map_err(|_| CryptoError::Malformed)
    }

    /// Decrypts a value `seal` made for the same `aad`.
    pub fn open(&self, sealed: &[u8], aad: &str) -> Result<Vec<u8>, CryptoError> {
        let id = Self::key_id_of(sealed)?;
        let body = &sealed[MAGIC.len() + 1 + id.len()..];
        if body.len() < NONCE_LEN + 16 {
            return Err(CryptoError::Malformed);
        }
        let key = self
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| CryptoError::UnknownKey(id.to_owned()))?;
        let (nonce, ciphertext) = body.split_at(NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| CryptoError::Malformed)?;
        key.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::DoesNotOpen(id.to_owned()))
    }

    /// Seals text; `open_text` gives it back.
    pub fn seal_text(&self, text: &str, aad: &str) -> Vec<u8> {
        self.seal(text.as_bytes(), aad)
    }

    pub fn open_text(&self, sealed: &[u8], aad: &str) -> Result<String, CryptoError> {
        String::from_utf8(self.open(sealed, aad)?).map_err(|_| CryptoError::Malformed)
    }

    /// Seals a value as JSON, for records whose fields are read and written together.
    pub fn seal_json<T: serde::Serialize>(&self, value: &T, aad: &str) -> Vec<u8> {
        // Serializing plain structs of strings cannot fail.
        self.seal(&serde_json::to_vec(value).unwrap_or_default(), aad)
    }

    pub fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        sealed: &[u8],
        aad: &str,
    ) -> Result<T, CryptoError> {
        serde_json::from_slice(&self.open(sealed, aad)?).map_err(|_| CryptoError::Malformed)
    }

    /// Whether a value was sealed with another key than the current one (rotation re-seals it).
    pub fn is_stale(&self, sealed: &[u8]) -> bool {
        Self::key_id_of(sealed).is_ok_and(|id| id != self.current_id())
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let tmp = path.with_extension("tmp");
    let mut file = options.open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(entries: &[&str]) -> Keyring {
        let text: Vec<String> = entries
            .iter()
            .map(|id| Keyring::new_entry(id).expect("entry"))
            .collect();
        Keyring::parse(&text.join(",")).expect("ring")
    }

    #[test]
    fn sealed_value_is_not_the_plaintext_and_opens_again() {
        let keys = ring(&["k1"]);
        let plain = "ضغط مرتفع منذ سنتين".as_bytes();
        let sealed = keys.seal(plain, "attachment:1");
        assert!(!sealed.windows(plain.len()).any(|w| w == plain));
        assert_eq!(keys.open(&sealed, "attachment:1").expect("opens"), plain);
        // A fresh nonce each time: the same text seals differently.
        assert_ne!(sealed, keys.seal(plain, "attachment:1"));
    }

    #[test]
    fn wrong_key_other_place_or_altered_bytes_fail_cleanly() {
        let keys = ring(&["k1"]);
        let sealed = keys.seal(b"lab report", "attachment:1");
        let other = ring(&["k1"]);
        assert_eq!(
            other.open(&sealed, "attachment:1"),
            Err(CryptoError::DoesNotOpen("k1".into()))
        );
        assert_eq!(
            keys.open(&sealed, "attachment:2"),
            Err(CryptoError::DoesNotOpen("k1".into()))
        );
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(keys.open(&altered, "attachment:1").is_err());
        assert_eq!(
            ring(&["k2"]).open(&sealed, "attachment:1"),
            Err(CryptoError::UnknownKey("k1".into()))
        );
        assert_eq!(
            keys.open(b"plain", "attachment:1"),
            Err(CryptoError::Malformed)
        );
        assert_eq!(
            keys.open(b"MK1\x02k1", "attachment:1"),
            Err(CryptoError::Malformed)
        );
    }

    #[test]
    fn a_new_first_key_seals_and_old_values_still_open() {
        let old = Keyring::new_entry("k1").expect("entry");
        let before = Keyring::parse(&old).expect("ring");
        let sealed = before.seal(b"x-ray", "a");
        let after =
            Keyring::parse(&format!("{},{old}", Keyring::new_entry("k2").expect("e"))).expect("r");
        assert_eq!(after.current_id(), "k2");
        assert!(after.is_stale(&sealed));
        assert_eq!(after.open(&sealed, "a").expect("opens"), b"x-ray");
        let resealed = after.seal(&after.open(&sealed, "a").expect("opens"), "a");
        assert_eq!(Keyring::key_id_of(&resealed), Ok("k2"));
        assert!(!after.is_stale(&resealed));
    }

    #[test]
    fn bad_configuration_is_refused() {
        for text in [
            "",
            "k1",
            "k1:not base64!",
            "k1:AAAA",
            "bad id:AAAA",
            &format!(
                "{},{}",
                Keyring::new_entry("k1").expect("e"),
                Keyring::new_entry("k1").expect("e")
            ),
        ] {
            assert!(
                matches!(Keyring::parse(text), Err(CryptoError::Config(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_blind_index_is_stable_keyed_and_needs_its_key() {
        let ring = Keyring::parse(&Keyring::new_config("k1").expect("config")).expect("ring");
        let a = ring
            .blind_index("national-id", "1000000016")
            .expect("index");
        assert_eq!(
            a,
            ring.blind_index("national-id", "1000000016")
                .expect("again")
        );
        assert_eq!(a.len(), 32);
        assert_ne!(
            a,
            ring.blind_index("national-id", "1000000024")
                .expect("other")
        );
        assert_ne!(a, ring.blind_index("phone", "1000000016").expect("kind"));
        let other = Keyring::parse(&Keyring::new_config("k1").expect("config")).expect("ring");
        assert_ne!(
            a,
            other.blind_index("national-id", "1000000016").expect("key")
        );
        let no_index = ring_without_index();
        assert!(matches!(
            no_index.blind_index("national-id", "1000000016"),
            Err(CryptoError::Config(_))
        ));
        // The index entry is not a data key: it never seals.
        assert_eq!(ring.current_id(), "k1");
        let two = format!(
            "{},{},{}",
            Keyring::new_entry("k1").expect("e"),
            Keyring::new_entry(INDEX_ID).expect("e"),
            Keyring::new_entry(INDEX_ID).expect("e")
        );
        assert!(matches!(Keyring::parse(&two), Err(CryptoError::Config(_))));
    }

    fn ring_without_index() -> Keyring {
        ring(&["k1"])
    }

    #[test]
    fn key_file_is_private_and_rotates() {
        let dir = std::env::temp_dir().join(format!("mueen-keys-{}", uuid::Uuid::new_v4()));
        let first = Keyring::from_key_file(&dir).expect("created");
        assert_eq!(first.current_id(), "k1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("data-keys"))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sealed = first.seal(b"scan", "a");
        let index = first
            .blind_index("national-id", "1000000016")
            .expect("index");
        assert_eq!(Keyring::rotate_key_file(&dir).expect("rotated"), "k2");
        let second = Keyring::from_key_file(&dir).expect("read");
        assert_eq!(second.current_id(), "k2");
        // The blind index survives a rotation of the data keys.
        assert_eq!(
            second
                .blind_index("national-id", "1000000016")
                .expect("index"),
            index
        );
        assert_eq!(second.open(&sealed, "a").expect("opens"), b"scan");
        std::fs::remove_dir_all(&dir).ok();
    }
}
