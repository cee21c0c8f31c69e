use crate::accounts::domain::NewStaff;
use crate::accounts::domain::Registration;
use crate::accounts::model::PatientProfile;
use crate::accounts::model::StaffRow;
use crate::kernel::crypto::Keyring;
use crate::kernel::db::classify;
use crate::kernel::db::DbError;
use crate::kernel::sealed_id::StoredNationalId;
use crate::kernel::values::Role;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

/// What log-in needs to decide: never leaves the server.
pub struct Credentials {
    pub id: Uuid,
    pub role: Role,
    pub password_hash: String,
    pub is_active: bool,
}

pub async fn insert_patient(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    reg: &Registration,
    password_hash: &str,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let nid = StoredNationalId::seal(keys, id, &reg.national_id)?;
    sqlx::query!(
        r#"INSERT INTO users (id, role, national_id_index, national_id_sealed, national_id_last4,
               phone, email, first_name, father_name, grandfather_name, family_name, latin_name,
               date_of_birth, sex, password_hash)
           VALUES ($1, 'patient', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        id,
        nid.index,
        nid.sealed,
        nid.last4,
        reg.phone.as_str(),
        reg.email.as_ref().map(|e| e.as_str()),
        reg.name.first,
        reg.name.father,
        reg.name.grandfather,
        reg.name.family,
        reg.latin_name.as_ref().map(|n| n.as_str()),
        reg.date_of_birth,
        reg.sex.as_str(),
        password_hash,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

/// Which of a registration's unique details another account already holds: asked before the
/// password is hashed, so a taken number costs no hashing. The unique constraints still decide
/// a race between two registrations.
pub async fn taken(
    pool: &PgPool,
    keys: &Keyring,
    reg: &Registration,
) -> Result<crate::kernel::values::FieldErrors, DbError> {
    let index = crate::kernel::sealed_id::lookup(keys, &reg.national_id)?;
    let row = sqlx::query!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE national_id_index = $1 AND NOT managed) AS "national_id!",
                  EXISTS (SELECT 1 FROM users WHERE national_id_index = $1 AND managed) AS "managed!",
                  EXISTS (SELECT 1 FROM users WHERE phone = $2) AS "phone!",
                  EXISTS (SELECT 1 FROM users WHERE $3::text IS NOT NULL AND email = $3) AS "email!""#,
        index,
        reg.phone.as_str(),
        reg.email.as_ref().map(|e| e.as_str()),
    )
    .fetch_one(pool)
    .await?;
    let mut errors = crate::kernel::values::FieldErrors::default();
    for (taken, field, key) in [
        (row.national_id, "national_id", "err-national-id-taken"),
        // Someone listed this ID as their dependent: the desk can move it to its owner.
        (
            row.managed,
            "national_id",
            "err-national-id-on-family-record",
        ),
        (row.phone, "phone", "err-phone-taken"),
        (row.email, "email", "err-email-taken"),
    ] {
        if taken {
            errors.push(field, key);
        }
    }
    Ok(errors)
}

