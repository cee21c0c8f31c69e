//! Who is calling. `CurrentUser` is shared with the browser; the checks live in `server`.

use crate::kernel::values::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub role: Role,
    pub short_name: String,
    pub latin_name: Option<String>,
}

pub mod logout;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "ssr")]
pub mod db;
