pub mod appointments;
pub mod book;
pub mod doctor;
pub mod doctors;
pub mod family_choice;
pub mod staff;
pub mod staff_week;
pub mod waitlist;
