//! The access matrix: every server function the router serves has a row here, or the test
//! fails, so a new function cannot ship without someone deciding who may call it. Each
//! function that touches a patient's data is called, against the demo patient's record, as
//! nobody, the patient, another patient, the patient's guardian, her doctor, a doctor without
//! a care relationship, the desk and an admin, and the answer is checked against the policy.

use crate::db::test_pool;
use crate::fixtures::national_id;
use crate::helpers::{as_role, new_client, registration, spawn_app, TestApp, PATIENT_PHONE};
use reqwest::{Client, StatusCode};
use std::collections::BTreeSet;
use uuid::Uuid;

/// What one caller gets. `In` is "let in": a success, or a refusal about the data itself
/// (a signed note is final, a finished visit cannot be cancelled, a field is wrong), which
/// only comes after the policy let the caller through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gets {
    Unauthenticated,
    Forbidden,
    Hidden,
    In,
}

impl Gets {
    fn of(status: StatusCode) -> Option<Gets> {
        match status.as_u16() {
            401 => Some(Gets::Unauthenticated),
            403 => Some(Gets::Forbidden),
            404 => Some(Gets::Hidden),
            200 | 409 | 422 => Some(Gets::In),
            _ => None,
        }
    }
}

/// The callers, in the order of each row's expectations.
const CALLERS: [&str; 8] = [
    "nobody",
    "the patient",
    "another patient",
    "her guardian",
    "her doctor",
    "another doctor",
    "the desk",
    "an admin",
];

/// One letter per caller: U unauthenticated, F forbidden, N not found, Y let in.
fn expect(pattern: &str) -> Vec<Gets> {
    pattern
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'U' => Gets::Unauthenticated,
            'F' => Gets::Forbidden,
            'N' => Gets::Hidden,
            'Y' => Gets::In,
            other => panic!("unknown expectation {other}"),
        })
        .collect()
}

/// Functions that read or write no patient's data, and why they need no row of calls.
const NO_PATIENT_DATA: &[(&str, &str)] = &[
    ("login", "public: signs a caller in"),
    ("logout", "ends the caller's own session"),
    ("register", "public: creates the caller's own account"),
    ("set_locale", "public: the language cookie"),
    ("shell_info", "the caller's own name and the clinic's"),
    ("find_doctors", "public: the doctor directory"),
    ("doctor_calendar", "public: free times, no patient in them"),
    ("availability", "public: free times, no patient in them"),
    (
        "verify_prescription",
        "public by design: initials and drug only (tests/prescriptions.rs)",
    ),
    ("icd10_search", "the code catalogue, doctors only"),
    ("my_sessions", "the caller's own devices"),
    ("end_other_sessions", "the caller's own devices"),
    ("change_password", "the caller's own account"),
    (
        "staff_directory",
        "staff accounts, admins only (tests/accounts.rs)",
    ),
    (
        "create_staff",
        "staff accounts, admins only (tests/accounts.rs)",
    ),
    ("clinic_setup", "clinic settings (tests/setup.rs)"),
    ("save_rules", "clinic settings (tests/setup.rs)"),
    ("save_clinic_details", "clinic settings (tests/setup.rs)"),
    ("save_visit_type", "clinic settings (tests/setup.rs)"),
    ("add_branch", "clinic settings (tests/branches.rs)"),
    ("save_specialty", "clinic settings (tests/specialties.rs)"),
    ("save_working_week", "clinic settings (tests/setup.rs)"),
    (
        "save_reminder_rules",
        "clinic settings (tests/reminder_rules.rs)",
    ),
    (
        "add_closure",
        "clinic settings; answers a count of visits, not who",
    ),
    ("remove_closure", "clinic settings (tests/setup.rs)"),
    ("doctor_setup", "a doctor's settings (tests/setup.rs)"),
    ("offer_visit_type", "a doctor's settings (tests/setup.rs)"),
    (
        "save_doctor_profile",
        "a doctor's settings (tests/setup.rs)",
    ),
    ("add_hours", "a doctor's settings (tests/setup.rs)"),
    ("add_ramadan_hours", "clinic settings (tests/saudi_year.rs)"),
    (
        "remove_ramadan_hours",
        "clinic settings (tests/saudi_year.rs)",
    ),
    ("save_holiday", "clinic settings (tests/saudi_year.rs)"),
    (
        "save_prayer_breaks",
        "clinic settings (tests/saudi_year.rs)",
    ),
    ("shift_holiday", "clinic settings (tests/saudi_year.rs)"),
    (
        "set_doctor_branch",
        "a doctor's settings (tests/branches.rs)",
    ),
    ("remove_hours", "a doctor's settings (tests/setup.rs)"),
];

