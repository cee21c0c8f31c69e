//! Which user a logged-in device belongs to, kept in process for a moment. Every page a
//! logged-in user opens asks it (the account still active, the device's session not ended
//! elsewhere), and the answer almost never changes; asking the database each time was the one
//! query every logged-in page made.
//!
//! An answer is trusted only while the account notices' count (`kernel::changes`) has not
//! moved since before it was read, and for at most `TRUST_FOR`. The database notifies every
//! server when a session is ended or an account changes (`migrations/…_account_notices.sql`);
//! this server's own such writes move the count before they answer (`RequestCtx::end_session`,
//! `accounts_changed`). So a log-out elsewhere reaches this server within the notice's
//! delivery, and even a lost notice within `TRUST_FOR`; while no notices arrive, nothing is
//! kept and every request asks the database, as before.

use crate::kernel::auth::CurrentUser;
use crate::kernel::changes::ChangeCount;
use crate::kernel::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// The longest an answer is used without asking again, whatever the notices say.
const TRUST_FOR: Duration = Duration::from_secs(2);
/// Bounds the memory: a few hundred bytes per device.
const MAX_KEPT: u64 = 50_000;

pub struct KnownDevices {
    changes: Arc<ChangeCount>,
    kept: moka::sync::Cache<Uuid, Arc<Known>>,
}

struct Known {
    user: CurrentUser,
    /// The count before the answer was read.
    stamp: u64,
}

impl KnownDevices {
    /// Answers trusted against `changes`, the count the account notices move.
    pub fn new(changes: Arc<ChangeCount>) -> Self {
        Self {
            changes,
            kept: moka::sync::Cache::builder()
                .max_capacity(MAX_KEPT)
                .time_to_live(TRUST_FOR)
                .build(),
        }
    }

    /// The server's, when it registered one (`server::build_router`).
    pub fn of(state: &AppState) -> Option<&Arc<Self>> {
        state.feature::<Arc<Self>>()
    }

    /// The user `device` was found to belong to, if that was `user_id` and nothing has
    /// changed since.
    pub fn get(&self, user_id: Uuid, device: Uuid) -> Option<CurrentUser> {
        let known = self.kept.get(&device)?;
        (known.user.id == user_id && self.changes.holds(known.stamp)).then(|| known.user.clone())
    }

    /// What to file an answer under, taken before asking the database; `None` when nothing
    /// may be kept (no notices arriving).
    pub fn stamp(&self) -> Option<u64> {
        self.changes.stamp()
    }

    /// Keeps `user` as the answer for `device`, read after `stamp` was taken.
    pub fn keep(&self, device: Uuid, user: &CurrentUser, stamp: u64) {
        // Checked again on every `get`; this only avoids keeping what is already stale.
        if self.changes.holds(stamp) {
            self.kept.insert(
                device,
                Arc::new(Known {
                    user: user.clone(),
                    stamp,
                }),
            );
        }
    }

    /// This server ended a session or changed an account: nothing known before is trusted.
    pub fn changed(&self) {
        self.changes.changed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::values::Role;

    fn patient() -> CurrentUser {
        CurrentUser {
            id: Uuid::new_v4(),
            role: Role::Patient,
            short_name: "سارة".into(),
            latin_name: None,
        }
    }

    fn listening() -> KnownDevices {
        let changes = Arc::new(ChangeCount::default());
        changes.heard();
        KnownDevices::new(changes)
    }

    #[test]
    fn an_answer_is_used_for_its_device_and_user_until_anything_changes() {
        let known = listening();
        let (user, device) = (patient(), Uuid::new_v4());
        let stamp = known.stamp().expect("listening");
        known.keep(device, &user, stamp);
        assert_eq!(known.get(user.id, device), Some(user.clone()));
        assert_eq!(known.get(Uuid::new_v4(), device), None, "another user's id");
        assert_eq!(known.get(user.id, Uuid::new_v4()), None, "another device");
        known.changed();
        assert_eq!(
            known.get(user.id, device),
            None,
            "a change since it was read"
        );
    }

    #[test]
    fn an_answer_read_across_a_change_is_not_kept() {
        let known = listening();
        let (user, device) = (patient(), Uuid::new_v4());
        let stamp = known.stamp().expect("listening");
        // The session is ended while the answer is being read.
        known.changed();
        known.keep(device, &user, stamp);
        assert_eq!(known.get(user.id, device), None);
    }

    #[test]
    fn nothing_is_kept_while_no_notices_arrive() {
        let known = KnownDevices::new(Arc::new(ChangeCount::default()));
        assert_eq!(known.stamp(), None);
    }
}
