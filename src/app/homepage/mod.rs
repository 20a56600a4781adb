//! The public homepage, rendered on the server only: every page is complete HTML with no
//! WASM, so it is readable by crawlers and fast on phones. The one script is the small
//! progressive enhancement of the inquiry form (`/contact.js`).

mod document;
mod pages;

pub use document::{PageMeta, Site, render_document};
pub use pages::*;