struct Record {
    patient: String,
    encounter: String,
    appointment: String,
    prescription: String,
    order: String,
    problem: String,
    day: String,
    doctor: String,
    visit_type: String,
}

async fn demo_record(app: &TestApp) -> Record {
    let (patient, encounter, appointment, prescription, day, doctor, visit_type): (
        Uuid,
        Uuid,
        Uuid,
        Uuid,
        String,
        Uuid,
        Uuid,
    ) = sqlx::query_as(
        "SELECT e.patient_id, e.id, e.appointment_id, p.id,
                (lower(a.during) AT TIME ZONE 'Asia/Riyadh')::date::text, a.doctor_id, a.visit_type_id
         FROM prescriptions p JOIN encounters e ON e.id = p.encounter_id
         JOIN appointments a ON a.id = e.appointment_id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the demo chart");
    let order: Uuid = sqlx::query_scalar("SELECT id FROM clinical_orders WHERE encounter_id = $1")
        .bind(encounter)
        .fetch_one(&app.pool)
        .await
        .expect("the demo visit's lab order");
    let problem = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO problems (id, patient_id, code, recorded_by) VALUES ($1, $2, 'I10', $3)",
    )
    .bind(problem)
    .bind(patient)
    .bind(doctor)
    .execute(&app.pool)
    .await
    .expect("a problem on the demo chart");
    Record {
        order: order.to_string(),
        problem: problem.to_string(),
        patient: patient.to_string(),
        encounter: encounter.to_string(),
        appointment: appointment.to_string(),
        prescription: prescription.to_string(),
        day,
        doctor: doctor.to_string(),
        visit_type: visit_type.to_string(),
    }
}

/// A registered patient of their own, logged in; returns the client and the account's id.
async fn patient_account(app: &TestApp, phone: &str, n: u32) -> (Client, Uuid) {
    let client = new_client();
    let id_number = national_id(n);
    // The helper's form has one fixed e-mail address; each account here needs its own.
    let email = format!("p{n}@example.sa");
    let mut form = registration(phone, &id_number);
    for field in form.iter_mut().filter(|(k, _)| *k == "email") {
        field.1 = &email;
    }
    let registered = app.call_with(&client, "register", &form).await;
    assert_eq!(registered.status(), StatusCode::OK);
    let id = sqlx::query_scalar("SELECT id FROM users WHERE national_id_index = $1")
        .bind(crate::fixtures::id_index(&id_number))
        .fetch_one(&app.pool)
        .await
        .expect("registered");
    (client, id)
}

