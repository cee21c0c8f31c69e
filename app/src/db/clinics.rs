use super::DbError;
use crate::models::Named;
use sqlx::PgPool;

/// The clinic this installation runs; the first one created.
pub async fn primary_clinic(pool: &PgPool) -> Result<Option<Named>, DbError> {
    Ok(sqlx::query_as!(
        Named,
        "SELECT id, name_ar, name_en FROM clinics ORDER BY created_at, id LIMIT 1"
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn specialties(pool: &PgPool) -> Result<Vec<Named>, DbError> {
    Ok(sqlx::query_as!(
        Named,
        "SELECT id, name_ar, name_en FROM specialties ORDER BY name_en"
    )
    .fetch_all(pool)
    .await?)
}
