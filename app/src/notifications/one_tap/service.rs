//! Issuing and using one-tap tokens. A token works once, until its visit begins, for the one
//! appointment and action it names, acting as the person the message went to: a cancellation
//! goes through the same rules as one from the patient's own page (the clinic's cut-off, the
//! access policy, the waitlist offered the freed time), and every use or refused use is
//! audited.

use crate::kernel::audit::{self, AuditEntry, Outcome};
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::notifications::one_tap::db;
use crate::notifications::one_tap::token::{
    decode, encode, same_mac, TapAction, TapState, MAC_LEN,
};
use crate::scheduling::domain::appointment::Action;
use crate::scheduling::model::AppointmentView;
use jiff::Timestamp;
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// The HMAC domain of one-tap links (the key is the server's index key).
const MAC_KIND: &str = "one-tap";
/// What a cancellation by link records as its reason.
const CANCEL_REASON: &str = "cancelled from a message link";

fn mac_of(keys: &Keyring, id: Uuid) -> Result<Vec<u8>, ServiceError> {
    keys.blind_index(MAC_KIND, &id.to_string())
        .map_err(|e| crate::kernel::error::internal("one-tap key", e).into())
}

/// The same id for the same message and action, so a message sent again keeps its link.
pub fn token_id(message_id: Uuid, action: TapAction) -> Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(message_id.as_bytes())
        .chain_update(action.code().as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The token for `action` on the appointment a message is about; valid until `expires_at`.
pub async fn issue(
    pool: &PgPool,
    keys: &Keyring,
    message_id: Uuid,
    appointment_id: Uuid,
    user_id: Uuid,
    action: TapAction,
    expires_at: Timestamp,
) -> Result<String, ServiceError> {
    let id = token_id(message_id, action);
    db::add(pool, id, appointment_id, user_id, action, expires_at).await?;
    Ok(encode(id, &mac_of(keys, id)?))
}

/// The token's id when its MAC is right; a made-up or mangled link is simply not found.
fn verified(keys: &Keyring, text: &str) -> Result<Uuid, ServiceError> {
    let (id, claimed) = decode(text).ok_or(AppError::NotFound)?;
    let mac = mac_of(keys, id)?;
    if !same_mac(&claimed, &mac[..MAC_LEN]) {
        return Err(AppError::NotFound.into());
    }
    Ok(id)
}

async fn refused(pool: &PgPool, ip: Option<IpAddr>, subject: Option<Uuid>, why: &str) {
    let mut entry = AuditEntry::new("one_tap.refused", Outcome::Denied)
        .ip(ip)
        .details(serde_json::json!({ "why": why }));
    if let Some(id) = subject {
        entry = entry.subject("appointment", id);
    }
    if let Err(err) = audit::record(pool, &entry).await {
        tracing::error!(error = ?err, "auditing a refused one-tap use failed");
    }
}

/// What the link's page shows: the action, the visit, and whether the link still works.
pub async fn look(
    pool: &PgPool,
    keys: &Keyring,
    text: &str,
    now: Timestamp,
) -> Result<(TapAction, AppointmentView, TapState), ServiceError> {
    let id = verified(keys, text)?;
    let row = db::find(pool, id).await?.ok_or(AppError::NotFound)?;
    let action = TapAction::from_code(&row.action).ok_or(AppError::NotFound)?;
    let visit = crate::scheduling::db::schedule::appointment(pool, row.appointment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let state = if row.used_at.is_some() {
        TapState::Used
    } else if row.expires_at <= now {
        TapState::Expired
    } else {
        TapState::Ready
    };
    Ok((action, visit, state))
}

/// Uses the token: confirms attendance or cancels the visit. Refusals are the user's answer
/// (`err-tap-used`, `err-tap-expired`, `err-cancel-too-late`, `err-tap-not-booked`).
pub async fn redeem(
    pool: &PgPool,
    keys: &Keyring,
    text: &str,
    ip: Option<IpAddr>,
    now: Timestamp,
) -> Result<TapAction, ServiceError> {
    let id = match verified(keys, text) {
        Ok(id) => id,
        Err(err) => {
            refused(pool, ip, None, "forged or mangled link").await;
            return Err(err);
        }
    };
    let result = redeem_verified(pool, id, ip, now).await;
    if let Err(ServiceError::Refused(AppError::Rule(key))) = &result {
        let appointment = db::find(pool, id)
            .await
            .ok()
            .flatten()
            .map(|r| r.appointment_id);
        refused(pool, ip, appointment, key).await;
    }
    result
}

async fn redeem_verified(
    pool: &PgPool,
    id: Uuid,
    ip: Option<IpAddr>,
    now: Timestamp,
) -> Result<TapAction, ServiceError> {
    let mut tx = pool.begin().await?;
    let row = db::find(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    let action = TapAction::from_code(&row.action).ok_or(AppError::NotFound)?;
    if row.used_at.is_some() {
        return Err(AppError::Rule("err-tap-used".into()).into());
    }
    if row.expires_at <= now {
        return Err(AppError::Rule("err-tap-expired".into()).into());
    }
    // Two taps at once: only one marks it used; the other is told it was.
    if !db::use_once(&mut *tx, id).await? {
        return Err(AppError::Rule("err-tap-used".into()).into());
    }
    let actor = crate::kernel::auth::db::active_user_by_id(&mut *tx, row.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match action {
        TapAction::Confirm => {
            if !db::confirm_attendance(&mut *tx, row.appointment_id).await? {
                return Err(AppError::Rule("err-tap-not-booked".into()).into());
            }
            audit::record(
                &mut *tx,
                &AuditEntry::new("appointment.attendance_confirmed", Outcome::Success)
                    .actor(actor.id, actor.role)
                    .subject("appointment", row.appointment_id)
                    .ip(ip)
                    .details(serde_json::json!({ "via": "one_tap" })),
            )
            .await?;
        }
        TapAction::Cancel => {
            let next = crate::scheduling::booking::apply_status(
                &mut tx,
                &actor,
                ip,
                row.appointment_id,
                Action::Cancel,
                Some(CANCEL_REASON),
                now,
            )
            .await
            .map_err(|err| match err {
                // A visit already cancelled, begun or over: said plainly, not as a rule name.
                ServiceError::Refused(AppError::Rule(key))
                    if key == "err-appt-illegal-transition" =>
                {
                    ServiceError::Refused(AppError::Rule("err-tap-not-booked".into()))
                }
                other => other,
            })?;
            if next == crate::scheduling::domain::appointment::Status::Cancelled {
                crate::scheduling::waitlist::offer_freed(&mut tx, row.appointment_id, now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(action)
}
