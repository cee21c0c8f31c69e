//! Fixtures shared by the scheduling and records tests: doctors, bookings, a consultation.

use crate::helpers::{as_role, TestApp};
use app::kernel::auth::CurrentUser;
use app::kernel::values::Role;
use app::scheduling::booking::BookingRequest;
use app::scheduling::schedule::DoctorSchedule;
use jiff::Timestamp;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

pub async fn doctor_id(pool: &PgPool, phone: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(phone)
        .fetch_one(pool)
        .await
        .expect("doctor")
}

/// Every bookable start of a doctor's default visit type in the next two weeks, and that type.
async fn bookable_starts(pool: &PgPool, doctor: Uuid, now: Timestamp) -> (Uuid, Vec<Timestamp>) {
    let schedule = DoctorSchedule::load(pool, doctor, None, now)
        .await
        .expect("schedule");
    let visit = schedule.visit_types[0].clone();
    let days = schedule
        .days(pool, &visit, schedule.today(now), 14, now)
        .await
        .expect("days");
    let starts = days
        .into_iter()
        .flat_map(|(_, s)| s)
        .map(|s| s.start)
        .collect();
    (visit.id, starts)
}

/// The first `n` bookable starts of a doctor's default visit type.
pub async fn free_starts(pool: &PgPool, doctor: Uuid, n: usize) -> (Uuid, Vec<Timestamp>) {
    let (visit, mut starts) = bookable_starts(pool, doctor, Timestamp::now()).await;
    starts.truncate(n);
    assert_eq!(
        starts.len(),
        n,
        "the demo doctor has free time in the next two weeks"
    );
    (visit, starts)
}

/// The first bookable start on `weekday` (Riyadh time) of a doctor's default visit type; two
/// weeks hold every weekday, whatever today is.
pub async fn free_start_on(
    pool: &PgPool,
    doctor: Uuid,
    weekday: jiff::civil::Weekday,
) -> (Uuid, Timestamp) {
    let riyadh = jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz");
    let (visit, starts) = bookable_starts(pool, doctor, Timestamp::now()).await;
    let start = starts
        .into_iter()
        .find(|s| s.to_zoned(riyadh.clone()).weekday() == weekday)
        .expect("a free start on that weekday within two weeks");
    (visit, start)
}

/// A patient's booking request with no reason or note, as the scheduling functions take it.
pub fn request(
    patient: &CurrentUser,
    doctor: Uuid,
    visit: Uuid,
    start: Timestamp,
) -> BookingRequest {
    BookingRequest {
        doctor_id: doctor,
        clinic_id: None,
        visit_type_id: visit,
        start,
        patient_id: patient.id,
        reason: String::new(),
        note: String::new(),
        rescheduled_from: None,
        family_cap: None,
    }
}

/// A valid national ID (Luhn) built from `n`.
/// The blind index the database finds `id` by, under the tests' key.
pub fn id_index(id: &str) -> Vec<u8> {
    let id = app::kernel::values::NationalId::parse(id).expect("a valid ID");
    app::kernel::sealed_id::lookup(&crate::helpers::test_keys(), &id).expect("index")
}

/// A user's whole national ID: the plaintext of a row written in the clear, else opened.
pub async fn full_national_id(pool: &sqlx::PgPool, user: uuid::Uuid) -> String {
    let (plain, sealed): (Option<String>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT national_id, national_id_sealed FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(pool)
            .await
            .expect("user");
    plain.unwrap_or_else(|| {
        app::kernel::sealed_id::open(&crate::helpers::test_keys(), user, &sealed.expect("sealed"))
            .expect("opens")
    })
}

pub fn national_id(n: u32) -> String {
    let body = format!("1{n:08}");
    (0..10)
        .map(|check| format!("{body}{check}"))
        .find(|id| app::kernel::values::NationalId::parse(id).is_ok())
        .expect("one check digit fits")
}

pub async fn make_patients(pool: &PgPool, count: u32) -> Vec<CurrentUser> {
    let mut patients = vec![];
    for i in 0..count {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO users (id, role, national_id, phone, first_name, father_name, grandfather_name, family_name, date_of_birth, sex, password_hash)
             VALUES ($1, 'patient', $2, $3, 'مريض', 'اختبار', 'سباق', 'الحجز', '1990-01-01', 'male', 'x')",
        )
        .bind(id)
        .bind(national_id(5_000 + i))
        .bind(format!("+96658{:07}", i))
        .execute(pool)
        .await
        .expect("patient");
        patients.push(CurrentUser {
            id,
            role: Role::Patient,
            short_name: format!("p{i}"),
            latin_name: None,
        });
    }
    patients
}

