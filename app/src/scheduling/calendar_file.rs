//! The `.ics` file of one appointment, for the patient's own calendar app. Served by a plain
//! route (a file download), so the access policy is asked here, as a server function would.

use crate::kernel::service_error::ServiceError;
use crate::kernel::{
    access::{self, Read},
    auth::CurrentUser,
    error::AppError,
};
use crate::scheduling::domain::{appointment::Status, ics};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// The calendar file of appointment `id`, if `user` may read it; the read is audited.
pub async fn appointment_ics(
    pool: &PgPool,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
) -> Result<String, ServiceError> {
    let view = crate::scheduling::db::schedule::appointment(pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access::read_appointment(
        &mut *pool.acquire().await?,
        Read {
            user,
            ip,
            action: "appointment.calendar_file",
            subject: ("appointment", id),
            patient_id: view.patient_id,
        },
        view.parties(),
    )
    .await?;
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
