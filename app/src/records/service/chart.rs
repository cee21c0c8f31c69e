//! A doctor's view of one patient's whole chart: found by search, opened through the access
//! policy (a care relationship, or break-glass with a stated reason), every opening audited.
//! Admins review each break-glass grant afterwards.

use crate::kernel::access::{chart_relation, read_chart, ChartRelation, Read};
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::auth::CurrentUser;
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::values::national_id::mask_last4;
use crate::kernel::values::Role;
use crate::patients::domain::PatientQuery;
use crate::records::db::{self, break_glass as grants, portal};
use crate::records::domain::break_glass::{parse_reason, parse_review_note, GRANT_MINUTES};
use crate::records::model::{
    ChartAccess, ChartHit, ChartPage, ChartVisit, GrantReview, ReviewPage,
};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

const VISITS: i64 = 30;
const TREND_READINGS: i64 = 12;
const REVIEW_ROWS: i64 = 100;

fn doctor_only(user: &CurrentUser) -> Result<(), ServiceError> {
    if user.role == Role::Doctor {
        Ok(())
    } else {
        Err(AppError::Forbidden.into())
    }
}

/// Patients matching the doctor's search, each marked with whether the doctor treats them.
/// The desk's search underneath audits every patient shown.
pub async fn search(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    query: &PatientQuery,
) -> Result<Vec<ChartHit>, ServiceError> {
    doctor_only(doctor)?;
    let hits = crate::patients::service::search(
        pool,
        keys,
        doctor,
        ip,
        query.exact.as_deref(),
        &query.literal,
    )
    .await?;
    let ids: Vec<Uuid> = hits.iter().map(|h| h.id).collect();
    let treated = db::chart::treated_among(pool, doctor.id, &ids).await?;
    Ok(hits
        .into_iter()
        .map(|h| ChartHit {
            treats: treated.contains(&h.id),
            patient_id: h.id,
            full_name: h.full_name,
            national_id_masked: mask_last4(&h.national_id_last4),
        })
        .collect())
}

