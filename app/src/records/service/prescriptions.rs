//! Prescribing: the doctor of a consultation issues a line, warned (and asked for a reason)
//! when the drug matches a recorded allergy. Issued lines are final; each gets a random
//! verification code and the SHA-256 of its content, which the printed paper and its QR code
//! carry, so a pharmacist can check it on our site.

use super::{audit, chart_header, own_locked};
use crate::kernel::access::{read_chart, Read};
use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::auth::CurrentUser;
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::records::db;
use crate::records::db::prescriptions::{self as rx_db, NewPrescription, PrescriptionRow};
use crate::records::domain::prescription::{
    allergy_matches, fingerprint_text, short_fingerprint, PrescriptionForm, REASON,
};
use crate::records::model::{Issuer, PrescriptionLine, PrescriptionPaper, Verification};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// The SHA-256 a prescription is issued with, over `fingerprint_text`.
pub fn digest(
    row_code: &str,
    at: jiff::Timestamp,
    patient: Uuid,
    doctor: Uuid,
    rx: &crate::records::domain::prescription::Prescription,
) -> Vec<u8> {
    let text = fingerprint_text(
        row_code,
        at.as_second(),
        &patient.to_string(),
        &doctor.to_string(),
        rx,
    );
    Sha256::digest(text.as_bytes()).to_vec()
}

/// Whether the stored row still has the content it was issued with.
fn intact(row: &PrescriptionRow) -> bool {
    digest(
        &row.verification_code,
        row.issued_at,
        row.patient_id,
        row.doctor_id,
        &row.rx,
    ) == row.content_sha256
}

pub fn line(row: PrescriptionRow) -> PrescriptionLine {
    PrescriptionLine {
        id: row.id,
        rx: row.rx,
        allergy_override: row.allergy_override,
        issued_at: row.issued_at,
        doctor_name: row.doctor_name,
    }
}

