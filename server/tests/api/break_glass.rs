//! Break-glass: a doctor with no appointment with a patient sees only the patient's name and
//! the reason form; after a stated reason the chart opens read-only for an hour, every read is
//! audited with the reason, the patient sees it, and an admin reviews the grant once. Grants
//! that ran out close the chart again; grants are never removed.

use crate::db::{owner_pool, test_pool};
use crate::helpers::{as_role, error_json, spawn_app, TestApp, ADMIN_PHONE, PATIENT_PHONE};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use uuid::Uuid;

async fn json(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json body")
}

/// The demo patient (سارة, seen by doctor 02) and one of her signed consultations.
async fn demo_patient(app: &TestApp) -> (String, String) {
    let (patient, encounter): (Uuid, Uuid) = sqlx::query_as(
        "SELECT e.patient_id, e.id FROM encounters e JOIN users u ON u.id = e.patient_id
         WHERE u.phone = '+966500000006' AND e.status = 'signed' ORDER BY e.opened_at LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the demo chart");
    (patient.to_string(), encounter.to_string())
}

async fn chart(app: &TestApp, client: &Client, patient: &str) -> Value {
    json(
        app.call_with(client, "chart", &[("patient_id", patient)])
            .await,
    )
    .await
}

async fn grants(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM chart_access_grants")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_doctor_without_a_care_relationship_opens_a_chart_only_for_a_stated_reason() {
    let app = spawn_app(test_pool().await).await;
    let (patient, encounter) = demo_patient(&app).await;
    let stranger = as_role(&app, "0500000003").await;

    // The search finds her and says the chart is not this doctor's.
    let hits = json(
        app.call_with(&stranger, "chart_search", &[("q", "سارة")])
            .await,
    )
    .await;
    let hit = hits
        .as_array()
        .expect("list")
        .iter()
        .find(|h| h["patient_id"] == patient.as_str())
        .expect("the demo patient is found");
    assert_eq!(hit["treats"], false);
    assert!(hit["national_id_masked"]
        .as_str()
        .expect("masked")
        .starts_with('•'));

    // Without a grant: her name and the form, nothing of the chart; the attempt is audited.
    let closed = chart(&app, &stranger, &patient).await;
    assert!(closed["NeedsReason"]["full_name"]
        .as_str()
        .expect("name")
        .contains("سارة"));
    assert!(closed.get("Open").is_none());
    let denied: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'chart.read' AND outcome = 'denied'
           AND details ->> 'patient_id' = $1",
    )
    .bind(&patient)
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(denied, 1);
    let note = app
        .call_with(&stranger, "encounter", &[("id", &encounter)])
        .await;
    assert_eq!(note.status(), StatusCode::NOT_FOUND);

    // A reason that says nothing is refused on its field, and grants nothing.
    for (typed, key) in [
        ("", "err-text-required"),
        ("طوارئ", "err-break-glass-reason-short"),
    ] {
        let refused = app
            .call_with(
                &stranger,
                "break_glass",
                &[("patient_id", &patient), ("reason", typed)],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = error_json(refused).await;
        assert_eq!(body["Validation"][0]["field"], "reason");
        assert_eq!(body["Validation"][0]["key"], key);
    }
    assert_eq!(grants(&app).await, 0);
    // Someone who is not a patient has no chart to break into.
    let nobody = app
        .call_with(
            &stranger,
            "break_glass",
            &[
                ("patient_id", &Uuid::new_v4().to_string()),
                ("reason", "المريض فاقد الوعي في الطوارئ"),
            ],
        )
        .await;
    assert_eq!(nobody.status(), StatusCode::NOT_FOUND);

    let reason = "المريضة في الطوارئ فاقدة الوعي ونحتاج حساسيتها";
    let granted = app
        .call_with(
            &stranger,
            "break_glass",
            &[("patient_id", &patient), ("reason", reason)],
        )
        .await;
    assert!(granted.status().is_success() || granted.status().is_redirection());
    assert_eq!(grants(&app).await, 1);

    // Now the chart opens, with the allergy on top, marked as emergency access.
    let open = chart(&app, &stranger, &patient).await;
    let page = &open["Open"];
    assert_eq!(page["break_glass"][1], reason);
    assert!(page["header"]["allergies"]
        .as_array()
        .expect("allergies")
        .iter()
        .any(|a| a["substance"] == "Penicillin"));
    assert!(!page["visits"].as_array().expect("visits").is_empty());
    let note = app
        .call_with(&stranger, "encounter", &[("id", &encounter)])
        .await;
    assert_eq!(note.status(), StatusCode::OK);
    // Every read under the grant carries its reason in the audit log.
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT details -> 'break_glass' ->> 'reason' FROM audit_log
         WHERE actor_id = (SELECT id FROM users WHERE phone = '+966500000003')
           AND action IN ('chart.read', 'encounter.read') AND outcome = 'success'",
    )
    .fetch_all(&app.pool)
    .await
    .expect("rows");
    assert_eq!(reasons.len(), 2);
    assert!(reasons.iter().all(|r| r == reason));

    // Break-glass reads; it never writes: the note stays the treating doctor's.
    let write = app
        .call_with(
            &stranger,
            "add_addendum",
            &[("id", &encounter), ("body", "from a stranger")],
        )
        .await;
    assert_eq!(write.status(), StatusCode::NOT_FOUND);

    // The patient sees that her chart was opened in an emergency.
    let patient_client = as_role(&app, PATIENT_PHONE).await;
    let portal = json(app.call_with(&patient_client, "my_record", &[]).await).await;
    assert!(portal["people"][0]["access"]
        .as_array()
        .expect("access")
        .iter()
        .any(|a| a["kind"] == "BreakGlass"));

    // A doctor who treats her needs no grant and gets none.
    let hers = as_role(&app, "0500000002").await;
    let own = app
        .call_with(
            &hers,
            "break_glass",
            &[("patient_id", &patient), ("reason", reason)],
        )
        .await;
    assert!(own.status().is_success() || own.status().is_redirection());
    assert_eq!(grants(&app).await, 1);
    assert!(chart(&app, &hers, &patient).await["Open"]["break_glass"].is_null());
}

