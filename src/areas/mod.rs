//! One folder per thing the company manages. Each holds its shared types and pure rules
//! (`mod.rs`), its server functions (`api.rs`), its pages (`pages.rs`) and, on the server only,
//! its SQL (`store.rs`), its rules with I/O (`service.rs`) and its plain HTTP handlers (`web.rs`).
//! Areas depend on each other in one direction, lower first:
//! files, inquiries → users, content → contracts, leases → tenants → clients → spreadsheets →
//! buildings → billing → expenses → utilities → audit → jobs.

pub mod audit;
pub mod billing;
pub mod buildings;
pub mod clients;
pub mod content;
pub mod contracts;
pub mod expenses;
pub mod files;
pub mod inquiries;
pub mod jobs;
pub mod leases;
pub mod spreadsheets;
pub mod tenants;
pub mod users;
pub mod utilities;

/// The areas' plain HTTP handlers (downloads, exports, the public homepage), for the router.
#[cfg(feature = "ssr")]
pub fn http_routes() -> crate::server::web::routes::Routes {
    crate::server::web::routes::Routes::new()
        .merge(files::web::routes())
        .merge(contracts::web::routes())
        .merge(leases::web::routes())
        .merge(tenants::web::routes())
        .merge(clients::web::routes())
        .merge(buildings::web::routes())
        .merge(billing::web::routes())
        .merge(expenses::web::routes())
        .merge(utilities::web::routes())
        .merge(spreadsheets::web::routes())
        .merge(audit::web::routes())
        .merge(content::site::routes())
}
