//! A count of changes announced by the database's notices, for what a server keeps in memory
//! between requests (kept pages, who a device belongs to). What was read at one count is
//! trusted only while the count is unchanged and notices are arriving; the server's listener
//! (`server::change_feed`) moves it, and so may this server's own writes, before they answer.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

#[derive(Default, Debug)]
pub struct ChangeCount {
    count: AtomicU64,
    listening: AtomicBool,
}

impl ChangeCount {
    /// Changes seen so far; compare two readings to know whether anything moved between them.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }

    /// Whether notices are arriving; while not, the count may miss changes.
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// The count to file a reading under, read before the reading; `None` while deaf, when
    /// nothing read may be kept.
    pub fn stamp(&self) -> Option<u64> {
        self.listening().then(|| self.count())
    }

    /// Whether something read at `stamp` is still current.
    pub fn holds(&self, stamp: u64) -> bool {
        self.listening() && self.count() == stamp
    }

    /// Something may have changed.
    pub fn changed(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    /// Notices arrive from now on; anything read before was read without them, so it counts
    /// as a change.
    pub fn heard(&self) {
        self.changed();
        self.listening.store(true, Ordering::Release);
    }

    /// Marks the count deaf, then counts a change: nothing read before is trusted afterwards.
    pub fn lost(&self) {
        self.listening.store(false, Ordering::Release);
        self.changed();
    }

    /// Waits until notices arrive (tests and start-up checks); false after `within`.
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
    fn nothing_read_while_deaf_or_before_a_change_is_trusted() {
        let count = ChangeCount::default();
        assert_eq!(count.stamp(), None, "deaf until a listener runs");
        count.heard();
        let stamp = count.stamp().expect("listening");
        assert!(count.holds(stamp));
        count.changed();
        assert!(!count.holds(stamp), "a change since the reading");
        let stamp = count.stamp().expect("listening");
        count.lost();
        assert!(!count.holds(stamp), "the connection was lost");
        assert_eq!(count.stamp(), None);
        count.heard();
        assert!(
            !count.holds(stamp),
            "heard again, but the gap may hide a change"
        );
    }
}
