//! Files in the chart. An upload is checked (the consultation is the doctor's, the bytes are a
//! PDF or an image within the size limit), sealed with the current data key, put in object
//! storage, and only then recorded with its audit row; a download goes through the access
//! policy (audited), is opened with the key it names and compared with the digest taken at
//! upload. A store that is down fails the one request with a clear answer and changes nothing.

use crate::kernel::access::{read_chart, Read};
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::auth::CurrentUser;
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::storage::{ObjectStore, StorageError};
use crate::kernel::values::Role;
use crate::records::db::attachments::{self as att_db, AttachmentRow, NewAttachment};
use crate::records::domain::attachment::{check_file, AttachmentInfo, FileType};
use crate::records::model::AttachmentView;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

/// Where files go and the keys that seal them, registered in the app state by the server.
#[derive(Clone)]
pub struct Vault {
    pub store: Arc<ObjectStore>,
    pub keys: Arc<Keyring>,
    pub max_bytes: usize,
}

impl Vault {
    pub fn of(state: &AppState) -> Result<Vault, ServiceError> {
        state
            .feature::<Vault>()
            .cloned()
            .ok_or_else(|| ServiceError::failed("attachments", "no file store in the app state"))
    }
}

/// The additional data a sealed file is bound to: its own row.
fn aad(id: Uuid) -> String {
    format!("attachment:{id}")
}

fn storage_down(err: StorageError) -> ServiceError {
    tracing::error!(error = %err, "object storage");
    AppError::StorageDown.into()
}

pub fn view(row: AttachmentRow) -> AttachmentView {
    AttachmentView {
        id: row.id,
        encounter_id: row.encounter_id,
        order_id: row.order_id,
        kind: row.kind,
        title: row.title,
        file_type: row.file_type,
        size_bytes: row.size_bytes,
        shared: row.shared_with_patient,
        created_at: row.created_at,
        uploaded_by: row.uploaded_by_name,
    }
}

/// The upload form's fields, as sent.
pub struct UploadForm<'a> {
    /// The order of this consultation the file reports on, if any.
    pub order_id: Option<Uuid>,
    pub kind: &'a str,
    pub title: &'a str,
    pub shared: bool,
    pub bytes: &'a [u8],
}