/// A bookable start at least `hours` ahead, so tests are not at the mercy of minimum notice
/// and cancel cutoffs, with the visit type it was found for.
pub async fn free_start_after(pool: &PgPool, doctor: Uuid, hours: i64) -> (Uuid, Timestamp) {
    let now = Timestamp::now();
    let (visit, starts) = bookable_starts(pool, doctor, now).await;
    let start = starts
        .into_iter()
        .find(|s| *s > now + jiff::SignedDuration::from_hours(hours))
        .expect("free time in the next two weeks");
    (visit, start)
}

/// A demo staff member as the scheduling functions see them.
pub async fn staff_user(pool: &PgPool, phone: &str, role: Role) -> CurrentUser {
    CurrentUser {
        id: doctor_id(pool, phone).await,
        role,
        short_name: "staff".into(),
        latin_name: None,
    }
}

pub async fn calendar(app: &TestApp, doctor: Uuid) -> Value {
    calendar_at(app, doctor, None).await
}

/// The doctor's calendar at `clinic`, or at their first branch when `None`.
pub async fn calendar_at(app: &TestApp, doctor: Uuid, clinic: Option<Uuid>) -> Value {
    let clinic = clinic.map(|c| c.to_string()).unwrap_or_default();
    app.call(
        "doctor_calendar",
        &[
            ("doctor_id", &doctor.to_string()),
            ("clinic", &clinic),
            ("visit", ""),
            ("day", ""),
        ],
    )
    .await
    .json()
    .await
    .expect("calendar json")
}

/// Free slots on `weekday` over the whole of a `doctor_calendar` answer.
pub fn free_on(cal: &Value, weekday: jiff::civil::Weekday) -> usize {
    cal["days"]
        .as_array()
        .expect("days")
        .iter()
        .filter(|d| {
            d["date"]
                .as_str()
                .and_then(|s| s.parse::<jiff::civil::Date>().ok())
                .is_some_and(|d| d.weekday() == weekday)
        })
        .map(|d| d["free"].as_u64().unwrap_or(0) as usize)
        .sum()
}

pub async fn book_slot(
    app: &TestApp,
    doctor: Uuid,
    index: usize,
    replaces: &str,
) -> reqwest::Response {
    book_slot_as(app, doctor, index, replaces, "").await
}

/// Books the `index`-th free slot of the doctor's first visit type, for `patient` ("" = self).
pub async fn book_slot_as(
    app: &TestApp,
    doctor: Uuid,
    index: usize,
    replaces: &str,
    patient: &str,
) -> reqwest::Response {
    let cal = calendar(app, doctor).await;
    let start = cal["slots"][index]["start"]
        .as_str()
        .expect("a free slot")
        .to_owned();
    let visit = cal["visit_id"].as_str().expect("visit").to_owned();
    app.call(
        "book_appointment",
        &[
            ("doctor_id", &doctor.to_string()),
            ("visit_type_id", &visit),
            ("start", &start),
            ("reason", ""),
            ("note", ""),
            ("rescheduled_from", replaces),
            ("patient_id", patient),
        ],
    )
    .await
}

pub fn appointment_id(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/appointments/")
        .trim_end_matches("?booked=1")
        .to_owned()
}

/// Saves a branch's working week (`None`: the first branch) as the setup form does: a box per
/// open day, unticked days not sent at all.
pub async fn set_working_week(
    app: &TestApp,
    admin: &reqwest::Client,
    clinic: Option<Uuid>,
    open: &[u8],
) -> reqwest::Response {
    let clinic = clinic.map(|c| c.to_string()).unwrap_or_default();
    let names: Vec<String> = open.iter().map(|d| format!("day{d}")).collect();
    let mut form: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "on")).collect();
    form.push(("clinic_id", clinic.as_str()));
    app.call_with(admin, "save_working_week", &form).await
}

/// Books the demo patient (`app.client`, logged in) with doctor 02, checks them in and opens
/// the consultation; returns the doctor's client and the encounter id.
pub async fn open_consultation(app: &TestApp) -> (Client, String) {
    let doctor = doctor_id(&app.pool, "+966500000002").await;
    let appointment = appointment_id(&book_slot(app, doctor, 0, "").await);
    let desk = as_role(app, "0500000005").await;
    let checked_in = app
        .call_with(
            &desk,
            "change_appointment",
            &[("id", &appointment), ("action", "check_in"), ("reason", "")],
        )
        .await;
    assert_eq!(checked_in.status(), StatusCode::OK);
    let doc = as_role(app, "0500000002").await;
    let opened = app
        .call_with(&doc, "open_encounter", &[("appointment_id", &appointment)])
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    let encounter = opened.headers()["location"]
        .to_str()
        .expect("ascii")
        .trim_start_matches("/encounters/")
        .to_owned();
    (doc, encounter)
}
