//! The clinical record: consultation notes (encounters) with ICD-10 diagnoses, addenda once
//! signed, and the chart's allergies, problems, medications and vital signs.

pub mod api;
pub mod domain;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod icd10;
#[cfg(feature = "ssr")]
pub mod service;