/// Adds a file to the doctor's own consultation (signed or not: results come after the visit).
pub async fn upload(
    pool: &PgPool,
    vault: &Vault,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    encounter_id: Uuid,
    form: &UploadForm<'_>,
) -> Result<Uuid, ServiceError> {
    if doctor.role != Role::Doctor {
        return Err(AppError::Forbidden.into());
    }
    let encounter = crate::records::db::head(pool, encounter_id)
        .await?
        .filter(|e| e.doctor_id == doctor.id)
        .ok_or(AppError::NotFound)?;
    if let Some(order) = form.order_id {
        crate::records::db::orders::head(pool, order)
            .await?
            .filter(|o| o.encounter_id == encounter_id)
            .ok_or(AppError::NotFound)?;
    }
    let bytes = form.bytes;
    let info = AttachmentInfo::parse(form.kind, form.title, form.shared);
    let mut errors = info.as_ref().err().cloned().unwrap_or_default();
    let file_type = check_file(bytes, vault.max_bytes)
        .map_err(|k| errors.push(("att_file", k)))
        .ok();
    let (Ok(info), Some(file_type), true) = (info, file_type, errors.is_empty()) else {
        return Err(super::fields(errors).into());
    };
    let id = Uuid::new_v4();
    let object_key = format!("attachments/{}/{id}", encounter.patient_id);
    let sealed = vault.keys.seal(bytes, &aad(id));
    vault
        .store
        .put(&object_key, sealed)
        .await
        .map_err(storage_down)?;
    let sha = Sha256::digest(bytes);
    let mut tx = pool.begin().await?;
    att_db::insert(
        &mut *tx,
        &NewAttachment {
            id,
            patient_id: encounter.patient_id,
            encounter_id: Some(encounter_id),
            order_id: form.order_id,
            uploaded_by: doctor.id,
            kind: info.kind,
            title: &info.title,
            file_type,
            // check_file bounds the size far below i32::MAX.
            size_bytes: i32::try_from(bytes.len()).unwrap_or(i32::MAX),
            sha256: sha.as_slice(),
            object_key: &object_key,
            key_id: vault.keys.current_id(),
            shared: info.shared,
        },
    )
    .await?;
    let entry = AuditEntry::new("attachment.uploaded", Outcome::Success)
        .actor(doctor.id, doctor.role)
        .subject("attachment", id)
        .ip(ip)
        .details(serde_json::json!({
            "patient_id": encounter.patient_id,
            "encounter_id": encounter_id,
            "order_id": form.order_id,
            "kind": info.kind.code(),
            "type": file_type.mime(),
            "bytes": bytes.len(),
            "shared": info.shared,
        }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// A file to send to its reader: its type, a file name, and the plain bytes.
pub struct Download {
    pub file_type: FileType,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The file for `user`: a doctor who treats the patient, or the patient (and guardian) when it
/// is shared with them; anyone else gets `NotFound`, audited as a refusal.
pub async fn download(
    pool: &PgPool,
    vault: &Vault,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
) -> Result<Download, ServiceError> {
    let mut db = pool.acquire().await?;
    let row = att_db::get(&mut *db, id).await?.ok_or(AppError::NotFound)?;
    let check = Read {
        user,
        ip,
        action: "attachment.read",
        subject: ("attachment", id),
        patient_id: row.patient_id,
    };
    read_chart(&mut db, check, row.shared_with_patient).await?;
    drop(db);
    let sealed = vault
        .store
        .get(&row.object_key)
        .await
        .map_err(|e| match e {
            StorageError::Missing(_) => ServiceError::failed("attachment download", e),
            other => storage_down(other),
        })?;
    let bytes = vault
        .keys
        .open(&sealed, &aad(id))
        .map_err(|e| ServiceError::failed("attachment decryption", e))?;
    if Sha256::digest(&bytes).as_slice() != row.sha256.as_slice() {
        return Err(ServiceError::failed(
            "attachment download",
            format!("attachment {id}: content does not match its digest"),
        ));
    }
    Ok(Download {
        file_type: row.file_type,
        file_name: format!(
            "{}-{}.{}",
            row.kind.code(),
            row.created_at.strftime("%Y%m%d"),
            row.file_type.extension()
        ),
        bytes,
    })
}

/// The patient's files for a reader already let into the chart: all of them for a doctor,
/// the shared ones for the patient.
pub async fn of_patient(
    db: &mut PgConnection,
    patient_id: Uuid,
    shared_only: bool,
) -> Result<Vec<AttachmentView>, ServiceError> {
    Ok(att_db::of_patient(&mut *db, patient_id, shared_only)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// Re-seals every file sealed with an older key with the current one; returns how many.
/// The object is rewritten before its row's `key_id`: a crash in between leaves a file that
/// still opens (the key is named inside the sealed bytes) and is simply re-sealed again on
/// the next run.
pub async fn reseal_all(pool: &PgPool, vault: &Vault) -> Result<usize, ServiceError> {
    let current = vault.keys.current_id().to_owned();
    let mut done = 0;
    loop {
        let batch = att_db::sealed_with_other_key(pool, &current, 100).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for (id, key) in batch {
            let sealed = vault.store.get(&key).await.map_err(storage_down)?;
            let plain = vault
                .keys
                .open(&sealed, &aad(id))
                .map_err(|e| ServiceError::failed("re-sealing an attachment", e))?;
            vault
                .store
                .put(&key, vault.keys.seal(&plain, &aad(id)))
                .await
                .map_err(storage_down)?;
            att_db::set_key(pool, id, &current).await?;
            done += 1;
        }
    }
}
