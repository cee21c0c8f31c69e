//! The benchmarks' data set, seeded in SQL.

use super::Res;
use sqlx::PgPool;

/// `doctors` doctors with the demo hours and visit types, `patients` patients (a prime, so no
/// patient is double-booked by the generator), `per_doctor` morning appointments per doctor
/// (eight a working day from next Sunday), and `fresh_patients` patients with nothing booked.
pub async fn seed_bulk(
    pool: &PgPool,
    doctors: i64,
    per_doctor: i64,
    patients: i64,
    fresh_patients: i64,
) -> Res<()> {
    let mut tx = pool.begin().await?;
    // National IDs must carry their Luhn check digit: the server seals every ID at start-up
    // and refuses to seal one that does not parse.
    sqlx::query(
        "CREATE FUNCTION pg_temp.with_luhn(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
           SELECT p || ((10 - sum(CASE WHEN j % 2 = 0 THEN (d * 2) % 10 + (d * 2) / 10 ELSE d END) % 10) % 10)::text
           FROM (SELECT k - 1 AS j, substr(reverse(p), k, 1)::int AS d FROM generate_series(1, length(p)) k) s
         $$",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE clinics SET booking_horizon_days = 365, min_notice_minutes = 0, max_active_bookings = 50")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO users (id, role, national_id, phone, first_name, father_name, grandfather_name, family_name, password_hash)
         SELECT gen_random_uuid(), 'doctor', pg_temp.with_luhn('1' || lpad((10000000 + g)::text, 8, '0')), '+9665' || lpad((10000000 + g)::text, 8, '0'),
                'طبيب', 'اختبار', 'أداء', 'رقم' || g, 'x'
         FROM generate_series(1, $1::bigint) g",
    )
    .bind(doctors)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO doctor_profiles (user_id, specialty_id, clinic_id, sex, bio_en)
         SELECT u.id, (SELECT id FROM specialties ORDER BY name_en LIMIT 1), (SELECT id FROM clinics LIMIT 1), 'male', 'bench'
         FROM users u WHERE u.family_name LIKE 'رقم%'",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO doctor_clinics (doctor_id, clinic_id)
         SELECT user_id, clinic_id FROM doctor_profiles WHERE bio_en = 'bench'",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO doctor_visit_types (doctor_id, visit_type_id)
         SELECT d.user_id, v.id FROM doctor_profiles d CROSS JOIN visit_types v WHERE d.bio_en = 'bench'",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO working_hours (id, doctor_id, clinic_id, weekday, starts_at, ends_at)
         SELECT gen_random_uuid(), d.user_id, d.clinic_id, wd, h.s, h.e
         FROM doctor_profiles d
         CROSS JOIN generate_series(0, 4) wd
         CROSS JOIN (VALUES (time '09:00', time '13:00'), (time '16:00', time '21:00')) h(s, e)
         WHERE d.bio_en = 'bench'",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO users (id, role, national_id, phone, first_name, father_name, grandfather_name, family_name, date_of_birth, sex, password_hash)
         SELECT gen_random_uuid(), 'patient', pg_temp.with_luhn('2' || lpad((10000000 + g)::text, 8, '0')), '+9665' || lpad((20000000 + g)::text, 8, '0'),
                'مريض', 'اختبار', 'أداء', 'مراجع' || g, '1990-01-01', 'female', 'x'
         FROM generate_series(1, $1::bigint) g",
    )
    .bind(patients)
    .execute(&mut *tx)
    .await?;
    // Patients with nothing booked yet, for the throughput run (the limit on active bookings
    // would stop the seeded ones).
    sqlx::query(
        "INSERT INTO users (id, role, national_id, phone, first_name, father_name, grandfather_name, family_name, date_of_birth, sex, password_hash)
         SELECT gen_random_uuid(), 'patient', pg_temp.with_luhn('2' || lpad((20000000 + g)::text, 8, '0')), '+9665' || lpad((30000000 + g)::text, 8, '0'),
                'مريض', 'اختبار', 'حجز', 'حاجز' || g, '1990-01-01', 'male', 'x'
         FROM generate_series(1, $1::bigint) g",
    )
    .bind(fresh_patients)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Morning slots 09:00–12:30 Riyadh (UTC+3), eight a day, on Sunday–Thursday.
    sqlx::query(
        "WITH docs AS (SELECT row_number() OVER (ORDER BY user_id) - 1 AS n, user_id FROM doctor_profiles WHERE bio_en = 'bench'),
              pats AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM users WHERE family_name LIKE 'مراجع%'),
              start AS (SELECT (date_trunc('week', now() AT TIME ZONE 'Asia/Riyadh')::date + 6 + 7) AS sunday),
              visit AS (SELECT id, price_halalas FROM visit_types WHERE duration_minutes = 30 LIMIT 1),
              slots AS (
                SELECT d.user_id AS doctor_id, d.n AS dn, k,
                       ((SELECT sunday FROM start) + (((k / 8) / 5) * 7 + ((k / 8) % 5))::int)::timestamp
                         + time '09:00' + ((k % 8) * interval '30 minutes') AS local_start
                FROM docs d CROSS JOIN generate_series(0, $1::bigint - 1) k)
         INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during, blocked, price_halalas, booked_by)
         SELECT gen_random_uuid(), (SELECT id FROM clinics LIMIT 1), s.doctor_id, p.id, (SELECT id FROM visit),
                tstzrange(s.local_start AT TIME ZONE 'Asia/Riyadh', (s.local_start + interval '30 minutes') AT TIME ZONE 'Asia/Riyadh'),
                tstzrange(s.local_start AT TIME ZONE 'Asia/Riyadh', (s.local_start + interval '30 minutes') AT TIME ZONE 'Asia/Riyadh'),
                (SELECT price_halalas FROM visit), p.id
         FROM slots s JOIN pats p ON p.n = (s.dn * $1 + s.k) % $2",
    )
    .bind(per_doctor)
    .bind(patients)
    .execute(pool)
    .await?;
    Ok(())
}
