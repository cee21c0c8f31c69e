//! Consultation notes: opened from a checked-in appointment, saved as drafts, signed for good
//! (by the service and by the database's triggers), added to by addenda, and read only by the
//! treating doctor and the patient.

use crate::db::test_pool;
use crate::fixtures::{free_starts, make_patients, request, staff_user};
use crate::helpers::seed;
use app::kernel::auth::CurrentUser;
use app::kernel::error::AppError;
use app::kernel::service_error::ServiceError;
use app::kernel::values::Role;
use app::records::domain::note::Note;
use app::records::domain::vitals::VitalsForm;
use app::records::service;
use app::scheduling::cache::ScheduleCache;
use app::scheduling::domain::appointment::Action;
use sqlx::PgPool;
use uuid::Uuid;

pub(crate) struct Visit {
    pub(crate) pool: PgPool,
    pub(crate) doctor: CurrentUser,
    pub(crate) patient: CurrentUser,
    pub(crate) appointment: Uuid,
    pub(crate) keys: std::sync::Arc<app::kernel::crypto::Keyring>,
}

/// A patient booked with the first demo doctor and checked in at the desk.
pub(crate) async fn checked_in_visit() -> Visit {
    let pool = test_pool().await;
    seed(&pool).await;
    let doctor = staff_user(&pool, "+966500000002", Role::Doctor).await;
    let patient = make_patients(&pool, 1).await.remove(0);
    let (visit, starts) = free_starts(&pool, doctor.id, 1).await;
    let appointment = app::scheduling::booking::book(
        &pool,
        &ScheduleCache::default(),
        &patient,
        None,
        request(&patient, doctor.id, visit, starts[0]),
    )
    .await
    .expect("booked");
    let desk = staff_user(&pool, "+966500000005", Role::Receptionist).await;
    app::scheduling::booking::change_status(&pool, &desk, None, appointment, Action::CheckIn, None)
        .await
        .expect("checked in");
    Visit {
        pool,
        doctor,
        patient,
        appointment,
        keys: crate::helpers::test_keys(),
    }
}

async fn status(pool: &PgPool, appointment: Uuid) -> String {
    sqlx::query_scalar("SELECT status::text FROM appointments WHERE id = $1")
        .bind(appointment)
        .fetch_one(pool)
        .await
        .expect("appointment")
}

pub(crate) fn written() -> Note {
    Note {
        chief_complaint: "ضيق تنفس وسعال ليلي".into(),
        history: "Wheeze for two weeks, worse at night.".into(),
        examination: "Scattered expiratory wheeze.".into(),
        assessment: "Asthma, not well controlled.".into(),
        plan: "Inhaled steroid; review in four weeks.".into(),
        patient_summary: "لديك ربو. استخدم البخاخ يوميًا وراجعنا بعد أربعة أسابيع.".into(),
    }
}

