//! The clinic's name as every page's frame shows it, kept in process so that a page without
//! data of its own (home, log-in) needs no query. Saving the clinic's details here drops the
//! copy at once; another server of the same clinic sees a rename within `FRESH_FOR`.

use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::values::Named;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const FRESH_FOR: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct ClinicHeader(RwLock<Option<(Instant, Option<Named>)>>);

impl ClinicHeader {
    /// The process's copy, registered in the app state at start-up (`app::app_state`).
    fn of(state: &AppState) -> Option<Arc<ClinicHeader>> {
        state.feature::<Arc<ClinicHeader>>().cloned()
    }

    /// The primary clinic, from the copy while it is fresh.
    pub async fn primary(state: &AppState) -> Result<Option<Named>, ServiceError> {
        let Some(cache) = Self::of(state) else {
            return crate::clinic::service::primary_clinic(&state.pool).await;
        };
        if let Some((read_at, clinic)) = cache
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
        {
            if read_at.elapsed() < FRESH_FOR {
                return Ok(clinic.clone());
            }
        }
        let read_at = Instant::now();
        let clinic = crate::clinic::service::primary_clinic(&state.pool).await?;
        *cache
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((read_at, clinic.clone()));
        Ok(clinic)
    }

    /// Drops the copy, after a change to the clinic's names.
    pub fn forget(state: &AppState) {
        if let Some(cache) = Self::of(state) {
            *cache
                .0
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        }
    }
}
