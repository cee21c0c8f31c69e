//! Lab and imaging orders: placed in a draft consultation by its doctor, resulted once (values
//! flagged against the ranges given, by the app and checked by the database), final after
//! that for the app and for the database, sealed at rest and re-sealed by a rotation; the
//! result form's per-analyte fields and a file attached to an order through the real server.

use crate::db::owner_pool;
use crate::fixtures::{open_consultation, staff_user};
use crate::helpers::{error_json, spawn_app, TestApp};
use crate::records::{checked_in_visit, field_keys, refusal, written};
use app::kernel::crypto::Keyring;
use app::kernel::values::Role;
use app::records::domain::order::{NewOrder, OrderStatus, ResultFlag, Typed};
use app::records::service::{self, orders, sealing};
use reqwest::StatusCode;
use std::sync::Arc;
use uuid::Uuid;

fn typed(pairs: &[(&str, &str)]) -> Typed {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn cbc(indication: &str) -> NewOrder {
    NewOrder::parse("cbc", "urgent", indication).expect("a catalogued test")
}

#[tokio::test]
async fn a_result_is_flagged_against_its_range_and_final_for_the_app_and_the_database() {
    let v = checked_in_visit().await;
    let encounter = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    let order = orders::place(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        encounter,
        &cbc("Pallor, fatigue"),
    )
    .await
    .expect("placed");
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT indication_sealed FROM clinical_orders WHERE id = $1")
            .bind(order)
            .fetch_one(&v.pool)
            .await
            .expect("stored");
    assert!(
        !String::from_utf8_lossy(&sealed).contains("Pallor"),
        "the clinical question is sealed at rest"
    );

    // A value the form cannot read names its field and writes nothing.
    let bad = orders::record_result(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        order,
        &orders::TypedResult {
            values: &typed(&[("hgb", "ten")]),
            lows: &typed(&[]),
            highs: &typed(&[]),
            report: "",
            abnormal: false,
        },
    )
    .await
    .expect_err("not a number");
    assert_eq!(
        field_keys(&refusal(bad)),
        [("value[hgb]".to_owned(), "err-result-value".to_owned())]
    );

    let values = typed(&[("hgb", "10.2"), ("plt", "250"), ("wbc", "11.4")]);
    let lows = typed(&[("hgb", "12.0"), ("plt", "150"), ("wbc", "4.0")]);
    let highs = typed(&[("hgb", "15.5"), ("plt", "400"), ("wbc", "11.0")]);
    let result = orders::TypedResult {
        values: &values,
        lows: &lows,
        highs: &highs,
        report: "Hypochromic red cells on the film.",
        abnormal: false,
    };
    let back = orders::record_result(&v.pool, &v.keys, &v.doctor, None, order, &result)
        .await
        .expect("resulted");
    assert_eq!(back, encounter);

    let mut db = v.pool.acquire().await.expect("connection");
    let listed = orders::of_encounter(&mut db, &v.keys, encounter, &v.doctor)
        .await
        .expect("listed");
    assert_eq!(listed.len(), 1);
    let o = &listed[0];
    assert_eq!(o.status, OrderStatus::Resulted);
    assert!(o.abnormal, "a value out of range makes the result abnormal");
    assert!(!o.actionable, "a resulted order takes no second result");
    assert_eq!(o.indication, "Pallor, fatigue");
    assert_eq!(o.report, "Hypochromic red cells on the film.");
    let flags: Vec<(&str, i32, ResultFlag)> = o
        .values
        .iter()
        .map(|l| (l.analyte.as_str(), l.value, l.flag))
        .collect();
    assert_eq!(
        flags,
        [
            ("hgb", 102, ResultFlag::Low),
            ("wbc", 114, ResultFlag::High),
            ("plt", 250, ResultFlag::Normal),
        ]
    );
    drop(db);

    // A second result, or a cancel, is refused: the order is closed.
    for err in [
        orders::record_result(&v.pool, &v.keys, &v.doctor, None, order, &result)
            .await
            .expect_err("closed"),
        orders::cancel(&v.pool, &v.doctor, None, order)
            .await
            .expect_err("closed"),
    ] {
        assert_eq!(
            field_keys(&refusal(err)),
            [("result".to_owned(), "err-order-closed".to_owned())]
        );
    }

    // The app's own database role cannot rewrite the result either.
    for sql in [
        "UPDATE order_results SET value = 130 WHERE order_id = $1",
        "DELETE FROM order_results WHERE order_id = $1",
        "INSERT INTO order_results (order_id, position, analyte, decimals, value, unit, flag)
         VALUES ($1, 9, 'hct', 1, 400, '%', 'normal')",
        "UPDATE clinical_orders SET abnormal = false WHERE id = $1",
        "UPDATE clinical_orders SET status = 'ordered', closed_at = NULL, closed_by = NULL,
                report_sealed = NULL, abnormal = false WHERE id = $1",
        "DELETE FROM clinical_orders WHERE id = $1",
    ] {
        let err = sqlx::query(sql)
            .bind(order)
            .execute(&v.pool)
            .await
            .expect_err(sql);
        let db = err.as_database_error().expect("a database refusal");
        assert_eq!(db.constraint(), Some("order_final"), "{sql}");
    }
    let owner = owner_pool(&v.pool).await;
    let err = sqlx::query("TRUNCATE order_results, clinical_orders CASCADE")
        .execute(&owner)
        .await
        .expect_err("truncate");
    assert!(err.to_string().contains("cannot be truncated"), "{err}");
}

#[tokio::test]
async fn the_database_refuses_a_flag_that_does_not_match_the_range() {
    let v = checked_in_visit().await;
    let encounter = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    let order = orders::place(&v.pool, &v.keys, &v.doctor, None, encounter, &cbc(""))
        .await
        .expect("placed");
    // Haemoglobin 9.0 against 12.0–15.5 stored as "normal": a hidden low value.
    let err = sqlx::query(
        "INSERT INTO order_results (order_id, position, analyte, decimals, value, unit, ref_low,
                ref_high, flag)
         VALUES ($1, 0, 'hgb', 1, 90, 'g/dL', 120, 155, 'normal')",
    )
    .bind(order)
    .execute(&v.pool)
    .await
    .expect_err("a wrong flag");
    let db = err.as_database_error().expect("a database refusal");
    assert_eq!(db.constraint(), Some("order_results_flag_matches"));
}

