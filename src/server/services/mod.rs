//! Business rules, called by server functions and commands; no HTTP here.

pub mod content;
pub mod leasing;
pub mod users;