pub async fn insert_staff(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    staff: &NewStaff,
    password_hash: &str,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let nid = StoredNationalId::seal(keys, id, &staff.national_id)?;
    sqlx::query!(
        r#"INSERT INTO users (id, role, national_id_index, national_id_sealed, national_id_last4,
               phone, email, first_name, father_name, grandfather_name, family_name, latin_name,
               password_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"#,
        id,
        staff.role as Role,
        nid.index,
        nid.sealed,
        nid.last4,
        staff.phone.as_str(),
        staff.email.as_ref().map(|e| e.as_str()),
        staff.name.first,
        staff.name.father,
        staff.name.grandfather,
        staff.name.family,
        staff.latin_name.as_ref().map(|n| n.as_str()),
        password_hash,
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(id)
}

pub async fn insert_doctor_profile(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    specialty_id: Uuid,
    clinic_id: Uuid,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"WITH profile AS (
               INSERT INTO doctor_profiles (user_id, specialty_id, clinic_id) VALUES ($1, $2, $3)
               RETURNING user_id, clinic_id
           )
           INSERT INTO doctor_clinics (doctor_id, clinic_id) SELECT user_id, clinic_id FROM profile"#,
        user_id,
        specialty_id,
        clinic_id
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn credentials_by_phone(
    pool: &PgPool,
    phone: &str,
) -> Result<Option<Credentials>, DbError> {
    Ok(sqlx::query_as!(
        Credentials,
        r#"SELECT id, role AS "role: Role", password_hash, is_active FROM users WHERE phone = $1"#,
        phone
    )
    .fetch_optional(pool)
    .await?)
}

/// The account whose national ID has blind index `index`.
pub async fn credentials_by_national_id(
    pool: &PgPool,
    index: &[u8],
) -> Result<Option<Credentials>, DbError> {
    Ok(sqlx::query_as!(
        Credentials,
        r#"SELECT id, role AS "role: Role", password_hash, is_active FROM users
           WHERE national_id_index = $1"#,
        index
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn credentials_by_id(pool: &PgPool, id: Uuid) -> Result<Option<Credentials>, DbError> {
    Ok(sqlx::query_as!(
        Credentials,
        r#"SELECT id, role AS "role: Role", password_hash, is_active FROM users WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn update_password(
    db: impl PgExecutor<'_>,
    id: Uuid,
    password_hash: &str,
) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
        id,
        password_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn patient_profile(pool: &PgPool, id: Uuid) -> Result<Option<PatientProfile>, DbError> {
    Ok(sqlx::query_as!(
        PatientProfile,
        r#"SELECT first_name || ' ' || father_name || ' ' || grandfather_name || ' ' || family_name
                      AS "full_name!",
                  latin_name, phone,
                  COALESCE(national_id_last4, right(national_id, 4)) AS "national_id_last4!",
                  date_of_birth, email
           FROM users WHERE id = $1 AND role = 'patient'"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn list_staff(pool: &PgPool) -> Result<Vec<StaffRow>, DbError> {
    Ok(sqlx::query_as!(
        StaffRow,
        r#"SELECT u.id, u.role AS "role: Role",
                  u.first_name || ' ' || u.family_name AS "full_name!",
                  u.phone AS "phone!", s.name_ar AS "specialty_ar?", s.name_en AS "specialty_en?", u.is_active
           FROM users u
           LEFT JOIN doctor_profiles d ON d.user_id = u.id
           LEFT JOIN specialties s ON s.id = d.specialty_id
           WHERE u.role <> 'patient'
           ORDER BY u.role, u.family_name, u.first_name"#
    )
    .fetch_all(pool)
    .await?)
}

/// Whether any active admin exists: without one, a clinic without demo data is not served.
pub async fn admin_exists(db: impl PgExecutor<'_>) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND is_active) AS "exists!""#
    )
    .fetch_one(db)
    .await?)
}

/// Two bootstraps at once must not both create a first admin.
pub async fn lock_bootstrap(db: impl PgExecutor<'_>) -> Result<(), DbError> {
    sqlx::query!("SELECT pg_advisory_xact_lock(7303)")
        .execute(db)
        .await?;
    Ok(())
}

/// Up to `limit` accounts whose national ID is still in the clear, locked.
pub async fn unsealed_national_ids(
    tx: &mut sqlx::PgConnection,
    limit: i64,
) -> Result<Vec<(Uuid, String)>, DbError> {
    Ok(sqlx::query!(
        r#"SELECT id, national_id AS "national_id!" FROM users WHERE national_id IS NOT NULL
           ORDER BY id LIMIT $1 FOR UPDATE"#,
        limit
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.national_id))
    .collect())
}

/// Stores the sealed form of a user's national ID and clears the plaintext.
pub async fn store_national_id(
    db: impl PgExecutor<'_>,
    id: Uuid,
    nid: &StoredNationalId,
) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE users SET national_id = NULL, national_id_index = $2, national_id_sealed = $3,
                national_id_last4 = $4
         WHERE id = $1",
        id,
        nid.index,
        nid.sealed,
        nid.last4
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Up to `limit` sealed national IDs after `after` in id order, locked (a rotation's walk).
pub async fn sealed_national_ids_after(
    tx: &mut sqlx::PgConnection,
    after: Uuid,
    limit: i64,
) -> Result<Vec<(Uuid, Vec<u8>)>, DbError> {
    Ok(sqlx::query!(
        r#"SELECT id, national_id_sealed AS "sealed!" FROM users
           WHERE national_id_sealed IS NOT NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE"#,
        after,
        limit
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.sealed))
    .collect())
}

pub async fn reseal_national_id(
    db: impl PgExecutor<'_>,
    id: Uuid,
    sealed: &[u8],
) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE users SET national_id_sealed = $2 WHERE id = $1",
        id,
        sealed
    )
    .execute(db)
    .await?;
    Ok(())
}
