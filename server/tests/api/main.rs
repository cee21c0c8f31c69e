//! Integration tests: the real router on a random port, a fresh PostgreSQL database per test.

mod access_matrix;
mod accounts;
mod attachments;
mod booking;
mod branches;
mod break_glass;
mod db;
mod family;
mod fixtures;
mod hardening;
mod helpers;
mod hostile;
mod notifications;
mod orders;
mod page_cache;
mod pages;
mod prescriptions;
mod records;
mod sealed_national_id;
mod sealed_notes;
mod search;
mod security;
mod setup;
mod specialties;
mod waitlist;
