//! Carries the branches' holiday calendars forward while the server runs. They are kept two
//! years ahead at start-up; a server that ran a year without a restart would otherwise reach
//! days for which no holiday was kept, and offer bookings on Eid.

use sqlx::PgPool;
use std::time::Duration;

/// Once a day: the calendar is two years ahead, so a missed day or two changes nothing.
pub const TICK: Duration = Duration::from_secs(24 * 60 * 60);

/// Keeps every branch's holidays every `every`, the first time one `every` from now (start-up
/// has just kept them).
pub async fn run(pool: PgPool, every: Duration) {
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let today = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        if let Err(err) = app::clinic::holidays::keep_all(&pool, today).await {
            tracing::warn!(error = ?err, "could not carry the holiday calendars forward");
        }
    }
}
