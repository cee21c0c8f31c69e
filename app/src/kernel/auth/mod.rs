//! Who is calling. `CurrentUser` is shared with the browser; sessions (`request`) are `ssr` only;
//! password hashing is `kernel::hashing`.

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
pub mod request;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod known;
