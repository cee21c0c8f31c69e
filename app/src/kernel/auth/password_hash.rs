//! argon2id password hashing, off the async workers.

use crate::kernel::error::AppError;
use crate::kernel::values::Password;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::sync::LazyLock;

/// OWASP's argon2id recommendation: 19 MiB, two passes, one lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashing costs tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_password(password: Password) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| crate::kernel::error::internal("hash task", e))?
    .map_err(|e| crate::kernel::error::internal("hash", e))
}

/// Compared against when no account matches, so a miss takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(b"no-such-account-placeholder", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

pub async fn verify_password(candidate: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        argon2()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| crate::kernel::error::internal("verify task", e))
}
