//! The demo clinic seeded on first run, so a newcomer can log in as every role at once.

use super::{users, DbError};
use crate::{
    auth::server::hash_password,
    domain::{
        registration::NewStaff, ArabicFullName, NationalId, Password, Registration, Role,
        SaudiMobile,
    },
    error::AppError,
};
use sqlx::PgPool;
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "Mueen-demo-2026";

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
    #[error("password hashing failed")]
    Hash(AppError),
}

/// Seeds once: does nothing when a clinic already exists. Returns whether it seeded.
pub async fn seed_demo(pool: &PgPool) -> Result<bool, SeedError> {
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
    let hash = hash_password(Password::parse(DEMO_PASSWORD).map_err(SeedError::Invalid)?)
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
        let password = Password::parse(DEMO_PASSWORD).map_err(SeedError::Invalid)?;
        if account.role == Role::Patient {
            let reg = Registration {
                name,
                latin_name: None,
                phone,
                national_id,
                date_of_birth: time::macros::date!(1992 - 03 - 14),
                sex: crate::domain::registration::Sex::Female,
                email: None,
                password,
            };
            users::insert_patient(&mut *tx, &reg, &hash).await?;
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
            let id = users::insert_staff(&mut *tx, &staff, &hash).await?;
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
                    crate::domain::person_name::parse_arabic_part(part).is_ok(),
                    "{part}"
                );
            }
        }
        assert!(Password::parse(DEMO_PASSWORD).is_ok());
    }
}
