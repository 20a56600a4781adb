//! Integration tests: each starts the real app on a random port with a fresh database and talks
//! to it over HTTP, as a browser or a client would. Every test runs on each configured backend:
//! SQLite always; MySQL/MariaDB and Redis when `TEST_MYSQL_URL` / `TEST_REDIS_URL` are set.

mod helpers;

mod assets;
mod auth;
mod cli;
mod health;
mod homepage;
mod leasing;
mod records;
mod redis_outage;
mod security;
mod users;
