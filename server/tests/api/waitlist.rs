use crate::db::test_pool;
use crate::{fixtures::*, helpers::*};
use app::kernel::auth::CurrentUser;
use app::kernel::error::AppError;
use app::kernel::service_error::ServiceError;
use app::kernel::values::Role;
use app::scheduling::domain::appointment::Action;
use app::scheduling::waitlist;
use app::scheduling::waitlist::JoinRequest;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

const DOCTOR: &str = "+966500000002";
const ADMIN: &str = "+966500000001";

async fn join(
    pool: &PgPool,
    patient: &CurrentUser,
    doctor: Uuid,
    any_doctor: bool,
    start: Timestamp,
) {
    let day = start
        .to_zoned(jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz"))
        .date();
    waitlist::join(
        pool,
        patient,
        None,
        JoinRequest {
            patient_id: patient.id,
            doctor_id: doctor,
            clinic_id: None,
            any_doctor,
            from: day.to_string(),
            until: day.to_string(),
        },
    )
    .await
    .expect("joined");
}

/// The held offers: (appointment id, patient), oldest first.
async fn offers(pool: &PgPool) -> Vec<(Uuid, Uuid)> {
    sqlx::query_as(
        "SELECT id, patient_id FROM appointments WHERE status = 'held' ORDER BY created_at",
    )
    .fetch_all(pool)
    .await
    .expect("offers")
}

async fn entry_status(pool: &PgPool, patient: Uuid) -> String {
    sqlx::query_scalar("SELECT status::text FROM waitlist_entries WHERE patient_id = $1")
        .bind(patient)
        .fetch_one(pool)
        .await
        .expect("entry")
}

/// A booked by A, B and C waiting in that order, and the desk about to cancel A's visit.
struct Scene {
    doctor: Uuid,
    visit: Uuid,
    start: Timestamp,
    booked: Uuid,
    desk: CurrentUser,
    people: Vec<CurrentUser>,
}

impl Scene {
    /// The booked visit's start in the demo clinic's time zone.
    fn local_start(&self) -> jiff::Zoned {
        self.start
            .to_zoned(jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz"))
    }
}

async fn scene(pool: &PgPool, waiting: usize) -> Scene {
    crate::helpers::seed(pool).await;
    let doctor = doctor_id(pool, DOCTOR).await;
    let (visit, start) = free_start_after(pool, doctor, 26).await;
    let people = make_patients(pool, 1 + waiting as u32).await;
    let booked = app::scheduling::booking::book(
        pool,
        &Default::default(),
        &people[0],
        None,
        request(&people[0], doctor, visit, start),
    )
    .await
    .expect("A books");
    for p in &people[1..] {
        join(pool, p, doctor, false, start).await;
    }
    Scene {
        doctor,
        visit,
        start,
        booked,
        desk: staff_user(pool, ADMIN, Role::Admin).await,
        people,
    }
}

async fn desk_cancels(pool: &PgPool, s: &Scene) {
    app::scheduling::booking::change_status(
        pool,
        &s.desk,
        None,
        s.booked,
        Action::Cancel,
        Some("travel"),
    )
    .await
    .expect("cancelled");
}

#[tokio::test]
async fn a_freed_time_is_held_for_the_first_in_line_and_nobody_else_can_book_it() {
    let pool = test_pool().await;
    let s = scene(&pool, 2).await;
    let (b, c) = (&s.people[1], &s.people[2]);
    desk_cancels(&pool, &s).await;

    let held = offers(&pool).await;
    assert_eq!(held.len(), 1);
    let (offer, holder) = held[0];
    assert_eq!(
        holder, b.id,
        "the patient who joined first is offered the time"
    );
    assert_eq!(entry_status(&pool, b.id).await, "offered");
    let minutes: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM hold_expires_at - now())::float8 / 60 FROM appointments WHERE id = $1",
    )
    .bind(offer)
    .fetch_one(&pool)
    .await
    .expect("hold");
    assert!(
        (14.0..=15.0).contains(&minutes),
        "a 15-minute hold, got {minutes}"
    );
    let offered: serde_json::Value = sqlx::query_scalar(
        "SELECT payload FROM appointment_events WHERE kind = 'waitlist.offered' AND appointment_id = $1",
    )
    .bind(offer)
    .fetch_one(&pool)
    .await
    .expect("the offer is an outbox event");
    assert_eq!(offered["patient_id"], json!(b.id));

    // During the hold the time is not for sale: not to C, not to anyone.
    let refused = app::scheduling::booking::book(
        &pool,
        &Default::default(),
        c,
        None,
        request(c, s.doctor, s.visit, s.start),
    )
    .await;
    assert!(
        matches!(refused, Err(ServiceError::Refused(AppError::SlotTaken(_)))),
        "{refused:?}"
    );
    let raw = sqlx::query(
        "INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during, blocked, price_halalas, booked_by)
         SELECT gen_random_uuid(), clinic_id, doctor_id, $2, visit_type_id, during, blocked, 0, $2
         FROM appointments WHERE id = $1",
    )
    .bind(offer)
    .bind(c.id)
    .execute(&pool)
    .await;
    assert!(raw.is_err(), "the database itself keeps the held time");

    let next =
        app::scheduling::booking::change_status(&pool, b, None, offer, Action::AcceptOffer, None)
            .await
            .expect("B accepts");
    assert_eq!(next, app::scheduling::domain::appointment::Status::Booked);
    assert_eq!(entry_status(&pool, b.id).await, "booked");
    assert_eq!(entry_status(&pool, c.id).await, "waiting");
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM appointment_events WHERE appointment_id = $1 ORDER BY id",
    )
    .bind(offer)
    .fetch_all(&pool)
    .await
    .expect("events");
    assert_eq!(
        kinds,
        [
            "waitlist.offered",
            "waitlist.accepted",
            "appointment.created"
        ]
    );
}

