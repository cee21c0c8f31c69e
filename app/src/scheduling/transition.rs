//! Writing a decided status change: the row, the waitlist entry it settles, the outbox event
//! and the audit row. Booking and the waitlist both end here.

use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::auth::CurrentUser;
use crate::kernel::service_error::ServiceError;
use crate::scheduling::domain::appointment::{Action, Status};
use std::net::IpAddr;
use uuid::Uuid;

/// Writes a decided transition: the row, the waitlist entry it settles, the outbox and the audit.
#[allow(clippy::too_many_arguments)]
pub async fn record_transition(
    tx: &mut sqlx::PgConnection,
    actor: Option<&CurrentUser>,
    ip: Option<IpAddr>,
    id: Uuid,
    locked: &crate::scheduling::db::schedule::Locked,
    action: Action,
    next: Status,
    reason: Option<&str>,
) -> Result<(), ServiceError> {
    crate::scheduling::db::schedule::set_status(&mut *tx, id, next, reason).await?;
    if let Some(entry) = locked.waitlist_entry_id {
        let entry_status = match action {
            Action::AcceptOffer => Some("booked"),
            Action::DeclineOffer | Action::ExpireOffer => Some("waiting"),
            _ => None,
        };
        if let Some(status) = entry_status {
            crate::scheduling::db::waitlist::set_entry_status(&mut *tx, entry, status).await?;
        }
    }
    let payload = serde_json::json!({ "from": locked.status, "to": next, "reason": reason });
    crate::scheduling::db::schedule::record_event(&mut *tx, id, action.event(), payload.clone())
        .await?;
    if action == Action::AcceptOffer {
        let created = serde_json::json!({
            "doctor_id": locked.doctor_id,
            "patient_id": locked.patient_id,
            "start": locked.start.to_string(),
            "via": "waitlist",
        });
        crate::scheduling::db::schedule::record_event(&mut *tx, id, "appointment.created", created)
            .await?;
    }
    let mut entry = AuditEntry::new("appointment.status", Outcome::Success)
        .subject("appointment", id)
        .ip(ip)
        .details(payload);
    if let Some(actor) = actor {
        entry = entry.actor(actor.id, actor.role);
    }
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    Ok(())
}
