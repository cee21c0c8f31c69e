//! Walks the audit log's hash chain (see the migration that made it one) and reports the first
//! row that does not fit: an edited row no longer hashes to its stored hash, a deleted or
//! inserted row breaks the link to its neighbour, a removed last row no longer matches the head.

use sha2::{Digest, Sha256};
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainReport {
    Intact {
        rows: u64,
    },
    /// `row` is the audit row's id (or, for a missing end, the chain position after the last row).
    Broken {
        row: i64,
        reason: &'static str,
    },
}

impl std::fmt::Display for ChainReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainReport::Intact { rows } => write!(f, "audit chain intact: {rows} rows"),
            ChainReport::Broken { row, reason } => {
                write!(f, "audit chain broken at row {row}: {reason}")
            }
        }
    }
}

pub async fn verify(pool: &PgPool) -> Result<ChainReport, sqlx::Error> {
    use futures_util::TryStreamExt;
    // A committed row is always sealed; one without a place was written with the seal off.
    if let Some(row) = sqlx::query_scalar!("SELECT min(id) FROM audit_log WHERE seq IS NULL")
        .fetch_one(pool)
        .await?
    {
        return Ok(ChainReport::Broken {
            row,
            reason: "it was written outside the chain (its seal was switched off)",
        });
    }
    let mut rows = sqlx::query!(
        r#"SELECT id, seq AS "seq!", audit_row_content(a) AS "content!",
                  prev_hash AS "prev_hash!", row_hash AS "row_hash!"
           FROM audit_log a WHERE seq IS NOT NULL ORDER BY seq"#
    )
    .fetch(pool);
    let mut expected_prev = vec![0u8; 32];
    let mut last_seq = 0i64;
    let mut count = 0u64;
    while let Some(row) = rows.try_next().await? {
        if row.seq != last_seq + 1 || row.prev_hash != expected_prev {
            return Ok(ChainReport::Broken {
                row: row.id,
                reason: "it does not follow the row before it (a row was removed or inserted)",
            });
        }
        let mut hasher = Sha256::new();
        hasher.update(&row.prev_hash);
        hasher.update(row.content.as_bytes());
        if hasher.finalize().as_slice() != row.row_hash.as_slice() {
            return Ok(ChainReport::Broken {
                row: row.id,
                reason: "its content changed after it was written",
            });
        }
        expected_prev = row.row_hash;
        last_seq = row.seq;
        count += 1;
    }
    drop(rows);
    let head = sqlx::query!("SELECT last_seq, last_hash FROM audit_chain_head")
        .fetch_one(pool)
        .await?;
    if head.last_seq != last_seq || head.last_hash != expected_prev {
        return Ok(ChainReport::Broken {
            row: last_seq + 1,
            reason: "the chain ends before its recorded head (the last rows were removed)",
        });
    }
    Ok(ChainReport::Intact { rows: count })
}
