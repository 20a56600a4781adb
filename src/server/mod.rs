//! Infrastructure that runs only on the server, knowing no area: settings, the database and
//! its helpers, sign-in and sessions, Redis, the page cache, object storage, scheduled jobs and the work queue, spreadsheets out,
//! the server-function context, and the HTTP layers.

pub mod auth;
pub mod backup;
pub mod backups;
pub mod commands;
pub mod config;
pub mod context;
pub mod db;
pub mod error;
pub mod files;
pub mod jobs;
pub mod kv;
pub mod net;
pub mod page_cache;
pub mod queue;
pub mod state;
pub mod time;
pub mod web;
pub mod xlsx;
