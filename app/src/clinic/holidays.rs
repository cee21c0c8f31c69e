//! Keeping a branch's holidays: its rules (and the Eids moved for a sighting) become closure
//! rows for the next two years, in the transaction that changes them, so slots, booking, the
//! waitlist and search honour them as they honour any closure. Every server start keeps them
//! again, which carries the two years forward.

use crate::clinic::db::holidays as db;
use crate::clinic::domain::holidays::{occurrences, HolidayRule, Occurrence, Shift};
use crate::clinic::service::{commit_audited, Editor};
use crate::kernel::i18n::{translate, Locale};
use crate::kernel::service_error::ServiceError;
use jiff::civil::Date;
use sqlx::PgPool;
use uuid::Uuid;

/// How many days ahead holidays are kept: beyond the longest booking horizon (365 days).
const AHEAD_DAYS: i64 = 730;

/// The days `o` covers.
fn days_of(o: &Occurrence) -> Vec<Date> {
    let mut out = vec![];
    let mut d = o.from;
    while d <= o.until {
        out.push(d);
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

/// Makes the branch's kept holidays what its rules give from `today`; returns the days that
/// became holidays (for the count of visits booked on them).
pub(crate) async fn keep(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    clinic: Uuid,
    today: Date,
) -> Result<Vec<Date>, ServiceError> {
    let rules = db::rules(&mut **tx, clinic).await?;
    let shifts = db::shifts(&mut **tx, clinic).await?;
    let until = today
        .checked_add(jiff::Span::new().days(AHEAD_DAYS))
        .map_err(|e| ServiceError::failed("holiday horizon", e))?;
    let wanted = occurrences(&rules, &shifts, today, until);
    let kept = db::kept(&mut **tx, clinic, today).await?;
    db::remove_other(&mut **tx, clinic, today, &wanted).await?;
    let was_holiday: std::collections::HashSet<Date> = kept.iter().flat_map(days_of).collect();
    let mut new_days = vec![];
    for o in &wanted {
        if kept.contains(o) {
            continue;
        }
        let ar = translate(Locale::Ar, o.kind.name_key(), None);
        let en = translate(Locale::En, o.kind.name_key(), None);
        db::keep(&mut **tx, clinic, o, (&ar, &en)).await?;
        new_days.extend(days_of(o).into_iter().filter(|d| !was_holiday.contains(d)));
    }
    Ok(new_days)
}

/// Saves one holiday's rule and keeps the branch's holidays by it; returns how many booked
/// visits to come fall on days that became holidays (they stay booked: the desk decides).
pub async fn save_rule(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    rule: &HolidayRule,
    today: Date,
) -> Result<i64, ServiceError> {
    let mut tx = pool.begin().await?;
    db::save_rule(&mut *tx, clinic, rule).await?;
    let new_days = keep(&mut tx, clinic, today).await?;
    let stranded = db::booked_on(&mut *tx, clinic, &new_days).await?;
    let details = serde_json::json!({ "rule": rule, "stranded": stranded });
    commit_audited(tx, by, "clinic.holiday", ("clinic", clinic), details).await?;
    Ok(stranded)
}

/// Moves one year's Eid by `shift.days` from the calendar's date (0: back to it), audited;
/// returns the count of booked visits on the days it now covers.
pub async fn shift(
    pool: &PgPool,
    by: &Editor,
    clinic: Uuid,
    shift: &Shift,
    today: Date,
) -> Result<i64, ServiceError> {
    let mut tx = pool.begin().await?;
    db::set_shift(&mut *tx, clinic, shift).await?;
    let new_days = keep(&mut tx, clinic, today).await?;
    let stranded = db::booked_on(&mut *tx, clinic, &new_days).await?;
    let details = serde_json::json!({ "shift": shift, "stranded": stranded });
    commit_audited(tx, by, "clinic.holiday_shift", ("clinic", clinic), details).await?;
    Ok(stranded)
}

/// Keeps every branch's holidays from `today`: at start-up, and after a branch is opened.
pub async fn keep_all(pool: &PgPool, today: Date) -> Result<(), ServiceError> {
    for clinic in db::branch_ids(pool).await? {
        keep_branch(pool, clinic, today).await?;
    }
    Ok(())
}

/// Keeps one branch's holidays from `today`.
pub async fn keep_branch(pool: &PgPool, clinic: Uuid, today: Date) -> Result<(), ServiceError> {
    let mut tx = pool.begin().await?;
    keep(&mut tx, clinic, today).await?;
    tx.commit().await?;
    Ok(())
}

/// Each holiday of the branch with its next days from `today` (for a holiday switched off too,
/// so the admin sees what turning it on would close), and the move set for that year.
pub async fn lines(
    pool: &PgPool,
    clinic: Uuid,
    today: Date,
) -> Result<Vec<crate::clinic::model::HolidayLine>, ServiceError> {
    let rules = db::rules(pool, clinic).await?;
    let shifts = db::shifts(pool, clinic).await?;
    let until = today
        .checked_add(jiff::Span::new().days(400))
        .map_err(|e| ServiceError::failed("holiday horizon", e))?;
    let all_on: Vec<HolidayRule> = rules
        .iter()
        .map(|r| HolidayRule {
            enabled: true,
            ..*r
        })
        .collect();
    let coming = occurrences(&all_on, &shifts, today, until);
    Ok(rules
        .into_iter()
        .map(|rule| {
            let next = coming.iter().find(|o| o.kind == rule.kind).copied();
            let shift = next
                .and_then(|n| {
                    shifts
                        .iter()
                        .find(|s| s.kind == rule.kind && s.year == n.year)
                })
                .map_or(0, |s| s.days);
            crate::clinic::model::HolidayLine { rule, next, shift }
        })
        .collect())
}
