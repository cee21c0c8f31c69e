//! The policy's checks that need the database, and the audit of every read of patient data.

use super::db::OpenGrant;
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
    /// The audit row; a read let in by break-glass carries the grant and its stated reason.
    fn entry(&self, outcome: Outcome, grant: Option<&OpenGrant>) -> AuditEntry {
        let details = match grant {
            None => serde_json::json!({ "patient_id": self.patient_id }),
            Some(g) => serde_json::json!({
                "patient_id": self.patient_id,
                "break_glass": { "grant_id": g.id, "reason": g.reason },
            }),
        };
        AuditEntry::new(self.action, outcome)
            .actor(self.user.id, self.user.role)
            .subject(self.subject.0, self.subject.1)
            .ip(self.ip)
            .details(details)
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
    finish_with(db, read, allowed, None).await
}

async fn finish_with(
    db: &mut PgConnection,
    read: Read<'_>,
    allowed: bool,
    grant: Option<&OpenGrant>,
) -> Result<(), AppError> {
    let outcome = if allowed {
        Outcome::Success
    } else {
        Outcome::Denied
    };
    audit::record(&mut *db, &read.entry(outcome, grant)).await?;
    if allowed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// How a doctor stands to a patient's chart.
#[derive(Debug, Clone)]
pub enum ChartRelation {
    /// The doctor has or had an appointment with the patient.
    Treats,
    /// No care relationship, but an open break-glass grant.
    BreakGlass(OpenGrant),
    /// Neither: the chart opens only after the doctor states a reason.
    None,
}

/// Where `doctor_id` stands to `patient_id`'s chart (no audit row: the read that follows
/// writes it).
pub async fn chart_relation(
    db: &mut PgConnection,
    doctor_id: Uuid,
    patient_id: Uuid,
) -> Result<ChartRelation, AppError> {
    if super::db::treats(&mut *db, doctor_id, patient_id).await? {
        return Ok(ChartRelation::Treats);
    }
    Ok(
        match super::db::open_grant(&mut *db, doctor_id, patient_id).await? {
            Some(grant) => ChartRelation::BreakGlass(grant),
            None => ChartRelation::None,
        },
    )
}

/// Lets `read` of a patient's clinical record through, or answers `NotFound`: a doctor who
/// treats or treated the patient or holds an open break-glass grant on the chart (the audit
/// row then carries the grant's reason), or the patient and their guardian when the item is
/// one shown to patients (`for_patients`: a signed note, not a draft). Reception and admins
/// reach demographics and appointments, never notes. Both outcomes are audited.
pub async fn read_chart(
    db: &mut PgConnection,
    read: Read<'_>,
    for_patients: bool,
) -> Result<(), AppError> {
    let (allowed, grant) = match read.user.role {
        Role::Doctor => match chart_relation(&mut *db, read.user.id, read.patient_id).await? {
            ChartRelation::Treats => (true, None),
            ChartRelation::BreakGlass(grant) => (true, Some(grant)),
            ChartRelation::None => (false, None),
        },
        Role::Patient => (
            for_patients && super::db::may_act_for(&mut *db, read.user.id, read.patient_id).await?,
            None,
        ),
        Role::Receptionist | Role::Admin => (false, None),
    };
    finish_with(db, read, allowed, grant.as_ref()).await
}
