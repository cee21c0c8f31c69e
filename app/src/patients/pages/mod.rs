pub mod family;
pub mod reception;
