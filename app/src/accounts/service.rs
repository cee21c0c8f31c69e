//! What accounts offer the other features.

use crate::accounts::domain::Registration;
use crate::kernel::service_error::ServiceError;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A patient record the desk registers for someone who walked in: it has no usable password
/// ("!" never verifies) until the patient sets one.
pub async fn create_walk_in(
    db: impl PgExecutor<'_>,
    registration: &Registration,
) -> Result<Uuid, ServiceError> {
    Ok(crate::accounts::db::users::insert_patient(db, registration, "!walk-in").await?)
}
