//! Prescriptions' server functions: issuing (the consultation's doctor), the printable paper
//! (whoever may read the patient's chart), and the public check the QR code opens.

use crate::kernel::error::AppError;
use crate::records::model::{PrescriptionPaper, Verification};
use leptos::prelude::*;

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "prescribe")]
pub async fn prescribe(
    id: String,
    drug: String,
    drug_code: String,
    strength: String,
    dose: String,
    route: String,
    frequency: String,
    duration_days: String,
    quantity: String,
    refills: String,
    instructions_ar: String,
    #[server(default)] allergy_reason: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::domain::prescription::PrescriptionForm;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let form = PrescriptionForm {
        drug,
        drug_code,
        strength,
        dose,
        route,
        frequency,
        duration_days,
        quantity,
        refills,
        instructions_ar,
        allergy_reason,
    };
    crate::records::service::prescriptions::prescribe(ctx.pool(), &user, ctx.ip, id, &form).await?;
    leptos_axum::redirect(&format!("/encounters/{id}?prescribed=1"));
    Ok(())
}

#[server(endpoint = "prescription_paper")]
pub async fn load_prescription_paper(id: String) -> Result<PrescriptionPaper, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::ChartRead).await?;
    let id = crate::kernel::error::record_id(&id)?;
    let site = ctx.site_url()?;
    Ok(crate::records::service::prescriptions::paper(
        ctx.pool(),
        &*ctx.keys()?,
        &user,
        ctx.ip,
        id,
        &site,
    )
    .await?)
}

/// Open to anyone holding the paper: the code is 128 random bits, so it cannot be guessed.
#[server(endpoint = "verify_prescription")]
pub async fn verify_prescription(code: String) -> Result<Verification, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    Ok(crate::records::service::prescriptions::verify(ctx.pool(), ctx.ip, &code).await?)
}
