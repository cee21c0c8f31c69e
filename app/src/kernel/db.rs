//! The only place SQL lives. Functions take an executor so callers can compose them in one
//! transaction.

use crate::kernel::error::AppError;
use crate::kernel::values::FieldErrors;
use jiff::Timestamp;
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique or exclusion constraint refused the row; the name says which rule.
    #[error("constraint {0} violated")]
    Constraint(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// A sealed value did not open: a missing or wrong key, or altered bytes.
    #[error("sealed value: {0}")]
    Sealed(#[from] crate::kernel::crypto::CryptoError),
}

/// Lifts constraint violations out of sqlx errors so callers can answer them as user errors.
pub fn classify(err: sqlx::Error) -> DbError {
    if let sqlx::Error::Database(db) = &err {
        // 23P01 is an exclusion violation: two appointments claiming the same time.
        if db.is_unique_violation()
            || db.is_check_violation()
            || db.is_foreign_key_violation()
            || db.code().as_deref() == Some("23P01")
        {
            if let Some(name) = db.constraint() {
                return DbError::Constraint(name.to_owned());
            }
        }
    }
    DbError::Sqlx(err)
}

/// One line per rule: which form field a database constraint speaks for.
fn constraint_field(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "users_national_id_key" | "users_national_id_index_key" => {
            Some(("national_id", "err-national-id-taken"))
        }
        "users_phone_key" => Some(("phone", "err-phone-taken")),
        "users_email_key" => Some(("email", "err-email-taken")),
        "waitlist_entries_one_open" => Some(("from", "err-waitlist-already")),
        "clinics_name_ar_key" => Some(("name_ar", "err-branch-name-taken")),
        "clinics_name_en_key" => Some(("name_en", "err-branch-name-taken")),
        "specialties_name_ar_key" => Some(("name_ar", "err-specialty-taken")),
        "specialties_name_en_key" | "specialties_name_en_lower_key" => {
            Some(("name_en", "err-specialty-taken"))
        }
        "working_hours_doctor_clinic" | "ramadan_hours_doctor_clinic" => {
            Some(("clinic_id", "err-branch-not-doctors"))
        }
        // The records' triggers: a signed note is final (migration 20261201000010).
        "encounter_signed" | "encounter_addendum_final" => Some(("note", "err-encounter-signed")),
        "encounter_addendum_unsigned" => Some(("body", "err-encounter-not-signed")),
        "encounter_diagnoses_code_key" => Some(("diagnoses", "err-encounter-diagnosis-twice")),
        "prescription_final" => Some(("drug", "err-rx-final")),
        "order_final" => Some(("result", "err-order-closed")),
        "order_results_analyte_key" => Some(("result", "err-result-analyte")),
        "chart_access_grant_kept" => Some(("note", "err-break-glass-reviewed")),
        "doctor_profiles_licence_format" => Some(("licence_number", "err-licence-format")),
        _ => None,
    }
}

impl From<DbError> for AppError {
    fn from(err: DbError) -> Self {
        match &err {
            DbError::Constraint(name) => match constraint_field(name) {
                Some((field, key)) => {
                    let mut errors = FieldErrors::default();
                    errors.push(field, key);
                    AppError::Conflict(errors)
                }
                None => {
                    tracing::error!(error = %err, "unmapped constraint violation");
                    AppError::Internal
                }
            },
            DbError::Sqlx(inner) => {
                tracing::error!(error = %inner, "database error");
                AppError::Internal
            }
            DbError::Sealed(inner) => {
                tracing::error!(error = %inner, "a sealed value of the record does not open");
                AppError::Internal
            }
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::from(classify(err))
    }
}

// Conversions between the `time` types sqlx reads and the `jiff` types the domain uses.

pub fn to_odt(ts: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ts.as_nanosecond())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub fn to_ts(odt: OffsetDateTime) -> Timestamp {
    Timestamp::from_nanosecond(odt.unix_timestamp_nanos()).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn to_jiff_date(d: time::Date) -> jiff::civil::Date {
    jiff::civil::Date::new(d.year() as i16, u8::from(d.month()) as i8, d.day() as i8)
        .unwrap_or(jiff::civil::Date::ZERO)
}

pub fn to_time_date(d: jiff::civil::Date) -> time::Date {
    time::Month::try_from(d.month() as u8)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(i32::from(d.year()), m, d.day() as u8).ok())
        .unwrap_or(time::Date::MIN)
}

pub fn to_time_of_day(t: jiff::civil::Time) -> time::Time {
    time::Time::from_hms(t.hour() as u8, t.minute() as u8, t.second() as u8)
        .unwrap_or(time::Time::MIDNIGHT)
}

pub fn to_jiff_time(t: time::Time) -> jiff::civil::Time {
    jiff::civil::Time::new(t.hour() as i8, t.minute() as i8, t.second() as i8, 0)
        .unwrap_or(jiff::civil::Time::midnight())
}
