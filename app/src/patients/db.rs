//! Guardians and the family members they book for.

use crate::kernel::crypto::Keyring;
use crate::kernel::db::classify;
use crate::kernel::db::DbError;
use crate::kernel::sealed_id::StoredNationalId;
use crate::patients::domain::NewDependent;
use crate::patients::domain::Relation;
use crate::patients::model::{Dependent, PatientHit};
use sqlx::PgPool;
use uuid::Uuid;

/// Creates the dependent's own patient record and links it to the guardian. The record has no
/// usable password ("!" never verifies): only the guardian's account reaches it.
pub async fn insert_dependent(
    tx: &mut sqlx::PgConnection,
    keys: &Keyring,
    guardian_id: Uuid,
    dep: &NewDependent,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let nid = StoredNationalId::seal(keys, id, &dep.national_id)?;
    sqlx::query!(
        r#"INSERT INTO users (id, role, national_id_index, national_id_sealed, national_id_last4,
               phone, first_name, father_name, grandfather_name, family_name, latin_name,
               date_of_birth, sex, password_hash, managed)
           VALUES ($1, 'patient', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '!managed', true)"#,
        id,
        nid.index,
        nid.sealed,
        nid.last4,
        dep.phone.as_ref().map(|p| p.as_str()),
        dep.name.first,
        dep.name.father,
        dep.name.grandfather,
        dep.name.family,
        dep.latin_name.as_ref().map(|n| n.as_str()),
        dep.date_of_birth,
        dep.sex.as_str(),
    )
    .execute(&mut *tx)
    .await
    .map_err(classify)?;
    sqlx::query!(
        "INSERT INTO dependents (guardian_id, dependent_id, relation) VALUES ($1, $2, $3)",
        guardian_id,
        id,
        dep.relation.as_str()
    )
    .execute(&mut *tx)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Locks the guardian's row for the rest of the transaction and counts their family members.
pub async fn lock_family(tx: &mut sqlx::PgConnection, guardian_id: Uuid) -> Result<i64, DbError> {
    sqlx::query!("SELECT id FROM users WHERE id = $1 FOR UPDATE", guardian_id)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM dependents WHERE guardian_id = $1"#,
        guardian_id
    )
    .fetch_one(&mut *tx)
    .await?)
}

/// The managed (family member's) record whose national ID has blind index `index`, locked.
pub async fn managed_by_national_id(
    tx: &mut sqlx::PgConnection,
    index: &[u8],
) -> Result<Option<Uuid>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM users WHERE national_id_index = $1 AND managed FOR UPDATE",
        index
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// Makes a managed record its owner's own: no guardian reaches it any more. Returns the former
/// guardians, for the audit row.
pub async fn release_dependent(
    tx: &mut sqlx::PgConnection,
    record: Uuid,
    phone: &str,
) -> Result<Vec<Uuid>, DbError> {
    let guardians = sqlx::query_scalar!(
        "DELETE FROM dependents WHERE dependent_id = $1 RETURNING guardian_id",
        record
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE users SET managed = false, phone = $2, password_hash = '!walk-in' WHERE id = $1",
        record,
        phone
    )
    .execute(&mut *tx)
    .await
    .map_err(classify)?;
    Ok(guardians)
}

pub async fn dependents_of(pool: &PgPool, guardian_id: Uuid) -> Result<Vec<Dependent>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT u.id, u.first_name || ' ' || u.father_name || ' ' || u.family_name AS "full_name!",
                  u.latin_name, u.date_of_birth, d.relation
           FROM dependents d JOIN users u ON u.id = d.dependent_id AND u.is_active
           WHERE d.guardian_id = $1
           ORDER BY u.date_of_birth, u.first_name"#,
        guardian_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Dependent {
            id: r.id,
            full_name: r.full_name,
            latin_name: r.latin_name,
            date_of_birth: r.date_of_birth,
            relation: Relation::parse(&r.relation).unwrap_or(Relation::Other),
        })
        .collect())
}

/// Patients matching an exact phone, an exact ID (by its blind index), or a part of their
/// name (Arabic or Latin).
pub async fn find_patients(
    pool: &PgPool,
    exact: Option<&str>,
    id_index: Option<&[u8]>,
    name_part: &str,
) -> Result<Vec<PatientHit>, DbError> {
    Ok(sqlx::query_as!(
        PatientHit,
        r#"SELECT id, first_name || ' ' || father_name || ' ' || grandfather_name || ' ' || family_name AS "full_name!",
                  phone, COALESCE(national_id_last4, right(national_id, 4)) AS "national_id_last4!"
           FROM users
           WHERE role = 'patient' AND is_active
             AND (phone = $1 OR national_id_index = $3
                  OR ($2 <> '' AND (first_name || ' ' || father_name || ' ' || grandfather_name || ' ' || family_name
                                      ILIKE '%' || $2 || '%'
                                    OR latin_name ILIKE '%' || $2 || '%')))
           ORDER BY family_name, first_name
           LIMIT 20"#,
        exact,
        name_part,
        id_index
    )
    .fetch_all(pool)
    .await?)
}

pub async fn patient_hit(pool: &PgPool, id: Uuid) -> Result<Option<PatientHit>, DbError> {
    Ok(sqlx::query_as!(
        PatientHit,
        r#"SELECT id, first_name || ' ' || father_name || ' ' || grandfather_name || ' ' || family_name AS "full_name!",
                  phone, COALESCE(national_id_last4, right(national_id, 4)) AS "national_id_last4!"
           FROM users WHERE id = $1 AND role = 'patient'"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}
