//! The clinical record: consultation notes (encounters) with ICD-10 diagnoses, addenda once
//! signed, the chart's allergies, problems, medications and vital signs, prescriptions with
//! their printed paper and public check, and the patient's portal.

pub mod api;
pub mod domain;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod icd10;
#[cfg(feature = "ssr")]
pub mod service;
