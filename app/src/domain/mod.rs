//! Pure rules shared by the server and the browser. Nothing here touches I/O, so the same
//! message the browser shows before submitting is the one the server enforces.

pub mod appointment;
pub mod arabic_search;
pub mod clinic_setup;
pub mod digits;
pub mod email;
pub mod family;
pub mod hijri;
pub mod ics;
pub mod national_id;
pub mod password;
pub mod person_name;
pub mod phone;
pub mod registration;
pub mod role;
pub mod schedule;
pub mod specialty;
pub mod validation;
pub mod waitlist;
pub mod working_week;

pub use email::Email;
pub use national_id::NationalId;
pub use password::Password;
pub use person_name::{ArabicFullName, LatinName};
pub use phone::SaudiMobile;
pub use registration::Registration;
pub use role::Role;
pub use validation::{FieldError, FieldErrors};