pub(crate) fn refusal(err: ServiceError) -> AppError {
    match err {
        ServiceError::Refused(e) => e,
        ServiceError::Db(e) => AppError::from(e),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub(crate) fn field_keys(err: &AppError) -> Vec<(String, String)> {
    match err {
        AppError::Validation(f) | AppError::Conflict(f) => {
            f.0.iter()
                .map(|e| (e.field.clone(), e.key.clone()))
                .collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn a_signed_note_is_final_for_the_app_and_for_the_database() {
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    assert_eq!(status(&v.pool, v.appointment).await, "in_consultation");
    // A second click lands on the same note.
    assert_eq!(
        service::open(&v.pool, &v.doctor, None, v.appointment)
            .await
            .expect("again"),
        id
    );

    service::save_draft(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        id,
        &written(),
        &["j45.909".into()],
    )
    .await
    .expect("draft saved");
    service::sign(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("signed");
    assert_eq!(status(&v.pool, v.appointment).await, "completed");

    let changed = Note {
        assessment: "Changed after signing".into(),
        ..written()
    };
    let again = service::save_draft(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        id,
        &changed,
        &["J45.909".into()],
    )
    .await
    .expect_err("a signed note cannot be saved");
    assert_eq!(
        field_keys(&refusal(again)),
        [("note".to_owned(), "err-encounter-signed".to_owned())]
    );

    // The app's own database role cannot change or remove it either.
    for sql in [
        "UPDATE encounters SET assessment = 'tampered' WHERE id = $1",
        "DELETE FROM encounters WHERE id = $1",
        "DELETE FROM encounter_diagnoses WHERE encounter_id = $1",
        "UPDATE encounter_diagnoses SET code = 'I10' WHERE encounter_id = $1",
        "INSERT INTO encounter_diagnoses (encounter_id, position, code) VALUES ($1, 5, 'I10')",
    ] {
        let err = sqlx::query(sql)
            .bind(id)
            .execute(&v.pool)
            .await
            .expect_err(sql);
        let db = err.as_database_error().expect("a database refusal");
        assert_eq!(db.constraint(), Some("encounter_signed"), "{sql}");
    }
    let kept = service::read(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("read");
    assert_eq!(kept.row.note, written());
    assert_eq!(kept.diagnoses.len(), 1);
    assert_eq!(kept.diagnoses[0].code, "J45.909");
    assert!(kept.row.signed_at.is_some());

    service::add_addendum(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        id,
        "Spirometry booked for next visit.",
    )
    .await
    .expect("addendum");
    let with_addendum = service::read(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("read");
    assert_eq!(with_addendum.addenda.len(), 1);
    assert_eq!(with_addendum.addenda[0].author_id, v.doctor.id);
    assert_eq!(
        with_addendum.addenda[0].body,
        "Spirometry booked for next visit."
    );
    for sql in [
        "UPDATE encounter_addenda SET body = 'tampered' WHERE encounter_id = $1",
        "DELETE FROM encounter_addenda WHERE encounter_id = $1",
    ] {
        let err = sqlx::query(sql)
            .bind(id)
            .execute(&v.pool)
            .await
            .expect_err(sql);
        let db = err.as_database_error().expect("a database refusal");
        assert_eq!(db.constraint(), Some("encounter_addendum_final"), "{sql}");
    }
}

#[tokio::test]
async fn signing_names_what_is_missing_and_drafts_take_no_addenda() {
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    let err = service::sign(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect_err("an empty note is not signed");
    let keys: Vec<String> = field_keys(&refusal(err))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(keys, ["chief_complaint", "assessment", "diagnoses"]);
    assert_eq!(status(&v.pool, v.appointment).await, "in_consultation");

    let early = service::add_addendum(&v.pool, &v.keys, &v.doctor, None, id, "too early")
        .await
        .expect_err("no addendum to a draft");
    assert_eq!(
        field_keys(&refusal(early)),
        [("body".to_owned(), "err-encounter-not-signed".to_owned())]
    );
}

#[tokio::test]
async fn diagnoses_are_codes_of_the_catalogue_once_each() {
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    for (typed, key) in [
        (vec!["Z99.99".to_owned()], "err-icd10-unknown"),
        (vec!["asthma".to_owned()], "err-icd10-code"),
        (
            vec!["E11.9".to_owned(), "e119".to_owned()],
            "err-encounter-diagnosis-twice",
        ),
    ] {
        let err = service::save_draft(&v.pool, &v.keys, &v.doctor, None, id, &written(), &typed)
            .await
            .expect_err("refused");
        assert_eq!(
            field_keys(&refusal(err)),
            [("diagnoses".to_owned(), key.to_owned())],
            "{typed:?}"
        );
    }
    // Nothing of the refused saves was kept.
    let draft = service::read(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("read");
    assert_eq!(draft.row.note, Note::default());
    assert!(draft.diagnoses.is_empty());
}

#[tokio::test]
async fn only_the_treating_doctor_and_the_patient_read_the_note() {
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    service::save_draft(
        &v.pool,
        &v.keys,
        &v.doctor,
        None,
        id,
        &written(),
        &["J45.909".into()],
    )
    .await
    .expect("draft");

    let other_doctor = staff_user(&v.pool, "+966500000003", Role::Doctor).await;
    let desk = staff_user(&v.pool, "+966500000005", Role::Receptionist).await;
    let admin = staff_user(&v.pool, "+966500000001", Role::Admin).await;
    let stranger = make_patients_offset(&v.pool).await;
    for who in [&other_doctor, &desk, &admin, &stranger, &v.patient] {
        let err = service::read(&v.pool, &v.keys, who, None, id)
            .await
            .expect_err("not theirs (or not signed yet)");
        assert!(matches!(refusal(err), AppError::NotFound), "{:?}", who.role);
    }
    // Nor can another doctor write in it.
    let err = service::save_draft(&v.pool, &v.keys, &other_doctor, None, id, &written(), &[])
        .await
        .expect_err("not their note");
    assert!(matches!(refusal(err), AppError::NotFound));

    service::sign(&v.pool, &v.keys, &v.doctor, None, id)
        .await
        .expect("signed");
    let seen = service::read(&v.pool, &v.keys, &v.patient, None, id)
        .await
        .expect("the patient reads their signed visit");
    assert_eq!(seen.row.note.patient_summary, written().patient_summary);
    assert_eq!(
        seen.row.note.history, "",
        "the clinical text stays with the doctor"
    );
    assert_eq!(seen.row.note.assessment, "");
    assert_eq!(seen.diagnoses[0].code, "J45.909");

    let outcomes: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT actor_id, outcome::text FROM audit_log WHERE action = 'encounter.read'
         ORDER BY id",
    )
    .fetch_all(&v.pool)
    .await
    .expect("audit");
    let denied = outcomes.iter().filter(|(_, o)| o == "denied").count();
    assert_eq!(denied, 5, "each refused reader is audited: {outcomes:?}");
    assert!(outcomes
        .iter()
        .any(|(who, o)| *who == v.patient.id && o == "success"));
}

#[tokio::test]
async fn vitals_are_kept_in_their_units_and_impossible_ones_refused_by_the_database_too() {
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    let vitals = VitalsForm {
        blood_pressure: "150/95".into(),
        pulse: "88".into(),
        temperature: "38.4".into(),
        spo2: "94".into(),
        respiratory_rate: "18".into(),
        weight: "82.5".into(),
        height: "170".into(),
    }
    .parse()
    .expect("valid");
    service::record_vitals(&v.pool, &v.doctor, None, id, &vitals)
        .await
        .expect("recorded");
    let history = app::records::db::vitals_history(&v.pool, v.patient.id, 10)
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].1, vitals);
    assert_eq!(history[0].1.bmi_tenths(), Some(285));

    let err = sqlx::query(
        "INSERT INTO vital_signs (id, patient_id, recorded_by, pulse_bpm) VALUES ($1, $2, $3, 500)",
    )
    .bind(Uuid::new_v4())
    .bind(v.patient.id)
    .bind(v.doctor.id)
    .execute(&v.pool)
    .await
    .expect_err("a pulse of 500 is refused");
    assert!(err.as_database_error().is_some());
}

/// A second patient with no appointment with anyone.
async fn make_patients_offset(pool: &PgPool) -> CurrentUser {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO users (id, role, national_id, phone, first_name, father_name, grandfather_name, family_name, date_of_birth, sex, password_hash)
         VALUES ($1, 'patient', $2, '+966580999999', 'مريض', 'آخر', 'غريب', 'الغريب', '1991-02-02', 'female', 'x')",
    )
    .bind(id)
    .bind(crate::fixtures::national_id(9_999))
    .execute(pool)
    .await
    .expect("patient");
    CurrentUser {
        id,
        role: Role::Patient,
        short_name: "stranger".into(),
        latin_name: None,
    }
}

#[tokio::test]
async fn a_doctor_runs_a_consultation_through_the_server_functions_and_others_are_kept_out() {
    use crate::fixtures::{appointment_id, book_slot, doctor_id};
    use crate::helpers::{as_role, error_json, spawn_app, DEMO_PASSWORD, PATIENT_PHONE};
    use reqwest::StatusCode;

    let app = spawn_app(test_pool().await).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let appointment = appointment_id(&book_slot(&app, doctor, 0, "").await);
    let desk = as_role(&app, "0500000005").await;
    let checked_in = app
        .call_with(
            &desk,
            "change_appointment",
            &[("id", &appointment), ("action", "check_in"), ("reason", "")],
        )
        .await;
    assert_eq!(checked_in.status(), StatusCode::OK);

    // Neither the desk nor the patient can open a consultation.
    for client in [&desk, &app.client] {
        let refused = app
            .call_with(
                client,
                "open_encounter",
                &[("appointment_id", &appointment)],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    // Another doctor's patient reads as missing.
    let other = as_role(&app, "0500000003").await;
    let missing = app
        .call_with(
            &other,
            "open_encounter",
            &[("appointment_id", &appointment)],
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let doc = as_role(&app, "0500000002").await;
    let opened = app
        .call_with(&doc, "open_encounter", &[("appointment_id", &appointment)])
        .await;
    assert_eq!(opened.status(), StatusCode::OK, "{:?}", opened.headers());
    let location = opened.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let encounter = location.trim_start_matches("/encounters/").to_owned();
    assert!(Uuid::parse_str(&encounter).is_ok(), "{location}");

    let note = [
        ("id", encounter.as_str()),
        ("chief_complaint", "صداع"),
        ("history", "Three days."),
        ("examination", ""),
        ("assessment", "Tension-type headache."),
        ("plan", "Paracetamol."),
        ("patient_summary", "صداع توتري. خذ الدواء عند الحاجة."),
        ("diagnoses", "G44.209"),
    ];
    let bad_vitals = app
        .call_with(
            &doc,
            "record_vitals",
            &[
                ("id", &encounter),
                ("blood_pressure", "120"),
                ("pulse", "72"),
                ("temperature", ""),
                ("spo2", ""),
                ("respiratory_rate", ""),
                ("weight", ""),
                ("height", ""),
            ],
        )
        .await;
    assert_eq!(bad_vitals.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(bad_vitals).await["Validation"][0]["field"],
        "blood_pressure"
    );
    let mut signing = note.to_vec();
    signing.push(("sign", "1"));
    let signed = app.call_with(&doc, "save_encounter", &signing).await;
    assert_eq!(signed.status(), StatusCode::OK);
    let again = app.call_with(&doc, "save_encounter", &note).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let bad_allergy = app
        .call_with(
            &doc,
            "add_allergy",
            &[
                ("id", &encounter),
                ("substance", ""),
                ("reaction", ""),
                ("severity", "worst"),
            ],
        )
        .await;
    assert_eq!(bad_allergy.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let allergy = app
        .call_with(
            &doc,
            "add_allergy",
            &[
                ("id", &encounter),
                ("substance", "Penicillin"),
                ("reaction", "شرى"),
                ("severity", "severe"),
            ],
        )
        .await;
    assert_eq!(allergy.status(), StatusCode::OK);
    let patient: uuid::Uuid =
        sqlx::query_scalar("SELECT patient_id FROM encounters WHERE id = $1::uuid")
            .bind(&encounter)
            .fetch_one(&app.pool)
            .await
            .expect("patient");
    let national_id = crate::fixtures::full_national_id(&app.pool, patient).await;

    let page = doc
        .get(app.url(&location))
        .header(reqwest::header::ACCEPT, "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("data-testid=\"signed-note\""));
    assert!(html.contains("G44.209"));
    assert!(html.contains("Tension-type headache."));
    // The chart's header: the allergy in its warning box, the ID masked to its last four.
    assert!(html.contains("data-testid=\"allergies\""));
    assert!(html.contains("Penicillin"));
    assert!(
        !html.contains(&national_id),
        "the full ID is not on the page"
    );
    assert!(html.contains(&format!("••••••{}", &national_id[6..])));

    // The patient's own note is not theirs to open on the doctor's screen.
    let patient_view = app.call("encounter", &[("id", &encounter)]).await;
    assert_eq!(patient_view.status(), StatusCode::FORBIDDEN);
    let other_view = app
        .call_with(&other, "encounter", &[("id", &encounter)])
        .await;
    assert_eq!(other_view.status(), StatusCode::NOT_FOUND);
    let search: Vec<serde_json::Value> = app
        .call_with(&doc, "icd10_search", &[("q", "tension headache")])
        .await
        .json()
        .await
        .expect("json");
    assert!(search.iter().any(|e| e["code"] == "G44.209"), "{search:?}");
}

#[tokio::test]
async fn a_problem_resolves_and_a_medication_stops_once_and_both_stay_in_the_record() {
    use app::records::domain::chart_list::{NewMedication, NewProblem};
    use service::ListEnd;
    let v = checked_in_visit().await;
    let id = service::open(&v.pool, &v.doctor, None, v.appointment)
        .await
        .expect("opened");
    let problem = NewProblem::parse("I10", "").expect("problem");
    service::add_problem(&v.pool, &v.keys, &v.doctor, None, id, &problem)
        .await
        .expect("problem added");
    let medication = NewMedication::parse("Amlodipine 5 mg", "daily").expect("medication");
    service::add_medication(&v.pool, &v.doctor, None, id, &medication)
        .await
        .expect("medication added");
    let today = jiff::civil::date(2026, 12, 2);
    let mut db = v.pool.acquire().await.expect("connection");
    let header = service::chart_header(&mut db, &v.keys, v.patient.id, today)
        .await
        .expect("header");
    let (problem_id, medication_id) = (header.problems[0].id, header.medications[0].id);

    let other = crate::fixtures::staff_user(&v.pool, "+966500000003", Role::Doctor).await;
    let err = service::end_list_entry(
        &v.pool,
        &other,
        None,
        id,
        ListEnd::ResolveProblem,
        problem_id,
    )
    .await
    .expect_err("not their consultation");
    assert!(matches!(refusal(err), AppError::NotFound));
    // An id of the other list is not this list's entry.
    let err = service::end_list_entry(
        &v.pool,
        &v.doctor,
        None,
        id,
        ListEnd::StopMedication,
        problem_id,
    )
    .await
    .expect_err("a problem is not a medication");
    assert!(matches!(refusal(err), AppError::NotFound));

    service::end_list_entry(
        &v.pool,
        &v.doctor,
        None,
        id,
        ListEnd::ResolveProblem,
        problem_id,
    )
    .await
    .expect("resolved");
    service::end_list_entry(
        &v.pool,
        &v.doctor,
        None,
        id,
        ListEnd::StopMedication,
        medication_id,
    )
    .await
    .expect("stopped");
    let err = service::end_list_entry(
        &v.pool,
        &v.doctor,
        None,
        id,
        ListEnd::ResolveProblem,
        problem_id,
    )
    .await
    .expect_err("already resolved");
    assert!(matches!(refusal(err), AppError::NotFound));

    let header = service::chart_header(&mut db, &v.keys, v.patient.id, today)
        .await
        .expect("header");
    assert!(header.problems.is_empty() && header.medications.is_empty());
    let kept: (String, Option<Uuid>) =
        sqlx::query_as("SELECT status, resolved_by FROM problems WHERE id = $1")
            .bind(problem_id)
            .fetch_one(&v.pool)
            .await
            .expect("kept");
    assert_eq!(kept, ("resolved".to_owned(), Some(v.doctor.id)));
    let kept: (String, Option<Uuid>) =
        sqlx::query_as("SELECT status, stopped_by FROM medications WHERE id = $1")
            .bind(medication_id)
            .fetch_one(&v.pool)
            .await
            .expect("kept");
    assert_eq!(kept, ("stopped".to_owned(), Some(v.doctor.id)));
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject_id = ANY($1) ORDER BY id")
            .bind(vec![problem_id.to_string(), medication_id.to_string()])
            .fetch_all(&v.pool)
            .await
            .expect("audit");
    assert_eq!(actions, ["problem.resolved", "medication.stopped"]);
}