#[tokio::test]
async fn a_lapsed_offer_passes_to_the_next_patient_and_is_never_offered_twice() {
    let pool = test_pool().await;
    let s = scene(&pool, 2).await;
    let (b, c) = (&s.people[1], &s.people[2]);
    desk_cancels(&pool, &s).await;
    let now = Timestamp::now();

    assert_eq!(
        waitlist::expire_lapsed(&pool, now).await.expect("tick"),
        0,
        "nothing lapses early"
    );
    let later = now + SignedDuration::from_mins(16);
    assert_eq!(
        waitlist::expire_lapsed(&pool, later).await.expect("tick"),
        1
    );
    let held = offers(&pool).await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].1, c.id, "the next in line is offered it");
    assert_eq!(
        entry_status(&pool, b.id).await,
        "waiting",
        "B still waits for other times"
    );

    let even_later = later + SignedDuration::from_mins(16);
    assert_eq!(
        waitlist::expire_lapsed(&pool, even_later)
            .await
            .expect("tick"),
        1
    );
    assert!(
        offers(&pool).await.is_empty(),
        "B is not offered the same time again"
    );
    let lapsed: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM appointment_events WHERE kind LIKE 'waitlist.%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("events");
    assert_eq!(
        lapsed,
        [
            "waitlist.offered",
            "waitlist.expired",
            "waitlist.offered",
            "waitlist.expired"
        ]
    );

    // With the line exhausted the time is free again for anyone.
    let d = &s.people[0];
    app::scheduling::booking::book(
        &pool,
        &Default::default(),
        d,
        None,
        request(d, s.doctor, s.visit, s.start),
    )
    .await
    .expect("the freed time can be booked again");
}

#[tokio::test]
async fn an_offer_past_its_hold_cannot_be_accepted_even_before_the_clock_runs() {
    let pool = test_pool().await;
    let s = scene(&pool, 1).await;
    let b = &s.people[1];
    desk_cancels(&pool, &s).await;
    let (offer, _) = offers(&pool).await[0];
    sqlx::query(
        "UPDATE appointments SET hold_expires_at = now() - interval '1 second' WHERE id = $1",
    )
    .bind(offer)
    .execute(&pool)
    .await
    .expect("age the hold");
    let late =
        app::scheduling::booking::change_status(&pool, b, None, offer, Action::AcceptOffer, None)
            .await;
    assert!(
        matches!(&late, Err(ServiceError::Refused(AppError::Rule(k))) if k == "err-offer-expired"),
        "{late:?}"
    );
}

