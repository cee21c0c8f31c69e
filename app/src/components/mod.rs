pub mod branch_filter;
pub mod form;
pub mod guard;
pub mod layout;
pub mod when;
