//! Doctors and the booking rules of a branch, as scheduling and setup read them.

use crate::{
    clinic::model::{ClinicRules, DoctorRow},
    kernel::db::DbError,
};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

pub async fn clinic_rules(
    db: impl PgExecutor<'_>,
    clinic_id: Uuid,
) -> Result<Option<ClinicRules>, DbError> {
    Ok(sqlx::query_as!(
        ClinicRules,
        r#"SELECT id, timezone, booking_horizon_days, min_notice_minutes, cancel_cutoff_minutes,
                  max_active_bookings, waitlist_hold_minutes, working_days
           FROM clinics WHERE id = $1"#,
        clinic_id
    )
    .fetch_optional(db)
    .await?)
}

pub async fn doctor(pool: &PgPool, id: Uuid) -> Result<Option<DoctorRow>, DbError> {
    Ok(sqlx::query_as!(
        DoctorRow,
        r#"SELECT u.id, d.clinic_id,
                  u.first_name || ' ' || u.family_name AS "name_ar!",
                  u.latin_name, d.specialty_id, s.name_ar AS specialty_ar, s.name_en AS specialty_en,
                  d.sex, d.bio_ar, d.bio_en, d.languages
           FROM doctor_profiles d
           JOIN users u ON u.id = d.user_id AND u.is_active
           JOIN specialties s ON s.id = d.specialty_id
           WHERE d.user_id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn doctors(pool: &PgPool) -> Result<Vec<DoctorRow>, DbError> {
    Ok(sqlx::query_as!(
        DoctorRow,
        r#"SELECT u.id, d.clinic_id,
                  u.first_name || ' ' || u.family_name AS "name_ar!",
                  u.latin_name, d.specialty_id, s.name_ar AS specialty_ar, s.name_en AS specialty_en,
                  d.sex, d.bio_ar, d.bio_en, d.languages
           FROM doctor_profiles d
           JOIN users u ON u.id = d.user_id AND u.is_active
           JOIN specialties s ON s.id = d.specialty_id
           ORDER BY u.family_name, u.first_name"#
    )
    .fetch_all(pool)
    .await?)
}
