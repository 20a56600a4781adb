//! The UI, compiled for both the server (rendering) and the browser (hydration).

pub mod enhance;
pub mod platform;
mod routes;
mod shell;
pub mod ui;

pub use routes::App;
pub use shell::shell;
