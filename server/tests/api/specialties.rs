//! Specialties named by admins, and doctors moved between them.

use crate::db::test_pool;

use crate::{fixtures::*, helpers::*};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

const RECEPTION_PHONE: &str = "0500000005";

#[tokio::test]
async fn an_admin_adds_and_renames_a_specialty_and_moves_a_doctor_to_it() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let desk = as_role(&app, RECEPTION_PHONE).await;
    let save = |client: &reqwest::Client, id: &str, ar: &str, en: &str| {
        let form = [
            ("id", id.to_owned()),
            ("name_ar", ar.to_owned()),
            ("name_en", en.to_owned()),
        ];
        let (client, app) = (client.clone(), &app);
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call_with(&client, "save_specialty", &pairs).await
        }
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM specialties")
            .fetch_one(&app.pool)
            .await
            .expect("count")
    };
    let before = count().await;

    let doctor_client = as_role(&app, "0500000002").await;
    let by_doctor = save(&doctor_client, "", "طب الأسنان", "Dentistry").await;
    assert_eq!(
        by_doctor.status(),
        StatusCode::FORBIDDEN,
        "doctors do not name specialties"
    );
    let blank = save(&admin, "", " ", "Dentistry").await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(blank).await,
        json!({"Validation": [{"field": "name_ar", "key": "err-text-required"}]})
    );
    assert_eq!(count().await, before, "refused forms add nothing");

    let added = save(&desk, "", "طب الأسنان", "Dentistry").await;
    assert_eq!(
        added.status(),
        StatusCode::OK,
        "the desk names specialties too"
    );
    let dentistry: Uuid =
        sqlx::query_scalar("SELECT id FROM specialties WHERE name_en = 'Dentistry'")
            .fetch_one(&app.pool)
            .await
            .expect("added");
    let same_en = save(&admin, "", "أسنان", "dentistry").await;
    assert_eq!(same_en.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(same_en).await,
        json!({"Conflict": [{"field": "name_en", "key": "err-specialty-taken"}]}),
        "names differing only in case are the same name"
    );
    let same_ar = save(&admin, "", "طب الأسنان", "Dental care").await;
    assert_eq!(same_ar.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(same_ar).await,
        json!({"Conflict": [{"field": "name_ar", "key": "err-specialty-taken"}]})
    );
    assert_eq!(count().await, before + 1);

    // Move a doctor there; a specialty id that does not exist is refused and changes nothing.
    let doctor = doctor_id(&app.pool, "+966500000003").await;
    let d = doctor.to_string();
    let profile = |specialty: String| {
        let (d, admin, app) = (d.clone(), admin.clone(), &app);
        async move {
            app.call_with(
                &admin,
                "save_doctor_profile",
                &[
                    ("doctor_id", d.as_str()),
                    ("sex", "female"),
                    ("lang_ar", "on"),
                    ("bio_ar", ""),
                    ("bio_en", ""),
                    ("specialty_id", specialty.as_str()),
                ],
            )
            .await
        }
    };
    let unknown = profile(Uuid::new_v4().to_string()).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(unknown).await,
        json!({"Validation": [{"field": "specialty_id", "key": "err-specialty-unknown"}]})
    );
    let moved = profile(dentistry.to_string()).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let cal = calendar(&app, doctor).await;
    assert_eq!(cal["doctor"]["specialty"]["name_en"], json!("Dentistry"));

    // A rename reaches the doctor's page at once (the cached schedule is read again).
    let renamed = save(
        &admin,
        &dentistry.to_string(),
        "طب الفم والأسنان",
        "Oral and dental care",
    )
    .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let cal = calendar(&app, doctor).await;
    assert_eq!(
        cal["doctor"]["specialty"]["name_ar"],
        json!("طب الفم والأسنان")
    );
    let gone = save(&admin, &Uuid::new_v4().to_string(), "تخصص", "Specialty").await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);

    let audited = app.audit_actions().await;
    for action in ["specialty.create", "specialty.update", "doctor.profile"] {
        assert!(
            audited
                .iter()
                .any(|(a, outcome)| a == action && outcome == "success"),
            "{action} audited"
        );
    }
}
