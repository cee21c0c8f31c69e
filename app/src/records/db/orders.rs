//! Orders' and results' SQL. An order closes once (triggers `clinical_orders_rules` and
//! `order_results_rules`); its free text is sealed with the record's keys.

use crate::kernel::crypto::Keyring;
use crate::kernel::db::{classify, to_odt, to_ts, DbError};
use crate::records::db::sealed::{self, order_indication_aad, order_report_aad};
use crate::records::domain::order::{NewOrder, OrderKind, OrderStatus, ResultFlag, ResultValue};
use jiff::Timestamp;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A stored code the app does not know: the row was written by something else.
fn unknown(what: &str, code: &str) -> DbError {
    DbError::Sqlx(sqlx::Error::Decode(
        format!("{what} {code:?} is unknown").into(),
    ))
}

/// Enough of an order to decide who may change it.
#[derive(Debug, Clone)]
pub struct OrderHead {
    pub id: Uuid,
    pub encounter_id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub test_code: String,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: Uuid,
    pub encounter_id: Uuid,
    pub doctor_id: Uuid,
    pub doctor_name: String,
    pub kind: OrderKind,
    pub test_code: String,
    pub urgent: bool,
    pub indication: String,
    pub status: OrderStatus,
    pub ordered_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub closed_by_name: Option<String>,
    pub report: String,
    pub abnormal: bool,
}

