//! Lab and imaging orders: placed by the consultation's doctor while the note is a draft;
//! their result recorded (or the order cancelled) by that doctor later, signed note or not,
//! since results come after the visit. Each step is one transaction with its audit row; the
//! orders are read as part of a consultation or chart the reader was already let into.

use crate::kernel::audit::{AuditEntry, Outcome};
use crate::kernel::auth::CurrentUser;
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::kernel::values::{FieldErrors, Role};
use crate::records::db::orders::{self as db, OrderHead, OrderRow, ValueRow};
use crate::records::domain::order::{self, NewOrder, NewResult, Range, Typed};
use crate::records::model::{OrderView, ResultLine};
use sqlx::{PgConnection, PgPool};
use std::net::IpAddr;
use uuid::Uuid;

async fn audit(
    db: &mut PgConnection,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    action: &'static str,
    head: (Uuid, Uuid, Uuid),
    extra: serde_json::Value,
) -> Result<(), ServiceError> {
    let (order_id, encounter_id, patient_id) = head;
    let mut details = serde_json::json!({ "patient_id": patient_id, "encounter_id": encounter_id });
    if let (Some(all), serde_json::Value::Object(more)) = (details.as_object_mut(), extra) {
        all.extend(more);
    }
    let entry = AuditEntry::new(action, Outcome::Success)
        .actor(user.id, user.role)
        .subject("order", order_id)
        .ip(ip)
        .details(details);
    crate::kernel::audit::record(&mut *db, &entry).await?;
    Ok(())
}

fn closed_refusal() -> ServiceError {
    AppError::conflict("result", "err-order-closed").into()
}