/// Issues a prescription line in the consultation `encounter_id`. A drug that matches one of
/// the patient's active allergies is refused (422 on `allergy_reason`) until the doctor states
/// why it is given anyway; the reason is kept with the line and in the audit.
pub async fn prescribe(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    encounter_id: Uuid,
    form: &PrescriptionForm,
) -> Result<Uuid, ServiceError> {
    let rx = form.parse().map_err(super::fields)?;
    let mut tx = pool.begin().await?;
    let enc = own_locked(&mut tx, doctor, encounter_id).await?;
    let substances: Vec<String> = db::allergies_of(&mut *tx, enc.patient_id)
        .await?
        .into_iter()
        .map(|a| a.substance)
        .collect();
    let matched: Vec<String> = allergy_matches(&rx.drug, &substances)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let reason = if matched.is_empty() {
        None
    } else {
        match REASON.parse_required(&form.allergy_reason) {
            Ok(reason) => Some(reason),
            Err("err-text-required") => {
                return Err(AppError::field("allergy_reason", "err-rx-allergy-reason").into())
            }
            Err(key) => return Err(AppError::field("allergy_reason", key).into()),
        }
    };
    let id = Uuid::new_v4();
    let code = Uuid::new_v4().simple().to_string();
    let issued_at = jiff::Timestamp::now();
    let sha = digest(&code, issued_at, enc.patient_id, doctor.id, &rx);
    rx_db::insert(
        &mut *tx,
        &NewPrescription {
            id,
            encounter_id,
            patient_id: enc.patient_id,
            doctor_id: doctor.id,
            rx: &rx,
            allergy_override: reason.as_deref(),
            verification_code: &code,
            content_sha256: &sha,
            issued_at,
        },
    )
    .await?;
    let entry = AuditEntry::new("prescription.issued", Outcome::Success)
        .actor(doctor.id, doctor.role)
        .subject("prescription", id)
        .ip(ip)
        .details(serde_json::json!({
            "patient_id": enc.patient_id,
            "encounter_id": encounter_id,
            "allergy_matched": matched,
            "allergy_override": reason,
        }));
    crate::kernel::audit::record(&mut *tx, &entry).await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "encounter.prescribed",
        (encounter_id, enc.patient_id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The QR code of `url`, as SVG markup sized by the page.
fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map_err(|e| crate::kernel::error::internal("prescription QR code", e))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // The XML declaration means nothing inside an HTML page.
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

async fn issuer(
    db: &mut sqlx::PgConnection,
    encounter_id: Uuid,
) -> Result<(Issuer, String), ServiceError> {
    let f = rx_db::paper_facts(&mut *db, encounter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        Issuer {
            clinic_ar: f.clinic_ar,
            clinic_en: f.clinic_en,
            address_ar: f.address_ar,
            address_en: f.address_en,
            clinic_phone: f.clinic_phone,
            doctor_name: f.doctor_name,
            doctor_latin: f.doctor_latin,
            licence_number: f.licence_number,
            specialty_ar: f.specialty_ar,
            specialty_en: f.specialty_en,
        },
        f.timezone,
    ))
}

/// The paper of prescription `id` for its doctor, a doctor who treats the patient, or the
/// patient and their guardian; anyone else gets `NotFound`. The read is audited.
pub async fn paper(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    site: &str,
) -> Result<PrescriptionPaper, ServiceError> {
    let mut db = pool.acquire().await?;
    let row = rx_db::get(&mut *db, id).await?.ok_or(AppError::NotFound)?;
    let check = Read {
        user,
        ip,
        action: "prescription.read",
        subject: ("prescription", id),
        patient_id: row.patient_id,
    };
    read_chart(&mut db, check, true).await?;
    if !intact(&row) {
        tracing::error!(prescription = %id, "stored prescription no longer matches its fingerprint");
        return Err(AppError::Internal.into());
    }
    let (issuer, timezone) = issuer(&mut db, row.encounter_id).await?;
    let today = jiff::Timestamp::now()
        .in_tz(&timezone)
        .map_err(|e| crate::kernel::error::internal("clinic time zone", e))?
        .date();
    let patient = chart_header(&mut db, keys, row.patient_id, today).await?;
    let verify_url = format!("{site}/rx/{}", row.verification_code);
    Ok(PrescriptionPaper {
        fingerprint: short_fingerprint(&hex::encode(&row.content_sha256)),
        qr_svg: qr_svg(&verify_url)?,
        verify_url,
        line: line(row),
        issuer,
        patient,
        timezone,
    })
}

/// "م. ش." for محمد الشهري: enough for a pharmacist to match the person in front of them.
fn initials(first: &str, family: &str) -> String {
    [first, family]
        .iter()
        .filter_map(|n| n.trim().trim_start_matches("ال").chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The public check of a printed prescription by its code. Unknown and malformed codes are
/// `NotFound`; every lookup that finds one is audited on the patient's record, so the patient
/// sees that a pharmacy checked it.
pub async fn verify(
    pool: &PgPool,
    ip: Option<IpAddr>,
    code: &str,
) -> Result<Verification, ServiceError> {
    let code = code.trim().to_ascii_lowercase();
    if code.len() != 32 || !code.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound.into());
    }
    let mut db = pool.acquire().await?;
    let row = rx_db::by_code(&mut *db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = AuditEntry::new("prescription.verified", Outcome::Success)
        .subject("prescription", row.id)
        .ip(ip)
        .details(serde_json::json!({ "patient_id": row.patient_id }));
    crate::kernel::audit::record(&mut *db, &entry).await?;
    let (issuer, timezone) = issuer(&mut db, row.encounter_id).await?;
    let names = db::patient_names(&mut *db, row.patient_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Verification {
        intact: intact(&row),
        fingerprint: short_fingerprint(&hex::encode(&row.content_sha256)),
        patient_initials: initials(&names.0, &names.1),
        rx: row.rx,
        issued_at: row.issued_at,
        timezone,
        issuer,
    })
}

/// The lines issued in one consultation, for its screen (already let in by `read`).
pub async fn of_encounter(
    db: &mut sqlx::PgConnection,
    encounter_id: Uuid,
) -> Result<Vec<PrescriptionLine>, ServiceError> {
    Ok(rx_db::of_encounter(&mut *db, encounter_id)
        .await?
        .into_iter()
        .map(line)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_skip_the_article() {
        assert_eq!(initials("محمد", "الشهري"), "م. ش.");
        assert_eq!(initials("Sara", "Ali"), "S. A.");
    }
}
