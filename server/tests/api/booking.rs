use crate::db::test_pool;
use crate::{fixtures::*, helpers::*};
use app::kernel::error::AppError;
use app::kernel::service_error::ServiceError;
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

#[tokio::test]
async fn a_hundred_and_twenty_patients_racing_for_three_slots_get_exactly_three_bookings() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    let (visit, starts) = free_starts(&app.pool, doctor, 3).await;
    let patients = make_patients(&app.pool, 120).await;

    // One cache shared by every request, as in the server.
    let cache = std::sync::Arc::new(app::scheduling::cache::ScheduleCache::default());
    let mut tasks = vec![];
    for (i, patient) in patients.into_iter().enumerate() {
        let pool = app.pool.clone();
        let cache = cache.clone();
        let start = starts[i % starts.len()];
        tasks.push(tokio::spawn(async move {
            app::scheduling::booking::book(
                &pool,
                &cache,
                &patient,
                None,
                request(&patient, doctor, visit, start),
            )
            .await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => won += 1,
            Err(ServiceError::Refused(AppError::SlotTaken(_))) => {}
            Err(other) => panic!("a lost race must be SlotTaken, got {other:?}"),
        }
    }
    assert_eq!(won, 3, "exactly one booking per slot");
    let per_slot: Vec<(i64,)> = sqlx::query_as(
        "SELECT count(*) FROM appointments WHERE status <> 'cancelled' AND lower(during) > now()
         GROUP BY lower(during) ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .expect("counts");
    assert_eq!(per_slot, vec![(1,), (1,), (1,)]);
    let overlaps: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM appointments a JOIN appointments b
           ON a.doctor_id = b.doctor_id AND a.id < b.id AND a.blocked && b.blocked
         WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("overlaps");
    assert_eq!(overlaps, 0);
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM appointment_events WHERE kind = 'appointment.created'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("events");
    assert_eq!(
        events, 3,
        "one outbox event per booking, none for refused ones"
    );
}

#[tokio::test]
async fn the_database_refuses_an_overlap_even_without_the_courtesy_check() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    let (visit, starts) = free_starts(&app.pool, doctor, 1).await;
    let patients = make_patients(&app.pool, 2).await;
    let shape = app::scheduling::domain::schedule::VisitShape {
        duration_minutes: 30,
        buffer_before_minutes: 0,
        buffer_after_minutes: 5,
    };
    let clinic: Uuid = sqlx::query_scalar("SELECT id FROM clinics")
        .fetch_one(&app.pool)
        .await
        .expect("clinic");
    let new = |patient: Uuid, start: Timestamp| app::scheduling::db::schedule::NewAppointment {
        clinic_id: clinic,
        doctor_id: doctor,
        patient_id: patient,
        visit_type_id: visit,
        start,
        shape,
        reason: String::new(),
        note: String::new(),
        price_halalas: 0,
        booked_by: patient,
        rescheduled_from: None,
    };
    let audit = app::kernel::audit::AuditEntry::new("test", app::kernel::audit::Outcome::Success);
    let record = || app::scheduling::db::schedule::BookingRecord {
        event_kind: "test",
        payload: json!({}),
        audit: &audit,
    };
    let first = new(patients[0].id, starts[0]);
    app::scheduling::db::schedule::insert_appointment(&app.pool, &first, 10, record())
        .await
        .expect("first");
    // Ten minutes later still overlaps the first visit.
    let overlapping = starts[0] + jiff::SignedDuration::from_mins(10);
    let second = new(patients[1].id, overlapping);
    let err = app::scheduling::db::schedule::insert_appointment(&app.pool, &second, 10, record())
        .await
        .expect_err("overlap");
    assert!(
        matches!(err, app::kernel::db::DbError::Constraint(ref name) if name == "appointments_doctor_no_overlap"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_patient_books_sees_and_cancels_with_a_reason() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    // The first free slot may be within today's cutoff; the cutoff has its own test.
    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 0")
        .execute(&app.pool)
        .await
        .expect("rules");
    let doctor = doctor_id(&app.pool, "+966500000003").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let booked = book_slot(&app, doctor, 0, "").await;
    assert_eq!(booked.status(), StatusCode::OK);
    let id = appointment_id(&booked);

    let mine: Value = app
        .call("my_appointments", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine[0]["id"], id.as_str());
    assert_eq!(mine[0]["status"], "booked");

    let no_reason = app
        .call(
            "change_appointment",
            &[("id", &id), ("action", "cancel"), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cancel = app
        .call(
            "change_appointment",
            &[("id", &id), ("action", "cancel"), ("reason", "سفر")],
        )
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    let again = app
        .call(
            "change_appointment",
            &[("id", &id), ("action", "cancel"), ("reason", "سفر")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(again).await,
        json!({"Rule": "err-appt-illegal-transition"})
    );

    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM appointment_events ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("events");
    assert_eq!(kinds, ["appointment.created", "appointment.cancelled"]);
    let audit = app.audit_actions().await;
    assert!(audit.contains(&("appointment.create".into(), "success".into())));
    assert!(audit.contains(&("appointment.status".into(), "success".into())));

    let ics = app
        .client
        .get(app.url(&format!("/appointments/{id}/calendar.ics")))
        .send()
        .await
        .expect("ics");
    assert_eq!(ics.status(), StatusCode::OK);
    let body = ics.text().await.expect("text");
    assert!(
        body.contains("BEGIN:VEVENT") && body.contains("STATUS:CANCELLED"),
        "{body}"
    );
}

#[tokio::test]
async fn the_second_patient_for_a_slot_gets_409_with_alternatives() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.call("register", &registration("0551234567", "1234567897"))
        .await;
    let cal = calendar(&app, doctor).await;
    let start = cal["slots"][0]["start"].as_str().expect("slot").to_owned();
    let visit = cal["visit_id"].as_str().expect("visit").to_owned();
    let form = |s: &str| {
        vec![
            ("doctor_id", doctor.to_string()),
            ("visit_type_id", visit.clone()),
            ("start", s.to_owned()),
            ("reason", String::new()),
            ("note", String::new()),
            ("rescheduled_from", String::new()),
            ("patient_id", String::new()),
        ]
    };
    let first = app
        .call(
            "book_appointment",
            &form(&start)
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);

    let other = new_client();
    app.call_with(
        &other,
        "login",
        &[("identifier", PATIENT_PHONE), ("password", DEMO_PASSWORD)],
    )
    .await;
    let second = app
        .call_with(
            &other,
            "book_appointment",
            &form(&start)
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body = error_json(second).await;
    let alternatives = body["SlotTaken"].as_array().expect("alternatives");
    assert!(
        !alternatives.is_empty() && alternatives.len() <= 3,
        "{body}"
    );
    assert!(alternatives
        .iter()
        .all(|a| a.as_str() != Some(start.as_str())));
}

#[tokio::test]
async fn cancelling_inside_the_cutoff_is_refused_for_patients() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 10080")
        .execute(&app.pool)
        .await
        .expect("rules");
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let id = appointment_id(&book_slot(&app, doctor, 0, "").await);
    let late = app
        .call(
            "change_appointment",
            &[("id", &id), ("action", "cancel"), ("reason", "تأخر")],
        )
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(late).await,
        json!({"Rule": "err-cancel-too-late"})
    );
}

#[tokio::test]
async fn reception_checks_in_but_cannot_mark_no_show_before_the_start() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let id = appointment_id(&book_slot(&app, doctor, 0, "").await);

    // A patient cannot check themselves in.
    let self_check_in = app
        .call(
            "change_appointment",
            &[("id", &id), ("action", "check_in"), ("reason", "")],
        )
        .await;
    assert_eq!(self_check_in.status(), StatusCode::FORBIDDEN);

    let desk = as_role(&app, "0500000005").await;
    let early = app
        .call_with(
            &desk,
            "change_appointment",
            &[("id", &id), ("action", "mark_no_show"), ("reason", "")],
        )
        .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(early).await,
        json!({"Rule": "err-appt-no-show-too-early"})
    );
    let check_in = app
        .call_with(
            &desk,
            "change_appointment",
            &[("id", &id), ("action", "check_in"), ("reason", "")],
        )
        .await;
    assert_eq!(check_in.status(), StatusCode::OK);
    let detail: Value = app
        .call_with(&desk, "appointment_detail", &[("id", &id)])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["status"], "checked_in");
}

#[tokio::test]
async fn a_patient_cannot_open_another_patients_appointment() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let id = appointment_id(&book_slot(&app, doctor, 0, "").await);
    let stranger = new_client();
    app.call_with(
        &stranger,
        "register",
        &registration("0551234567", "1234567897"),
    )
    .await;
    let peek = app
        .call_with(&stranger, "appointment_detail", &[("id", &id)])
        .await;
    assert_eq!(peek.status(), StatusCode::NOT_FOUND);
    let cancel = app
        .call_with(
            &stranger,
            "change_appointment",
            &[("id", &id), ("action", "cancel"), ("reason", "x")],
        )
        .await;
    // As for reading it: the stranger cannot tell the visit exists.
    assert_eq!(cancel.status(), StatusCode::NOT_FOUND);
    let ics = stranger
        .get(app.url(&format!("/appointments/{id}/calendar.ics")))
        .send()
        .await
        .expect("ics");
    assert_eq!(ics.status(), StatusCode::NOT_FOUND);
    assert!(app
        .audit_actions()
        .await
        .contains(&("appointment.read".into(), "denied".into())));
}

