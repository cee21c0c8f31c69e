//! Prescriptions and the patient portal: a drug matching an allergy needs a stated reason,
//! issued lines are final in the database, the printed paper is for the treating doctor and
//! the patient only, its public check tells a genuine paper from an altered one, and the
//! portal shows signed summaries and who opened the record.

use crate::db::test_pool;
use crate::fixtures::{national_id, open_consultation};
use crate::helpers::{
    as_role, error_json, new_client, registration, spawn_app, TestApp, DEMO_PASSWORD, PATIENT_PHONE,
};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use uuid::Uuid;

/// The demo patient's seeded prescription: (id, verification code).
async fn demo_prescription(app: &TestApp) -> (String, String) {
    let (id, code): (Uuid, String) = sqlx::query_as(
        "SELECT id, verification_code FROM prescriptions ORDER BY issued_at LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the demo chart has a prescription");
    (id.to_string(), code)
}

async fn json(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json body")
}

/// A patient account of its own, with no visit anywhere.
async fn stranger(app: &TestApp) -> Client {
    let client = new_client();
    let id = national_id(4_242);
    let registered = app
        .call_with(&client, "register", &registration("0551112233", &id))
        .await;
    assert_eq!(registered.status(), StatusCode::OK);
    client
}

fn line<'a>(encounter: &'a str, drug: &'a str, reason: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("id", encounter),
        ("drug", drug),
        ("drug_code", ""),
        ("strength", "500 mg"),
        ("dose", "1 capsule"),
        ("route", "oral"),
        ("frequency", "every 8 hours"),
        ("duration_days", "7"),
        ("quantity", "21 capsules"),
        ("refills", "0"),
        ("instructions_ar", "كبسولة كل ثماني ساعات بعد الأكل"),
        ("allergy_reason", reason),
    ]
}

#[tokio::test]
async fn a_drug_matching_an_allergy_needs_a_reason_and_issued_lines_are_final() {
    let app = spawn_app(test_pool().await).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let (doc, encounter) = open_consultation(&app).await;

    // The demo patient is allergic to penicillin; amoxicillin is one.
    let warned = app
        .call_with(&doc, "prescribe", &line(&encounter, "Amoxicillin", ""))
        .await;
    assert_eq!(warned.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_json(warned).await;
    assert_eq!(body["Validation"][0]["field"], "allergy_reason");
    assert_eq!(body["Validation"][0]["key"], "err-rx-allergy-reason");
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM prescriptions WHERE encounter_id = $1::uuid",
        )
        .bind(&encounter)
        .fetch_one(&app.pool)
        .await
        .expect("count")
    };
    assert_eq!(count().await, 0, "nothing is issued on a warning");

    let reason = "No alternative tolerated; tested dose given without reaction";
    let issued = app
        .call_with(&doc, "prescribe", &line(&encounter, "Amoxicillin", reason))
        .await;
    assert_eq!(issued.status(), StatusCode::OK);
    assert_eq!(
        issued.headers()["location"],
        format!("/encounters/{encounter}?prescribed=1").as_str()
    );
    // A drug with no match needs no reason, and one given anyway is not kept.
    let plain = app
        .call_with(
            &doc,
            "prescribe",
            &line(&encounter, "Paracetamol", "ignored"),
        )
        .await;
    assert_eq!(plain.status(), StatusCode::OK);
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT drug, allergy_override FROM prescriptions WHERE encounter_id = $1::uuid ORDER BY issued_at",
    )
    .bind(&encounter)
    .fetch_all(&app.pool)
    .await
    .expect("rows");
    assert_eq!(
        rows,
        [
            ("Amoxicillin".to_owned(), Some(reason.to_owned())),
            ("Paracetamol".to_owned(), None)
        ]
    );
    let audited: Value = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'prescription.issued' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("audit row");
    assert_eq!(audited["allergy_matched"][0], "Penicillin");
    assert_eq!(audited["allergy_override"], reason);

    // Bad input is named field by field, and nothing else is issued.
    let mut bad = line(&encounter, "", "");
    bad[5] = ("route", "by mouth");
    bad[7] = ("duration_days", "400");
    let refused = app.call_with(&doc, "prescribe", &bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = error_json(refused).await["Validation"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["drug", "route", "duration_days"]);
    assert_eq!(count().await, 2);

    // Other doctors, the desk and the patient cannot prescribe here.
    for client in [
        as_role(&app, "0500000003").await,
        as_role(&app, "0500000005").await,
        app.client.clone(),
    ] {
        let refused = app
            .call_with(&client, "prescribe", &line(&encounter, "Paracetamol", ""))
            .await;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&refused.status()),
            "{}",
            refused.status()
        );
    }
    assert_eq!(count().await, 2);

    // Issued means final, whoever holds a database connection.
    for sql in [
        "UPDATE prescriptions SET quantity = '210 capsules' WHERE encounter_id = $1::uuid",
        "DELETE FROM prescriptions WHERE encounter_id = $1::uuid",
    ] {
        let err = sqlx::query(sql)
            .bind(&encounter)
            .execute(&app.pool)
            .await
            .expect_err("refused by the trigger");
        let constraint = err
            .as_database_error()
            .and_then(|e| e.constraint())
            .map(str::to_owned);
        assert_eq!(constraint.as_deref(), Some("prescription_final"), "{sql}");
    }
}

