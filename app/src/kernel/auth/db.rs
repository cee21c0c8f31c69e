//! The one query sessions need: who the logged-in user is, while the account is active.

use crate::kernel::{auth::CurrentUser, db::DbError, values::Role};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn active_user(pool: &PgPool, id: Uuid) -> Result<Option<CurrentUser>, DbError> {
    Ok(sqlx::query_as!(
        CurrentUser,
        r#"SELECT id, role AS "role: Role",
                  first_name || ' ' || family_name AS "short_name!",
                  latin_name
           FROM users WHERE id = $1 AND is_active"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}
