//! The demo chart: the demo patient's two past visits with the first demo doctor, each signed
//! with vitals, a resulted lab test, and a prescription, plus a recorded allergy, so a new user
//! opens a real chart.
//! Written through the records' own queries, so the rows are what the app itself would write.

use crate::kernel::db::to_odt;
use crate::records::db;
use crate::records::db::prescriptions::NewPrescription;
use crate::records::domain::allergy::{NewAllergy, Severity};
use crate::records::domain::note::Note;
use crate::records::domain::prescription::Prescription;
use crate::records::domain::vitals::Vitals;
use jiff::{Span, Timestamp, ToSpan};
use sqlx::PgPool;
use uuid::Uuid;

struct PastVisit {
    days_ago: i64,
    note: Note,
    codes: &'static [&'static str],
    vitals: Vitals,
    rx: Option<Prescription>,
    /// A lab test ordered in the visit and its values, resulted two days later.
    lab: Option<(&'static str, &'static [(&'static str, &'static str)])>,
}

fn visits() -> Vec<PastVisit> {
    let vitals = |sys, dia, pulse, temp, weight_hg| Vitals {
        systolic_mmhg: Some(sys),
        diastolic_mmhg: Some(dia),
        pulse_bpm: Some(pulse),
        temperature_dc: Some(temp),
        spo2_pct: Some(98),
        respiratory_rate: Some(16),
        weight_hg: Some(weight_hg),
        height_cm: Some(162),
    };
    vec![
        PastVisit {
            days_ago: 63,
            note: Note {
                chief_complaint: "صداع متكرر منذ شهر".into(),
                history: "صداع في الجبهة آخر النهار، بلا غثيان ولا اضطراب في الرؤية.".into(),
                examination: "الفحص العصبي سليم. الضغط مرتفع قليلًا.".into(),
                assessment: "صداع توتري؛ ضغط دم مرتفع يحتاج متابعة.".into(),
                plan: "باراسيتامول عند الحاجة، قياس الضغط في البيت، مراجعة بعد شهرين.".into(),
                patient_summary: "الصداع من النوع التوتري وليس خطيرًا. خذي الباراسيتامول عند الحاجة، وقيسي ضغطك في البيت مرتين في الأسبوع وسجّليه، وراجعينا بعد شهرين.".into(),
            },
            codes: &["G44.209", "R03.0"],
            vitals: vitals(142, 91, 78, 368, 684),
            rx: Some(Prescription {
                drug: "Paracetamol".into(),
                drug_code: None,
                strength: "500 mg".into(),
                dose: "1–2 tablets".into(),
                route: "oral".into(),
                frequency: "every 6 hours when needed".into(),
                duration_days: 14,
                quantity: "24 tablets".into(),
                refills: 0,
                instructions_ar: "قرص أو قرصان عند الصداع، بحد أقصى ثمانية أقراص في اليوم.".into(),
            }),
            lab: Some((
                "lipids",
                &[("chol", "221"), ("ldl", "142"), ("hdl", "48"), ("tg", "160")],
            )),
        },
        PastVisit {
            days_ago: 9,
            note: Note {
                chief_complaint: "مراجعة الضغط".into(),
                history: "قراءات البيت بين 128/82 و135/86. الصداع أقل.".into(),
                examination: "لا جديد.".into(),
                assessment: "تحسّن الضغط مع تعديل نمط الحياة.".into(),
                plan: "الاستمرار، تقليل الملح، مراجعة بعد ستة أشهر.".into(),
                patient_summary: "ضغطك تحسّن. استمري على المشي وتقليل الملح، وراجعينا بعد ستة أشهر.".into(),
            },
            codes: &["R03.0"],
            vitals: vitals(131, 84, 72, 367, 671),
            rx: None,
            lab: Some(("hba1c", &[("hba1c", "5.9")])),
        },
    ]
}