#[tokio::test]
async fn the_paper_is_for_the_patient_and_their_doctor_and_its_check_spots_an_altered_one() {
    let app = spawn_app(test_pool().await).await;
    let (id, code) = demo_prescription(&app).await;
    let patient = as_role(&app, PATIENT_PHONE).await;
    let paper = json(
        app.call_with(&patient, "prescription_paper", &[("id", &id)])
            .await,
    )
    .await;
    let url = paper["verify_url"].as_str().expect("url");
    assert_eq!(url, format!("http://{}/rx/{code}", app.addr));
    assert!(paper["qr_svg"].as_str().expect("svg").starts_with("<svg"));
    let licence = paper["issuer"]["licence_number"].as_str().expect("licence");
    assert!(licence.starts_with("SCFHS-12"), "{licence}");
    assert!(paper["patient"]["national_id_masked"]
        .as_str()
        .expect("masked")
        .starts_with("••"));
    let treating = as_role(&app, "0500000002").await;
    json(
        app.call_with(&treating, "prescription_paper", &[("id", &id)])
            .await,
    )
    .await;

    // Nobody else: another patient and an unrelated doctor learn nothing; the desk is not let
    // into clinical papers at all.
    for (client, expected) in [
        (stranger(&app).await, StatusCode::NOT_FOUND),
        (as_role(&app, "0500000003").await, StatusCode::NOT_FOUND),
        (as_role(&app, "0500000005").await, StatusCode::FORBIDDEN),
        (new_client(), StatusCode::UNAUTHORIZED),
    ] {
        let refused = app
            .call_with(&client, "prescription_paper", &[("id", &id)])
            .await;
        assert_eq!(refused.status(), expected);
    }

    // The public check, with no log-in, shows the drug and initials only.
    let anyone = new_client();
    let check = json(
        app.call_with(&anyone, "verify_prescription", &[("code", &code)])
            .await,
    )
    .await;
    assert_eq!(check["intact"], true);
    assert_eq!(check["rx"]["drug"], "Paracetamol");
    assert_eq!(check["fingerprint"], paper["fingerprint"]);
    let shown = check.to_string();
    assert!(!shown.contains("patient_id") && !shown.contains("national_id"));
    assert!(
        check["patient_initials"]
            .as_str()
            .expect("initials")
            .chars()
            .count()
            <= 5
    );
    for bad in [
        "",
        "nope",
        &"0".repeat(32),
        "'; DROP TABLE prescriptions; --",
    ] {
        let missing = app
            .call_with(&anyone, "verify_prescription", &[("code", bad)])
            .await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{bad:?}");
    }

    // Someone with owner rights edits the stored line behind the app's back: the check says
    // so, and the app refuses to print it as genuine.
    let owner = crate::db::owner_pool(&app.pool).await;
    let mut tx = owner.begin().await.expect("tx");
    for sql in [
        "ALTER TABLE prescriptions DISABLE TRIGGER prescriptions_final",
        "UPDATE prescriptions SET quantity = '240 tablets'",
        "ALTER TABLE prescriptions ENABLE TRIGGER prescriptions_final",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.expect(sql);
    }
    tx.commit().await.expect("commit");
    let check = json(
        app.call_with(&anyone, "verify_prescription", &[("code", &code)])
            .await,
    )
    .await;
    assert_eq!(check["intact"], false);
    let refused = app
        .call_with(&patient, "prescription_paper", &[("id", &id)])
        .await;
    assert_eq!(refused.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn the_portal_shows_signed_summaries_and_who_opened_the_record() {
    let app = spawn_app(test_pool().await).await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let before = json(app.call("my_record", &[]).await).await;
    let me = &before["people"][0];
    assert_eq!(me["is_self"], true);
    assert_eq!(me["visits"].as_array().expect("visits").len(), 2);
    assert_eq!(me["allergies"][0]["substance"], "Penicillin");
    assert_eq!(me["prescriptions"][0]["rx"]["drug"], "Paracetamol");
    let summary = me["visits"][0]["summary"].as_str().expect("summary");
    assert!(summary.contains("ضغطك تحسّن"), "{summary}");
    // Only what the doctor wrote for the patient: no assessment, no plan, no history.
    assert!(!before.to_string().contains("نمط الحياة"));

    // A draft with a summary is not shown until it is signed; the doctor's reads are.
    let (doc, encounter) = open_consultation(&app).await;
    let draft = [
        ("id", encounter.as_str()),
        ("chief_complaint", "ألم في الحلق"),
        ("history", ""),
        ("examination", ""),
        ("assessment", "Pharyngitis"),
        ("plan", ""),
        ("patient_summary", "ملخص لم يوقع بعد"),
        ("diagnoses", "J02.9"),
    ];
    assert_eq!(
        app.call_with(&doc, "save_encounter", &draft).await.status(),
        StatusCode::OK
    );
    let (id, _) = demo_prescription(&app).await;
    json(
        app.call_with(&doc, "prescription_paper", &[("id", &id)])
            .await,
    )
    .await;
    let after = json(app.call("my_record", &[]).await).await;
    let me = &after["people"][0];
    assert_eq!(me["visits"].as_array().expect("visits").len(), 2);
    assert!(!after.to_string().contains("ملخص لم يوقع بعد"));
    let access = me["access"].as_array().expect("access");
    assert!(
        access
            .iter()
            .any(|a| a["kind"] == "Read" && a["role"] == "doctor" && a["who"].is_string()),
        "{access:?}"
    );
    assert!(access.iter().any(|a| a["kind"] == "Wrote"), "{access:?}");
    // The patient's own looks are not listed as someone else's.
    assert!(access.iter().all(|a| a["role"] != "patient"), "{access:?}");

    // Signing shares it.
    let mut sign = draft.to_vec();
    sign.push(("sign", "1"));
    assert_eq!(
        app.call_with(&doc, "save_encounter", &sign).await.status(),
        StatusCode::OK
    );
    let signed = json(app.call("my_record", &[]).await).await;
    assert_eq!(
        signed["people"][0]["visits"][0]["summary"],
        "ملخص لم يوقع بعد"
    );
    let latest = json(app.call("latest_visit", &[]).await).await;
    assert_eq!(latest["summary"], "ملخص لم يوقع بعد");

    // The portal is the patient's: staff get 403, another patient sees only their own.
    let desk = as_role(&app, "0500000005").await;
    assert_eq!(
        app.call_with(&desk, "my_record", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    let other = json(app.call_with(&stranger(&app).await, "my_record", &[]).await).await;
    assert_eq!(other["people"].as_array().expect("people").len(), 1);
    assert_eq!(other["people"][0]["visits"].as_array().expect("v").len(), 0);
    assert_eq!(
        other["people"][0]["prescriptions"]
            .as_array()
            .expect("p")
            .len(),
        0
    );

    // The pages render, in Arabic.
    let page = app.get("/me/records").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("سجلي الطبي") && html.contains("ضغطك تحسّن"));
}

#[tokio::test]
async fn the_consultation_screen_draws_the_vitals_trend_with_high_readings_in_red() {
    let app = spawn_app(test_pool().await).await;
    let encounter: Uuid =
        sqlx::query_scalar("SELECT id FROM encounters ORDER BY signed_at DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("the demo's latest visit");
    let doctor = as_role(&app, "0500000002").await;
    let page = doctor
        .get(app.url(&format!("/encounters/{encounter}")))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains(r#"data-testid="vitals-trend""#),
        "no trend drawn"
    );
    // Both demo visits: 142/91 then 131/84; the first is above the usual range.
    assert!(html.contains("<polyline"));
    assert!(html.contains(r#"data-out="true""#));
    assert!(html.contains(r#"data-out="false""#));
    assert!(html.contains("131/84 mmHg"));
}

#[tokio::test]
async fn problems_and_medications_join_the_chart_header() {
    let app = spawn_app(test_pool().await).await;
    let encounter: Uuid =
        sqlx::query_scalar("SELECT id FROM encounters ORDER BY signed_at DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("the demo's latest visit");
    let id = encounter.to_string();
    let doctor = as_role(&app, "0500000002").await;
    let unknown = app
        .call_with(
            &doctor,
            "add_problem",
            &[
                ("id", &id),
                ("problem_code", "Q99.999"),
                ("problem_note", ""),
            ],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(unknown).await["Validation"][0]["field"],
        "problem_code"
    );
    let nameless = app
        .call_with(
            &doctor,
            "add_medication",
            &[("id", &id), ("med_drug", " "), ("med_dose", "")],
        )
        .await;
    assert_eq!(nameless.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(nameless).await["Validation"][0]["field"],
        "med_drug"
    );
    for (endpoint, form) in [
        (
            "add_problem",
            [
                ("id", id.as_str()),
                ("problem_code", "i10"),
                ("problem_note", "منذ 2024"),
            ],
        ),
        (
            "add_medication",
            [
                ("id", id.as_str()),
                ("med_drug", "Amlodipine 5 mg"),
                ("med_dose", "مرة يوميًا"),
            ],
        ),
    ] {
        let added = app.call_with(&doctor, endpoint, &form).await;
        assert_eq!(added.status(), StatusCode::OK, "{endpoint}");
    }
    let page = json(app.call_with(&doctor, "encounter", &[("id", &id)]).await).await;
    let header = &page["header"];
    assert_eq!(header["problems"][0]["code"], "I10");
    assert_eq!(
        header["problems"][0]["title"],
        "Essential (primary) hypertension"
    );
    assert_eq!(header["problems"][0]["note"], "منذ 2024");
    assert_eq!(header["medications"][0]["drug"], "Amlodipine 5 mg");
    // Each write is on the patient's audit trail.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action IN ('problem.recorded', 'medication.recorded') ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("audit");
    assert_eq!(actions, ["problem.recorded", "medication.recorded"]);
}
