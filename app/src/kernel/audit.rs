use crate::kernel::db::DbError;
use crate::kernel::values::Role;
use sqlx::PgExecutor;
use std::net::IpAddr;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One row of the append-only audit log: who did what to which record, from where, and how it ended.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<Role>,
    pub action: &'static str,
    pub subject_type: Option<&'static str>,
    pub subject_id: Option<String>,
    pub ip: Option<IpAddr>,
    pub outcome: Outcome,
    pub details: serde_json::Value,
}

impl AuditEntry {
    pub fn new(action: &'static str, outcome: Outcome) -> Self {
        Self {
            actor_id: None,
            actor_role: None,
            action,
            subject_type: None,
            subject_id: None,
            ip: None,
            outcome,
            details: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn actor(mut self, id: Uuid, role: Role) -> Self {
        self.actor_id = Some(id);
        self.actor_role = Some(role);
        self
    }

    pub fn subject(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.subject_type = Some(kind);
        self.subject_id = Some(id.to_string());
        self
    }

    pub fn ip(mut self, ip: Option<IpAddr>) -> Self {
        self.ip = ip;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

pub async fn record(db: impl PgExecutor<'_>, entry: &AuditEntry) -> Result<(), DbError> {
    sqlx::query!(
        r#"INSERT INTO audit_log (actor_id, actor_role, action, subject_type, subject_id, ip, outcome, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        entry.actor_id,
        entry.actor_role as Option<Role>,
        entry.action,
        entry.subject_type,
        entry.subject_id,
        entry.ip.map(sqlx::types::ipnetwork::IpNetwork::from),
        entry.outcome.as_str(),
        entry.details,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A value as the `details` of an audit row.
pub fn details(
    value: &impl serde::Serialize,
) -> Result<serde_json::Value, crate::kernel::error::AppError> {
    serde_json::to_value(value).map_err(|e| crate::kernel::error::internal("audit details", e))
}
