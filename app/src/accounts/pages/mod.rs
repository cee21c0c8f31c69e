pub mod account;
pub mod admin_staff;
pub mod login;
pub mod me;
pub mod register;
pub mod sessions;