#[tokio::test]
async fn grants_run_out_are_reviewed_once_by_admins_and_are_never_removed() {
    let app = spawn_app(test_pool().await).await;
    let (patient, _) = demo_patient(&app).await;
    let doctor = as_role(&app, "0500000004").await;
    let doctor_id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE phone = '+966500000004'")
        .fetch_one(&app.pool)
        .await
        .expect("doctor");
    // A grant that ran out an hour ago.
    sqlx::query(
        "INSERT INTO chart_access_grants (id, doctor_id, patient_id, reason, granted_at, expires_at)
         VALUES ($1, $2, $3::uuid, 'an old emergency, long over', now() - interval '2 hours',
                 now() - interval '1 hour')",
    )
    .bind(Uuid::new_v4())
    .bind(doctor_id)
    .bind(&patient)
    .execute(&app.pool)
    .await
    .expect("old grant");
    assert!(chart(&app, &doctor, &patient)
        .await
        .get("NeedsReason")
        .is_some());
    let granted = app
        .call_with(
            &doctor,
            "break_glass",
            &[
                ("patient_id", &patient),
                ("reason", "Unconscious in the ER, allergies needed"),
            ],
        )
        .await;
    assert!(granted.status().is_success() || granted.status().is_redirection());
    assert!(chart(&app, &doctor, &patient).await.get("Open").is_some());

    // Only admins review.
    for phone in ["0500000002", "0500000005", PATIENT_PHONE] {
        let client = as_role(&app, phone).await;
        let refused = app.call_with(&client, "break_glass_reviews", &[]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{phone}");
    }
    let admin = as_role(&app, ADMIN_PHONE).await;
    let page = json(app.call_with(&admin, "break_glass_reviews", &[]).await).await;
    let waiting = page["waiting"].as_array().expect("waiting");
    assert_eq!(waiting.len(), 2);
    let newest = &waiting[0];
    assert_eq!(newest["reason"], "Unconscious in the ER, allergies needed");
    assert_eq!(newest["reads"], 1);
    assert!(page["reviewed"].as_array().expect("reviewed").is_empty());
    let id = newest["id"].as_str().expect("id").to_owned();

    let too_long = "x".repeat(501);
    let refused = app
        .call_with(
            &admin,
            "review_break_glass",
            &[("id", &id), ("note", &too_long)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reviewed = app
        .call_with(
            &admin,
            "review_break_glass",
            &[("id", &id), ("note", "Confirmed with the ER log")],
        )
        .await;
    assert!(reviewed.status().is_success() || reviewed.status().is_redirection());
    let again = app
        .call_with(&admin, "review_break_glass", &[("id", &id), ("note", "")])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(again).await["Conflict"][0]["key"],
        "err-break-glass-reviewed"
    );
    let missing = app
        .call_with(
            &admin,
            "review_break_glass",
            &[("id", &Uuid::new_v4().to_string()), ("note", "")],
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let page = json(app.call_with(&admin, "break_glass_reviews", &[]).await).await;
    assert_eq!(page["waiting"].as_array().expect("waiting").len(), 1);
    assert_eq!(
        page["reviewed"][0]["review_note"],
        "Confirmed with the ER log"
    );

    // Not even the database owner removes a grant or rewrites its reason or window.
    let owner = owner_pool(&app.pool).await;
    for statement in [
        "DELETE FROM chart_access_grants",
        "UPDATE chart_access_grants SET reason = 'something else entirely'",
        "UPDATE chart_access_grants SET expires_at = expires_at + interval '1 hour'
          WHERE reviewed_at IS NULL",
        "UPDATE chart_access_grants SET review_note = 'rewritten' WHERE reviewed_at IS NOT NULL",
        "TRUNCATE chart_access_grants",
    ] {
        assert!(
            sqlx::query(statement).execute(&owner).await.is_err(),
            "{statement}"
        );
    }
    assert_eq!(grants(&app).await, 2);
}
