//! Listens for the database's notices and moves the counts that what this server keeps in
//! memory is checked against (`app::kernel::changes::ChangeCount`):
//!
//! - `mueen_changes` (`migrations/20261206000003_change_notices.sql`): a schedule or a doctor's
//!   bookings moved, whoever wrote them (this server, another replica, SQL by hand); the page
//!   cache's count. Every request that can write passing through this server moves it too
//!   (`PageCache::serve`), so this server's own writes count before their answer leaves.
//! - `mueen_accounts` (`migrations/20261207000001_account_notices.sql`): a device's session was
//!   ended, or an account changed; the count the devices known to be logged in are checked
//!   against (`app::kernel::auth::known`).
//!
//! While no listener is connected neither count is trusted, and everything is checked against
//! the database, as without a feed.

use app::kernel::changes::ChangeCount;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// The channel the schedule and booking triggers notify.
pub const CHANNEL: &str = "mueen_changes";
/// The channel the account and device triggers notify.
pub const ACCOUNTS_CHANNEL: &str = "mueen_accounts";
/// How long to wait before listening again after the connection failed.
const RETRY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct ChangeFeed {
    /// Schedules and bookings; shared with `page_cache::PageCache`.
    pub pages: Arc<ChangeCount>,
    /// Sessions and accounts; shared with `app::kernel::auth::known::KnownDevices`.
    pub accounts: Arc<ChangeCount>,
}

impl ChangeFeed {
    fn heard(&self) {
        self.pages.heard();
        self.accounts.heard();
    }

    fn lost(&self) {
        self.pages.lost();
        self.accounts.lost();
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
            if let Err(e) = listener.listen_all([CHANNEL, ACCOUNTS_CHANNEL]).await {
                tracing::warn!(error = %e, "change notices: LISTEN failed; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
            self.heard();
            loop {
                match listener.try_recv().await {
                    Ok(Some(notice)) if notice.channel() == ACCOUNTS_CHANNEL => {
                        self.accounts.changed()
                    }
                    Ok(Some(_)) => self.pages.changed(),
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
    /// Both counts start and stop listening together.
    pub async fn ready(&self, within: Duration) -> bool {
        self.pages.ready(within).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_not_trusted_by_either_count() {
        let feed = ChangeFeed::default();
        assert!(!feed.pages.listening(), "deaf until a listener runs");
        feed.heard();
        let pages = feed.pages.stamp().expect("listening");
        let accounts = feed.accounts.stamp().expect("listening");
        feed.lost();
        assert!(!feed.pages.listening());
        assert!(!feed.accounts.listening());
        assert!(!feed.pages.holds(pages));
        assert!(!feed.accounts.holds(accounts));
    }
}
