//! The demo clinic seeded on first run, so a newcomer can log in as every role at once.

use crate::accounts::db::users;
use crate::accounts::domain::NewStaff;
use crate::accounts::domain::Registration;
use crate::kernel::db::DbError;
use crate::kernel::error::AppError;
use crate::kernel::values::ArabicFullName;
use crate::kernel::values::NationalId;
use crate::kernel::values::Password;
use crate::kernel::values::Role;
use crate::kernel::values::SaudiMobile;
use sqlx::PgPool;
use uuid::Uuid;

pub struct DemoAccount {
    pub role: Role,
    pub name: [&'static str; 4],
    pub phone: &'static str,
    pub national_id: &'static str,
    /// English specialty name, for doctors.
    pub specialty: Option<&'static str>,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 6] = [
    DemoAccount {
        role: Role::Admin,
        name: ["نورة", "سعد", "عبد الرحمن", "العتيبي"],
        phone: "0500000001",
        national_id: "1000000016",
        specialty: None,
    },
    DemoAccount {
        role: Role::Doctor,
        name: ["خالد", "محمد", "علي", "الشهري"],
        phone: "0500000002",
        national_id: "1000000024",
        specialty: Some("Family Medicine"),
    },
    DemoAccount {
        role: Role::Doctor,
        name: ["ريم", "عبد الله", "فهد", "الغامدي"],
        phone: "0500000003",
        national_id: "1000000032",
        specialty: Some("Pediatrics"),
    },
    DemoAccount {
        role: Role::Doctor,
        name: ["أحمد", "يوسف", "حسن", "الزهراني"],
        phone: "0500000004",
        national_id: "1000000040",
        specialty: Some("Dermatology"),
    },
    DemoAccount {
        role: Role::Receptionist,
        name: ["هند", "ناصر", "سالم", "القحطاني"],
        phone: "0500000005",
        national_id: "1000000057",
        specialty: None,
    },
    DemoAccount {
        role: Role::Patient,
        name: ["سارة", "إبراهيم", "عمر", "الدوسري"],
        phone: "0500000006",
        national_id: "2000000063",
        specialty: None,
    },
];

const SPECIALTIES: [(&str, &str); 3] = [
    ("طب الأسرة", "Family Medicine"),
    ("طب الأطفال", "Pediatrics"),
    ("الأمراض الجلدية", "Dermatology"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("demo data is invalid: {0}")]
    Invalid(&'static str),
    #[error("keeping the holiday calendar failed: {0}")]
    Holidays(String),
    #[error("password hashing failed")]
    Hash(AppError),
}

/// A password for the demo accounts when none is configured: random, so no published
/// password opens a clinic that forgot to turn the demo off.
pub fn generate_password() -> Password {
    let random = Uuid::new_v4().simple().to_string();
    // 16 hex characters after a letter prefix: never all digits, 64 random bits.
    Password::parse(&format!("demo-{}", &random[..16])).unwrap_or_else(|_| {
        unreachable!("a 21-character password with letters passes the length policy")
    })
}

/// Seeds once, with `password` for every demo account: does nothing when a clinic already
/// exists. Returns whether it seeded.
pub async fn seed_demo(
    pool: &PgPool,
    password: &Password,
    keys: &crate::kernel::crypto::Keyring,
) -> Result<bool, SeedError> {
    let seeded = seed_people(pool, password, keys).await?;
    seed_schedule(pool).await?;
    // The patient (06) has seen the first doctor (02, Dr. Al-Shehri) twice.
    crate::records::demo::seed_records(pool, keys, "+966500000006", "+966500000002").await?;
    Ok(seeded)
}

async fn seed_people(
    pool: &PgPool,
    password: &Password,
    keys: &crate::kernel::crypto::Keyring,
) -> Result<bool, SeedError> {
    let mut tx = pool.begin().await?;
    // Two servers starting at once must not both seed.
    sqlx::query!("SELECT pg_advisory_xact_lock(7301)")
        .execute(&mut *tx)
        .await?;
    let existing = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM clinics"#)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Ok(false);
    }
    let clinic_id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO clinics (id, name_ar, name_en) VALUES ($1, $2, $3)",
        clinic_id,
        "عيادات مُعين - الرياض",
        "Mu'een Clinics - Riyadh"
    )
    .execute(&mut *tx)
    .await?;
    let mut specialty_ids = vec![];
    for (ar, en) in SPECIALTIES {
        let id = Uuid::new_v4();
        sqlx::query!(
            "INSERT INTO specialties (id, name_ar, name_en) VALUES ($1, $2, $3)",
            id,
            ar,
            en
        )
        .execute(&mut *tx)
        .await?;
        specialty_ids.push((en, id));
    }
    let hash = crate::kernel::hashing::HashGate::for_this_machine()
        .hash(password.clone())
        .await
        .map_err(SeedError::Hash)?;
    for account in &DEMO_ACCOUNTS {
        let name = ArabicFullName {
            first: account.name[0].into(),
            father: account.name[1].into(),
            grandfather: account.name[2].into(),
            family: account.name[3].into(),
        };
        let phone = SaudiMobile::parse(account.phone).map_err(SeedError::Invalid)?;
        let national_id = NationalId::parse(account.national_id).map_err(SeedError::Invalid)?;
        let password = password.clone();
        if account.role == Role::Patient {
            let reg = Registration {
                name,
                latin_name: None,
                phone,
                national_id,
                date_of_birth: time::macros::date!(1992 - 03 - 14),
                sex: crate::kernel::values::Sex::Female,
                email: None,
                password: Some(password),
            };
            users::insert_patient(&mut *tx, keys, &reg, &hash).await?;
        } else {
            let staff = NewStaff {
                role: account.role,
                name,
                latin_name: None,
                phone,
                national_id,
                email: None,
                password,
            };
            let id = users::insert_staff(&mut *tx, keys, &staff, &hash).await?;
            if let Some(specialty) = account.specialty {
                let specialty_id = specialty_ids
                    .iter()
                    .find(|(en, _)| *en == specialty)
                    .map(|(_, id)| *id)
                    .ok_or(SeedError::Invalid("unknown specialty"))?;
                users::insert_doctor_profile(&mut *tx, id, specialty_id, clinic_id).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Visit types, weekly hours (morning and evening clinics, Sunday to Thursday) and the
/// Saudi holidays, for a demo clinic that has none yet.
async fn seed_schedule(pool: &PgPool) -> Result<(), SeedError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock(7302)")
        .execute(&mut *tx)
        .await?;
    let Some(clinic_id) =
        sqlx::query_scalar!("SELECT id FROM clinics ORDER BY created_at, id LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(());
    };
    let existing = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM visit_types"#)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE clinics SET address_ar = $2, address_en = $3, phone = $4 WHERE id = $1",
        clinic_id,
        "طريق الملك فهد، حي العليا، الرياض",
        "King Fahd Road, Al Olaya, Riyadh",
        "+966112345678"
    )
    .execute(&mut *tx)
    .await?;
    let visits = [
        ("استشارة جديدة", "New consultation", 30, 30_000, 0, 5),
        ("مراجعة", "Follow-up", 15, 15_000, 0, 0),
    ];
    let mut visit_ids = vec![];
    for (ar, en, minutes, price, before, after) in visits {
        let id = Uuid::new_v4();
        sqlx::query!(
            r#"INSERT INTO visit_types (id, clinic_id, name_ar, name_en, duration_minutes, price_halalas,
                   buffer_before_minutes, buffer_after_minutes)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
            id, clinic_id, ar, en, minutes, price, before, after
        )
        .execute(&mut *tx)
        .await?;
        visit_ids.push(id);
    }
    let doctors = sqlx::query!(
        "SELECT d.user_id, u.first_name FROM doctor_profiles d JOIN users u ON u.id = d.user_id WHERE d.clinic_id = $1",
        clinic_id
    )
    .fetch_all(&mut *tx)
    .await?;
    for doctor in &doctors {
        // Of the demo doctors, Dr. Reem (paediatrics) is the one female doctor.
        let sex = if doctor.first_name == "ريم" {
            "female"
        } else {
            "male"
        };
        sqlx::query!(
            "UPDATE doctor_profiles SET sex = $2, languages = '{ar,en}' WHERE user_id = $1",
            doctor.user_id,
            sex
        )
        .execute(&mut *tx)
        .await?;
        for visit in &visit_ids {
            sqlx::query!(
                "INSERT INTO doctor_visit_types (doctor_id, visit_type_id) VALUES ($1, $2)",
                doctor.user_id,
                visit
            )
            .execute(&mut *tx)
            .await?;
        }
        for weekday in 0_i16..=4 {
            for (from, to) in [((9, 0), (13, 0)), ((16, 0), (21, 0))] {
                let (Ok(starts), Ok(ends)) = (
                    time::Time::from_hms(from.0, from.1, 0),
                    time::Time::from_hms(to.0, to.1, 0),
                ) else {
                    return Err(SeedError::Invalid("working hours"));
                };
                sqlx::query!(
                    r#"INSERT INTO working_hours (id, doctor_id, clinic_id, weekday, starts_at, ends_at)
                       VALUES ($1, $2, $3, $4, $5, $6)"#,
                    Uuid::new_v4(),
                    doctor.user_id,
                    clinic_id,
                    weekday,
                    starts,
                    ends
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    // The Saudi holiday calendar (the standard set every branch starts with) as closures.
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    crate::clinic::holidays::keep(&mut tx, clinic_id, today)
        .await
        .map_err(|e| SeedError::Holidays(format!("{e:?}")))?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_accounts_pass_the_same_rules_as_real_ones() {
        for account in &DEMO_ACCOUNTS {
            assert!(
                NationalId::parse(account.national_id).is_ok(),
                "{}",
                account.national_id
            );
            assert!(
                SaudiMobile::parse(account.phone).is_ok(),
                "{}",
                account.phone
            );
            for part in account.name {
                assert!(
                    crate::kernel::values::person_name::parse_arabic_part(part).is_ok(),
                    "{part}"
                );
            }
        }
        let password = generate_password();
        assert!(Password::parse(password.expose()).is_ok());
        assert_ne!(password.expose(), generate_password().expose());
    }
}
