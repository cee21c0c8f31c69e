//! The patient portal: a patient's own record and their family members', as much as patients
//! are shown (signed visits' summaries, prescriptions, allergies), and who opened it. Each
//! person's record is let in by the access policy and the read audited.

use crate::kernel::access::{read_chart, Read};
use crate::kernel::auth::CurrentUser;
use crate::kernel::crypto::Keyring;
use crate::kernel::error::AppError;
use crate::kernel::service_error::ServiceError;
use crate::records::db::{self, portal};
use crate::records::domain::icd10_code::Icd10Code;
use crate::records::model::{AccessEntry, AccessKind, PersonRecord, PortalPage, VisitSummary};
use sqlx::{PgConnection, PgPool};
use std::net::IpAddr;
use uuid::Uuid;

/// How far back the portal lists; the full history stays in the record.
const VISITS: i64 = 20;
const ACCESSES: i64 = 500;
/// Rows shown after grouping.
const ACCESS_GROUPS: usize = 30;

/// One consultation writes a dozen audit rows; the patient wants "Dr X opened your record on
/// 2 December (12 times)", so rows of the same person, kind and clinic day are folded into
/// one, newest first.
pub fn group_accesses(rows: Vec<AccessEntry>, tz: &str) -> Vec<AccessEntry> {
    let day = |at: jiff::Timestamp| at.in_tz(tz).map(|z| z.date()).ok();
    let mut groups: Vec<AccessEntry> = Vec::new();
    for row in rows {
        let same = groups.iter().position(|g| {
            g.who == row.who && g.role == row.role && g.kind == row.kind && day(g.at) == day(row.at)
        });
        match same {
            Some(i) => {
                groups[i].times += row.times;
                groups[i].at = groups[i].at.max(row.at);
            }
            None if groups.len() < ACCESS_GROUPS => groups.push(row),
            None => {}
        }
    }
    groups
}

/// The catalogue entries of one encounter's codes, from `diagnoses_of` several encounters,
/// in the encounter's order; a code no longer in the catalogue is left out.
pub(super) fn diagnoses_of_visit(
    codes: &[(Uuid, String)],
    encounter: Uuid,
) -> Vec<crate::records::model::Icd10Entry> {
    let catalogue = crate::records::icd10::catalogue();
    codes
        .iter()
        .filter(|(e, _)| *e == encounter)
        .filter_map(|(_, c)| Icd10Code::parse(c).ok())
        .filter_map(|c| catalogue.get(&c))
        .collect()
}

async fn visits(
    db: &mut PgConnection,
    keys: &Keyring,
    patient_id: Uuid,
    limit: i64,
) -> Result<Vec<VisitSummary>, ServiceError> {
    let rows = portal::signed_visits(&mut *db, keys, patient_id, limit).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let codes = portal::diagnoses_of(&mut *db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| VisitSummary {
            diagnoses: diagnoses_of_visit(&codes, r.id),
            encounter_id: r.id,
            signed_at: r.signed_at,
            timezone: r.timezone,
            doctor_name: r.doctor_name,
            doctor_latin: r.doctor_latin,
            summary: r.summary,
        })
        .collect())
}

async fn person(
    db: &mut PgConnection,
    keys: &Keyring,
    user: &CurrentUser,
    ip: Option<IpAddr>,
    (patient_id, name): (Uuid, String),
    tz: &str,
) -> Result<PersonRecord, ServiceError> {
    let check = Read {
        user,
        ip,
        action: "chart.portal_read",
        subject: ("patient", patient_id),
        patient_id,
    };
    read_chart(&mut *db, check, true).await?;
    let prescriptions = db::prescriptions::of_patient(&mut *db, patient_id)
        .await?
        .into_iter()
        .map(super::prescriptions::line)
        .collect();
    let access = portal::record_access(&mut *db, patient_id, user.id, ACCESSES)
        .await?
        .into_iter()
        .map(|r| AccessEntry {
            at: r.at,
            kind: AccessKind::of_action(&r.action),
            times: 1,
            who: r.actor_name,
            role: r.actor_role.and_then(|role| role.parse().ok()),
        })
        .collect();
    let access = group_accesses(access, tz);
    Ok(PersonRecord {
        is_self: patient_id == user.id,
        allergies: db::allergies_of(&mut *db, patient_id).await?,
        visits: visits(db, keys, patient_id, VISITS).await?,
        prescriptions,
        attachments: super::attachments::of_patient(&mut *db, patient_id, true).await?,
        access,
        patient_id,
        name,
    })
}

/// The portal page for a logged-in patient: their record, then each family member's.
pub async fn my_record(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    ip: Option<IpAddr>,
) -> Result<PortalPage, ServiceError> {
    if user.role != crate::kernel::values::Role::Patient {
        return Err(AppError::Forbidden.into());
    }
    let mut db = pool.acquire().await?;
    let timezone = portal::clinic_timezone(&mut *db).await?;
    let mut people = Vec::new();
    for member in portal::family(&mut *db, user.id).await? {
        people.push(person(&mut db, keys, user, ip, member, &timezone).await?);
    }
    Ok(PortalPage { people, timezone })
}

/// The newest signed visit of the patient themself, for their home page. Audited as a read.
pub async fn latest_visit(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    ip: Option<IpAddr>,
) -> Result<Option<VisitSummary>, ServiceError> {
    let mut db = pool.acquire().await?;
    let check = Read {
        user,
        ip,
        action: "chart.portal_read",
        subject: ("patient", user.id),
        patient_id: user.id,
    };
    read_chart(&mut db, check, true).await?;
    Ok(visits(&mut db, keys, user.id, 1).await?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::group_accesses;
    use crate::kernel::values::Role;
    use crate::records::model::{AccessEntry, AccessKind};

    fn row(at: &str, who: &str, kind: AccessKind) -> AccessEntry {
        AccessEntry {
            at: at.parse().expect("timestamp"),
            kind,
            times: 1,
            who: Some(who.into()),
            role: Some(Role::Doctor),
        }
    }

    #[test]
    fn one_persons_accesses_of_a_kind_fold_by_clinic_day() {
        let rows = vec![
            row("2026-12-02T09:00:00Z", "A", AccessKind::Read),
            row("2026-12-02T08:00:00Z", "A", AccessKind::Wrote),
            row("2026-12-02T07:00:00Z", "A", AccessKind::Read),
            row("2026-12-02T06:00:00Z", "B", AccessKind::Read),
            // 21:30 UTC on the 1st is already the 2nd in Riyadh; 20:00 UTC is still the 1st.
            row("2026-12-01T21:30:00Z", "A", AccessKind::Read),
            row("2026-12-01T20:00:00Z", "A", AccessKind::Read),
        ];
        let groups = group_accesses(rows, "Asia/Riyadh");
        let shape: Vec<(&str, AccessKind, u32)> = groups
            .iter()
            .map(|g| (g.who.as_deref().unwrap_or(""), g.kind, g.times))
            .collect();
        assert_eq!(
            shape,
            [
                ("A", AccessKind::Read, 3),
                ("A", AccessKind::Wrote, 1),
                ("B", AccessKind::Read, 1),
                ("A", AccessKind::Read, 1),
            ]
        );
        assert_eq!(
            groups[0].at,
            "2026-12-02T09:00:00Z"
                .parse::<jiff::Timestamp>()
                .expect("ts")
        );
    }
}
