//! `GET /attachments/{id}`: a chart's file, opened in the browser's own viewer, so it is a
//! plain route rather than a server function. It authenticates, asks the access policy
//! (through records, which audits the read) and streams the opened bytes; the object store
//! is never reachable from outside.

use crate::guards::error_response;
use app::kernel::{error::AppError, state::AppState};
use app::records::service::attachments::{download, Download, Vault};
use axum::{
    extract::{Path, State},
    http::{header, request::Parts},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

pub async fn attachment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    parts: Parts,
) -> Response {
    match fetch(&state, &session, &parts, &id).await {
        Ok(file) => {
            // Only PDFs and images are ever stored, and `nosniff` (a security header on every
            // response) keeps the browser to the declared type. A sandbox keeps a PDF's own
            // scripts, if any, away from the site.
            let disposition = format!("inline; filename=\"{}\"", file.file_name);
            (
                [
                    (header::CONTENT_TYPE, file.file_type.mime().to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                    (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
                ],
                file.bytes,
            )
                .into_response()
        }
        Err(err) => error_response(&err),
    }
}

async fn fetch(
    state: &AppState,
    session: &Session,
    parts: &Parts,
    id: &str,
) -> Result<Download, AppError> {
    let (user, ip) = crate::guards::route_user(state, session, parts).await?;
    let id = app::kernel::error::record_id(id)?;
    let vault = Vault::of(state)?;
    Ok(download(&state.pool, &vault, &user, ip, id).await?)
}
