//! Attachments' SQL: the row that describes a stored file. Rows are kept for good (trigger
//! `attachments_kept`); only the sealing key and the patient's view may change.

use crate::kernel::db::{classify, to_ts, DbError};
use crate::records::domain::attachment::{AttachmentKind, FileType};
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub encounter_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub kind: AttachmentKind,
    pub title: String,
    pub file_type: FileType,
    pub size_bytes: i32,
    pub sha256: Vec<u8>,
    pub object_key: String,
    pub key_id: String,
    pub shared_with_patient: bool,
    pub created_at: Timestamp,
    pub uploaded_by_name: String,
}

pub struct NewAttachment<'a> {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub encounter_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub uploaded_by: Uuid,
    pub kind: AttachmentKind,
    pub title: &'a str,
    pub file_type: FileType,
    pub size_bytes: i32,
    pub sha256: &'a [u8],
    pub object_key: &'a str,
    pub key_id: &'a str,
    pub shared: bool,
}

pub async fn insert(db: impl PgExecutor<'_>, a: &NewAttachment<'_>) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO attachments (id, patient_id, encounter_id, uploaded_by, kind, title,
                content_type, size_bytes, sha256, object_key, key_id, shared_with_patient,
                order_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        a.id,
        a.patient_id,
        a.encounter_id,
        a.uploaded_by,
        a.kind.code(),
        a.title,
        a.file_type.mime(),
        a.size_bytes,
        a.sha256,
        a.object_key,
        a.key_id,
        a.shared,
        a.order_id,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

struct Raw {
    id: Uuid,
    patient_id: Uuid,
    encounter_id: Option<Uuid>,
    order_id: Option<Uuid>,
    kind: String,
    title: String,
    content_type: String,
    size_bytes: i32,
    sha256: Vec<u8>,
    object_key: String,
    key_id: String,
    shared_with_patient: bool,
    created_at: time::OffsetDateTime,
    uploaded_by_name: String,
}

impl Raw {
    /// A row whose kind or type the table's own checks would never let in is a broken
    /// database, not a user error.
    fn into_row(self) -> Result<AttachmentRow, DbError> {
        let broken = |what: &str| {
            DbError::Sqlx(sqlx::Error::Decode(
                format!("attachment {}: stored {what} is unknown", self.id).into(),
            ))
        };
        Ok(AttachmentRow {
            kind: AttachmentKind::parse(&self.kind).map_err(|_| broken("kind"))?,
            file_type: FileType::from_mime(&self.content_type).ok_or_else(|| broken("type"))?,
            id: self.id,
            patient_id: self.patient_id,
            encounter_id: self.encounter_id,
            order_id: self.order_id,
            title: self.title,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            object_key: self.object_key,
            key_id: self.key_id,
            shared_with_patient: self.shared_with_patient,
            created_at: to_ts(self.created_at),
            uploaded_by_name: self.uploaded_by_name,
        })
    }
}

pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<AttachmentRow>, DbError> {
    sqlx::query_as!(
        Raw,
        r#"SELECT a.id, a.patient_id, a.encounter_id, a.order_id, a.kind, a.title, a.content_type,
                  a.size_bytes, a.sha256, a.object_key, a.key_id, a.shared_with_patient,
                  a.created_at, u.first_name || ' ' || u.family_name AS "uploaded_by_name!"
           FROM attachments a JOIN users u ON u.id = a.uploaded_by
           WHERE a.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?
    .map(Raw::into_row)
    .transpose()
}

/// The patient's files, newest first; only those shared with the patient when `shared_only`.
pub async fn of_patient(
    db: impl PgExecutor<'_>,
    patient_id: Uuid,
    shared_only: bool,
) -> Result<Vec<AttachmentRow>, DbError> {
    sqlx::query_as!(
        Raw,
        r#"SELECT a.id, a.patient_id, a.encounter_id, a.order_id, a.kind, a.title, a.content_type,
                  a.size_bytes, a.sha256, a.object_key, a.key_id, a.shared_with_patient,
                  a.created_at, u.first_name || ' ' || u.family_name AS "uploaded_by_name!"
           FROM attachments a JOIN users u ON u.id = a.uploaded_by
           WHERE a.patient_id = $1 AND (a.shared_with_patient OR NOT $2)
           ORDER BY a.created_at DESC, a.id
           LIMIT 200"#,
        patient_id,
        shared_only
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(Raw::into_row)
    .collect()
}

/// Files sealed with another key than `current`, a batch at a time, for rotation.
pub async fn sealed_with_other_key(
    db: impl PgExecutor<'_>,
    current: &str,
    limit: i64,
) -> Result<Vec<(Uuid, String)>, DbError> {
    Ok(sqlx::query!(
        "SELECT id, object_key FROM attachments WHERE key_id <> $1 ORDER BY id LIMIT $2",
        current,
        limit
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.id, r.object_key))
    .collect())
}

pub async fn set_key(db: impl PgExecutor<'_>, id: Uuid, key_id: &str) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE attachments SET key_id = $2 WHERE id = $1",
        id,
        key_id
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}
