//! One-tap answers from a message: "I will come" and "cancel my visit", for one appointment,
//! without logging in. The link shows a page first and the answer is a POST from it, so a mail
//! scanner that opens links answers nothing.

pub mod page;
pub mod token;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod service;
