//! The error type of the service layer (transactions, the access checks). A service either
//! refuses (a rule, a permission, a missing record: the user can act on it) or fails (the
//! database or something unexpected: the cause is kept as the `source`). It becomes an
//! `AppError` once, at the server-function or route boundary, where a failure is logged with
//! its whole cause chain — exactly once — and answered with the generic message.

use crate::kernel::{db::DbError, error::AppError};
use std::error::Error as StdError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// An answer for the user, passed through unchanged.
    #[error("refused: {0}")]
    Refused(AppError),
    /// The database refused or failed; a constraint the error table knows is still a user error.
    #[error("database")]
    Db(#[from] DbError),
    /// Anything else that went wrong.
    #[error("{what} failed")]
    Failed {
        what: &'static str,
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
}

impl ServiceError {
    pub fn failed(what: &'static str, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        ServiceError::Failed {
            what,
            source: source.into(),
        }
    }
}

impl From<AppError> for ServiceError {
    fn from(err: AppError) -> Self {
        ServiceError::Refused(err)
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(err: sqlx::Error) -> Self {
        ServiceError::Db(crate::kernel::db::classify(err))
    }
}

/// The cause chain, outermost first, for the log line.
fn chain(err: &dyn StdError) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(cause) = cur {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        cur = cause.source();
    }
    out
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Refused(err) => err,
            // The database layer's own conversion maps known constraints and logs the rest.
            ServiceError::Db(db) => AppError::from(db),
            failed @ ServiceError::Failed { .. } => {
                tracing::error!(error = %chain(&failed), "service failed");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reaches_the_user_unchanged_and_a_failure_only_as_internal() {
        let refused = ServiceError::from(AppError::Rule("err-cancel-too-late".into()));
        assert!(
            matches!(&refused, ServiceError::Refused(AppError::Rule(k)) if k == "err-cancel-too-late")
        );
        assert_eq!(
            AppError::from(refused),
            AppError::Rule("err-cancel-too-late".into())
        );
        let failed = ServiceError::failed("hash task", "thread pool gone");
        assert!(!matches!(failed, ServiceError::Refused(_)));
        assert_eq!(chain(&failed), "hash task failed: thread pool gone");
        assert_eq!(AppError::from(failed), AppError::Internal);
    }

    #[test]
    fn a_known_constraint_is_still_a_conflict_on_its_field() {
        let err = ServiceError::from(DbError::Constraint("users_phone_key".into()));
        let app = AppError::from(err);
        assert_eq!(app.status(), 409);
        assert!(app.field_errors().is_some_and(|f| !f.is_empty()));
    }
}
