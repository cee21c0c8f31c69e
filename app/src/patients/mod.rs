//! Patients as the clinic and their families see them: family members (dependents) and the
//! desk's patient search and walk-in registration.

pub mod api;
pub mod domain;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod service;
