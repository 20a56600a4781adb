//! Plain shared types and rules (no I/O), compiled for both the server and the browser.

pub mod content;
pub mod error;
pub mod lease;
pub mod leasing;
pub mod money;
pub mod records;
pub mod user;
pub mod validation;

pub use error::ApiError;
pub use user::{Role, UserDto, UserId};
