//! argon2id password hashing: off the async workers, and bounded, so a flood of log-ins or
//! registrations cannot exhaust memory (19 MiB a hash) or the cores. One gate per app state.

use crate::kernel::error::AppError;
use crate::kernel::values::Password;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::{sync::LazyLock, time::Duration};
use tokio::sync::{Semaphore, SemaphorePermit};

/// OWASP's argon2id recommendation: 19 MiB, two passes, one lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Admission to argon2: at most `running` hashes at once (19 MiB and tens of milliseconds of
/// CPU each), at most `waiting` more in line for up to `wait`; anyone beyond that is told the
/// server is busy (503 with Retry-After) instead of piling up memory and CPU.
pub struct HashGate {
    admitted: Semaphore,
    running: Semaphore,
    wait: Duration,
}

/// Both places a hash holds while it runs.
pub struct HashTurn<'a> {
    _admitted: SemaphorePermit<'a>,
    _running: SemaphorePermit<'a>,
}

impl HashGate {
    pub fn new(running: usize, waiting: usize, wait: Duration) -> Self {
        Self {
            admitted: Semaphore::new(running + waiting),
            running: Semaphore::new(running),
            wait,
        }
    }

    pub async fn enter(&self) -> Result<HashTurn<'_>, AppError> {
        let admitted = self.admitted.try_acquire().map_err(|_| AppError::Busy)?;
        let running = tokio::time::timeout(self.wait, self.running.acquire())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        Ok(HashTurn {
            _admitted: admitted,
            _running: running,
        })
    }
}

impl HashGate {
    /// One hash per core, four more per core waiting at most two seconds.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashGate::new(cores, cores * 4, Duration::from_secs(2))
    }

    /// Hashing costs tens of milliseconds of CPU: keep it off the async workers, and bounded.
    pub async fn hash(&self, password: Password) -> Result<String, AppError> {
        let _turn = self.enter().await?;
        hash_password(password).await
    }

    /// Whether `candidate` matches `hash`; with no hash (no such account) a dummy is compared,
    /// so a miss takes as long as a wrong password.
    pub async fn verify(&self, candidate: String, hash: Option<String>) -> Result<bool, AppError> {
        let _turn = self.enter().await?;
        verify_password(candidate, hash).await
    }
}

async fn hash_password(password: Password) -> Result<String, AppError> {
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

async fn verify_password(candidate: String, hash: Option<String>) -> Result<bool, AppError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_running_and_waiting_places_the_answer_is_busy() {
        let gate = HashGate::new(1, 1, Duration::from_millis(50));
        let first = gate.enter().await.expect("a free place");
        // The second waits for the running place and gives up after `wait`.
        assert_eq!(gate.enter().await.err(), Some(AppError::Busy));
        // Two in line at once: the queue holds one, the other is refused without waiting.
        let waiting = gate.enter();
        let refused = gate.enter();
        let (waiting, refused) = tokio::join!(waiting, refused);
        assert_eq!(refused.err(), Some(AppError::Busy));
        assert_eq!(waiting.err(), Some(AppError::Busy));
        drop(first);
        assert!(
            gate.enter().await.is_ok(),
            "free again once the hash is done"
        );
    }
}
