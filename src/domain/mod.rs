//! Plain shared types and rules that several areas use (no I/O), compiled for both the server
//! and the browser. What belongs to one area lives in that area's folder.

pub mod billing;
pub mod error;
pub mod form;
pub mod history;
pub mod lease;
pub mod list;
pub mod measure;
pub mod money;
pub mod term;
pub mod user;
pub mod utilities;
pub mod validation;

pub use error::ApiError;
pub use user::{Role, UserDto, UserId};
