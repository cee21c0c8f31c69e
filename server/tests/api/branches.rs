//! Branches: a doctor working at two branches is booked at each, never in both at once, and a
//! schedule cached between bookings never outlives a change to it.

use crate::db::test_pool;

use crate::{fixtures::*, helpers::*};
use app::kernel::error::AppError;
use app::kernel::service_error::ServiceError;
use app::scheduling::cache::ScheduleCache;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

const DOCTOR: &str = "+966500000004";

/// Opens the "Olaya" branch and returns its id.
async fn open_branch(app: &TestApp, admin: &reqwest::Client) -> Uuid {
    let added = app
        .call_with(
            admin,
            "add_branch",
            &[
                ("name_ar", "فرع العليا"),
                ("name_en", "Olaya branch"),
                ("address_ar", "طريق العليا، الرياض"),
                ("address_en", "Olaya Road, Riyadh"),
                ("phone", "0112345678"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK, "{:?}", added.text().await);
    sqlx::query_scalar("SELECT id FROM clinics WHERE name_en = 'Olaya branch'")
        .fetch_one(&app.pool)
        .await
        .expect("the branch exists")
}

fn friday_slots(cal: &Value) -> (usize, usize) {
    let mut fridays = 0;
    let mut others = 0;
    for d in cal["days"].as_array().expect("days") {
        let free = d["free"].as_u64().unwrap_or(0) as usize;
        let date: jiff::civil::Date = d["date"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("date");
        if date.weekday() == jiff::civil::Weekday::Friday {
            fridays += free;
        } else {
            others += free;
        }
    }
    (fridays, others)
}

#[tokio::test]
async fn a_doctor_at_two_branches_is_booked_at_each_and_never_in_two_places() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let doctor = doctor_id(&app.pool, DOCTOR).await;
    let main: Uuid = sqlx::query_scalar("SELECT clinic_id FROM doctor_profiles WHERE user_id = $1")
        .bind(doctor)
        .fetch_one(&app.pool)
        .await
        .expect("home branch");
    let olaya = open_branch(&app, &admin).await;
    let copied: i64 = sqlx::query_scalar("SELECT count(*) FROM visit_types WHERE clinic_id = $1")
        .bind(olaya)
        .fetch_one(&app.pool)
        .await
        .expect("visit types");
    assert!(
        copied > 0,
        "a new branch starts with the main branch's visit types"
    );
    let holidays: (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE clinic_id = $1), count(*) FILTER (WHERE clinic_id = $2)
         FROM closures WHERE doctor_id IS NULL AND ends_on >= current_date",
    )
    .bind(olaya)
    .bind(main)
    .fetch_one(&app.pool)
    .await
    .expect("holidays");
    assert!(
        holidays.1 > 0,
        "the demo clinic has public holidays to come"
    );
    assert_eq!(
        holidays.0, holidays.1,
        "and the new branch has the same ones"
    );

    let d = doctor.to_string();
    let o = olaya.to_string();
    let hours = |weekday: &'static str, start: &'static str, end: &'static str| {
        let (d, o, admin, app) = (d.clone(), o.clone(), admin.clone(), &app);
        async move {
            app.call_with(
                &admin,
                "add_hours",
                &[
                    ("doctor_id", d.as_str()),
                    ("clinic_id", o.as_str()),
                    ("weekday", weekday),
                    ("starts_at", start),
                    ("ends_at", end),
                    ("valid_from", ""),
                    ("valid_until", ""),
                ],
            )
            .await
        }
    };
    let fridays_open = set_working_week(&app, &admin, Some(olaya), &[0, 1, 2, 3, 4, 5]).await;
    assert_eq!(fridays_open.status(), StatusCode::OK);
    let not_yet = hours("5", "16:00", "20:00").await;
    assert_eq!(not_yet.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(not_yet).await,
        json!({"Conflict": [{"field": "clinic_id", "key": "err-branch-not-doctors"}]})
    );

    let joined = app
        .call_with(
            &admin,
            "set_doctor_branch",
            &[("doctor_id", &d), ("clinic_id", &o), ("works", "true")],
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    // Sunday mornings are spent at the main branch: the doctor cannot also be at Olaya.
    let clash = hours("0", "10:00", "11:00").await;
    assert_eq!(clash.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(clash).await,
        json!({"Validation": [{"field": "starts_at", "key": "err-hours-overlap"}]})
    );
    assert_eq!(hours("5", "16:00", "20:00").await.status(), StatusCode::OK);
    let olaya_visit: Uuid = sqlx::query_scalar(
        "SELECT id FROM visit_types WHERE clinic_id = $1 ORDER BY duration_minutes DESC LIMIT 1",
    )
    .bind(olaya)
    .fetch_one(&app.pool)
    .await
    .expect("a visit type");
    let offered = app
        .call_with(
            &admin,
            "offer_visit_type",
            &[
                ("doctor_id", &d),
                ("visit_type_id", &olaya_visit.to_string()),
                ("offered", "true"),
            ],
        )
        .await;
    assert_eq!(offered.status(), StatusCode::OK);

    let at_olaya = calendar_at(&app, doctor, Some(olaya)).await;
    assert_eq!(at_olaya["doctor"]["clinic"]["id"], json!(o));
    assert_eq!(at_olaya["branches"].as_array().map(Vec::len), Some(2));
    let (fridays, others) = friday_slots(&at_olaya);
    assert!(fridays > 0, "Friday evenings at Olaya are bookable");
    assert_eq!(others, 0, "the doctor has no other hours at Olaya");
    let (main_fridays, main_others) = friday_slots(&calendar_at(&app, doctor, Some(main)).await);
    assert_eq!(
        main_fridays, 0,
        "Fridays are Olaya's, not the main branch's"
    );
    assert!(main_others > 0);

    let found: Value = app
        .call(
            "find_doctors",
            &[("q", ""), ("specialty", ""), ("sex", ""), ("clinic", &o)],
        )
        .await
        .json()
        .await
        .expect("search");
    let results = found["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "only this doctor works at Olaya");
    assert_eq!(results[0]["clinic"]["id"], json!(o));
    let everywhere: Value = app
        .call("find_doctors", &[("q", ""), ("specialty", ""), ("sex", "")])
        .await
        .json()
        .await
        .expect("search");
    let cards = everywhere["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["id"] == json!(d))
        .count();
    assert_eq!(cards, 2, "one card per branch");

    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let start = at_olaya["slots"][0]["start"]
        .as_str()
        .expect("a slot")
        .to_owned();
    let booked = app
        .call(
            "book_appointment",
            &[
                ("doctor_id", d.as_str()),
                ("clinic_id", o.as_str()),
                (
                    "visit_type_id",
                    at_olaya["visit_id"].as_str().expect("visit"),
                ),
                ("start", start.as_str()),
                ("reason", ""),
                ("note", ""),
                ("rescheduled_from", ""),
                ("patient_id", ""),
            ],
        )
        .await;
    assert_eq!(booked.status(), StatusCode::OK);
    let id = appointment_id(&booked);
    let at: Uuid = sqlx::query_scalar("SELECT clinic_id FROM appointments WHERE id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .expect("appointment");
    assert_eq!(at, olaya);

    // The desk's day list shows the visit at Olaya's list and not at the main branch's.
    let desk = as_role(&app, "0500000005").await;
    let day = start
        .parse::<jiff::Timestamp>()
        .expect("start")
        .to_zoned(jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz"))
        .date()
        .to_string();
    let listed = |clinic: String| {
        let (desk, day, app) = (desk.clone(), day.clone(), &app);
        async move {
            let list: Value = app
                .call_with(
                    &desk,
                    "staff_day",
                    &[("day", day.as_str()), ("clinic", &clinic)],
                )
                .await
                .json()
                .await
                .expect("day list");
            list["day"]["appointments"]
                .as_array()
                .expect("appointments")
                .iter()
                .filter_map(|a| a["id"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    assert!(listed(o.clone()).await.contains(&id));
    assert!(!listed(main.to_string()).await.contains(&id));
    assert!(listed(String::new()).await.contains(&id), "every branch");
    // So does the week list, which keeps the branch chosen.
    let week_of = |clinic: String| {
        let (desk, day, app) = (desk.clone(), day.clone(), &app);
        async move {
            let week: Value = app
                .call_with(
                    &desk,
                    "staff_week",
                    &[("day", day.as_str()), ("clinic", &clinic)],
                )
                .await
                .json()
                .await
                .expect("week list");
            assert_eq!(week["branch"].as_str().unwrap_or_default(), clinic);
            week["days"]
                .as_array()
                .expect("days")
                .iter()
                .flat_map(|d| d["appointments"].as_array().expect("list"))
                .filter_map(|a| a["id"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    assert!(week_of(o.clone()).await.contains(&id));
    assert!(!week_of(main.to_string()).await.contains(&id));
    assert!(week_of(String::new()).await.contains(&id), "every branch");

    // Olaya's visit type is not on offer at the main branch.
    let wrong_branch = app
        .call(
            "book_appointment",
            &[
                ("doctor_id", d.as_str()),
                ("clinic_id", &main.to_string()),
                ("visit_type_id", &olaya_visit.to_string()),
                ("start", start.as_str()),
                ("reason", ""),
                ("note", ""),
                ("rescheduled_from", ""),
                ("patient_id", ""),
            ],
        )
        .await;
    assert_eq!(wrong_branch.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_branch_is_left_only_without_hours_there_and_never_the_last_one() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let doctor = doctor_id(&app.pool, DOCTOR).await.to_string();
    let main: Uuid =
        sqlx::query_scalar("SELECT clinic_id FROM doctor_profiles WHERE user_id = $1::uuid")
            .bind(&doctor)
            .fetch_one(&app.pool)
            .await
            .expect("home branch");
    let set = |clinic: Uuid, works: &'static str| {
        let (doctor, admin, app) = (doctor.clone(), admin.clone(), &app);
        async move {
            app.call_with(
                &admin,
                "set_doctor_branch",
                &[
                    ("doctor_id", doctor.as_str()),
                    ("clinic_id", &clinic.to_string()),
                    ("works", works),
                ],
            )
            .await
        }
    };
    let last = set(main, "false").await;
    assert_eq!(last.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_json(last).await, json!({"Rule": "err-branch-last"}));

    let olaya = open_branch(&app, &admin).await;
    assert_eq!(set(olaya, "true").await.status(), StatusCode::OK);
    let with_hours = set(main, "false").await;
    assert_eq!(with_hours.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(with_hours).await,
        json!({"Rule": "err-branch-has-hours"})
    );
    let still: i64 =
        sqlx::query_scalar("SELECT count(*) FROM doctor_clinics WHERE doctor_id = $1::uuid")
            .bind(&doctor)
            .fetch_one(&app.pool)
            .await
            .expect("branches");
    assert_eq!(still, 2, "nothing was removed");
    assert_eq!(set(olaya, "false").await.status(), StatusCode::OK);

    let same_name = app
        .call_with(
            &admin,
            "add_branch",
            &[
                ("name_ar", "فرع العليا"),
                ("name_en", "Another name"),
                ("address_ar", ""),
                ("address_en", ""),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(same_name.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(same_name).await,
        json!({"Conflict": [{"field": "name_ar", "key": "err-branch-name-taken"}]})
    );

    let malaz = [
        ("name_ar", "فرع الملز"),
        ("name_en", "Malaz branch"),
        ("address_ar", ""),
        ("address_en", ""),
        ("phone", ""),
    ];
    let doctor_client = as_role(&app, "0500000002").await;
    let refused = app.call_with(&doctor_client, "add_branch", &malaz).await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "doctors do not open branches"
    );
    let desk = as_role(&app, "0500000005").await;
    let by_desk = app.call_with(&desk, "add_branch", &malaz).await;
    assert_eq!(by_desk.status(), StatusCode::OK, "the desk does");
}

#[tokio::test]
async fn a_cached_schedule_is_not_trusted_after_the_hours_change() {
    let pool = test_pool().await;
    crate::helpers::seed(&pool).await;
    let doctor = doctor_id(&pool, DOCTOR).await;
    let clinic: Uuid =
        sqlx::query_scalar("SELECT clinic_id FROM doctor_profiles WHERE user_id = $1")
            .bind(doctor)
            .fetch_one(&pool)
            .await
            .expect("home branch");
    let (visit, starts) = free_starts(&pool, doctor, 3).await;
    let people = make_patients(&pool, 3).await;
    let cache = ScheduleCache::default();
    let at_branch = |i: usize| {
        let mut req = request(&people[i], doctor, visit, starts[i]);
        req.clinic_id = Some(clinic);
        req
    };
    app::scheduling::booking::book(&pool, &cache, &people[0], None, at_branch(0))
        .await
        .expect("the first booking reads and caches the schedule");

    // A visit type added after the schedule was cached is found, not refused as unknown.
    let added = Uuid::new_v4();
    // Same length and buffers as the first type, so the times on offer are the same.
    sqlx::query(
        "INSERT INTO visit_types (id, clinic_id, name_ar, name_en, duration_minutes, price_halalas,
             buffer_before_minutes, buffer_after_minutes)
         SELECT $1, clinic_id, 'تطعيم', 'Vaccination', duration_minutes, 5000,
                buffer_before_minutes, buffer_after_minutes
         FROM visit_types WHERE id = $2",
    )
    .bind(added)
    .bind(visit)
    .execute(&pool)
    .await
    .expect("visit type");
    sqlx::query("INSERT INTO doctor_visit_types (doctor_id, visit_type_id) VALUES ($1, $2)")
        .bind(doctor)
        .bind(added)
        .execute(&pool)
        .await
        .expect("offered");
    let mut vaccination = request(&people[2], doctor, added, starts[2]);
    vaccination.clinic_id = Some(clinic);
    app::scheduling::booking::book(&pool, &cache, &people[2], None, vaccination)
        .await
        .expect("the new visit type is bookable through the warm cache");

    sqlx::query("DELETE FROM working_hours WHERE doctor_id = $1")
        .bind(doctor)
        .execute(&pool)
        .await
        .expect("hours removed");
    let refused =
        app::scheduling::booking::book(&pool, &cache, &people[1], None, at_branch(1)).await;
    assert!(
        matches!(&refused, Err(ServiceError::Refused(AppError::Rule(key))) if key == "err-slot-unavailable"),
        "the cached hours were not trusted: {refused:?}"
    );
    let booked: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments WHERE doctor_id = $1")
        .bind(doctor)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(booked, 2);
}

fn free_count(free: &app::scheduling::cache::FreeDays) -> usize {
    free.days.iter().map(|(_, slots)| slots.len()).sum()
}

#[tokio::test]
async fn cached_availability_reads_bookings_fresh_and_follows_the_schedule_version() {
    let pool = test_pool().await;
    crate::helpers::seed(&pool).await;
    let doctor = doctor_id(&pool, DOCTOR).await;
    let cache = ScheduleCache::default();
    let now = jiff::Timestamp::now();
    let first = cache
        .free_days(&pool, doctor, None, None, 14, now)
        .await
        .expect("availability");
    let visit = first.visit.clone().expect("the doctor offers a visit type");
    let start = first
        .days
        .iter()
        .flat_map(|(_, slots)| slots)
        .map(|s| s.start)
        .next()
        .expect("a free slot within two weeks");

    // A booking made after the schedule was cached is seen at once: bookings are never cached.
    let people = make_patients(&pool, 1).await;
    app::scheduling::booking::book(
        &pool,
        &ScheduleCache::default(),
        &people[0],
        None,
        request(&people[0], doctor, visit.id, start),
    )
    .await
    .expect("booked");
    let after_booking = cache
        .free_days(&pool, doctor, None, Some(visit.id), 14, now)
        .await
        .expect("availability");
    assert!(
        !after_booking
            .days
            .iter()
            .flat_map(|(_, slots)| slots)
            .any(|s| s.start == start),
        "the booked time is no longer free"
    );
    let free_before = free_count(&after_booking);
    assert!(free_before > 0);

    // Hours deleted behind the version's back (its trigger off) are not noticed: proof that
    // the warm path answered from the cache rather than reading the schedule again...
    let owner = crate::db::owner_pool(&pool).await;
    let mut conn = owner.acquire().await.expect("connection");
    sqlx::query("ALTER TABLE working_hours DISABLE TRIGGER schedule_version_working_hours")
        .execute(&mut *conn)
        .await
        .expect("trigger off");
    sqlx::query("DELETE FROM working_hours WHERE doctor_id = $1")
        .bind(doctor)
        .execute(&mut *conn)
        .await
        .expect("hours removed");
    sqlx::query("ALTER TABLE working_hours ENABLE TRIGGER schedule_version_working_hours")
        .execute(&mut *conn)
        .await
        .expect("trigger on");
    let stale = cache
        .free_days(&pool, doctor, None, Some(visit.id), 14, now)
        .await
        .expect("availability");
    assert_eq!(free_count(&stale), free_before, "answered from the cache");

    // ...and once the version moves, as every setup change moves it, the cache is re-read.
    sqlx::query("UPDATE schedule_version SET version = version + 1")
        .execute(&mut *conn)
        .await
        .expect("version bumped");
    let fresh = cache
        .free_days(&pool, doctor, None, Some(visit.id), 14, now)
        .await
        .expect("availability");
    assert_eq!(free_count(&fresh), 0, "no hours, no slots");
}