#[tokio::test]
async fn declining_or_leaving_passes_the_offer_on() {
    let pool = test_pool().await;
    let s = scene(&pool, 2).await;
    let (b, c) = (&s.people[1], &s.people[2]);
    desk_cancels(&pool, &s).await;
    let (offer, _) = offers(&pool).await[0];
    // Someone else cannot answer B's offer, nor tell that it exists.
    let meddler =
        app::scheduling::booking::change_status(&pool, c, None, offer, Action::DeclineOffer, None)
            .await;
    assert!(
        matches!(meddler, Err(ServiceError::Refused(AppError::NotFound))),
        "{meddler:?}"
    );

    app::scheduling::booking::change_status(&pool, b, None, offer, Action::DeclineOffer, None)
        .await
        .expect("B declines");
    let held = offers(&pool).await;
    assert_eq!(held.iter().map(|h| h.1).collect::<Vec<_>>(), [c.id]);

    let entry: Uuid = sqlx::query_scalar("SELECT id FROM waitlist_entries WHERE patient_id = $1")
        .bind(c.id)
        .fetch_one(&pool)
        .await
        .expect("entry");
    waitlist::leave(&pool, c, None, entry)
        .await
        .expect("C leaves");
    assert!(
        offers(&pool).await.is_empty(),
        "leaving declines the open offer"
    );
    assert_eq!(entry_status(&pool, c.id).await, "left");
}

#[tokio::test]
async fn a_specialty_wish_is_offered_a_freed_time_of_any_doctor_in_it() {
    let pool = test_pool().await;
    crate::helpers::seed(&pool).await;
    let doctor = doctor_id(&pool, DOCTOR).await;
    let (visit, start) = free_start_after(&pool, doctor, 26).await;
    let people = make_patients(&pool, 2).await;
    let booked = app::scheduling::booking::book(
        &pool,
        &Default::default(),
        &people[0],
        None,
        request(&people[0], doctor, visit, start),
    )
    .await
    .expect("booked");
    join(&pool, &people[1], doctor, true, start).await;
    let desk = staff_user(&pool, ADMIN, Role::Admin).await;
    app::scheduling::booking::change_status(&pool, &desk, None, booked, Action::Cancel, Some("x"))
        .await
        .expect("cancelled");
    assert_eq!(
        offers(&pool).await.iter().map(|o| o.1).collect::<Vec<_>>(),
        [people[1].id]
    );
}

#[tokio::test]
async fn joining_checks_dates_and_duplicates_in_the_patients_language() {
    let pool = test_pool().await;
    let app = spawn_app(pool).await;
    let doctor = doctor_id(&app.pool, DOCTOR).await.to_string();
    app.login(PATIENT_PHONE, DEMO_PASSWORD).await;
    let today = Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz"))
        .date();
    let day = |n: i64| {
        today
            .checked_add(jiff::Span::new().days(n))
            .expect("date")
            .to_string()
    };
    let form = |from: String, until: String| {
        vec![
            ("doctor_id", doctor.clone()),
            ("from", from),
            ("until", until),
            ("patient_id", String::new()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("join_waitlist", &pairs).await
        }
    };

    let past = send(form(day(-1), day(3))).await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_json(past).await,
        json!({"Validation": [{"field": "from", "key": "err-date-past"}]})
    );
    let ok = send(form(day(1), day(5))).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let again = send(form(day(2), day(6))).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_json(again).await,
        json!({"Conflict": [{"field": "from", "key": "err-waitlist-already"}]})
    );
    // Someone else's id is not a patient this account may act for.
    let stranger = make_patients(&app.pool, 1).await[0].id.to_string();
    let mut for_stranger = form(day(1), day(5));
    for_stranger[3].1 = stranger;
    assert_eq!(send(for_stranger).await.status(), StatusCode::NOT_FOUND);

    let listed: serde_json::Value = app
        .call("my_waitlist", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM waitlist_entries")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(count, 1, "refused wishes left nothing behind");
}

#[tokio::test]
async fn a_wish_whose_dates_have_passed_does_not_block_waiting_again() {
    let pool = test_pool().await;
    crate::helpers::seed(&pool).await;
    let doctor = doctor_id(&pool, DOCTOR).await;
    let patient = &make_patients(&pool, 1).await[0];
    let (_, start) = free_start_after(&pool, doctor, 26).await;
    join(&pool, patient, doctor, false, start).await;
    sqlx::query(
        "UPDATE waitlist_entries SET from_date = from_date - 30, until_date = until_date - 30",
    )
    .execute(&pool)
    .await
    .expect("age the wish");
    join(&pool, patient, doctor, false, start).await;
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status::text FROM waitlist_entries ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .expect("entries");
    assert_eq!(statuses, ["left", "waiting"]);
}