#[tokio::test]
async fn search_forgives_arabic_spelling() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let found: Value = app
        .call(
            "find_doctors",
            &[("q", "الغامدى ريم"), ("specialty", ""), ("sex", "")],
        )
        .await
        .json()
        .await
        .expect("json");
    let results = found["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{found}");
    assert_eq!(results[0]["name_ar"], "ريم الغامدي");
    assert!(
        results[0]["next_slot"].is_string(),
        "shows the next free slot"
    );
    let female: Value = app
        .call(
            "find_doctors",
            &[("q", ""), ("specialty", ""), ("sex", "female")],
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(female["results"].as_array().expect("results").len(), 1);
}

#[tokio::test]
async fn the_desk_registers_a_walk_in_and_books_for_them() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    let walk_in = [
        ("first_name", "بدر"),
        ("father_name", "سعود"),
        ("grandfather_name", "فهد"),
        ("family_name", "العنزي"),
        ("phone", "0554443322"),
        ("national_id", "1234567897"),
        ("date_of_birth", "1979-07-07"),
        ("sex", "male"),
    ];
    // Patients cannot use the desk.
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(
        app.call("register_walk_in", &walk_in).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("find_patients", &[("q", "سارة")]).await.status(),
        StatusCode::FORBIDDEN
    );

    let desk = as_role(&app, "0500000005").await;
    let registered = app.call_with(&desk, "register_walk_in", &walk_in).await;
    assert_eq!(registered.status(), StatusCode::OK);
    let location = registered.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let patient = location.trim_start_matches("/doctors?for=").to_owned();

    let by_phone: Value = app
        .call_with(&desk, "find_patients", &[("q", "٠٥٥٤٤٤٣٣٢٢")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(by_phone[0]["id"], patient.as_str());
    let by_name: Value = app
        .call_with(&desk, "find_patients", &[("q", "العنزي")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(by_name[0]["id"], patient.as_str());

    let wildcard: Value = app
        .call_with(&desk, "find_patients", &[("q", "%%")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        wildcard,
        json!([]),
        "LIKE wildcards are not a way to list every patient"
    );

    // A walk-in has no password until they claim the account.
    assert_eq!(
        app.login("0554443322", "anything-at-all").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let cal = calendar(&app, doctor).await;
    let start = cal["slots"][0]["start"].as_str().expect("slot").to_owned();
    let visit = cal["visit_id"].as_str().expect("visit").to_owned();
    let booking = [
        ("doctor_id", doctor.to_string()),
        ("visit_type_id", visit),
        ("start", start),
        ("reason", String::new()),
        ("note", String::new()),
        ("rescheduled_from", String::new()),
        ("patient_id", patient.clone()),
    ];
    let form: Vec<(&str, &str)> = booking.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let booked = app.call_with(&desk, "book_appointment", &form).await;
    assert_eq!(booked.status(), StatusCode::OK);
    let (owner, booked_by): (Uuid, Uuid) = sqlx::query_as(
        "SELECT patient_id, booked_by FROM appointments WHERE lower(during) > now()",
    )
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!(owner.to_string(), patient);
    assert_ne!(booked_by, owner, "the desk is recorded as the booker");
}

#[tokio::test]
async fn rescheduling_cancels_the_old_visit_and_links_the_new_one() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    sqlx::query("UPDATE clinics SET cancel_cutoff_minutes = 0")
        .execute(&app.pool)
        .await
        .expect("rules");
    let doctor = doctor_id(&app.pool, "+966500000003").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let old = appointment_id(&book_slot(&app, doctor, 0, "").await);
    let moved = book_slot(&app, doctor, 0, &old).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let new = appointment_id(&moved);
    let (status, link): (String, Option<Uuid>) = sqlx::query_as(
        "SELECT (SELECT status::text FROM appointments WHERE id = $1::uuid), (SELECT rescheduled_from FROM appointments WHERE id = $2::uuid)",
    )
    .bind(&old)
    .bind(&new)
    .fetch_one(&app.pool)
    .await
    .expect("rows");
    assert_eq!(status, "cancelled");
    assert_eq!(link.map(|l| l.to_string()), Some(old.clone()));
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM appointment_events ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("events");
    assert_eq!(
        kinds,
        [
            "appointment.created",
            "appointment.cancelled",
            "appointment.created",
            "appointment.rescheduled"
        ]
    );
}

#[tokio::test]
async fn a_patient_cannot_hold_more_than_the_clinics_limit() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    sqlx::query("UPDATE clinics SET max_active_bookings = 2")
        .execute(&app.pool)
        .await
        .expect("rules");
    let doctor = doctor_id(&app.pool, "+966500000004").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(
        book_slot(&app, doctor, 0, "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        book_slot(&app, doctor, 0, "").await.status(),
        StatusCode::OK
    );
    let third = book_slot(&app, doctor, 0, "").await;
    assert_eq!(third.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(third).await,
        json!({"Rule": "err-too-many-bookings"})
    );
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM appointments WHERE lower(during) > now()")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(count, 2, "the refused booking left nothing behind");
}

#[tokio::test]
async fn a_doctors_week_runs_sunday_to_saturday_with_only_their_own_patients() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let mine = doctor_id(&app.pool, "+966500000002").await;
    let other = doctor_id(&app.pool, "+966500000003").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(book_slot(&app, mine, 0, "").await.status(), StatusCode::OK);
    // Another patient sees the other doctor, possibly at the same hour.
    let (visit, starts) = free_starts(&app.pool, other, 1).await;
    let someone = make_patients(&app.pool, 1).await.remove(0);
    app::scheduling::booking::book(
        &app.pool,
        &Default::default(),
        &someone,
        None,
        request(&someone, other, visit, starts[0]),
    )
    .await
    .expect("the other doctor's booking");
    let day: String = sqlx::query_scalar(
        "SELECT (lower(during) AT TIME ZONE 'Asia/Riyadh')::date::text FROM appointments WHERE doctor_id = $1",
    )
    .bind(mine)
    .fetch_one(&app.pool)
    .await
    .expect("day");

    let doctor = new_client();
    app.call_with(
        &doctor,
        "login",
        &[("identifier", "0500000002"), ("password", DEMO_PASSWORD)],
    )
    .await;
    let week: Value = app
        .call_with(&doctor, "staff_week", &[("day", &day)])
        .await
        .json()
        .await
        .expect("json");
    let days = week["days"].as_array().expect("days");
    assert_eq!(days.len(), 7);
    let first: jiff::civil::Date = days[0]["date"]
        .as_str()
        .expect("date")
        .parse()
        .expect("date");
    assert_eq!(first.weekday(), jiff::civil::Weekday::Sunday);
    let listed: Vec<&Value> = days
        .iter()
        .flat_map(|d| d["appointments"].as_array().expect("list"))
        .collect();
    assert_eq!(listed.len(), 1, "only the doctor's own appointment");
    assert_eq!(listed[0]["doctor_id"], json!(mine));
    let on: Vec<&str> = days
        .iter()
        .filter(|d| !d["appointments"].as_array().expect("list").is_empty())
        .filter_map(|d| d["date"].as_str())
        .collect();
    assert_eq!(on, [day.as_str()], "filed under its local day");

    // A patient cannot read the week list at all.
    let refused = app.call("staff_week", &[("day", &day)]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn one_patient_booking_in_parallel_still_stops_at_the_limit() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    sqlx::query("UPDATE clinics SET max_active_bookings = 2")
        .execute(&app.pool)
        .await
        .expect("rules");
    let doctor = doctor_id(&app.pool, "+966500000004").await;
    let (visit, starts) = free_starts(&app.pool, doctor, 12).await;
    let patient = make_patients(&app.pool, 1).await.remove(0);
    let cache = std::sync::Arc::new(app::scheduling::cache::ScheduleCache::default());
    let mut tasks = vec![];
    for start in starts {
        let pool = app.pool.clone();
        let cache = cache.clone();
        let patient = patient.clone();
        tasks.push(tokio::spawn(async move {
            app::scheduling::booking::book(
                &pool,
                &cache,
                &patient,
                None,
                request(&patient, doctor, visit, start),
            )
            .await
        }));
    }
    let mut booked = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => booked += 1,
            Err(ServiceError::Refused(AppError::Rule(key))) => {
                assert_eq!(key, "err-too-many-bookings")
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(booked, 2, "twelve parallel attempts, a limit of two");
}

#[tokio::test]
async fn the_calendar_file_is_a_read_of_patient_data_and_is_audited() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let id = appointment_id(&book_slot(&app, doctor, 0, "").await);
    let own = app
        .client
        .get(app.url(&format!("/appointments/{id}/calendar.ics")))
        .send()
        .await
        .expect("ics");
    assert_eq!(own.status(), StatusCode::OK);
    let stranger = new_client();
    app.call_with(
        &stranger,
        "register",
        &registration("0551234567", "1234567897"),
    )
    .await;
    let peek = stranger
        .get(app.url(&format!("/appointments/{id}/calendar.ics")))
        .send()
        .await
        .expect("ics");
    assert_eq!(peek.status(), StatusCode::NOT_FOUND);
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT outcome, details->>'patient_id' FROM audit_log
         WHERE action = 'appointment.calendar_file' AND subject_id = $1 ORDER BY id",
    )
    .bind(&id)
    .fetch_all(&app.pool)
    .await
    .expect("audit rows");
    let patient: String =
        sqlx::query_scalar("SELECT patient_id::text FROM appointments WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .expect("patient");
    assert_eq!(
        rows,
        [
            ("success".to_owned(), patient.clone()),
            ("denied".to_owned(), patient)
        ]
    );
}

#[tokio::test]
async fn the_desk_reading_whom_it_books_for_is_audited() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let patient: String = sqlx::query_scalar("SELECT id::text FROM users WHERE phone = $1")
        .bind("+966500000006")
        .fetch_one(&app.pool)
        .await
        .expect("demo patient");
    let desk = as_role(&app, "0500000005").await;
    let brief = app
        .call_with(&desk, "patient_brief", &[("id", &patient)])
        .await;
    assert_eq!(brief.status(), StatusCode::OK);
    let doctor = as_role(&app, "0500000002").await;
    let refused = app
        .call_with(&doctor, "patient_brief", &[("id", &patient)])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let reads: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT outcome, subject_id FROM audit_log WHERE action = 'patient.brief' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("audit rows");
    assert_eq!(reads, [("success".to_owned(), Some(patient))]);
}
