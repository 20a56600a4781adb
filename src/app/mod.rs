//! The UI, compiled for both the server (rendering every page) and the browser (only the
//! islands: `enhance.rs` and the `#[island]`s in the areas' pages).

pub mod enhance;
pub mod platform;
mod routes;
mod shell;
pub mod ui;

pub use routes::App;
pub use shell::shell;
