//! The policy's checks that need the database, and the audit of every read of patient data.

use super::{appointment_reader, status_change, Area, Permission, StatusChange};
use crate::kernel::{
    audit::{self, AuditEntry, Outcome},
    auth::{request::RequestCtx, CurrentUser},
    error::AppError,
    values::Role,
};
use sqlx::PgConnection;
use std::net::IpAddr;
use uuid::Uuid;

// Lives here rather than in `auth`, so the session code does not depend on the policy.
impl RequestCtx {
    /// The check every protected server function starts with: the caller is logged in and the
    /// access policy lets their role into `area`. Refusals are audited.
    pub async fn require(&self, area: Area) -> Result<CurrentUser, AppError> {
        let Some(user) = self.current_user().await? else {
            return Err(AppError::Unauthenticated);
        };
        if area.admits(user.role) {
            return Ok(user);
        }
        let entry = AuditEntry::new("access.denied", Outcome::Denied)
            .actor(user.id, user.role)
            .ip(self.ip)
            .details(serde_json::json!({ "path": self.path }));
        crate::kernel::audit::record(self.pool(), &entry).await?;
        Err(AppError::Forbidden)
    }
}

/// The two people an appointment is between.
#[derive(Debug, Clone, Copy)]
pub struct Parties {
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
}

async fn holds(
    db: &mut PgConnection,
    permission: Permission,
    user: &CurrentUser,
    parties: Parties,
) -> Result<bool, AppError> {
    Ok(match permission {
        Permission::Never => false,
        Permission::Always => true,
        Permission::IfTheirDoctor => parties.doctor_id == user.id,
        Permission::IfActsForPatient => {
            super::db::may_act_for(&mut *db, user.id, parties.patient_id).await?
        }
    })
}

/// Whether `user` may make `change` to an appointment between `parties`.
pub async fn may_change_status(
    db: &mut PgConnection,
    user: &CurrentUser,
    change: StatusChange,
    parties: Parties,
) -> Result<bool, AppError> {
    holds(db, status_change(user.role, change), user, parties).await
}

/// Whether `user` may see and book for `patient_id`: a patient for themselves or a family
/// member they added; staff for any patient.
pub async fn may_act_for(
    db: &mut PgConnection,
    user: &CurrentUser,
    patient_id: Uuid,
) -> Result<bool, AppError> {
    if user.role == Role::Patient {
        Ok(super::db::may_act_for(&mut *db, user.id, patient_id).await?)
    } else {
        Ok(super::db::is_patient(&mut *db, patient_id).await?)
    }
}

/// Whom a booking or a waitlist wish is for. A patient acts for themselves (empty) or a family
/// member they added; the desk must name the patient. Anyone else's id reads as missing.
pub async fn patient_for(
    db: &mut PgConnection,
    user: &CurrentUser,
    patient_id: &str,
) -> Result<Uuid, AppError> {
    let named = match patient_id.trim() {
        "" if user.role == Role::Patient => return Ok(user.id),
        "" => return Err(AppError::BadRequest),
        id => crate::kernel::error::record_id(id)?,
    };
    if may_act_for(db, user, named).await? {
        Ok(named)
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether `user` may see an appointment between `parties` at all (no audit row: for telling
/// a refusal apart from a missing appointment).
pub async fn may_read_appointment(
    db: &mut PgConnection,
    user: &CurrentUser,
    parties: Parties,
) -> Result<bool, AppError> {
    holds(db, appointment_reader(user.role), user, parties).await
}

/// A read of patient data about to be shown to `user`.
pub struct Read<'a> {
    pub user: &'a CurrentUser,
    pub ip: Option<IpAddr>,
    /// The audit action, e.g. `appointment.read`.
    pub action: &'static str,
    pub subject: (&'static str, Uuid),
    pub patient_id: Uuid,
}

impl Read<'_> {
    fn entry(&self, outcome: Outcome) -> AuditEntry {
        AuditEntry::new(self.action, outcome)
            .actor(self.user.id, self.user.role)
            .subject(self.subject.0, self.subject.1)
            .ip(self.ip)
            .details(serde_json::json!({ "patient_id": self.patient_id }))
    }
}

/// Lets `read` of an appointment between `parties` through, or answers `NotFound` (the caller
/// learns nothing of other people's visits). Both outcomes are audited.
pub async fn read_appointment(
    db: &mut PgConnection,
    read: Read<'_>,
    parties: Parties,
) -> Result<(), AppError> {
    let allowed = holds(db, appointment_reader(read.user.role), read.user, parties).await?;
    finish(db, read, allowed).await
}

/// Lets `read` of a patient's record through when the caller may act for the patient, or
/// answers `NotFound`. Both outcomes are audited.
pub async fn read_patient(db: &mut PgConnection, read: Read<'_>) -> Result<(), AppError> {
    let allowed = may_act_for(db, read.user, read.patient_id).await?;
    finish(db, read, allowed).await
}

async fn finish(db: &mut PgConnection, read: Read<'_>, allowed: bool) -> Result<(), AppError> {
    let outcome = if allowed {
        Outcome::Success
    } else {
        Outcome::Denied
    };
    audit::record(&mut *db, &read.entry(outcome)).await?;
    if allowed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Lets `read` of a patient's clinical record through, or answers `NotFound`: a doctor who
/// treats or treated the patient, or the patient and their guardian when the item is one
/// shown to patients (`for_patients`: a signed note, not a draft). Reception and admins reach
/// demographics and appointments, never notes. Both outcomes are audited.
pub async fn read_chart(
    db: &mut PgConnection,
    read: Read<'_>,
    for_patients: bool,
) -> Result<(), AppError> {
    let allowed = match read.user.role {
        Role::Doctor => super::db::treats(&mut *db, read.user.id, read.patient_id).await?,
        Role::Patient => {
            for_patients && super::db::may_act_for(&mut *db, read.user.id, read.patient_id).await?
        }
        Role::Receptionist | Role::Admin => false,
    };
    finish(db, read, allowed).await
}
