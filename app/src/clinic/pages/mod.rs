pub mod closures;
pub mod doctor_setup;
pub mod setup;
pub mod setup_specialties;
pub mod setup_week;