#[tokio::test]
async fn the_desk_answers_an_offer_for_a_patient_who_phones_in() {
    let pool = test_pool().await;
    let s = scene(&pool, 2).await;
    desk_cancels(&pool, &s).await;
    let (offer, holder) = offers(&pool).await[0];
    assert_eq!(holder, s.people[1].id);
    let reception = staff_user(&pool, "+966500000005", Role::Receptionist).await;
    let doctor = staff_user(&pool, DOCTOR, Role::Doctor).await;
    let refused = app::scheduling::booking::change_status(
        &pool,
        &doctor,
        None,
        offer,
        Action::AcceptOffer,
        None,
    )
    .await;
    assert!(
        matches!(refused, Err(ServiceError::Refused(AppError::Forbidden))),
        "an offer is the patient's to answer, not the doctor's: {refused:?}"
    );
    let accepted = app::scheduling::booking::change_status(
        &pool,
        &reception,
        None,
        offer,
        Action::AcceptOffer,
        None,
    )
    .await
    .expect("the desk accepts for the patient");
    assert_eq!(
        accepted,
        app::scheduling::domain::appointment::Status::Booked
    );
    assert_eq!(entry_status(&pool, holder).await, "booked");
    let by_desk: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'appointment.status' AND actor_id = $1 AND subject_id = $2",
    )
    .bind(reception.id)
    .bind(offer.to_string())
    .fetch_one(&pool)
    .await
    .expect("audit");
    assert_eq!(
        by_desk, 1,
        "the desk's answer is audited under the desk's name"
    );
}

#[tokio::test]
async fn a_time_freed_on_a_closed_day_is_not_offered() {
    let pool = test_pool().await;
    // The branch closes the visit's weekday after it was booked.
    let s = scene(&pool, 1).await;
    let weekday = s.local_start().weekday().to_sunday_zero_offset();
    sqlx::query("UPDATE clinics SET working_days = array_remove('{0,1,2,3,4}'::smallint[], $1)")
        .bind(i16::from(weekday))
        .execute(&pool)
        .await
        .expect("day closed");
    desk_cancels(&pool, &s).await;
    assert!(offers(&pool).await.is_empty(), "no offer on a closed day");
    assert_eq!(entry_status(&pool, s.people[1].id).await, "waiting");
}

#[tokio::test]
async fn a_time_freed_on_a_holiday_is_not_offered() {
    let pool = test_pool().await;
    // A holiday declared over a booked visit: cancelling it frees nothing to offer.
    let s = scene(&pool, 1).await;
    let day = s.local_start().date();
    sqlx::query(
        "INSERT INTO closures (id, clinic_id, starts_on, ends_on, reason_ar, reason_en)
         SELECT gen_random_uuid(), id, $1::date, $1::date, 'إجازة', 'Holiday' FROM clinics",
    )
    .bind(day.to_string())
    .execute(&pool)
    .await
    .expect("holiday");
    desk_cancels(&pool, &s).await;
    assert!(offers(&pool).await.is_empty(), "no offer on a holiday");
    assert_eq!(entry_status(&pool, s.people[1].id).await, "waiting");
}

#[tokio::test]
async fn a_time_freed_outside_the_doctors_new_hours_is_not_offered() {
    let pool = test_pool().await;
    // The branch stays open that weekday; only this doctor stops working it after the booking.
    let s = scene(&pool, 1).await;
    let weekday = s.local_start().weekday().to_sunday_zero_offset();
    let removed = sqlx::query("DELETE FROM working_hours WHERE doctor_id = $1 AND weekday = $2")
        .bind(s.doctor)
        .bind(i16::from(weekday))
        .execute(&pool)
        .await
        .expect("hours removed")
        .rows_affected();
    assert!(removed > 0, "the doctor worked that weekday");
    desk_cancels(&pool, &s).await;
    assert!(
        offers(&pool).await.is_empty(),
        "no offer of a time outside the doctor's hours"
    );
    assert_eq!(entry_status(&pool, s.people[1].id).await, "waiting");
}

#[tokio::test]
async fn a_time_freed_for_a_visit_type_the_doctor_dropped_is_not_offered() {
    let pool = test_pool().await;
    let s = scene(&pool, 1).await;
    let dropped =
        sqlx::query("DELETE FROM doctor_visit_types WHERE doctor_id = $1 AND visit_type_id = $2")
            .bind(s.doctor)
            .bind(s.visit)
            .execute(&pool)
            .await
            .expect("visit type dropped")
            .rows_affected();
    assert_eq!(dropped, 1);
    desk_cancels(&pool, &s).await;
    assert!(
        offers(&pool).await.is_empty(),
        "no offer of a visit the doctor no longer gives"
    );
    assert_eq!(entry_status(&pool, s.people[1].id).await, "waiting");
}
