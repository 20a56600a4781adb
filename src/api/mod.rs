//! Server functions, one module per area. Thin: who is asking → role and ownership check →
//! a service call → a DTO. The bodies compile only on the server.

pub mod content;
#[cfg(feature = "ssr")]
pub(crate) mod context;
pub mod leasing;
pub mod records;
pub mod users;