#[tokio::test]
async fn orders_are_placed_in_a_draft_by_its_doctor_and_resulted_after_signing() {
    let v = checked_in_visit().await;
    let encounter = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    let other = staff_user(&v.pool, "+966500000003", Role::Doctor).await;
    let err = orders::place(&v.pool, &v.keys, &other, None, encounter, &cbc(""))
        .await
        .expect_err("not their consultation");
    assert!(matches!(
        refusal(err),
        app::kernel::error::AppError::NotFound
    ));
    let desk = staff_user(&v.pool, "+966500000005", Role::Receptionist).await;
    let err = orders::place(&v.pool, &v.keys, &desk, None, encounter, &cbc(""))
        .await
        .expect_err("not a doctor");
    assert!(matches!(
        refusal(err),
        app::kernel::error::AppError::Forbidden
    ));

    let xray = NewOrder::parse("xr-chest", "routine", "Cough for three weeks").expect("test");
    let order = orders::place(&v.pool, &v.keys, &v.doctor, None, encounter, &xray)
        .await
        .expect("placed");
    let none = typed(&[]);
    let no_report = orders::TypedResult {
        values: &none,
        lows: &none,
        highs: &none,
        report: "",
        abnormal: true,
    };
    service::save_draft(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        encounter,
        &written(),
        &["J45.909".into()],
    )
    .await
    .expect("draft");
    service::sign(&v.pool, &v.keys, &v.doctor, None, encounter)
        .await
        .expect("signed");

    // Signed: no new orders, but the open one still takes its result.
    let err = orders::place(&v.pool, &v.keys, &v.doctor, None, encounter, &cbc(""))
        .await
        .expect_err("signed");
    assert_eq!(
        field_keys(&refusal(err)),
        [("note".to_owned(), "err-encounter-signed".to_owned())]
    );
    let err = orders::record_result(&v.pool, &v.keys, &v.doctor, None, order, &no_report)
        .await
        .expect_err("an imaging result is its report");
    assert_eq!(
        field_keys(&refusal(err)),
        [("result_report".to_owned(), "err-result-report".to_owned())]
    );
    let err = orders::record_result(&v.pool, &v.keys, &other, None, order, &no_report)
        .await
        .expect_err("another doctor's order");
    assert!(matches!(
        refusal(err),
        app::kernel::error::AppError::NotFound
    ));
    let report = orders::TypedResult {
        report: "Right lower lobe consolidation.",
        ..no_report
    };
    orders::record_result(&v.pool, &v.keys, &v.doctor, None, order, &report)
        .await
        .expect("resulted after signing");
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY at, id")
            .bind(order.to_string())
            .fetch_all(&v.pool)
            .await
            .expect("audit");
    assert_eq!(audited, ["order.placed", "order.resulted"]);

    // A rotation re-seals the question and the report; the order stays closed and reads back.
    let rotated = Arc::new(
        Keyring::parse(&format!(
            "{},{}",
            Keyring::new_entry("k2").expect("entry"),
            crate::helpers::test_key_entry()
        ))
        .expect("ring"),
    );
    let resealed = sealing::reseal_stale(&v.pool, &rotated)
        .await
        .expect("rotation");
    assert!(
        resealed >= 3,
        "the note, the question and the report: {resealed}"
    );
    let key_ids: (String, String) = sqlx::query_as(
        "SELECT sealed_key_id(indication_sealed), sealed_key_id(report_sealed)
         FROM clinical_orders WHERE id = $1",
    )
    .bind(order)
    .fetch_one(&v.pool)
    .await
    .expect("stored");
    assert_eq!(key_ids, ("k2".to_owned(), "k2".to_owned()));
    let mut db = v.pool.acquire().await.expect("connection");
    let listed = orders::of_encounter(&mut db, &rotated, encounter, &v.doctor)
        .await
        .expect("listed");
    assert_eq!(listed[0].status, OrderStatus::Resulted);
    assert!(listed[0].abnormal);
    assert_eq!(listed[0].report, "Right lower lobe consolidation.");
    assert_eq!(listed[0].indication, "Cough for three weeks");
}

