//! Doongji (둥지): homepage, staff platform and background work in one crate. `areas` holds one
//! folder per thing the company manages; `app` (shell, routes, shared UI) and `domain` (shared
//! rules) compile for server and browser; `server` (infrastructure) and `startup` only with the
//! `ssr` feature.

#![recursion_limit = "256"]

pub mod app;
pub mod areas;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod startup;

/// The WASM entry: the pages are rendered on the server only; the browser hydrates just the
/// islands (`#[island]` components, see `app::enhance` and the README's "The platform's WASM").
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