type Form = Vec<(&'static str, String)>;

fn form(pairs: &[(&'static str, &str)]) -> Form {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

/// Each function that touches patient data: how to call it against the demo patient's record
/// and what each caller must get.
fn rows(r: &Record) -> Vec<(&'static str, Form, &'static str)> {
    let note = |id: &str| {
        form(&[
            ("id", id),
            ("chief_complaint", "x"),
            ("history", ""),
            ("examination", ""),
            ("assessment", "x"),
            ("plan", ""),
            ("patient_summary", ""),
            ("diagnoses", "R03.0"),
        ])
    };
    let person = form(&[
        ("first_name", ""),
        ("father_name", ""),
        ("grandfather_name", ""),
        ("family_name", ""),
        ("phone", ""),
        ("national_id", ""),
        ("date_of_birth", ""),
        ("sex", ""),
    ]);
    let mut dependent = person.clone();
    dependent.extend(form(&[("latin_name", ""), ("relation", "")]));
    vec![
        // The chart, written and read by doctors who treat the patient; patients use the
        // portal, the desk and admins never reach notes.
        (
            "encounter",
            form(&[("id", &r.encounter)]),
            "U F F F Y N F F",
        ),
        ("save_encounter", note(&r.encounter), "U F F F Y N F F"),
        (
            "add_addendum",
            form(&[("id", &r.encounter), ("body", "Matrix check.")]),
            "U F F F Y N F F",
        ),
        (
            "record_vitals",
            form(&[
                ("id", &r.encounter),
                ("blood_pressure", ""),
                ("pulse", "70"),
                ("temperature", ""),
                ("spo2", ""),
                ("respiratory_rate", ""),
                ("weight", ""),
                ("height", ""),
            ]),
            "U F F F Y N F F",
        ),
        (
            "add_allergy",
            form(&[
                ("id", &r.encounter),
                ("substance", "Latex"),
                ("reaction", ""),
                ("severity", "mild"),
            ]),
            "U F F F Y N F F",
        ),
        (
            "prescribe",
            form(&[
                ("id", &r.encounter),
                ("drug", "Cetirizine"),
                ("drug_code", ""),
                ("strength", "10 mg"),
                ("dose", "1 tablet"),
                ("route", "oral"),
                ("frequency", "daily"),
                ("duration_days", "5"),
                ("quantity", "5 tablets"),
                ("refills", "0"),
                ("instructions_ar", ""),
            ]),
            "U F F F Y N F F",
        ),
        (
            "add_problem",
            form(&[
                ("id", &r.encounter),
                ("problem_code", "I10"),
                ("problem_note", ""),
            ]),
            "U F F F Y N F F",
        ),
        (
            "add_medication",
            form(&[
                ("id", &r.encounter),
                ("med_drug", "Amlodipine 5 mg"),
                ("med_dose", "daily"),
            ]),
            "U F F F Y N F F",
        ),
        // Orders: the demo order is resulted and the note signed, so her doctor is let in and
        // told it is closed; the result form sends its values by analyte.
        (
            "place_order",
            form(&[
                ("id", &r.encounter),
                ("order_test", "cbc"),
                ("order_priority", "routine"),
            ]),
            "U F F F Y N F F",
        ),
        (
            "record_result",
            form(&[("order_id", &r.order), ("value[hba1c]", "6.1")]),
            "U F F F Y N F F",
        ),
        (
            "cancel_order",
            form(&[("order_id", &r.order)]),
            "U F F F Y N F F",
        ),
        (
            "end_list_entry",
            form(&[
                ("id", &r.encounter),
                ("list", "problem"),
                ("entry", &r.problem),
            ]),
            "U F F F Y N F F",
        ),
        (
            "open_encounter",
            form(&[("appointment_id", &r.appointment)]),
            "U F F F Y N F F",
        ),
        (
            "upload_attachment",
            form(&[
                ("encounter_id", &r.encounter),
                ("att_kind", "lab"),
                ("att_title", "Matrix check"),
            ]),
            "U F F F Y N F F",
        ),
        (
            "prescription_paper",
            form(&[("id", &r.prescription)]),
            "U Y N Y Y N F F",
        ),
        // The whole chart: any doctor is let in, but one without a care relationship gets
        // only the name and the break-glass form (tests/break_glass.rs). The reason here is
        // too short on purpose, so no grant opens the chart to "another doctor" below.
        (
            "chart",
            form(&[("patient_id", &r.patient)]),
            "U F F F Y Y F F",
        ),
        ("chart_search", form(&[("q", "سارة")]), "U F F F Y Y F F"),
        (
            "break_glass",
            form(&[("patient_id", &r.patient), ("reason", "short")]),
            "U F F F Y Y F F",
        ),
        ("break_glass_reviews", vec![], "U F F F F F F Y"),
        (
            "review_break_glass",
            form(&[("id", &Uuid::new_v4().to_string()), ("note", "")]),
            "U F F F F F F N",
        ),
        // The portal: each patient their own and their family's, staff not at all.
        ("my_record", vec![], "U Y Y Y F F F F"),
        ("latest_visit", vec![], "U Y Y Y F F F F"),
        ("my_profile", vec![], "U Y Y Y F F F F"),
        ("my_family", vec![], "U Y Y Y F F F F"),
        ("my_appointments", vec![], "U Y Y Y F F F F"),
        ("my_waitlist", vec![], "U Y Y Y F F F F"),
        ("my_notification_settings", vec![], "U Y Y Y F F F F"),
        (
            "notification_overview",
            form(&[("status", "")]),
            "U F F F F F F Y",
        ),
        (
            "resend_message",
            form(&[("id", &uuid::Uuid::nil().to_string())]),
            "U F F F F F F Y",
        ),
        (
            "save_notification_settings",
            form(&[("sms", "on"), ("reminders", "on"), ("language", "ar")]),
            "U Y Y Y F F F F",
        ),
        (
            "leave_waitlist",
            form(&[("id", &Uuid::new_v4().to_string())]),
            "U N N N F F F F",
        ),
        ("add_dependent", dependent, "U Y Y Y F F F F"),
        // Appointments: the patient and guardian, her doctor, the desk and admins.
        (
            "appointment_detail",
            form(&[("id", &r.appointment)]),
            "U Y N Y Y N Y Y",
        ),
        (
            "change_appointment",
            form(&[
                ("id", &r.appointment),
                ("action", "cancel"),
                ("reason", "Matrix check"),
            ]),
            "U Y N Y Y N Y Y",
        ),
        (
            "book_appointment",
            form(&[
                ("doctor_id", &r.doctor),
                ("visit_type_id", &r.visit_type),
                ("start", "2020-01-01T07:00:00Z"),
                ("reason", ""),
                ("note", ""),
                ("rescheduled_from", ""),
                ("patient_id", &r.patient),
            ]),
            "U Y N Y F F Y Y",
        ),
        (
            "join_waitlist",
            form(&[
                ("doctor_id", &r.doctor),
                ("from", "2020-01-01"),
                ("until", "2020-01-02"),
                ("patient_id", &r.patient),
            ]),
            "U Y N Y F F Y Y",
        ),
        // The schedules and the desk's patient search show names: staff only.
        ("staff_day", form(&[("day", &r.day)]), "U F F F Y Y Y Y"),
        ("staff_week", form(&[("day", &r.day)]), "U F F F Y Y Y Y"),
        ("find_patients", form(&[("q", "سارة")]), "U F F F F F Y Y"),
        (
            "patient_brief",
            form(&[("id", &r.patient)]),
            "U F F F F F Y Y",
        ),
        ("register_walk_in", person, "U F F F F F Y Y"),
        (
            "claim_family_record",
            form(&[("claim_national_id", ""), ("claim_phone", "")]),
            "U F F F F F Y Y",
        ),
        // One-tap links: the token is the permission, whoever calls; a made-up one is not
        // found for everyone, logged in or not (a real one: tests/one_tap.rs).
        (
            "one_tap_info",
            form(&[("token", "ab".repeat(32).as_str())]),
            "N N N N N N N N",
        ),
        (
            "use_one_tap",
            form(&[("token", "ab".repeat(32).as_str())]),
            "N N N N N N N N",
        ),
    ]
}

#[tokio::test]
async fn every_server_function_has_a_row_and_patient_data_reaches_only_those_entitled() {
    let app = spawn_app(test_pool().await).await;
    let record = demo_record(&app).await;
    let (other, _) = patient_account(&app, "0551230001", 7_001).await;
    let (guardian, guardian_id) = patient_account(&app, "0551230002", 7_002).await;
    sqlx::query("INSERT INTO dependents (guardian_id, dependent_id, relation) VALUES ($1, $2::uuid, 'parent')")
        .bind(guardian_id)
        .bind(&record.patient)
        .execute(&app.pool)
        .await
        .expect("the guardian");
    let callers = [
        new_client(),
        as_role(&app, PATIENT_PHONE).await,
        other.clone(),
        guardian.clone(),
        as_role(&app, "0500000002").await,
        as_role(&app, "0500000003").await,
        as_role(&app, "0500000005").await,
        as_role(&app, "0500000001").await,
    ];
    assert_eq!(
        record.doctor,
        crate::fixtures::doctor_id(&app.pool, "+966500000002")
            .await
            .to_string()
    );

    // The router's own list, so a function added later without a row fails here.
    let served: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let rows = rows(&record);
    let mut listed: BTreeSet<String> = rows.iter().map(|(e, _, _)| (*e).to_owned()).collect();
    for (endpoint, why) in NO_PATIENT_DATA {
        assert!(!why.is_empty());
        assert!(
            listed.insert((*endpoint).to_owned()),
            "{endpoint} listed twice"
        );
    }
    let missing: Vec<_> = served.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the access matrix: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "rows for functions the router does not serve: {stale:?}"
    );

    let mut wrong = Vec::new();
    for (endpoint, args, pattern) in &rows {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for ((client, caller), expected) in callers.iter().zip(CALLERS).zip(expect(pattern)) {
            let status = if *endpoint == "upload_attachment" {
                let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
                app.upload_with(client, &args, ("m.pdf", "application/pdf", pdf))
                    .await
                    .status()
            } else {
                app.call_with(client, endpoint, &args).await.status()
            };
            if Gets::of(status) != Some(expected) {
                wrong.push(format!(
                    "{endpoint} as {caller}: {status}, expected {expected:?}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers against the policy:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Files open through a plain route, under the same policy: a shared file for the patient,
    // her guardian and her doctor; one kept for doctors, for her doctor only.
    for (title, shared, pattern) in [
        ("matrix shared", true, "U Y N Y Y N N N"),
        ("matrix private", false, "U N N N Y N N N"),
    ] {
        let mut fields = vec![
            ("encounter_id", record.encounter.as_str()),
            ("att_kind", "referral"),
            ("att_title", title),
        ];
        if shared {
            fields.push(("att_shared", "on"));
        }
        let added = app
            .upload_with(
                &callers[4],
                &fields,
                ("r.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n".to_vec()),
            )
            .await;
        assert_eq!(added.status(), StatusCode::OK);
        let id: Uuid = sqlx::query_scalar("SELECT id FROM attachments WHERE title = $1")
            .bind(title)
            .fetch_one(&app.pool)
            .await
            .expect("uploaded");
        for ((client, caller), expected) in callers.iter().zip(CALLERS).zip(expect(pattern)) {
            let status = client
                .get(app.url(&format!("/attachments/{id}")))
                .send()
                .await
                .expect("sent")
                .status();
            if Gets::of(status) != Some(expected) {
                wrong.push(format!(
                    "/attachments ({title}) as {caller}: {status}, expected {expected:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Let in is not the same as shown everything: another patient's portal and list hold
    // nothing of hers; her own and her guardian's portal hold her record.
    let body = |client: Client, endpoint: &'static str| {
        let app = &app;
        async move {
            app.call_with(&client, endpoint, &[])
                .await
                .text()
                .await
                .expect("body")
        }
    };
    for endpoint in ["my_record", "my_appointments", "latest_visit"] {
        let seen = body(other.clone(), endpoint).await;
        assert!(
            !seen.contains(&record.patient) && !seen.contains(&record.appointment),
            "{endpoint} shows another patient's data: {seen}"
        );
    }
    for client in [callers[1].clone(), guardian.clone()] {
        assert!(body(client, "my_record").await.contains(&record.patient));
    }
}
