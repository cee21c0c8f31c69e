//! Accounts: patients registering themselves, log-in, password change, staff accounts and the
//! patient's own profile.

pub mod domain;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod login;
#[cfg(feature = "ssr")]
pub mod service;
