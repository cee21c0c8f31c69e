//! What every feature shares: errors, i18n, configuration, app state, the audit log,
//! authentication and the one access policy, UI components and value types. Nothing here
//! depends on a feature.

pub mod access;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod ui;
pub mod values;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod changes;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod cookies;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod hashing;
#[cfg(feature = "ssr")]
pub mod page_data;
#[cfg(feature = "ssr")]
pub mod sealed_id;
#[cfg(feature = "ssr")]
pub mod service_error;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;