/// Places an order in the doctor's own consultation, while its note is a draft.
pub async fn place(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    encounter_id: Uuid,
    new: &NewOrder,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    let row = super::own_locked(&mut tx, doctor, encounter_id).await?;
    if row.signed {
        return Err(super::signed_refusal());
    }
    let id = Uuid::new_v4();
    db::insert(
        &mut *tx,
        keys,
        id,
        encounter_id,
        row.patient_id,
        doctor.id,
        new,
        jiff::Timestamp::now(),
    )
    .await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "order.placed",
        (id, encounter_id, row.patient_id),
        serde_json::json!({ "test": new.test.code, "priority": new.priority.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The open order for the doctor who placed it, locked. Anyone else's reads as missing.
async fn own_open(
    tx: &mut PgConnection,
    doctor: &CurrentUser,
    id: Uuid,
) -> Result<OrderHead, ServiceError> {
    if doctor.role != Role::Doctor {
        return Err(AppError::Forbidden.into());
    }
    let head = db::lock(&mut *tx, id)
        .await?
        .filter(|o| o.doctor_id == doctor.id)
        .ok_or(AppError::NotFound)?;
    if head.status != "ordered" {
        return Err(closed_refusal());
    }
    Ok(head)
}

/// Cancels an order that has no result yet; it stays in the record as cancelled.
pub async fn cancel(
    pool: &PgPool,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    let head = own_open(&mut tx, doctor, id).await?;
    db::cancel(&mut *tx, id, doctor.id).await?;
    audit(
        &mut tx,
        doctor,
        ip,
        "order.cancelled",
        (id, head.encounter_id, head.patient_id),
        serde_json::json!({ "test": head.test_code }),
    )
    .await?;
    tx.commit().await?;
    Ok(head.encounter_id)
}

/// What the result form sent, by field.
pub struct TypedResult<'a> {
    pub values: &'a Typed,
    pub lows: &'a Typed,
    pub highs: &'a Typed,
    pub report: &'a str,
    pub abnormal: bool,
}

/// Records the result of an open order and closes it; the values are checked against the
/// test's analytes and flagged against the ranges given. Returns the consultation's id.
pub async fn record_result(
    pool: &PgPool,
    keys: &Keyring,
    doctor: &CurrentUser,
    ip: Option<IpAddr>,
    id: Uuid,
    typed: &TypedResult<'_>,
) -> Result<Uuid, ServiceError> {
    let mut tx = pool.begin().await?;
    let head = own_open(&mut tx, doctor, id).await?;
    let spec = order::test(&head.test_code).ok_or_else(|| {
        ServiceError::failed(
            "order result",
            format!("test {} not in the catalogue", head.test_code),
        )
    })?;
    let result = NewResult::parse(
        spec,
        typed.values,
        typed.lows,
        typed.highs,
        typed.report,
        typed.abnormal,
    )
    .map_err(|errors| {
        let mut all = FieldErrors::default();
        for (field, key) in errors {
            all.push(&field, key);
        }
        AppError::Validation(all)
    })?;
    let lines: Vec<_> = result
        .values
        .iter()
        .filter_map(|v| {
            let a = spec.analytes.iter().find(|a| a.code == v.analyte)?;
            Some((*v, a.decimals, a.unit))
        })
        .collect();
    if !lines.is_empty() {
        db::insert_values(&mut *tx, id, &lines).await?;
    }
    db::close_resulted(
        &mut *tx,
        keys,
        id,
        doctor.id,
        &result.report,
        result.abnormal,
        jiff::Timestamp::now(),
    )
    .await?;
    let flagged = result
        .values
        .iter()
        .filter(|v| v.flag != order::ResultFlag::Normal)
        .count();
    audit(
        &mut tx,
        doctor,
        ip,
        "order.resulted",
        (id, head.encounter_id, head.patient_id),
        serde_json::json!({
            "test": head.test_code,
            "values": lines.len(),
            "flagged": flagged,
            "abnormal": result.abnormal,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(head.encounter_id)
}

fn views(rows: Vec<OrderRow>, values: Vec<ValueRow>, reader: &CurrentUser) -> Vec<OrderView> {
    rows.into_iter()
        .map(|r| OrderView {
            actionable: r.doctor_id == reader.id
                && r.status == order::OrderStatus::Ordered
                && reader.role == Role::Doctor,
            values: values
                .iter()
                .filter(|v| v.order_id == r.id)
                .map(|v| ResultLine {
                    analyte: v.analyte.clone(),
                    decimals: u32::try_from(v.decimals).unwrap_or(0),
                    value: v.value,
                    unit: v.unit.clone(),
                    range: Range {
                        low: v.ref_low,
                        high: v.ref_high,
                    },
                    flag: v.flag,
                })
                .collect(),
            id: r.id,
            encounter_id: r.encounter_id,
            kind: r.kind,
            test_code: r.test_code,
            urgent: r.urgent,
            indication: r.indication,
            status: r.status,
            ordered_at: r.ordered_at,
            doctor_name: r.doctor_name,
            closed_at: r.closed_at,
            closed_by: r.closed_by_name,
            report: r.report,
            abnormal: r.abnormal,
        })
        .collect()
}

async fn with_values(
    db: &mut PgConnection,
    rows: Vec<OrderRow>,
    reader: &CurrentUser,
) -> Result<Vec<OrderView>, ServiceError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let values = if ids.is_empty() {
        Vec::new()
    } else {
        db::values_of(&mut *db, &ids).await?
    };
    Ok(views(rows, values, reader))
}

/// The orders of a consultation whose reading was just allowed and audited.
pub async fn of_encounter(
    db: &mut PgConnection,
    keys: &Keyring,
    encounter_id: Uuid,
    reader: &CurrentUser,
) -> Result<Vec<OrderView>, ServiceError> {
    let rows = db::of_encounter(&mut *db, keys, encounter_id).await?;
    with_values(db, rows, reader).await
}

/// The patient's orders across visits, for a chart whose reading was just allowed and audited.
pub async fn of_patient(
    db: &mut PgConnection,
    keys: &Keyring,
    patient_id: Uuid,
    reader: &CurrentUser,
) -> Result<Vec<OrderView>, ServiceError> {
    let rows = db::of_patient(&mut *db, keys, patient_id).await?;
    with_values(db, rows, reader).await
}