/// Seeds the chart once: nothing when any encounter exists, or without the demo patient and
/// doctor.
pub async fn seed_records(
    pool: &PgPool,
    keys: &crate::kernel::crypto::Keyring,
    patient_phone: &str,
    doctor_phone: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock(7303)")
        .execute(&mut *tx)
        .await?;
    let any = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM encounters) AS "e!""#)
        .fetch_one(&mut *tx)
        .await?;
    let people = sqlx::query!(
        r#"SELECT p.id AS patient_id, d.id AS doctor_id, dp.clinic_id,
                  (SELECT id FROM visit_types WHERE clinic_id = dp.clinic_id
                   ORDER BY duration_minutes DESC, id LIMIT 1) AS visit_type_id
           FROM users p, users d JOIN doctor_profiles dp ON dp.user_id = d.id
           WHERE p.phone = $1 AND d.phone = $2"#,
        patient_phone,
        doctor_phone
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (false, Some(people)) = (any, people) else {
        return Ok(());
    };
    let Some(visit_type_id) = people.visit_type_id else {
        return Ok(());
    };
    // Licence numbers in the shape the Saudi Commission for Health Specialties issues.
    sqlx::query!(
        "UPDATE doctor_profiles d SET licence_number = 'SCFHS-' || (1200000 + n.rank)::text
         FROM (SELECT user_id, row_number() OVER (ORDER BY user_id) AS rank FROM doctor_profiles) n
         WHERE n.user_id = d.user_id AND d.licence_number IS NULL"
    )
    .execute(&mut *tx)
    .await?;
    db::add_allergy(
        &mut *tx,
        people.patient_id,
        people.doctor_id,
        &NewAllergy {
            substance: "Penicillin".into(),
            reaction: "طفح جلدي وحكة".into(),
            severity: Severity::Moderate,
        },
    )
    .await
    .map_err(demo_error)?;
    let today_10am = Timestamp::now()
        .in_tz("Asia/Riyadh")
        .and_then(|now| now.date().at(10, 0, 0, 0).in_tz("Asia/Riyadh"))
        .map_err(|e| sqlx::Error::Protocol(format!("demo time: {e}")))?;
    for visit in visits() {
        let start = today_10am
            .checked_sub(Span::new().days(visit.days_ago))
            .map_err(|e| sqlx::Error::Protocol(format!("demo time: {e}")))?
            .timestamp();
        let end = start + 30.minutes();
        let appointment = Uuid::new_v4();
        sqlx::query!(
            "INSERT INTO appointments (id, clinic_id, doctor_id, patient_id, visit_type_id, during,
                    blocked, status, price_halalas, booked_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, tstzrange($6, $7), tstzrange($6, $7), 'completed',
                     30000, $4, $6, $7)",
            appointment,
            people.clinic_id,
            people.doctor_id,
            people.patient_id,
            visit_type_id,
            to_odt(start),
            to_odt(end)
        )
        .execute(&mut *tx)
        .await?;
        let encounter = Uuid::new_v4();
        db::insert(
            &mut *tx,
            encounter,
            appointment,
            people.patient_id,
            people.doctor_id,
        )
        .await
        .map_err(demo_error)?;
        db::add_vitals(
            &mut *tx,
            Uuid::new_v4(),
            people.patient_id,
            Some(encounter),
            people.doctor_id,
            &visit.vitals,
        )
        .await
        .map_err(demo_error)?;
        sqlx::query!(
            "UPDATE vital_signs SET measured_at = $2 WHERE encounter_id = $1",
            encounter,
            to_odt(start + 5.minutes())
        )
        .execute(&mut *tx)
        .await?;
        if let Some(rx) = &visit.rx {
            let code = Uuid::new_v4().simple().to_string();
            let issued_at = start + 25.minutes();
            let sha = crate::records::service::prescriptions::digest(
                &code,
                issued_at,
                people.patient_id,
                people.doctor_id,
                rx,
            );
            db::prescriptions::insert(
                &mut *tx,
                &NewPrescription {
                    id: Uuid::new_v4(),
                    encounter_id: encounter,
                    patient_id: people.patient_id,
                    doctor_id: people.doctor_id,
                    rx,
                    allergy_override: None,
                    verification_code: &code,
                    content_sha256: &sha,
                    issued_at,
                },
            )
            .await
            .map_err(demo_error)?;
        }
        if let Some((test, values)) = visit.lab {
            let at = (start + 20.minutes(), start + 48.hours());
            let people = (people.patient_id, people.doctor_id);
            demo_lab(&mut tx, keys, encounter, people, (test, values), at).await?;
        }
        db::save_note(&mut *tx, keys, encounter, &visit.note)
            .await
            .map_err(demo_error)?;
        let codes: Vec<String> = visit.codes.iter().map(|c| (*c).to_owned()).collect();
        db::set_diagnoses(&mut tx, encounter, &codes)
            .await
            .map_err(demo_error)?;
        // The visit's own times, then signed: after this the row is final.
        sqlx::query!(
            "UPDATE encounters SET opened_at = $2, updated_at = $3, status = 'signed',
                    signed_at = $3 WHERE id = $1",
            encounter,
            to_odt(start),
            to_odt(end)
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An order of the visit with its result, as a doctor would have recorded it: the values read
/// against the usual ranges for a woman (the demo patient).
async fn demo_lab(
    tx: &mut sqlx::PgConnection,
    keys: &crate::kernel::crypto::Keyring,
    encounter: Uuid,
    (patient, doctor): (Uuid, Uuid),
    (test, values): (&str, &[(&str, &str)]),
    (ordered_at, resulted_at): (Timestamp, Timestamp),
) -> Result<(), sqlx::Error> {
    use crate::records::domain::order::{self, NewOrder, NewResult, Priority};
    let spec =
        order::test(test).ok_or_else(|| sqlx::Error::Protocol(format!("demo test {test}")))?;
    let mut typed = [
        order::Typed::new(),
        order::Typed::new(),
        order::Typed::new(),
    ];
    for (code, value) in values {
        let Some(a) = spec.analytes.iter().find(|a| a.code == *code) else {
            continue;
        };
        let range = a.usual_for(Some("female"));
        typed[0].insert((*code).to_owned(), (*value).to_owned());
        for (map, end) in [(1, range.low), (2, range.high)] {
            if let Some(end) = end {
                typed[map].insert((*code).to_owned(), order::scaled_text(end, a.decimals));
            }
        }
    }
    let [v, lo, hi] = &typed;
    let result = NewResult::parse(spec, v, lo, hi, "", false)
        .map_err(|e| sqlx::Error::Protocol(format!("demo result: {e:?}")))?;
    let id = Uuid::new_v4();
    let new = NewOrder {
        test: spec,
        priority: Priority::Routine,
        indication: String::new(),
    };
    db::orders::insert(
        &mut *tx, keys, id, encounter, patient, doctor, &new, ordered_at,
    )
    .await
    .map_err(demo_error)?;
    let lines: Vec<_> = result
        .values
        .iter()
        .filter_map(|r| {
            let a = spec.analytes.iter().find(|a| a.code == r.analyte)?;
            Some((*r, a.decimals, a.unit))
        })
        .collect();
    db::orders::insert_values(&mut *tx, id, &lines)
        .await
        .map_err(demo_error)?;
    db::orders::close_resulted(&mut *tx, keys, id, doctor, "", result.abnormal, resulted_at)
        .await
        .map_err(demo_error)?;
    Ok(())
}

fn demo_error(e: crate::kernel::db::DbError) -> sqlx::Error {
    match e {
        crate::kernel::db::DbError::Sqlx(e) => e,
        other => sqlx::Error::Protocol(other.to_string()),
    }
}
