//! Business rules, called by server functions and commands; no HTTP here.

pub mod content;
pub mod imports;
pub mod leasing;
pub mod records;
pub mod users;
