//! Clinic setup: branches, details, working week, booking rules, visit types and prices,
//! specialties, doctors' profiles and hours, closures. Scheduling reads what is set up here.

pub mod domain;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod closures;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod doctors;
#[cfg(feature = "ssr")]
pub mod header;
#[cfg(feature = "ssr")]
pub mod holidays;
#[cfg(feature = "ssr")]
pub mod ramadan;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;
