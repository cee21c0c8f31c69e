//! Tells the page cache that something behind a kept page may have changed, so a kept page can
//! be served without asking the database on every request.
//!
//! Two sources move the count: the database's notices (`mueen_changes`, sent on commit by the
//! triggers of `migrations/20261206000003_change_notices.sql` whenever a schedule or a doctor's
//! bookings move, whoever wrote them: this server, another replica, or SQL by hand), and every
//! request that can write passing through this server (`PageCache::serve`), so this server's own
//! writes count before their answer leaves. While no listener is connected the count is not
//! trusted at all and every kept page is checked against the database, as before.

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The channel the triggers notify.
pub const CHANNEL: &str = "mueen_changes";
/// How long to wait before listening again after the connection failed.
const RETRY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct ChangeFeed {
    count: AtomicU64,
    listening: AtomicBool,
}

impl ChangeFeed {
    /// Changes seen so far; compare two readings to know whether anything moved between them.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }

    /// Whether notices are arriving; while not, the count may miss changes.
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// Something may have changed.
    pub fn changed(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    /// Marks the feed deaf, then counts a change: nothing read before is trusted afterwards.
    fn lost(&self) {
        self.listening.store(false, Ordering::Release);
        self.changed();
    }

    /// Listens for the database's notices until the pool is closed.
    pub fn spawn(self: &Arc<Self>, pool: PgPool) -> tokio::task::JoinHandle<()> {
        let feed = self.clone();
        tokio::spawn(async move { feed.listen(pool).await })
    }

    async fn listen(&self, pool: PgPool) {
        loop {
            if pool.is_closed() {
                return;
            }
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(e) => {
                    tracing::warn!(error = %e, "change notices: cannot connect; retrying");
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "change notices: LISTEN failed; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
            // Anything kept before this point was checked without notices: count a change.
            self.changed();
            self.listening.store(true, Ordering::Release);
            loop {
                match listener.try_recv().await {
                    Ok(Some(_)) => self.changed(),
                    // The connection dropped: notices sent meanwhile are gone.
                    Ok(None) => {
                        self.lost();
                        tracing::warn!("change notices: connection lost; listening again");
                        break;
                    }
                    Err(sqlx::Error::PoolClosed) => {
                        self.lost();
                        return;
                    }
                    Err(e) => {
                        self.lost();
                        tracing::warn!(error = %e, "change notices: receive failed; retrying");
                        tokio::time::sleep(RETRY).await;
                        break;
                    }
                }
            }
        }
    }

    /// Waits until the feed is listening (tests and start-up checks); false after `within`.
    pub async fn ready(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while !self.listening() {
            if tokio::time::Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_not_trusted_and_counts_as_a_change() {
        let feed = ChangeFeed::default();
        assert!(!feed.listening(), "deaf until a listener runs");
        feed.listening.store(true, Ordering::Release);
        let before = feed.count();
        feed.changed();
        assert_eq!(feed.count(), before + 1);
        feed.lost();
        assert!(!feed.listening());
        assert_eq!(feed.count(), before + 2);
    }
}
