//! The one error type server functions return. It travels to the browser as JSON, so the page
//! can show a localized message; the HTTP status is derived from it in one place (`status`).

use crate::kernel::values::FieldErrors;
use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Validation(FieldErrors),
    /// A unique rule in the database refused the change; fields say which value is taken.
    #[error("conflict")]
    Conflict(FieldErrors),
    #[error("malformed request")]
    BadRequest,
    #[error("not logged in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong credentials")]
    InvalidCredentials,
    #[error("too many attempts")]
    RateLimited,
    /// Someone else booked the time first; the nearest free starts are offered instead, as
    /// RFC 3339 instants (the form's own format). Plain text, so the browser bundle, which
    /// reads this error too, carries no date parser.
    #[error("slot taken")]
    SlotTaken(Vec<String>),
    /// A booking or status rule refused the request; the key says which.
    #[error("rule: {0}")]
    Rule(String),
    #[error("cross-site request refused")]
    CrossSite,
    /// Deliberately carries no detail: the cause is logged on the server, never shown.
    #[error("internal error")]
    Internal,
    /// The browser could not reach the server.
    #[error("network error")]
    Network,
    /// The server is at capacity for this kind of work (password hashing); try again shortly.
    #[error("busy")]
    Busy,
    /// File storage did not answer; nothing was saved, the rest of the page is untouched.
    #[error("file storage unavailable")]
    StorageDown,
}

impl AppError {
    /// Seconds a client should wait before trying again, for answers that say "not now".
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            AppError::Busy => Some(5),
            AppError::StorageDown => Some(30),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            // A request that cannot be parsed is the client's mistake; one that parses but
            // breaks a rule is a 422 with a message the user can act on.
            AppError::BadRequest => 400,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::SlotTaken(_) => 409,
            AppError::Rule(_) => 422,
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
            AppError::Network | AppError::Busy | AppError::StorageDown => 503,
        }
    }

    /// Fluent key of the summary message shown for this error.
    pub fn message_key(&self) -> &str {
        match self {
            AppError::SlotTaken(_) => "err-slot-taken",
            AppError::Rule(key) => key,
            AppError::Validation(_) => "err-validation",
            AppError::Conflict(_) => "err-conflict",
            AppError::BadRequest => "err-bad-request",
            AppError::Unauthenticated => "err-unauthenticated",
            AppError::Forbidden => "err-forbidden",
            AppError::NotFound => "err-not-found",
            AppError::InvalidCredentials => "err-invalid-credentials",
            AppError::RateLimited => "err-rate-limited",
            AppError::CrossSite => "err-cross-site",
            AppError::Internal => "err-internal",
            AppError::Network => "err-network",
            AppError::Busy => "err-busy",
            AppError::StorageDown => "err-storage-down",
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) | AppError::Conflict(errors) => Some(errors),
            _ => None,
        }
    }

    pub fn field(field: &str, key: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, key);
        AppError::Validation(errors)
    }

    /// A 409 that names the field it is about, as `field` does for a 422.
    pub fn conflict(field: &str, key: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, key);
        AppError::Conflict(errors)
    }
}

/// An id a request must carry (a form's hidden field, a server function's argument): anything
/// that is not an id is a malformed request (400). Surrounding spaces are ignored.
pub fn parse_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| AppError::BadRequest)
}

/// The id of a record a caller asks for (an address, a link): one that cannot be an id names
/// nothing, so it answers 404 exactly as a missing record or someone else's record does, and
/// ids cannot be probed.
pub fn record_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| AppError::NotFound)
}

/// A yes/no a form sends as `true` or `false`; anything else is a malformed request.
pub fn parse_flag(raw: &str) -> Result<bool, AppError> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(AppError::BadRequest),
    }
}

/// A checkbox as a form posts it: absent when unticked, `on` when ticked; any other value was
/// not sent by our form.
pub fn parse_tick(raw: Option<&str>) -> Result<bool, AppError> {
    match raw {
        None => Ok(false),
        Some("on") => Ok(true),
        Some(_) => Err(AppError::BadRequest),
    }
}

/// An id a form or link may leave out (absent or blank is `None`); anything else that is not
/// an id is a malformed request.
pub fn optional_id(raw: Option<&str>) -> Result<Option<uuid::Uuid>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) => parse_id(id).map(Some),
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

/// Logs an unexpected failure with its cause, once, and answers the generic internal error.
#[cfg(feature = "ssr")]
pub fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{what} failed");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_arguments_are_a_client_error_not_a_500() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing".into()));
        assert_eq!(err, AppError::BadRequest);
        assert_eq!(err.status(), 400);
        assert_eq!(AppError::field("phone", "err-phone-invalid").status(), 422);
        assert_eq!(AppError::Conflict(FieldErrors::default()).status(), 409);
        assert_eq!(AppError::RateLimited.status(), 429);
        assert_eq!(AppError::Busy.status(), 503);
        assert_eq!(AppError::Busy.retry_after(), Some(5));
        assert_eq!(AppError::Internal.retry_after(), None);
    }

    #[test]
    fn travels_as_json_and_back() {
        let err = AppError::field("phone", "err-phone-invalid");
        let bytes = err.ser();
        assert_eq!(AppError::de(bytes), err);
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn a_malformed_id_is_a_bad_request_and_a_malformed_record_id_is_not_found() {
        let id = uuid::Uuid::nil().to_string();
        assert_eq!(parse_id(&format!(" {id} ")), Ok(uuid::Uuid::nil()));
        assert_eq!(parse_id("not-an-id"), Err(AppError::BadRequest));
        assert_eq!(record_id("42"), Err(AppError::NotFound));
        assert_eq!(optional_id(Some("  ")), Ok(None));
        assert_eq!(optional_id(Some("x")), Err(AppError::BadRequest));
    }
}
