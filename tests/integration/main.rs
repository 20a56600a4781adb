//! Integration tests: each starts the real app on a random port with a fresh database and talks
//! to it over HTTP, as a browser or a client would. One test per behaviour; `backend_test!` runs
//! each on every configured backend (`name::sqlite`, `name::mysql`, ...): SQLite always,
//! MySQL/MariaDB and Redis when `TEST_MYSQL_URL` / `TEST_REDIS_URL` are set. A few tests use one
//! backend on purpose (S3, sparse import files, the CLI, a Redis outage, settings-only checks).

#[macro_use]
mod helpers;
mod fixtures;

mod assets;
mod audit;
mod auth;
mod backup;
mod billing;
mod buildings;
mod cli;
mod clients;
mod content;
mod contracts;
mod expenses;
mod files;
mod forms;
mod health;
mod inquiries;
mod isolation;
mod jobs;
mod leases;
mod matrix;
mod processes;
mod queue;
mod redis_outage;
mod security;
mod spreadsheets;
mod tenants;
mod users;
mod utilities;
