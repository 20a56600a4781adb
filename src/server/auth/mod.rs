//! Who is asking: passwords, sessions, login throttling, and the middleware that resolves the
//! signed-in user for each request.

pub mod handlers;
pub mod login_page;
pub mod middleware;
pub mod password;
pub mod session;
pub mod throttle;

pub use middleware::{CurrentUser, SessionState};
