use crate::db::test_pool;
use crate::{fixtures::*, helpers::*};
use reqwest::StatusCode;
use serde_json::{json, Value};

const RECEPTION_PHONE: &str = "0500000005";
const DOCTOR_PHONE: &str = "0500000002";

fn rules(timezone: &str, horizon: &str, hold: &str) -> Vec<(&'static str, String)> {
    vec![
        ("timezone", timezone.into()),
        ("booking_horizon_days", horizon.into()),
        ("min_notice_minutes", "60".into()),
        ("cancel_cutoff_minutes", "240".into()),
        ("max_active_bookings", "4".into()),
        ("waitlist_hold_minutes", hold.into()),
    ]
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn an_admin_changes_booking_rules_and_bad_values_change_nothing() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let bad = app
        .call_with(&admin, "save_rules", &pairs(&rules("Mars/Base", "0", "15")))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(bad).await,
        json!({"Validation": [
            {"field": "timezone", "key": "err-timezone-invalid"},
            {"field": "booking_horizon_days", "key": "err-horizon-range"}
        ]})
    );
    let unchanged: (String, i32) =
        sqlx::query_as("SELECT timezone, booking_horizon_days FROM clinics")
            .fetch_one(&app.pool)
            .await
            .expect("clinic");
    assert_eq!(unchanged, ("Asia/Riyadh".into(), 60));

    let ok = app
        .call_with(
            &admin,
            "save_rules",
            &pairs(&rules("Asia/Dubai", "٩٠", "20")),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let saved: (String, i32, i32) =
        sqlx::query_as("SELECT timezone, booking_horizon_days, waitlist_hold_minutes FROM clinics")
            .fetch_one(&app.pool)
            .await
            .expect("clinic");
    assert_eq!(saved, ("Asia/Dubai".into(), 90, 20));
    assert!(app
        .audit_actions()
        .await
        .contains(&("clinic.rules".into(), "success".into())));

    // The desk sets the clinic up too; doctors do not.
    let doctor = as_role(&app, DOCTOR_PHONE).await;
    let refused = app
        .call_with(
            &doctor,
            "save_rules",
            &pairs(&rules("Asia/Riyadh", "60", "15")),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let desk = as_role(&app, RECEPTION_PHONE).await;
    let by_desk = app
        .call_with(
            &desk,
            "save_rules",
            &pairs(&rules("Asia/Riyadh", "60", "15")),
        )
        .await;
    assert_eq!(by_desk.status(), StatusCode::OK);
    let timezone: String = sqlx::query_scalar("SELECT timezone FROM clinics")
        .fetch_one(&app.pool)
        .await
        .expect("clinic");
    assert_eq!(timezone, "Asia/Riyadh");
}

#[tokio::test]
async fn a_new_visit_type_is_priced_in_riyals_and_offered_by_the_doctor_the_desk_picks() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let form = [
        ("id", ""),
        ("name_ar", "تطعيم"),
        ("name_en", "Vaccination"),
        ("duration_minutes", "10"),
        ("price_sar", "85.50"),
        ("buffer_before_minutes", ""),
        ("buffer_after_minutes", "5"),
    ];
    assert_eq!(
        app.call_with(&admin, "save_visit_type", &form)
            .await
            .status(),
        StatusCode::OK
    );
    let (id, price): (uuid::Uuid, i32) =
        sqlx::query_as("SELECT id, price_halalas FROM visit_types WHERE name_en = 'Vaccination'")
            .fetch_one(&app.pool)
            .await
            .expect("visit type");
    assert_eq!(price, 8_550);

    let doctor = doctor_id(&app.pool, "+966500000003").await;
    let desk = as_role(&app, RECEPTION_PHONE).await;
    let offered = app
        .call_with(
            &desk,
            "offer_visit_type",
            &[
                ("doctor_id", &doctor.to_string()),
                ("visit_type_id", &id.to_string()),
                ("offered", "true"),
            ],
        )
        .await;
    assert_eq!(offered.status(), StatusCode::OK);
    let cal = app
        .call(
            "doctor_calendar",
            &[
                ("doctor_id", &doctor.to_string()),
                ("visit", &id.to_string()),
                ("day", ""),
            ],
        )
        .await
        .json::<Value>()
        .await
        .expect("calendar");
    assert_eq!(cal["visit_id"], json!(id), "patients can now book it");

    // A price in a form the clinic does not use is refused in Arabic first.
    let mut bad = form;
    bad[4].1 = "85.505";
    let refused = app.call_with(&admin, "save_visit_type", &bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(refused).await,
        json!({"Validation": [{"field": "price_sar", "key": "err-price-invalid"}]})
    );
}

