//! The Saudi clinic year: holidays kept by rule from the Umm al-Qura calendar, moved for a
//! sighting, Ramadan hours that run past midnight, and all of it honoured by the slots patients
//! are offered.

use crate::db::test_pool;
use crate::{fixtures::*, helpers::*};
use app::scheduling::cache::ScheduleCache;
use app::scheduling::domain::schedule::Slot;
use jiff::civil::{date, Date};
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

const DOCTOR: &str = "+966500000003";
const DOCTOR_LOGIN: &str = "0500000002";

async fn holidays(pool: &PgPool, kind: &str) -> Vec<(i32, Date, Date)> {
    let rows: Vec<(i32, time::Date, time::Date)> = sqlx::query_as(
        "SELECT holiday_year, starts_on, ends_on FROM closures
         WHERE holiday_kind = $1 ORDER BY starts_on",
    )
    .bind(kind)
    .fetch_all(pool)
    .await
    .expect("holidays");
    rows.into_iter()
        .map(|(y, f, u)| (y, jiff_date(f), jiff_date(u)))
        .collect()
}

fn jiff_date(d: time::Date) -> Date {
    date(d.year() as i16, d.month() as i8, d.day() as i8)
}

/// Local start times of the doctor's free slots on `day`, seen at `now`.
async fn times_on(pool: &PgPool, doctor: uuid::Uuid, day: Date, now: Timestamp) -> Vec<String> {
    let free = ScheduleCache::default()
        .free_days_from(pool, doctor, None, None, Some(day), 1, now)
        .await
        .expect("availability");
    let slots: Vec<Slot> = free
        .days
        .into_iter()
        .filter(|(d, _)| *d == day)
        .flat_map(|(_, slots)| slots)
        .collect();
    local_times(&slots)
}

fn riyadh() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Riyadh").expect("tz")
}

/// Slot starts as the demo branch's clock shows them, "HH:MM".
fn local_times(slots: &[Slot]) -> Vec<String> {
    let tz = riyadh();
    slots
        .iter()
        .map(|s| s.start.to_zoned(tz.clone()).strftime("%H:%M").to_string())
        .collect()
}

/// Today in Riyadh, for the parts that go through the server (it counts from the real day).
fn riyadh_today() -> Date {
    Timestamp::now().to_zoned(riyadh()).date()
}

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn holiday_form<'a>(
    kind: &'a str,
    on: bool,
    days: &'a str,
    start: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let mut form = vec![("kind", kind), ("days", days), ("clinic_id", "")];
    if on {
        form.push(("on", "on"));
    }
    if !start.is_empty() {
        form.push(("start", start));
    }
    form
}

#[tokio::test]
async fn the_standard_saudi_holidays_are_kept_by_rule_and_close_their_days() {
    let pool = test_pool().await;
    seed(&pool).await;
    // Kept as on 1 December 2026, so the years below do not move with the day the test runs.
    app::clinic::holidays::keep_all(&pool, date(2026, 12, 1))
        .await
        .expect("keep");
    // Ramadan 1448 has 29 days, so the day after 29 Ramadan is 1 Shawwal (9 March 2027).
    assert_eq!(
        holidays(&pool, "eid_fitr").await[0],
        (1448, date(2027, 3, 9), date(2027, 3, 12))
    );
    assert_eq!(
        holidays(&pool, "eid_adha").await[0],
        (1448, date(2027, 5, 15), date(2027, 5, 18))
    );
    assert_eq!(
        holidays(&pool, "founding_day").await[0],
        (2027, date(2027, 2, 22), date(2027, 2, 22))
    );
    assert_eq!(
        holidays(&pool, "national_day").await[0],
        (2027, date(2027, 9, 23), date(2027, 9, 23))
    );
    // Two years are kept: 1449's Eids are there too.
    assert_eq!(holidays(&pool, "eid_fitr").await[1].0, 1449);

    let doctor = doctor_id(&pool, DOCTOR).await;
    let now = at("2027-03-01T00:00:00Z");
    // 8 March (a Monday, 29 Ramadan) is a working day; 9-11 March (Tuesday to Thursday) are Eid.
    assert!(!times_on(&pool, doctor, date(2027, 3, 8), now)
        .await
        .is_empty());
    for day in 9..=11 {
        assert!(
            times_on(&pool, doctor, date(2027, 3, day), now)
                .await
                .is_empty(),
            "Eid day {day}"
        );
    }
    assert!(!times_on(&pool, doctor, date(2027, 3, 14), now)
        .await
        .is_empty());
}