#[derive(Debug, Clone)]
pub struct ValueRow {
    pub order_id: Uuid,
    pub analyte: String,
    pub decimals: i16,
    pub value: i32,
    pub unit: String,
    pub ref_low: Option<i32>,
    pub ref_high: Option<i32>,
    pub flag: ResultFlag,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    id: Uuid,
    encounter_id: Uuid,
    patient_id: Uuid,
    doctor_id: Uuid,
    order: &NewOrder,
    ordered_at: Timestamp,
) -> Result<(), DbError> {
    let indication = (!order.indication.is_empty())
        .then(|| keys.seal_text(&order.indication, &order_indication_aad(id)));
    sqlx::query!(
        "INSERT INTO clinical_orders (id, encounter_id, patient_id, doctor_id, kind, test_code,
                priority, indication_sealed, ordered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        encounter_id,
        patient_id,
        doctor_id,
        order.test.kind.code(),
        order.test.code,
        order.priority.code(),
        indication,
        to_odt(ordered_at)
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The order, locked for the rest of the transaction.
pub async fn lock(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<OrderHead>, DbError> {
    Ok(sqlx::query_as!(
        OrderHead,
        "SELECT id, encounter_id, patient_id, doctor_id, test_code, status
         FROM clinical_orders WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(db)
    .await?)
}

/// The order's head without a lock, for a file attached to it.
pub async fn head(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<OrderHead>, DbError> {
    Ok(sqlx::query_as!(
        OrderHead,
        "SELECT id, encounter_id, patient_id, doctor_id, test_code, status
         FROM clinical_orders WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await?)
}

pub async fn cancel(db: impl PgExecutor<'_>, id: Uuid, by: Uuid) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE clinical_orders SET status = 'cancelled', closed_at = now(), closed_by = $2
         WHERE id = $1",
        id,
        by
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// Writes the values of a result in one statement; the order must still be open.
pub async fn insert_values(
    db: impl PgExecutor<'_>,
    order_id: Uuid,
    values: &[(ResultValue, u32, &str)],
) -> Result<(), DbError> {
    let positions: Vec<i16> = (0..values.len())
        .map(|i| i16::try_from(i).unwrap_or(i16::MAX))
        .collect();
    let analytes: Vec<String> = values
        .iter()
        .map(|(v, _, _)| v.analyte.to_owned())
        .collect();
    let decimals: Vec<i16> = values
        .iter()
        .map(|(_, d, _)| i16::try_from(*d).unwrap_or(i16::MAX))
        .collect();
    let numbers: Vec<i32> = values.iter().map(|(v, _, _)| v.value).collect();
    let units: Vec<String> = values.iter().map(|(_, _, u)| (*u).to_owned()).collect();
    let lows: Vec<Option<i32>> = values.iter().map(|(v, _, _)| v.range.low).collect();
    let highs: Vec<Option<i32>> = values.iter().map(|(v, _, _)| v.range.high).collect();
    let flags: Vec<String> = values
        .iter()
        .map(|(v, _, _)| v.flag.code().to_owned())
        .collect();
    sqlx::query!(
        "INSERT INTO order_results (order_id, position, analyte, decimals, value, unit, ref_low,
                ref_high, flag)
         SELECT $1, * FROM UNNEST($2::smallint[], $3::text[], $4::smallint[], $5::int[],
                $6::text[], $7::int[], $8::int[], $9::text[])",
        order_id,
        &positions,
        &analytes,
        &decimals,
        &numbers,
        &units,
        &lows as &[Option<i32>],
        &highs as &[Option<i32>],
        &flags
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn close_resulted(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    id: Uuid,
    by: Uuid,
    report: &str,
    abnormal: bool,
    at: Timestamp,
) -> Result<(), DbError> {
    let report = (!report.is_empty()).then(|| keys.seal_text(report, &order_report_aad(id)));
    sqlx::query!(
        "UPDATE clinical_orders SET status = 'resulted', closed_at = $5, closed_by = $2,
                report_sealed = $3, abnormal = $4
         WHERE id = $1",
        id,
        by,
        report,
        abnormal,
        to_odt(at)
    )
    .execute(db)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The one column list both readers select, with the reader's own condition on `$1`.
macro_rules! select_orders {
    ($where:literal, $arg:expr) => {
        sqlx::query!(
            r#"SELECT o.id, o.encounter_id, o.doctor_id, o.kind, o.test_code, o.priority,
                      o.indication_sealed, o.status, o.ordered_at, o.closed_at,
                      o.report_sealed, o.abnormal,
                      d.first_name || ' ' || d.family_name AS "doctor_name!",
                      c.first_name || ' ' || c.family_name AS closed_by_name
               FROM clinical_orders o
               JOIN users d ON d.id = o.doctor_id
               LEFT JOIN users c ON c.id = o.closed_by
               WHERE "#
                + $where
                + " ORDER BY o.ordered_at DESC, o.id LIMIT 200",
            $arg
        )
    };
}

macro_rules! into_rows {
    ($rows:expr, $keys:expr) => {
        $rows
            .into_iter()
            .map(|r| {
                let kind =
                    OrderKind::from_code(&r.kind).ok_or_else(|| unknown("order kind", &r.kind))?;
                let status = OrderStatus::from_code(&r.status)
                    .ok_or_else(|| unknown("order status", &r.status))?;
                let open = |value: Option<Vec<u8>>, aad: String| {
                    sealed::open_text($keys, &aad, value.as_deref(), String::new())
                };
                Ok(OrderRow {
                    indication: open(r.indication_sealed, order_indication_aad(r.id))?,
                    report: open(r.report_sealed, order_report_aad(r.id))?,
                    id: r.id,
                    encounter_id: r.encounter_id,
                    doctor_id: r.doctor_id,
                    doctor_name: r.doctor_name,
                    kind,
                    test_code: r.test_code,
                    urgent: r.priority == "urgent",
                    status,
                    ordered_at: to_ts(r.ordered_at),
                    closed_at: r.closed_at.map(to_ts),
                    closed_by_name: r.closed_by_name,
                    abnormal: r.abnormal,
                })
            })
            .collect()
    };
}

/// The orders of one consultation, newest first.
pub async fn of_encounter(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    encounter_id: Uuid,
) -> Result<Vec<OrderRow>, DbError> {
    let rows = select_orders!("o.encounter_id = $1", encounter_id)
        .fetch_all(db)
        .await?;
    into_rows!(rows, keys)
}

/// The patient's orders across visits, newest first.
pub async fn of_patient(
    db: impl PgExecutor<'_>,
    keys: &Keyring,
    patient_id: Uuid,
) -> Result<Vec<OrderRow>, DbError> {
    let rows = select_orders!("o.patient_id = $1", patient_id)
        .fetch_all(db)
        .await?;
    into_rows!(rows, keys)
}

/// The values of these orders, in each report's order.
pub async fn values_of(
    db: impl PgExecutor<'_>,
    order_ids: &[Uuid],
) -> Result<Vec<ValueRow>, DbError> {
    sqlx::query!(
        "SELECT order_id, analyte, decimals, value, unit, ref_low, ref_high, flag
         FROM order_results WHERE order_id = ANY($1) ORDER BY order_id, position",
        order_ids
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| {
        Ok(ValueRow {
            flag: ResultFlag::from_code(&r.flag).ok_or_else(|| unknown("result flag", &r.flag))?,
            order_id: r.order_id,
            analyte: r.analyte,
            decimals: r.decimals,
            value: r.value,
            unit: r.unit,
            ref_low: r.ref_low,
            ref_high: r.ref_high,
        })
    })
    .collect()
}