/// The chart for a doctor who may open it, or the patient's name and the need for a reason.
pub async fn open(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    patient_id: Uuid,
) -> Result<ChartAccess, ServiceError> {
    doctor_only(doctor)?;
    // One connection, no transaction: the audit rows of a refusal stay written.
    let mut db = pool.acquire().await?;
    if !crate::kernel::access::db::is_patient(&mut *db, patient_id).await? {
        return Err(AppError::NotFound.into());
    }
    let relation = chart_relation(&mut db, doctor.id, patient_id).await?;
    if let ChartRelation::None = relation {
        let entry = AuditEntry::new("chart.read", Outcome::Denied)
            .actor(doctor.id, doctor.role)
            .subject("patient", patient_id)
            .ip(ip)
            .details(serde_json::json!({ "patient_id": patient_id, "needs": "break_glass" }));
        crate::kernel::audit::record(&mut *db, &entry).await?;
        let facts = db::patient_facts(&mut *db, patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(ChartAccess::NeedsReason {
            full_name: facts.full_name,
        });
    }
    let check = Read {
        user: doctor,
        ip,
        action: "chart.read",
        subject: ("patient", patient_id),
        patient_id,
    };
    read_chart(&mut db, check, false).await?;
    let timezone = portal::clinic_timezone(&mut *db).await?;
    let today = jiff::Timestamp::now()
        .in_tz(&timezone)
        .map_err(|e| crate::kernel::error::internal("clinic time zone", e))?
        .date();
    let header = super::chart_header(&mut db, keys, patient_id, today).await?;
    let rows = db::chart::visits(&mut *db, patient_id, doctor.id, keys, VISITS).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let codes = portal::diagnoses_of(&mut *db, &ids).await?;
    let visits = rows
        .into_iter()
        .map(|r| ChartVisit {
            diagnoses: super::portal::diagnoses_of_visit(&codes, r.id),
            encounter_id: r.id,
            opened_at: r.opened_at,
            signed_at: r.signed_at,
            doctor_name: r.doctor_name,
            assessment: r.assessment,
        })
        .collect();
    let prescriptions = db::prescriptions::of_patient(&mut *db, patient_id)
        .await?
        .into_iter()
        .map(super::prescriptions::line)
        .collect();
    let attachments = super::attachments::of_patient(&mut db, patient_id, false).await?;
    let orders = super::orders::of_patient(&mut db, keys, patient_id, doctor).await?;
    let mut history = db::vitals_history(&mut *db, patient_id, TREND_READINGS).await?;
    history.reverse();
    Ok(ChartAccess::Open(Box::new(ChartPage {
        patient_id,
        header,
        break_glass: match relation {
            ChartRelation::BreakGlass(g) => Some((g.expires_at, g.reason)),
            _ => None,
        },
        visits,
        prescriptions,
        attachments,
        orders,
        history,
        timezone,
    })))
}

/// Opens `patient_id`'s chart to the doctor for `GRANT_MINUTES`, for the reason typed. A doctor
/// who treats the patient needs no grant and gets none.
pub async fn break_glass(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    patient_id: Uuid,
    reason: &str,
) -> Result<(), ServiceError> {
    doctor_only(doctor)?;
    let reason = parse_reason(reason).map_err(|k| AppError::field("reason", k))?;
    let mut tx = pool.begin().await?;
    if !crate::kernel::access::db::is_patient(&mut *tx, patient_id).await? {
        return Err(AppError::NotFound.into());
    }
    if crate::kernel::access::db::treats(&mut *tx, doctor.id, patient_id).await? {
        return Ok(());
    }
    let id = Uuid::new_v4();
    let expires_at =
        grants::insert(&mut *tx, id, doctor.id, patient_id, &reason, GRANT_MINUTES).await?;
    let entry = AuditEntry::new("chart.break_glass", Outcome::Success)
        .actor(doctor.id, doctor.role)
        .subject("chart_access_grant", id)
        .ip(ip)
        .details(serde_json::json!({
            "patient_id": patient_id,
            "reason": reason,
            "expires_at": expires_at.to_string(),
        }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

fn review_view(row: grants::GrantRow) -> GrantReview {
    GrantReview {
        id: row.id,
        doctor_name: row.doctor_name,
        patient_name: row.patient_name,
        reason: row.reason,
        granted_at: row.granted_at,
        expires_at: row.expires_at,
        reads: row.reads,
        reviewer_name: row.reviewer_name,
        reviewed_at: row.reviewed_at,
        review_note: row.review_note,
    }
}

fn admin_only(user: &CurrentUser) -> Result<(), ServiceError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden.into())
    }
}

/// The admins' list: grants waiting for review, then the latest reviewed ones.
pub async fn review_page(pool: &PgPool, admin: &CurrentUser) -> Result<ReviewPage, ServiceError> {
    admin_only(admin)?;
    let mut db = pool.acquire().await?;
    let waiting = grants::list(&mut *db, false, REVIEW_ROWS).await?;
    let reviewed = grants::list(&mut *db, true, REVIEW_ROWS).await?;
    Ok(ReviewPage {
        waiting: waiting.into_iter().map(review_view).collect(),
        reviewed: reviewed.into_iter().map(review_view).collect(),
        timezone: portal::clinic_timezone(&mut *db).await?,
    })
}

/// Marks a grant reviewed, once; a second review answers 409 and changes nothing.
pub async fn review(
    pool: &PgPool,
    admin: &CurrentUser,
    ip: Option<IpAddr>,
    grant_id: Uuid,
    note: &str,
) -> Result<(), ServiceError> {
    admin_only(admin)?;
    let note = parse_review_note(note).map_err(|k| AppError::field("note", k))?;
    let mut tx = pool.begin().await?;
    let (reviewed, patient_id) = grants::review(&mut *tx, grant_id, admin.id, &note)
        .await?
        .ok_or(AppError::NotFound)?;
    if !reviewed {
        return Err(AppError::conflict("note", "err-break-glass-reviewed").into());
    }
    let entry = AuditEntry::new("break_glass.reviewed", Outcome::Success)
        .actor(admin.id, admin.role)
        .subject("chart_access_grant", grant_id)
        .ip(ip)
        .details(serde_json::json!({ "grant_patient_id": patient_id, "note": note }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}
