//! What every handler and server function can reach: the database, the session store, the
//! counters, the settings. Built once at start from the settings.

use crate::server::auth::session::SessionStore;
use crate::server::auth::throttle::LoginThrottle;
use crate::server::config::Settings;
use crate::server::db::Db;
use crate::server::kv::{RedisKv, WindowCounters};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub redis: Option<RedisKv>,
    pub sessions: SessionStore,
    pub throttle: LoginThrottle,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Redis when configured, otherwise the database and in-process counters.
    pub fn new(
        db: Db,
        redis: Option<RedisKv>,
        settings: Settings,
        leptos_options: LeptosOptions,
    ) -> Self {
        let (sessions, counters) = match &redis {
            Some(kv) => (
                SessionStore::Redis(kv.clone()),
                WindowCounters::redis(kv.clone()),
            ),
            None => (SessionStore::Database(db.clone()), WindowCounters::memory()),
        };
        let throttle =
            LoginThrottle::new(counters, settings.login_max_failures, settings.login_window);
        AppState {
            db,
            redis,
            sessions,
            throttle,
            settings: Arc::new(settings),
            leptos_options,
        }
    }
}
