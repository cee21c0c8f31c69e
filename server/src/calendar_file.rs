//! `GET /appointments/{id}/calendar.ics`: a file download for the patient's own calendar app,
//! so it is a plain route rather than a server function. It authenticates and hands over to
//! scheduling, which asks the access policy and audits the read.

use crate::guards::error_response;
use app::kernel::{error::AppError, state::AppState};
use axum::{
    extract::{Path, State},
    http::{header, request::Parts},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

pub async fn appointment_ics(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    parts: Parts,
) -> Response {
    match render(&state, &session, &parts, &id).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"appointment.ics\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(err) => error_response(&err),
    }
}

async fn render(
    state: &AppState,
    session: &Session,
    parts: &Parts,
    id: &str,
) -> Result<String, AppError> {
    let (user, ip) = crate::guards::route_user(state, session, parts).await?;
    let id = app::kernel::error::record_id(id.trim_end_matches(".ics"))?;
    Ok(app::scheduling::calendar_file::appointment_ics(&state.pool, &user, ip, id).await?)
}