/// The holiday calendar is carried forward by a clock while the server runs, not only at
/// start-up: rows that went missing come back at its next tick.
#[tokio::test]
async fn the_holiday_clock_keeps_the_calendar_while_the_server_runs() {
    let pool = test_pool().await;
    seed(&pool).await;
    let kept = || async {
        sqlx::query_as::<_, (String, i32, time::Date, time::Date)>(
            "SELECT holiday_kind, holiday_year, starts_on, ends_on FROM closures
             WHERE holiday_kind IS NOT NULL ORDER BY starts_on, holiday_kind",
        )
        .fetch_all(&pool)
        .await
        .expect("holiday rows")
    };
    let before = kept().await;
    // Two years of four holidays.
    assert!(before.len() >= 8, "{before:?}");
    sqlx::query("DELETE FROM closures WHERE holiday_kind IS NOT NULL")
        .execute(&pool)
        .await
        .expect("delete");
    assert!(kept().await.is_empty());
    let clock = tokio::spawn(server::holiday_clock::run(
        pool.clone(),
        std::time::Duration::from_millis(200),
    ));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while kept().await != before && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    clock.abort();
    assert_eq!(kept().await, before, "the clock kept the calendar again");
}

#[tokio::test]
async fn an_admin_changes_a_holiday_and_moves_an_eid_for_the_sighting_with_a_warning_and_audit() {
    let app = spawn_app(test_pool().await).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    // The coming Eid al-Adha (not one under way), counted from the day the test runs: its
    // Hijri year and first day; four days by default.
    let today = riyadh_today();
    let day = |d: Date, n: i64| d.checked_add(jiff::Span::new().days(n)).expect("a day");
    let (year, start, end) = holidays(&app.pool, "eid_adha")
        .await
        .into_iter()
        .find(|(_, from, _)| *from > today)
        .expect("a coming Eid al-Adha");
    assert_eq!(end, day(start, 3));
    let of_year = |rows: Vec<(i32, Date, Date)>, y: i32| {
        rows.into_iter()
            .find(|r| r.0 == y)
            .unwrap_or_else(|| panic!("Eid al-Adha {y} kept"))
    };
    // A visit booked the day after it, a day Eid al-Adha does not cover yet.
    sqlx::query(
        "INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during,
                                   blocked, price_halalas, booked_by)
         SELECT gen_random_uuid(), c.id, d.user_id, p.id, v.id, t.slot, t.slot, v.price_halalas, p.id
         FROM (SELECT tstzrange(($1::date + time '10:00') AT TIME ZONE 'Asia/Riyadh',
                                ($1::date + time '10:20') AT TIME ZONE 'Asia/Riyadh') AS slot) t,
              clinics c, doctor_profiles d, users p, visit_types v
         WHERE d.clinic_id = c.id AND p.phone = '+966500000006' AND v.clinic_id = c.id
         ORDER BY d.user_id, v.id LIMIT 1",
    )
    .bind(day(start, 4).to_string())
    .execute(&app.pool)
    .await
    .expect("a visit");

    for (form, field, key) in [
        (
            holiday_form("eid_adha", true, "0", ""),
            "eid_adha_days",
            "err-holiday-days",
        ),
        (
            holiday_form("eid_adha", true, "٣٠", ""),
            "eid_adha_days",
            "err-holiday-days",
        ),
        (
            holiday_form("eid_fitr", true, "3", "ramadan_1"),
            "eid_fitr_start",
            "err-holiday-start",
        ),
        (
            holiday_form("new_year", true, "1", ""),
            "kind",
            "err-holiday-kind",
        ),
    ] {
        let refused = app.call_with(&admin, "save_holiday", &form).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        assert_eq!(
            error_json(refused).await,
            json!({"Validation": [{"field": field, "key": key}]})
        );
    }
    // Six days of Eid al-Adha: the visit on its fifth day is now on a holiday, and the admin is
    // told.
    let saved = app
        .call_with(
            &admin,
            "save_holiday",
            &holiday_form("eid_adha", true, "٦", ""),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(saved.json::<i64>().await.expect("count"), 1);
    assert_eq!(
        of_year(holidays(&app.pool, "eid_adha").await, year),
        (year, start, day(start, 5))
    );
    let next_year = of_year(holidays(&app.pool, "eid_adha").await, year + 1);

    // The sighting puts Arafah a day later that year: only that year moves.
    let hijri_year = year.to_string();
    let moved = app
        .call_with(
            &admin,
            "shift_holiday",
            &[
                ("kind", "eid_adha"),
                ("hijri_year", hijri_year.as_str()),
                ("days", "1"),
                ("clinic_id", ""),
            ],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let adha = holidays(&app.pool, "eid_adha").await;
    assert_eq!(
        of_year(adha.clone(), year),
        (year, day(start, 1), day(start, 6))
    );
    assert_eq!(
        of_year(adha, year + 1),
        next_year,
        "the next year as the calendar says"
    );
    for bad in [
        [
            ("kind", "national_day"),
            ("hijri_year", hijri_year.as_str()),
            ("days", "1"),
            ("clinic_id", ""),
        ],
        [
            ("kind", "eid_adha"),
            ("hijri_year", hijri_year.as_str()),
            ("days", "5"),
            ("clinic_id", ""),
        ],
    ] {
        let refused = app.call_with(&admin, "shift_holiday", &bad).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Founding Day off: its closures go.
    let off = app
        .call_with(
            &admin,
            "save_holiday",
            &holiday_form("founding_day", false, "1", ""),
        )
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    assert!(holidays(&app.pool, "founding_day").await.is_empty());

    let actions = app.audit_actions().await;
    for action in ["clinic.holiday", "clinic.holiday_shift"] {
        assert!(
            actions.contains(&(action.into(), "success".into())),
            "{action} audited"
        );
    }
    // Nobody else sets the clinic's year.
    let doctor = as_role(&app, DOCTOR_LOGIN).await;
    let refused = app
        .call_with(
            &doctor,
            "save_holiday",
            &holiday_form("eid_adha", false, "1", ""),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn ramadan_hours_across_midnight_are_offered_every_night_of_ramadan_and_none_on_eid() {
    let app = spawn_app(test_pool().await).await;
    // The slots below are of Ramadan 1448, asked for as on fixed days; its Eid is kept as on 1
    // December 2026 so they hold whatever day the test runs.
    app::clinic::holidays::keep_all(&app.pool, date(2026, 12, 1))
        .await
        .expect("keep");
    let admin = as_role(&app, ADMIN_PHONE).await;
    let doctor = doctor_id(&app.pool, DOCTOR).await;
    let doctor_text = doctor.to_string();
    let clinic: uuid::Uuid =
        sqlx::query_scalar("SELECT clinic_id FROM doctor_profiles WHERE user_id = $1")
            .bind(doctor)
            .fetch_one(&app.pool)
            .await
            .expect("branch");
    let clinic_text = clinic.to_string();
    for (weekday, from, to, field, key) in [
        (
            "9",
            "21:00",
            "01:00",
            "ramadan_weekday",
            "err-weekday-invalid",
        ),
        ("1", "21:00", "21:00", "ramadan_until", "err-ramadan-same"),
        ("1", "9pm", "01:00", "ramadan_from", "err-time-invalid"),
    ] {
        let refused = app
            .call_with(
                &admin,
                "add_ramadan_hours",
                &[
                    ("doctor_id", doctor_text.as_str()),
                    ("clinic_id", clinic_text.as_str()),
                    ("ramadan_weekday", weekday),
                    ("ramadan_from", from),
                    ("ramadan_until", to),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error_json(refused).await,
            json!({"Validation": [{"field": field, "key": key}]})
        );
    }
    // The doctor's Ramadan nights, Sunday to Thursday: 21:00 to 02:00.
    for weekday in 0..=4 {
        let added = app
            .call_with(
                &admin,
                "add_ramadan_hours",
                &[
                    ("doctor_id", doctor_text.as_str()),
                    ("clinic_id", clinic_text.as_str()),
                    ("ramadan_weekday", &weekday.to_string()),
                    ("ramadan_from", "٢١:٠٠"),
                    ("ramadan_until", "02:00"),
                ],
            )
            .await;
        assert_eq!(added.status(), StatusCode::OK);
    }
    let now = at("2027-02-01T00:00:00Z");
    let before = times_on(&app.pool, doctor, date(2027, 2, 7), now).await;
    assert!(
        before.first().is_some_and(|t| t.as_str() < "12:00"),
        "{before:?}"
    );
    // 8 February, a Monday, is 1 Ramadan: the night from 21:00, nothing in the morning.
    let first = times_on(&app.pool, doctor, date(2027, 2, 8), now).await;
    assert!(
        first.first().is_some_and(|t| t.starts_with("21:")),
        "{first:?}"
    );
    assert!(first.iter().all(|t| t.as_str() >= "21:00"), "{first:?}");
    // 9 February: the first night's hour after midnight, then its own night.
    let second = times_on(&app.pool, doctor, date(2027, 2, 9), now).await;
    assert!(
        second.first().is_some_and(|t| t.starts_with("00:")),
        "{second:?}"
    );
    assert!(second.iter().any(|t| t.as_str() >= "21:00"));
    assert!(!second
        .iter()
        .any(|t| t.as_str() >= "02:00" && t.as_str() < "21:00"));
    // 8 March, 29 Ramadan and the last night: until midnight only, since Eid closes the 9th.
    let now = at("2027-03-01T00:00:00Z");
    let last = times_on(&app.pool, doctor, date(2027, 3, 8), now).await;
    assert!(last.iter().any(|t| t.as_str() >= "21:00"), "{last:?}");
    assert!(times_on(&app.pool, doctor, date(2027, 3, 9), now)
        .await
        .is_empty());

    // A time after midnight books like any other.
    let free = ScheduleCache::default()
        .free_days_from(
            &app.pool,
            doctor,
            None,
            None,
            Some(date(2027, 2, 10)),
            1,
            at("2027-02-01T00:00:00Z"),
        )
        .await
        .expect("availability");
    let after_midnight = free.days[0].1[0].start;
    assert_eq!(after_midnight.to_zoned(riyadh()).hour(), 0);

    // The calendar page (which counts from today) names Eid on its closed days and marks
    // Ramadan: the coming Eid al-Fitr, kept from today, three days before it on the strip.
    let today = riyadh_today();
    app::clinic::holidays::keep_all(&app.pool, today)
        .await
        .expect("keep");
    let eid: time::Date = sqlx::query_scalar(
        "SELECT min(starts_on) FROM closures
         WHERE clinic_id = $1 AND holiday_kind = 'eid_fitr' AND starts_on > $2::date",
    )
    .bind(clinic)
    .bind(today.to_string())
    .fetch_one(&app.pool)
    .await
    .expect("the coming Eid al-Fitr");
    sqlx::query("UPDATE clinics SET booking_horizon_days = 365")
        .execute(&app.pool)
        .await
        .expect("horizon");
    let page = app
        .get(&format!(
            "/doctors/{doctor}?from={}",
            jiff_date(eid)
                .checked_sub(jiff::Span::new().days(3))
                .expect("three days before")
        ))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("عيد الفطر"), "Eid named on its days");
    assert!(
        page.contains("data-testid=\"ramadan-day\""),
        "Ramadan marked"
    );

    // Removing the hours brings the regular week back in Ramadan.
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM ramadan_hours")
        .fetch_all(&app.pool)
        .await
        .expect("ids");
    for id in ids {
        let removed = app
            .call_with(
                &admin,
                "remove_ramadan_hours",
                &[("doctor_id", doctor_text.as_str()), ("id", &id.to_string())],
            )
            .await;
        assert_eq!(removed.status(), StatusCode::OK);
    }
    let back = times_on(
        &app.pool,
        doctor,
        date(2027, 2, 8),
        at("2027-02-01T00:00:00Z"),
    )
    .await;
    assert!(
        back.first().is_some_and(|t| t.as_str() < "12:00"),
        "{back:?}"
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("ramadan_hours.add".into(), "success".into())));
}

#[tokio::test]
async fn prayer_breaks_remove_exactly_the_slots_they_overlap_and_nothing_else() {
    let app = spawn_app(test_pool().await).await;
    let admin = as_role(&app, ADMIN_PHONE).await;
    let doctor = doctor_id(&app.pool, DOCTOR).await;
    let now = at("2027-01-01T00:00:00Z");
    // Sunday 3 January 2027, a working day with morning and evening clinics.
    let sunday = date(2027, 1, 3);
    let before = times_on(&app.pool, doctor, sunday, now).await;
    assert!(!before.is_empty());

    let form = |lat: &'static str, minutes: &'static str, dhuhr: bool| {
        let mut f = vec![
            ("latitude", lat),
            ("longitude", "46.6753"),
            ("minutes", minutes),
            ("clinic_id", ""),
            ("asr", "on"),
        ];
        if dhuhr {
            f.push(("dhuhr", "on"));
        }
        f
    };
    for (bad, field, key) in [
        (form("95", "20", true), "latitude", "err-prayer-position"),
        (
            form("24.7136", "120", true),
            "minutes",
            "err-prayer-minutes",
        ),
    ] {
        let refused = app.call_with(&admin, "save_prayer_breaks", &bad).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error_json(refused).await,
            json!({"Validation": [{"field": field, "key": key}]})
        );
    }
    assert_eq!(
        times_on(&app.pool, doctor, sunday, now).await,
        before,
        "unchanged"
    );

    let saved = app
        .call_with(&admin, "save_prayer_breaks", &form("24.7136", "20", true))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let after = times_on(&app.pool, doctor, sunday, now).await;
    let tz = riyadh();
    let times = app::clinic::domain::prayer::PrayerTimes::on(sunday, 24.7136, 46.6753, false)
        .expect("prayer times");
    let minutes = |ts: Timestamp| {
        let z = ts.to_zoned(tz.clone());
        i64::from(z.hour()) * 60 + i64::from(z.minute())
    };
    let breaks = [
        (minutes(times.dhuhr), minutes(times.dhuhr) + 20),
        (minutes(times.asr), minutes(times.asr) + 20),
    ];
    // What a slot keeps the doctor from: the calendar's first visit type with its buffers.
    let (before_buffer, visit): (i64, i64) = sqlx::query_as(
        "SELECT v.buffer_before_minutes::bigint,
                (v.duration_minutes + v.buffer_after_minutes)::bigint
         FROM visit_types v JOIN doctor_visit_types dv
           ON dv.visit_type_id = v.id JOIN users u ON u.id = dv.doctor_id
         WHERE u.phone = $1 ORDER BY v.duration_minutes DESC, v.name_en LIMIT 1",
    )
    .bind(DOCTOR)
    .fetch_one(&app.pool)
    .await
    .expect("visit length");
    let of = |hm: &String| -> i64 {
        let (h, m) = hm.split_once(':').expect("HH:MM");
        h.parse::<i64>().expect("h") * 60 + m.parse::<i64>().expect("m")
    };
    let overlaps = |start: i64| {
        breaks
            .iter()
            .any(|(b0, b1)| start - before_buffer < *b1 && *b0 < start + visit)
    };
    let expected: Vec<String> = before
        .iter()
        .filter(|t| !overlaps(of(t)))
        .cloned()
        .collect();
    assert_eq!(after, expected, "breaks at {breaks:?}");
    // A week computed at once (each day takes the day before's breaks from the previous step)
    // agrees with each of its days computed alone.
    let week = ScheduleCache::default()
        .free_days_from(&app.pool, doctor, None, None, Some(sunday), 7, now)
        .await
        .expect("a week");
    let working_days = week.days.iter().filter(|(_, s)| !s.is_empty()).count();
    assert!(working_days >= 4, "{working_days} working days");
    for (day, slots) in &week.days {
        assert_eq!(
            local_times(slots),
            times_on(&app.pool, doctor, *day, now).await,
            "{day}"
        );
    }
    assert!(
        after.len() < before.len(),
        "the breaks fall in working hours"
    );
    assert!(app
        .audit_actions()
        .await
        .contains(&("clinic.prayer_breaks".into(), "success".into())));

    // Without breaks, the day is as it was.
    let off = app
        .call_with(
            &admin,
            "save_prayer_breaks",
            &[
                ("latitude", ""),
                ("longitude", ""),
                ("minutes", "20"),
                ("clinic_id", ""),
            ],
        )
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(times_on(&app.pool, doctor, sunday, now).await, before);
}
