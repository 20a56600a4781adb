//! Start-up: the composition root that knows both the infrastructure and the areas. It opens
//! the database and Redis, builds the router (Leptos pages and server functions, the areas' plain
//! handlers, health and metrics, static files) inside the middleware layers, and serves.

use crate::app::{App, shell};
use crate::server::auth::handlers;
use crate::server::config::Settings;
use crate::server::db::Db;
use crate::server::jobs::scheduler::Scheduler;
use crate::server::jobs::{JobDef, JobReport, Missed};
use crate::server::kv::RedisKv;
use crate::server::queue::ConsumerDef;
use crate::server::queue::worker::Queue;
use crate::server::state::AppState;
use crate::server::web::routes::Routes;
use crate::server::web::{self, leptos_options};
use axum::Router;
use axum::http::HeaderValue;

use axum::serve::ListenerExt;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;
use tower_http::services::ServeDir;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("데이터베이스에 연결할 수 없습니다 (DATABASE_URL 확인): {0}")]
    Database(sqlx::Error),
    #[error("데이터베이스 마이그레이션 실패: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("홈페이지 기본 콘텐츠를 만들지 못했습니다: {0}")]
    Seed(crate::server::error::AppError),
    #[error("Redis에 연결할 수 없습니다 (REDIS_URL 확인): {0}")]
    Redis(redis::RedisError),
    #[error("파일 저장소를 열 수 없습니다: {0}")]
    Files(String),
    #[error("주소 {addr}에서 요청을 받을 수 없습니다 (BIND_ADDR 확인): {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Opens the database (applying migrations) and Redis when configured.
pub async fn connect(settings: &Settings) -> Result<(Db, Option<RedisKv>), StartError> {
    let db = Db::connect(
        settings.database_url.expose(),
        settings.database_max_connections,
    )
    .await
    .map_err(StartError::Database)?;
    db.migrate().await?;
    if crate::areas::content::service::seed_demo_posts(&db)
        .await
        .map_err(StartError::Seed)?
    {
        tracing::info!("demo posts written for the homepage");
    }
    let redis = match &settings.redis_url {
        Some(url) => Some(
            RedisKv::connect(url.expose(), &settings.redis_key_prefix)
                .await
                .map_err(StartError::Redis)?,
        ),
        None => None,
    };
    Ok((db, redis))
}

/// Gives every page render and server function the app state, and puts the page's script nonce
/// into its Content-Security-Policy.
fn leptos_context(state: AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            let csp = web::security::content_security_policy(Some(&nonce));
            if let Ok(v) = HeaderValue::from_str(&csp) {
                res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
            }
        }
    }
}

/// The app's routes, generated once per process. Generating them renders the app while
/// leptos_server suppresses resource loading through a process-wide flag, and a page that starts
/// loading a resource on another thread at that moment never finishes its response
/// (leptos-rs/leptos#4773). A process that builds several routers (the integration tests build
/// one per test, in parallel) must therefore never generate them while another one serves.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Every page path the router serves (`/platform/leases/:id` style), for the authorization
/// matrix test.
pub fn page_paths() -> Vec<String> {
    route_list().iter().map(|r| r.path().to_string()).collect()
}

pub fn router(state: AppState) -> Router {
    // Install the recorder before the first request is counted.
    web::metrics::handle();
    let options = state.leptos_options.clone();
    let routes = route_list();
    let context = leptos_context(state.clone());

    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(axum::middleware::from_fn(
            web::security::asset_cache_headers,
        ));

    let app_routes = plain_routes()
        .into_router()
        .leptos_routes_with_context(&state, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .route_layer(axum::middleware::from_fn(web::metrics::track))
        .nest("/pkg", pkg)
        .fallback(crate::areas::content::site::fallback);
    web::layers(app_routes, state)
}

/// The plain HTTP routes (not pages, not server functions): health, metrics, sign-in and out,
/// and the areas' downloads, exports and public homepage.
pub fn plain_routes() -> Routes {
    Routes::new()
        .get("/healthz", web::health::healthz)
        .get("/readyz", web::health::readyz)
        .get("/metrics", web::metrics::render)
        .get("/login", crate::server::auth::login_page::login_page)
        .post("/api/login", handlers::login)
        .post("/api/logout", handlers::logout)
        .merge(crate::areas::http_routes())
}

/// Every server function the router answers, as `(method, path)`: the router serves exactly the
/// registered set, so this is the router's own list.
pub fn server_fn_routes() -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method.to_string(), path.to_string()))
        .collect();
    list.sort();
    list
}

