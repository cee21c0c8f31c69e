//! The records' server functions: each authenticates, asks the access policy (in the
//! service), calls the service and redirects back to the consultation, so every form works
//! without JavaScript too.

pub mod attachments;
pub mod chart;
pub mod orders;
pub mod portal;
pub mod prescriptions;

use crate::kernel::error::AppError;
use crate::records::model::{EncounterPage, Icd10Entry};
use leptos::prelude::*;

/// Opens (or reopens) the consultation of a checked-in appointment, from the doctor's day.
#[server(endpoint = "open_encounter")]
pub async fn open_encounter(appointment_id: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let appointment = crate::kernel::error::record_id(&appointment_id)?;
    let id = crate::records::service::open(ctx.pool(), &user, ctx.ip, appointment).await?;
    leptos_axum::redirect(&format!("/encounters/{id}"));
    Ok(())
}

/// How many past measurements the consultation's trend chart draws.
#[cfg(feature = "ssr")]
const TREND_READINGS: i64 = 12;

#[server(endpoint = "encounter")]
pub async fn load_encounter(id: String) -> Result<EncounterPage, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let view = crate::records::service::read(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, id).await?;
    let mut db = ctx.pool().acquire().await?;
    let vitals = crate::records::db::vitals_of_encounter(&mut *db, id).await?;
    let timezone = crate::records::db::timezone(&mut *db, id).await?;
    let today = jiff::Timestamp::now()
        .in_tz(&timezone)
        .map_err(|e| crate::kernel::error::internal("clinic time zone", e))?
        .date();
    let header =
        crate::records::service::chart_header(&mut db, &*ctx.keys()?, view.row.patient_id, today)
            .await?;
    let prescriptions = crate::records::service::prescriptions::of_encounter(&mut db, id).await?;
    let mut history =
        crate::records::db::vitals_history(&mut *db, view.row.patient_id, TREND_READINGS).await?;
    history.reverse();
    let attachments =
        crate::records::service::attachments::of_patient(&mut db, view.row.patient_id, false)
            .await?;
    let orders =
        crate::records::service::orders::of_encounter(&mut db, &*ctx.keys()?, id, &user).await?;
    Ok(EncounterPage {
        id,
        header,
        signed: view.row.signed,
        opened_at: view.row.opened_at,
        signed_at: view.row.signed_at,
        note: view.row.note,
        diagnoses: view.diagnoses,
        addenda: view
            .addenda
            .into_iter()
            .map(|a| crate::records::model::AddendumView {
                author_name: a.author_name,
                body: a.body,
                created_at: a.created_at,
            })
            .collect(),
        vitals,
        prescriptions,
        history,
        attachments,
        orders,
        max_upload_mb: ctx.state.config.max_upload_bytes / (1024 * 1024),
        timezone,
    })
}

/// Saves the note as typed; with `sign` set, signs it right after, in that order, so what is
/// signed is exactly what the doctor sees.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "save_encounter")]
pub async fn save_encounter(
    id: String,
    chief_complaint: String,
    history: String,
    examination: String,
    assessment: String,
    plan: String,
    patient_summary: String,
    diagnoses: String,
    sign: Option<String>,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::note::Note;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let note = Note {
        chief_complaint,
        history,
        examination,
        assessment,
        plan,
        patient_summary,
    };
    // One code per line or separated by commas, as doctors paste them.
    let codes: Vec<String> = diagnoses
        .split(['\n', ',', '،', ';'])
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    crate::records::service::save_draft(
        ctx.pool(),
        &*ctx.keys()?,
        &user,
        ctx.ip,
        id,
        &note,
        &codes,
    )
    .await?;
    if sign.is_some() {
        crate::records::service::sign(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, id).await?;
        leptos_axum::redirect(&format!("/encounters/{id}?signed=1"));
    } else {
        leptos_axum::redirect(&format!("/encounters/{id}?saved=1"));
    }
    Ok(())
}

#[server(endpoint = "add_addendum")]
pub async fn add_addendum(id: String, body: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    crate::records::service::add_addendum(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, id, &body)
        .await?;
    leptos_axum::redirect(&format!("/encounters/{id}?added=1"));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "record_vitals")]
pub async fn record_vitals(
    id: String,
    blood_pressure: String,
    pulse: String,
    temperature: String,
    spo2: String,
    respiratory_rate: String,
    weight: String,
    height: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::vitals::VitalsForm;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let vitals = VitalsForm {
        blood_pressure,
        pulse,
        temperature,
        spo2,
        respiratory_rate,
        weight,
        height,
    }
    .parse()
    .map_err(crate::records::service::fields)?;
    crate::records::service::record_vitals(ctx.pool(), &user, ctx.ip, id, &vitals).await?;
    leptos_axum::redirect(&format!("/encounters/{id}?vitals=1"));
    Ok(())
}

/// ICD-10-CM codes for what a doctor typed: by code start or by words of the title.
#[server(endpoint = "icd10_search")]
pub async fn icd10_search(q: String) -> Result<Vec<Icd10Entry>, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    ctx.require(crate::kernel::access::Area::Clinical).await?;
    let q = crate::kernel::values::text::parse_search(&q).map_err(|k| AppError::field("q", k))?;
    Ok(crate::records::icd10::catalogue().search(&q, 20))
}

#[server(endpoint = "add_allergy")]
pub async fn add_allergy(
    id: String,
    substance: String,
    reaction: String,
    severity: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::allergy::NewAllergy;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let allergy = NewAllergy::parse(&substance, &reaction, &severity)
        .map_err(crate::records::service::fields)?;
    crate::records::service::add_allergy(ctx.pool(), &user, ctx.ip, id, &allergy).await?;
    leptos_axum::redirect(&format!("/encounters/{id}?allergy=1"));
    Ok(())
}

#[server(endpoint = "add_problem")]
pub async fn add_problem(
    id: String,
    problem_code: String,
    problem_note: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::chart_list::NewProblem;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let problem =
        NewProblem::parse(&problem_code, &problem_note).map_err(crate::records::service::fields)?;
    crate::records::service::add_problem(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, id, &problem)
        .await?;
    leptos_axum::redirect(&format!("/encounters/{id}?problem=1"));
    Ok(())
}

#[server(endpoint = "add_medication")]
pub async fn add_medication(
    id: String,
    med_drug: String,
    med_dose: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::chart_list::NewMedication;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let medication =
        NewMedication::parse(&med_drug, &med_dose).map_err(crate::records::service::fields)?;
    crate::records::service::add_medication(ctx.pool(), &user, ctx.ip, id, &medication).await?;
    leptos_axum::redirect(&format!("/encounters/{id}?medication=1"));
    Ok(())
}

/// Ends an entry of the chart's standing lists from the consultation: `list` is `problem`
/// (resolved) or `medication` (stopped).
#[server(endpoint = "end_list_entry")]
pub async fn end_list_entry(id: String, list: String, entry: String) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::service::ListEnd;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let entry = crate::kernel::error::record_id(&entry)?;
    let end = match list.as_str() {
        "problem" => ListEnd::ResolveProblem,
        "medication" => ListEnd::StopMedication,
        _ => return Err(AppError::BadRequest),
    };
    crate::records::service::end_list_entry(ctx.pool(), &user, ctx.ip, id, end, entry).await?;
    leptos_axum::redirect(&format!("/encounters/{id}?ended={list}"));
    Ok(())
}
