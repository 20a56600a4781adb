//! What every handler and server function can reach: the database, the session store, the
//! counters, the settings. Built once at start from the settings.

use crate::server::auth::session::SessionStore;
use crate::server::auth::throttle::LoginThrottle;
use crate::server::config::Settings;
use crate::server::db::Db;
use crate::server::kv::{RedisKv, WindowCounters};
use crate::server::page_cache::PageCache;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub redis: Option<RedisKv>,
    pub sessions: SessionStore,
    pub throttle: LoginThrottle,
    /// Shared window counters (login throttle, inquiry rate limit).
    pub counters: WindowCounters,
    pub page_cache: PageCache,
    pub files: crate::server::files::FileStore,
    /// The site's stylesheet URL (hashed name when built by cargo-leptos).
    pub stylesheet: String,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    /// The registered jobs and this instance's scheduler (`server/jobs`).
    pub scheduler: crate::server::jobs::scheduler::Scheduler,
    /// The registered consumers of domain events and this instance's worker (`server/queue`).
    pub queue: crate::server::queue::worker::Queue,
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
        scheduler: crate::server::jobs::scheduler::Scheduler,
        queue: crate::server::queue::worker::Queue,
    ) -> Result<Self, String> {
        let files = crate::server::files::FileStore::from_settings(&settings)?;
        let (sessions, counters, page_cache) = match &redis {
            Some(kv) => (
                SessionStore::Redis(kv.clone()),
                WindowCounters::redis(kv.clone()),
                PageCache::Redis(kv.clone()),
            ),
            None => (
                SessionStore::Database(db.clone()),
                WindowCounters::memory(),
                PageCache::memory(),
            ),
        };
        let throttle = LoginThrottle::new(
            counters.clone(),
            settings.login_max_failures,
            settings.login_window,
        );
        let stylesheet = stylesheet_href(&leptos_options);
        Ok(AppState {
            files,
            db,
            redis,
            sessions,
            throttle,
            counters,
            page_cache,
            stylesheet,
            settings: Arc::new(settings),
            leptos_options,
            scheduler,
            queue,
        })
    }
}

/// The stylesheet's URL, hashed when cargo-leptos left a hash file beside the binary.
fn stylesheet_href(options: &leptos::config::LeptosOptions) -> String {
    let name = &options.output_name;
    let pkg = &options.site_pkg_dir;
    if options.hash_files {
        let hash = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|d| d.join(options.hash_file.as_ref())))
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|text| {
                text.lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(k, _)| k.trim() == "css")
                    .map(|(_, v)| v.trim().to_string())
            });
        if let Some(hash) = hash {
            return format!("/{pkg}/{name}.{hash}.css");
        }
    }
    format!("/{pkg}/{name}.css")
}