async fn attach(
    app: &TestApp,
    doc: &reqwest::Client,
    encounter: &str,
    order: &str,
) -> reqwest::Response {
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
    let fields = [
        ("encounter_id", encounter),
        ("att_order", order),
        ("att_kind", "lab"),
        ("att_title", "Kidney panel"),
    ];
    app.upload_with(doc, &fields, ("kidney.pdf", "application/pdf", pdf))
        .await
}

async fn order_of(app: &TestApp, encounter: &str) -> String {
    let id: Uuid = sqlx::query_scalar(
        "SELECT id FROM clinical_orders WHERE encounter_id = $1::uuid ORDER BY ordered_at DESC LIMIT 1",
    )
    .bind(encounter)
    .fetch_one(&app.pool)
    .await
    .expect("an order");
    id.to_string()
}

#[tokio::test]
async fn the_result_form_sends_each_analyte_by_name_and_files_join_their_order() {
    let app = spawn_app(crate::db::test_pool().await).await;
    app.login(crate::helpers::PATIENT_PHONE, crate::helpers::DEMO_PASSWORD)
        .await;
    let (doc, encounter) = open_consultation(&app).await;
    let placed = app
        .call_with(
            &doc,
            "place_order",
            &[
                ("id", &encounter),
                ("order_test", "kidney"),
                ("order_priority", "routine"),
                ("order_indication", ""),
            ],
        )
        .await;
    assert_eq!(placed.status(), StatusCode::OK);
    let order = order_of(&app, &encounter).await;

    let unknown = app
        .call_with(
            &doc,
            "place_order",
            &[
                ("id", &encounter),
                ("order_test", "mri-brain-x"),
                ("order_priority", "now"),
            ],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(unknown).await.to_string();
    assert!(
        body.contains("err-order-test") && body.contains("err-order-priority"),
        "{body}"
    );

    let wrong = app
        .call_with(
            &doc,
            "record_result",
            &[
                ("order_id", &order),
                ("value[k]", "6.2"),
                ("low[k]", "5.1"),
                ("high[k]", "3.5"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(wrong).await.to_string();
    assert!(
        body.contains("low[k]") && body.contains("err-result-range"),
        "{body}"
    );

    let recorded = app
        .call_with(
            &doc,
            "record_result",
            &[
                ("order_id", &order),
                ("value[creat]", "0.78"),
                ("low[creat]", "0.59"),
                ("high[creat]", "1.04"),
                ("value[k]", "6.2"),
                ("low[k]", "3.5"),
                ("high[k]", "5.1"),
                ("value[na]", ""),
                ("result_report", "Sample slightly haemolysed."),
            ],
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::OK);
    let rows: Vec<(String, i32, String)> = sqlx::query_as(
        "SELECT analyte, value, flag FROM order_results WHERE order_id = $1::uuid ORDER BY position",
    )
    .bind(&order)
    .fetch_all(&app.pool)
    .await
    .expect("values");
    assert_eq!(
        rows,
        [
            ("creat".to_owned(), 78, "normal".to_owned()),
            ("k".to_owned(), 62, "high".to_owned()),
        ]
    );

    // The lab's PDF joins the order; an order of another consultation is not this one's.
    assert_eq!(
        attach(&app, &doc, &encounter, &order).await.status(),
        StatusCode::OK
    );
    let linked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM attachments WHERE order_id = $1::uuid")
            .bind(&order)
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(linked, 1);
    let demo_order: Uuid =
        sqlx::query_scalar("SELECT id FROM clinical_orders WHERE encounter_id <> $1::uuid LIMIT 1")
            .bind(&encounter)
            .fetch_one(&app.pool)
            .await
            .expect("the demo visit's order");
    assert_eq!(
        attach(&app, &doc, &encounter, &demo_order.to_string())
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // The consultation page shows the flagged value and the file under the order.
    let page = doc
        .get(app.url(&format!("/encounters/{encounter}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(r#"data-analyte="k" data-flag="high""#),
        "the high potassium is flagged"
    );
    assert!(page.contains("Kidney panel"));
}
