//! Everything that runs only on the server: settings, database, auth, HTTP wiring.

pub mod auth;
pub mod commands;
pub mod config;
pub mod db;
pub mod error;
pub mod files;
pub mod kv;
pub mod page_cache;
pub mod seed;
pub mod services;
pub mod state;
pub mod time;
pub mod web;
