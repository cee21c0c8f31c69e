//! What every page's frame and the doctor search read of the clinic — its name, its branches
//! and its specialties — kept in process, so a page without data of its own (home, log-in)
//! needs no query and the search form's choices cost none. Saving the clinic's details, a
//! branch or a specialty here drops the copy at once; another server of the same clinic sees
//! the change within `FRESH_FOR`.

use crate::kernel::service_error::ServiceError;
use crate::kernel::state::AppState;
use crate::kernel::values::Named;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const FRESH_FOR: Duration = Duration::from_secs(10);

/// The clinic as the pages list it.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    /// The first branch; `None` before any clinic is set up.
    pub primary: Option<Named>,
    pub branches: Vec<Named>,
    pub specialties: Vec<Named>,
}

#[derive(Default)]
pub struct ClinicHeader(RwLock<Option<(Instant, Arc<Directory>)>>);

impl ClinicHeader {
    /// The process's copy, registered in the app state at start-up (`app::app_state`).
    fn of(state: &AppState) -> Option<Arc<ClinicHeader>> {
        state.feature::<Arc<ClinicHeader>>().cloned()
    }

    async fn read(pool: &sqlx::PgPool) -> Result<Directory, ServiceError> {
        Ok(Directory {
            primary: crate::clinic::service::primary_clinic(pool).await?,
            branches: crate::clinic::service::branches(pool).await?,
            specialties: crate::clinic::service::specialties(pool).await?,
        })
    }

    /// The directory, from the copy while it is fresh.
    pub async fn directory(state: &AppState) -> Result<Arc<Directory>, ServiceError> {
        let Some(cache) = Self::of(state) else {
            return Ok(Arc::new(Self::read(&state.pool).await?));
        };
        if let Some((read_at, directory)) = cache
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
        {
            if read_at.elapsed() < FRESH_FOR {
                return Ok(directory.clone());
            }
        }
        let read_at = Instant::now();
        let directory = Arc::new(Self::read(&state.pool).await?);
        *cache
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((read_at, directory.clone()));
        Ok(directory)
    }

    /// The primary clinic, from the copy while it is fresh.
    pub async fn primary(state: &AppState) -> Result<Option<Named>, ServiceError> {
        Ok(Self::directory(state).await?.primary.clone())
    }

    /// Drops the copy, after a change to the clinic's names, branches or specialties.
    pub fn forget(state: &AppState) {
        if let Some(cache) = Self::of(state) {
            *cache
                .0
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        }
    }
}
