//! Value types every feature uses, parsed rather than validated and shared by the server and
//! the browser, so the message the browser shows before submitting is the one the server
//! enforces.

pub mod arabic_search;
pub mod date_of_birth;
pub mod digits;
pub mod email;
pub mod hijri;
pub mod login_identifier;
pub mod named;
pub mod national_id;
pub mod password;
pub mod person_name;
pub mod phone;
pub mod role;
pub mod sex;
pub mod text;
pub mod validation;

pub use email::Email;
pub use login_identifier::LoginIdentifier;
pub use named::Named;
pub use national_id::NationalId;
pub use password::Password;
pub use person_name::{ArabicFullName, LatinName};
pub use phone::SaudiMobile;
pub use role::Role;
pub use sex::Sex;
pub use text::TextRule;
pub use validation::{FieldError, FieldErrors};
