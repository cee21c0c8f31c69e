//! The clock that lets waitlist offers lapse. Offers expire by time, not by any request, so
//! something has to look; every few seconds is far finer than a 15-minute hold needs.

use sqlx::PgPool;
use std::time::Duration;

pub const TICK: Duration = Duration::from_secs(10);

pub async fn run(pool: PgPool) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match app::scheduling::waitlist::expire_lapsed(&pool, jiff::Timestamp::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(lapsed = n, "waitlist offers lapsed and passed on"),
            Err(err) => tracing::warn!(error = ?err, "could not lapse waitlist offers"),
        }
    }
}