/// A bound, ready-to-serve application; tests build it on port 0 and read `port()`.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(mut settings: Settings) -> Result<Self, StartError> {
        let addr = settings.bind_addr;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        if !settings.public_url_explicit
            && let Ok(bound) = listener.local_addr()
            && let Ok(url) = url::Url::parse(&format!("http://{bound}"))
        {
            settings.public_url = url;
        }
        for risk in settings
            .trusted_proxies
            .risks(settings.bind_addr, settings.is_https())
        {
            tracing::warn!("{risk}");
        }
        let options = leptos_options(&settings);
        let (db, redis) = connect(&settings).await?;
        // This instance, in the rows it holds (job runs, queue claims).
        let instance = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let scheduler = Scheduler::new(jobs(), instance.clone(), JOB_LEASE, JOB_TICK);
        let queue = Queue::new(consumers(), instance, settings.queue_claim, QUEUE_POLL);
        let state = AppState::new(db, redis, settings, options, scheduler, queue)
            .map_err(StartError::Files)?;
        Ok(Application {
            router: router(state.clone()),
            listener,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let background = self.state.settings.background_work.then(|| {
            (
                tokio::spawn(self.state.scheduler.clone().run_forever(self.state.clone())),
                tokio::spawn(self.state.queue.clone().run_forever(self.state.clone())),
            )
        });
        // Small responses would otherwise wait for Nagle's algorithm (measured: 4.6x fewer req/s).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let result = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        if let Some((scheduler, worker)) = background {
            scheduler.abort();
            worker.abort();
        }
        self.state.db.close().await;
        result
    }
}

/// How often each instance looks for due jobs, and how long a run's row stays its holder's
/// without renewal (renewed every third of it).
const JOB_TICK: Duration = Duration::from_secs(20);
const JOB_LEASE: Duration = Duration::from_secs(90);
/// The longest wait between two looks for queue work when none is announced.
const QUEUE_POLL: Duration = Duration::from_secs(2);

/// Every consumer of domain events, registered here where the areas meet; the queue page and
/// the worker read this list.
pub fn consumers() -> Vec<ConsumerDef> {
    vec![crate::areas::audit::service::activity_consumer()]
}

/// Every scheduled job (SPEC §4), registered here where the areas meet; the admin's jobs page
/// and the scheduler read this list.
pub fn jobs() -> Vec<JobDef> {
    vec![
        JobDef::new(
            "sessions.cleanup",
            "만료된 로그인 세션 정리",
            "5 * * * *",
            Missed::Skip,
            |state: AppState| async move {
                if !matches!(
                    state.sessions,
                    crate::server::auth::session::SessionStore::Database(_)
                ) {
                    // Sessions in Redis expire by themselves.
                    return Ok(JobReport::count("삭제한 세션", 0));
                }
                let n = crate::server::db::sessions::delete_expired(&state.db).await?;
                Ok(JobReport::count("삭제한 세션", n as i64))
            },
        ),
        JobDef::new(
            crate::server::backups::JOB,
            "데이터베이스 백업 (검증, 오래된 백업 정리)",
            "55 23 * * *",
            Missed::CatchUpOnce,
            |state: AppState| async move { crate::server::backups::nightly(&state).await },
        ),
        JobDef::new(
            "queue.cleanup",
            "처리 끝난 대기열 항목 정리 (30일 지난 것)",
            "30 3 * * *",
            Missed::CatchUpOnce,
            |state: AppState| async move {
                let before = crate::server::db::now_utc() - chrono::Duration::days(QUEUE_KEEP_DAYS);
                let n = crate::server::queue::store::delete_done_before(&state.db, before).await?;
                Ok(JobReport::count("삭제한 항목", n as i64))
            },
        ),
        JobDef::new(
            BILLING_JOB,
            "이달 임대료 청구 생성",
            "0 2 1 * *",
            Missed::CatchUpOnce,
            |state: AppState| async move {
                let month =
                    crate::domain::billing::YearMonth::of(crate::server::time::today_seoul());
                let r =
                    crate::areas::billing::service::generate_month(&state.db, month, None).await?;
                Ok(JobReport {
                    counts: vec![
                        ("새로 만든 청구".into(), r.created),
                        ("이미 있던 청구".into(), r.skipped),
                        ("제외".into(), r.refused.len() as i64),
                    ],
                })
            },
        ),
        JobDef::new(
            "billing.overdue",
            "납부 기한 지난 청구를 연체로 표시",
            "10 0 * * *",
            Missed::CatchUpOnce,
            |state: AppState| async move {
                let n = crate::areas::billing::service::refresh_overdue(&state).await?;
                Ok(JobReport::count("연체로 바뀐 청구", n as i64))
            },
        ),
        JobDef::new(
            EXPENSES_JOB,
            "고정 지출 항목을 다음 달로 복사",
            "0 2 25 * *",
            Missed::CatchUpOnce,
            |state: AppState| async move {
                let from =
                    crate::areas::expenses::pinned_copy_source(crate::server::time::today_seoul());
                let r = crate::areas::expenses::service::copy_pinned(&state.db, from).await?;
                Ok(JobReport {
                    counts: vec![
                        ("복사한 항목".into(), r.copied),
                        ("이미 있던 항목".into(), r.already),
                    ],
                })
            },
        ),
    ]
}

/// The monthly invoice job (SPEC §4: 1st of the month, 02:00).
pub const BILLING_JOB: &str = "billing.generate";

/// The pinned expenses' copy (SPEC §4: the 25th, 02:00).
pub const EXPENSES_JOB: &str = "expenses.copy_pinned";

/// Handled queue items are kept this long (for the queue page), then deleted.
const QUEUE_KEEP_DAYS: i64 = 30;
