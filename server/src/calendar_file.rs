//! `GET /appointments/{id}/calendar.ics`: a file download for the patient's own calendar app,
//! so it is a plain route rather than a server function.

use crate::guards::error_response;
use app::{
    auth::server::user_from_session,
    db,
    domain::{appointment::Status, ics},
    error::AppError,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

pub async fn appointment_ics(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    match render(&state, &session, &id).await {
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

async fn render(state: &AppState, session: &Session, id: &str) -> Result<String, AppError> {
    let user = user_from_session(&state.pool, session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let id = uuid::Uuid::parse_str(id.trim_end_matches(".ics")).map_err(|_| AppError::NotFound)?;
    let view = db::schedule::appointment(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !app::scheduling::may_read(&state.pool, &user, &view).await? {
        return Err(AppError::NotFound);
    }
    let summary = format!("موعد مع د. {} — {}", view.doctor_name, view.visit_ar);
    let location = format!("{} / {}", view.clinic_ar, view.clinic_en);
    let uid = format!("{}@mueen", view.id);
    Ok(ics::render(&ics::IcsEvent {
        uid: &uid,
        start: view.start,
        end: view.end,
        stamp: jiff::Timestamp::now(),
        summary: &summary,
        location: &location,
        cancelled: view.status == Status::Cancelled,
    }))
}
