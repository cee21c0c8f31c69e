//! The record's sealed free text: how a value is bound to its row (the associated data), how a
//! row's text is read back whether it was sealed or written before sealing began, and the SQL
//! that seals old rows and re-seals rows of an older key (migration 20261202000015).

use crate::kernel::crypto::Keyring;
use crate::kernel::db::{classify, DbError};
use crate::records::domain::note::Note;
use sqlx::PgExecutor;
use uuid::Uuid;

pub fn note_aad(encounter_id: Uuid) -> String {
    format!("encounter-note:{encounter_id}")
}

pub fn addendum_aad(id: Uuid) -> String {
    format!("addendum:{id}")
}

pub fn problem_aad(id: Uuid) -> String {
    format!("problem-note:{id}")
}

pub fn order_indication_aad(id: Uuid) -> String {
    format!("order-indication:{id}")
}

pub fn order_report_aad(id: Uuid) -> String {
    format!("order-report:{id}")
}

/// The note of an encounter row: its sealed value, or the plaintext of a row not sealed yet.
pub fn open_note(
    keys: &Keyring,
    encounter_id: Uuid,
    sealed: Option<&[u8]>,
    plain: impl FnOnce() -> Note,
) -> Result<Note, DbError> {
    match sealed {
        Some(value) => Ok(keys.open_json(value, &note_aad(encounter_id))?),
        None => Ok(plain()),
    }
}

/// A text column with its sealed twin, as above.
pub fn open_text(
    keys: &Keyring,
    aad: &str,
    sealed: Option<&[u8]>,
    plain: String,
) -> Result<String, DbError> {
    match sealed {
        Some(value) => Ok(keys.open_text(value, aad)?),
        None => Ok(plain),
    }
}

/// Which table a batch of sealing works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedTable {
    Encounters,
    Addenda,
    Problems,
    /// Orders' clinical questions and results' reports: sealed from their first day.
    OrderIndications,
    OrderReports,
}

/// One row's text as it is stored: sealed, or (before sealing) in the clear.
pub struct StoredText {
    pub id: Uuid,
    pub sealed: Option<Vec<u8>>,
    pub plain: StoredPlain,
}

pub enum StoredPlain {
    Note(Note),
    Text(String),
}

/// Up to `limit` rows whose text is still in the clear, locked for the caller's transaction.
pub async fn unsealed(
    db: &mut sqlx::PgConnection,
    table: SealedTable,
    limit: i64,
) -> Result<Vec<StoredText>, DbError> {
    Ok(match table {
        SealedTable::Encounters => sqlx::query!(
            "SELECT id, chief_complaint, history, examination, assessment, plan, patient_summary
             FROM encounters
             WHERE note_sealed IS NULL AND (chief_complaint <> '' OR history <> ''
                OR examination <> '' OR assessment <> '' OR plan <> '' OR patient_summary <> '')
             ORDER BY id LIMIT $1 FOR UPDATE",
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| StoredText {
            id: r.id,
            sealed: None,
            plain: StoredPlain::Note(Note {
                chief_complaint: r.chief_complaint,
                history: r.history,
                examination: r.examination,
                assessment: r.assessment,
                plan: r.plan,
                patient_summary: r.patient_summary,
            }),
        })
        .collect(),
        SealedTable::Addenda => sqlx::query!(
            "SELECT id, body FROM encounter_addenda WHERE body_sealed IS NULL
             ORDER BY id LIMIT $1 FOR UPDATE",
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| StoredText {
            id: r.id,
            sealed: None,
            plain: StoredPlain::Text(r.body),
        })
        .collect(),
        SealedTable::Problems => sqlx::query!(
            "SELECT id, note FROM problems WHERE note_sealed IS NULL
             ORDER BY id LIMIT $1 FOR UPDATE",
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| StoredText {
            id: r.id,
            sealed: None,
            plain: StoredPlain::Text(r.note),
        })
        .collect(),
        SealedTable::OrderIndications | SealedTable::OrderReports => Vec::new(),
    })
}

/// Up to `limit` sealed values after `after` in id order (a rotation walks the whole table),
/// locked for the caller's transaction.
pub async fn sealed_after(
    db: &mut sqlx::PgConnection,
    table: SealedTable,
    after: Uuid,
    limit: i64,
) -> Result<Vec<(Uuid, Vec<u8>)>, DbError> {
    Ok(match table {
        SealedTable::Encounters => sqlx::query!(
            r#"SELECT id, note_sealed AS "sealed!" FROM encounters
               WHERE note_sealed IS NOT NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE"#,
            after,
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.sealed))
        .collect(),
        SealedTable::Addenda => sqlx::query!(
            r#"SELECT id, body_sealed AS "sealed!" FROM encounter_addenda
               WHERE body_sealed IS NOT NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE"#,
            after,
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.sealed))
        .collect(),
        SealedTable::Problems => sqlx::query!(
            r#"SELECT id, note_sealed AS "sealed!" FROM problems
               WHERE note_sealed IS NOT NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE"#,
            after,
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.sealed))
        .collect(),
        SealedTable::OrderIndications => sqlx::query!(
            r#"SELECT id, indication_sealed AS "sealed!" FROM clinical_orders
               WHERE indication_sealed IS NOT NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE"#,
            after,
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.sealed))
        .collect(),
        SealedTable::OrderReports => sqlx::query!(
            r#"SELECT id, report_sealed AS "sealed!" FROM clinical_orders
               WHERE report_sealed IS NOT NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE"#,
            after,
            limit
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.sealed))
        .collect(),
    })
}

/// Stores a row's sealed value and empties its plaintext (the triggers allow exactly this on a
/// signed note, and only with another key than before).
pub async fn store(
    db: impl PgExecutor<'_>,
    table: SealedTable,
    id: Uuid,
    sealed: &[u8],
) -> Result<(), DbError> {
    let done = match table {
        SealedTable::Encounters => {
            sqlx::query!(
                "UPDATE encounters SET note_sealed = $2, chief_complaint = '', history = '',
                examination = '', assessment = '', plan = '', patient_summary = ''
             WHERE id = $1",
                id,
                sealed
            )
            .execute(db)
            .await
        }
        SealedTable::Addenda => {
            sqlx::query!(
                "UPDATE encounter_addenda SET body_sealed = $2, body = '' WHERE id = $1",
                id,
                sealed
            )
            .execute(db)
            .await
        }
        SealedTable::Problems => {
            sqlx::query!(
                "UPDATE problems SET note_sealed = $2, note = '' WHERE id = $1",
                id,
                sealed
            )
            .execute(db)
            .await
        }
        SealedTable::OrderIndications => {
            sqlx::query!(
                "UPDATE clinical_orders SET indication_sealed = $2 WHERE id = $1",
                id,
                sealed
            )
            .execute(db)
            .await
        }
        SealedTable::OrderReports => {
            sqlx::query!(
                "UPDATE clinical_orders SET report_sealed = $2 WHERE id = $1",
                id,
                sealed
            )
            .execute(db)
            .await
        }
    };
    done.map_err(classify)?;
    Ok(())
}