#[tokio::test]
async fn friday_hours_open_friday_slots_and_overlaps_are_refused() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000004").await.to_string();
    let fridays = |cal: &Value| free_on(cal, jiff::civil::Weekday::Friday);
    let uid = doctor.parse().expect("uuid");
    assert_eq!(
        fridays(&calendar(&app, uid).await),
        0,
        "the demo week is Sunday to Thursday"
    );

    let desk = as_role(&app, RECEPTION_PHONE).await;
    let add = |start: &'static str, end: &'static str| {
        let doctor = doctor.clone();
        let desk = desk.clone();
        let app = &app;
        async move {
            app.call_with(
                &desk,
                "add_hours",
                &[
                    ("doctor_id", doctor.as_str()),
                    ("weekday", "5"),
                    ("starts_at", start),
                    ("ends_at", end),
                    ("valid_from", ""),
                    ("valid_until", ""),
                ],
            )
            .await
        }
    };
    let closed = add("16:00", "20:00").await;
    assert_eq!(closed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(closed).await,
        json!({"Validation": [{"field": "weekday", "key": "err-hours-closed-day"}]}),
        "the branch does not open on Fridays yet"
    );
    let admin = as_role(&app, ADMIN_PHONE).await;
    let opened = set_working_week(&app, &admin, None, &[0, 1, 2, 3, 4, 5]).await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(add("16:00", "20:00").await.status(), StatusCode::OK);
    assert!(
        fridays(&calendar(&app, uid).await) > 0,
        "Friday evenings are bookable"
    );

    // A Friday visit, booked before those hours are removed again.
    let (visit, friday) = free_start_on(&app.pool, uid, jiff::civil::Weekday::Friday).await;
    let patient = &make_patients(&app.pool, 1).await[0];
    app::scheduling::booking::book(
        &app.pool,
        &Default::default(),
        patient,
        None,
        request(patient, uid, visit, friday),
    )
    .await
    .expect("booked on Friday");

    let overlap = add("19:00", "22:00").await;
    assert_eq!(overlap.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(overlap).await,
        json!({"Validation": [{"field": "starts_at", "key": "err-hours-overlap"}]})
    );
    let backwards = add("20:00", "16:00").await;
    assert_eq!(backwards.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM working_hours WHERE weekday = 5")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    let removed = app
        .call_with(
            &desk,
            "remove_hours",
            &[("doctor_id", doctor.as_str()), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(
        removed.json::<i64>().await.expect("count"),
        1,
        "the desk is told of the Friday visit those hours held"
    );
    assert_eq!(fridays(&calendar(&app, uid).await), 0);
    let still_booked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM appointments WHERE status = 'booked'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(still_booked, 1, "and it stays booked");
    let again = app
        .call_with(
            &desk,
            "remove_hours",
            &[("doctor_id", doctor.as_str()), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "already removed");

    // Removed from the page, the desk reads the warning there: the form is not an island, so
    // the count travels in the address the removal redirects to.
    assert_eq!(add("16:00", "20:00").await.status(), StatusCode::OK);
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM working_hours WHERE weekday = 5")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    let (to, page) = app
        .post_page(
            &desk,
            "remove_hours",
            &[("doctor_id", doctor.as_str()), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(
        to,
        format!("/setup/doctors/{doctor}?saved=hours&booked=1"),
        "back to the doctor's page with the count"
    );
    assert!(page.contains(r#"data-testid="hours-warning""#), "{page}");
    assert!(
        page.contains("كان في هذه الفترة موعد محجوز قادم"),
        "the warning counts the Friday visit"
    );
}

#[tokio::test]
async fn a_closure_over_a_booked_day_warns_and_takes_the_day_off_the_calendar() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    assert_eq!(
        book_slot(&app, doctor, 0, "").await.status(),
        StatusCode::OK
    );
    let day: String = sqlx::query_scalar(
        "SELECT (lower(during) AT TIME ZONE 'Asia/Riyadh')::date::text FROM appointments
         WHERE lower(during) > now()",
    )
    .fetch_one(&app.pool)
    .await
    .expect("day");
    let form = [
        ("doctor_id", ""),
        ("starts_on", day.as_str()),
        ("ends_on", day.as_str()),
        ("reason_ar", "صيانة"),
        ("reason_en", "Maintenance"),
    ];
    let refused = app.call("add_closure", &form).await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "patients cannot close the clinic"
    );

    let desk = as_role(&app, RECEPTION_PHONE).await;
    let added = app.call_with(&desk, "add_closure", &form).await;
    assert_eq!(added.status(), StatusCode::OK);
    assert_eq!(
        added.json::<i64>().await.expect("count"),
        1,
        "one booked visit on that day"
    );
    let status: String =
        sqlx::query_scalar("SELECT status::text FROM appointments WHERE lower(during) > now()")
            .fetch_one(&app.pool)
            .await
            .expect("status");
    assert_eq!(status, "booked", "a closure cancels nobody by itself");
    let cal = calendar(&app, doctor).await;
    let free_that_day = cal["days"]
        .as_array()
        .expect("days")
        .iter()
        .find(|d| d["date"] == json!(day))
        .map(|d| d["free"].clone());
    assert_eq!(free_that_day, Some(json!(0)));
}

#[tokio::test]
async fn clinic_details_and_a_doctors_profile_reach_the_pages_patients_read() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let details = |phone: &'static str| {
        [
            ("name_ar", "مجمع مُعين الطبي"),
            ("name_en", "Mu'een Medical Complex"),
            ("address_ar", "حي النرجس، الرياض"),
            ("address_en", ""),
            ("phone", phone),
        ]
    };
    let bad = app
        .call_with(&admin, "save_clinic_details", &details("12ab"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The frame keeps the clinic's name in process; a page shown before the save fills it.
    let before = app.get("/").await.text().await.expect("html");
    assert!(!before.contains("مجمع مُعين الطبي"), "the old name first");
    let ok = app
        .call_with(&admin, "save_clinic_details", &details("920 00 1234"))
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let saved: (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT name_ar, address_en, phone FROM clinics")
            .fetch_one(&app.pool)
            .await
            .expect("clinic");
    assert_eq!(
        saved,
        ("مجمع مُعين الطبي".into(), None, Some("920001234".into()))
    );
    let home = app.get("/").await.text().await.expect("html");
    assert!(
        home.contains("مجمع مُعين الطبي"),
        "the header shows the new name"
    );

    let doctor = doctor_id(&app.pool, "+966500000003").await.to_string();
    let desk = as_role(&app, RECEPTION_PHONE).await;
    let profile = |langs: &[(&'static str, &'static str)]| {
        let mut form = vec![
            ("doctor_id", doctor.as_str()),
            ("sex", "female"),
            ("bio_ar", "استشارية طب الأطفال وحديثي الولادة"),
            ("bio_en", "Consultant paediatrician"),
        ];
        form.extend_from_slice(langs);
        form
    };
    let none = app
        .call_with(&desk, "save_doctor_profile", &profile(&[]))
        .await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(none).await,
        json!({"Validation": [{"field": "languages", "key": "err-languages-invalid"}]})
    );
    let saved = app
        .call_with(
            &desk,
            "save_doctor_profile",
            &profile(&[("lang_ar", "on"), ("lang_ur", "on")]),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let cal = calendar(&app, doctor.parse().expect("uuid")).await;
    assert_eq!(cal["doctor"]["languages"], json!(["ar", "ur"]));
    assert_eq!(
        cal["doctor"]["bio_ar"],
        json!("استشارية طب الأطفال وحديثي الولادة")
    );
}

#[tokio::test]
async fn closing_a_weekday_takes_its_slots_off_keeps_the_hours_and_counts_the_bookings() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, "+966500000004").await;
    let sundays = |cal: &Value| free_on(cal, jiff::civil::Weekday::Sunday);
    assert!(sundays(&calendar(&app, doctor).await) > 0);
    // A visit booked on a Sunday, which the branch is about to close.
    let (visit, sunday) = free_start_on(&app.pool, doctor, jiff::civil::Weekday::Sunday).await;
    let patient = &make_patients(&app.pool, 1).await[0];
    app::scheduling::booking::book(
        &app.pool,
        &Default::default(),
        patient,
        None,
        request(patient, doctor, visit, sunday),
    )
    .await
    .expect("booked on Sunday");
    let hours_before: i64 = sqlx::query_scalar("SELECT count(*) FROM working_hours")
        .fetch_one(&app.pool)
        .await
        .expect("hours");

    let doctor_client = as_role(&app, DOCTOR_PHONE).await;
    let refused = set_working_week(&app, &doctor_client, None, &[1, 2, 3, 4]).await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "doctors do not set the week"
    );
    let admin = as_role(&app, ADMIN_PHONE).await;
    let empty = set_working_week(&app, &admin, None, &[]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(empty).await,
        json!({"Validation": [{"field": "working_days", "key": "err-week-empty"}]})
    );
    assert!(
        sundays(&calendar(&app, doctor).await) > 0,
        "refused changes change nothing"
    );

    let closed = set_working_week(&app, &admin, None, &[1, 2, 3, 4]).await;
    assert_eq!(closed.status(), StatusCode::OK);
    assert_eq!(
        closed.json::<i64>().await.expect("count"),
        1,
        "the Sunday visit is counted for the admin"
    );
    assert_eq!(sundays(&calendar(&app, doctor).await), 0, "no Sunday slots");
    // Saved from the page, the admin reads the count there: the form is not an island, so it
    // travels in the address the save redirects to.
    let days: Vec<(&str, &str)> = vec![
        ("day1", "on"),
        ("day2", "on"),
        ("day3", "on"),
        ("day4", "on"),
        ("clinic_id", ""),
    ];
    let (to, page) = app.post_page(&admin, "save_working_week", &days).await;
    assert!(to.ends_with("&saved=week&booked=1"), "{to}");
    assert!(page.contains(r#"data-testid="week-saved""#), "{page}");
    assert!(
        page.contains("يوجد موعد محجوز في يوم أصبح مغلقاً"),
        "the notice counts the Sunday visit"
    );
    let (hours_after, still_booked): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM working_hours),
                (SELECT count(*) FROM appointments WHERE status = 'booked')",
    )
    .fetch_one(&app.pool)
    .await
    .expect("counts");
    assert_eq!(hours_after, hours_before, "Sunday hours are kept");
    assert_eq!(still_booked, 1, "the Sunday visit stays booked");
    let setup: Value = app
        .call_with(
            &admin,
            "doctor_setup",
            &[("doctor_id", &doctor.to_string())],
        )
        .await
        .json()
        .await
        .expect("doctor setup");
    let marks: Vec<(i64, bool)> = setup["hours"]
        .as_array()
        .expect("hours")
        .iter()
        .map(|h| {
            (
                h["interval"]["weekday"].as_i64().expect("weekday"),
                h["branch_open"].as_bool().expect("open flag"),
            )
        })
        .collect();
    assert!(
        marks.iter().any(|(day, _)| *day == 0),
        "Sunday hours listed"
    );
    assert!(
        marks.iter().all(|(day, open)| *open == (*day != 0)),
        "exactly the Sunday hours are marked as on a closed day: {marks:?}"
    );

    let reopened = set_working_week(&app, &admin, None, &[0, 1, 2, 3, 4]).await;
    assert_eq!(reopened.status(), StatusCode::OK);
    assert!(
        sundays(&calendar(&app, doctor).await) > 0,
        "Sundays are back"
    );
    let audited = app.audit_actions().await;
    assert_eq!(
        audited
            .iter()
            .filter(|(action, _)| action == "clinic.working_week")
            .count(),
        3,
        "closed twice (once from the page) and reopened"
    );
}
