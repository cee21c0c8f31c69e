//! Keeping the record's free text sealed: at start-up, rows written before sealing began are
//! sealed and their plaintext emptied; after a key rotation (`server rotate-keys`), values of
//! an older key are opened and sealed again with the current one. Both work in small
//! transactions, so a large table is never locked at once and an interrupted run resumes.

use crate::kernel::crypto::Keyring;
use crate::kernel::service_error::ServiceError;
use crate::records::db::sealed::{
    self, addendum_aad, note_aad, order_indication_aad, order_report_aad, problem_aad, SealedTable,
    StoredPlain,
};
use sqlx::PgPool;
use uuid::Uuid;

const BATCH: i64 = 200;
const TABLES: [SealedTable; 5] = [
    SealedTable::Encounters,
    SealedTable::Addenda,
    SealedTable::Problems,
    SealedTable::OrderIndications,
    SealedTable::OrderReports,
];

fn aad(table: SealedTable, id: Uuid) -> String {
    match table {
        SealedTable::Encounters => note_aad(id),
        SealedTable::Addenda => addendum_aad(id),
        SealedTable::Problems => problem_aad(id),
        SealedTable::OrderIndications => order_indication_aad(id),
        SealedTable::OrderReports => order_report_aad(id),
    }
}

/// Seals every row still in the clear; returns how many.
pub async fn seal_plaintext(pool: &PgPool, keys: &Keyring) -> Result<u64, ServiceError> {
    let mut count = 0;
    for table in TABLES {
        loop {
            let mut tx = pool.begin().await?;
            let rows = sealed::unsealed(&mut tx, table, BATCH).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let value = match &row.plain {
                    StoredPlain::Note(note) => keys.seal_json(note, &aad(table, row.id)),
                    StoredPlain::Text(text) => keys.seal_text(text, &aad(table, row.id)),
                };
                sealed::store(&mut *tx, table, row.id, &value).await?;
            }
            tx.commit().await?;
            count += rows.len() as u64;
        }
    }
    Ok(count)
}

/// Seals again, with the current key, every value sealed with an older one; returns how many.
/// A value that does not open stops the run with its error (nothing half-done is committed
/// for that batch), since it means a key is missing from the configuration.
pub async fn reseal_stale(pool: &PgPool, keys: &Keyring) -> Result<u64, ServiceError> {
    let mut count = 0;
    for table in TABLES {
        let mut after = Uuid::nil();
        loop {
            let mut tx = pool.begin().await?;
            let rows = sealed::sealed_after(&mut tx, table, after, BATCH).await?;
            let Some((last, _)) = rows.last() else {
                break;
            };
            after = *last;
            for (id, value) in rows.iter().filter(|(_, v)| keys.is_stale(v)) {
                let place = aad(table, *id);
                let plain = keys
                    .open(value, &place)
                    .map_err(crate::kernel::db::DbError::from)?;
                sealed::store(&mut *tx, table, *id, &keys.seal(&plain, &place)).await?;
                count += 1;
            }
            tx.commit().await?;
        }
    }
    Ok(count)
}
