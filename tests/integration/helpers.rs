//! `spawn_app` and friends: one app per test per backend, each on its own database (SQLite file
//! in a temp folder, or a new MySQL database) and its own Redis key prefix, cleaned up after.

use doongji::domain::{ApiError, Role};
use doongji::server::auth::password;
use doongji::server::config::Settings;
use doongji::server::db;
use doongji::startup::Application;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "tiger-Lake-48";

#[derive(Clone, Debug)]
pub struct Backend {
    pub name: &'static str,
    mysql: bool,
    redis: bool,
}

impl Backend {
    pub fn uses_redis(&self) -> bool {
        self.redis
    }
}

/// The backends this run covers, printed once so the log says what ran.
pub fn backends() -> Vec<Backend> {
    let mut list = vec![Backend {
        name: "sqlite",
        mysql: false,
        redis: false,
    }];
    let mysql = std::env::var("TEST_MYSQL_URL").is_ok_and(|v| !v.is_empty());
    let redis = std::env::var("TEST_REDIS_URL").is_ok_and(|v| !v.is_empty());
    if mysql {
        list.push(Backend {
            name: "mysql",
            mysql: true,
            redis: false,
        });
    }
    if redis {
        list.push(Backend {
            name: "sqlite+redis",
            mysql: false,
            redis: true,
        });
    }
    if mysql && redis {
        list.push(Backend {
            name: "mysql+redis",
            mysql: true,
            redis: true,
        });
    }
    static PRINTED: std::sync::Once = std::sync::Once::new();
    PRINTED.call_once(|| {
        let names: Vec<_> = list.iter().map(|b| b.name).collect();
        eprintln!("integration backends: {}", names.join(", "));
    });
    list
}

/// `backend_test!(async fn name(app: &TestApp) { .. })`: module `name` with one test per backend
/// (`name::sqlite`, `::mysql`, `::sqlite_redis`, `::mysql_redis`), each on a fresh app that is
/// stopped after; unconfigured backends skip. Spawn options: `#[options(expr)]` before `async fn`.
macro_rules! backend_test {
    (
        $(#[doc = $doc:literal])*
        #[options($options:expr)]
        async fn $name:ident($app:ident: &TestApp) $body:block
    ) => {
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: &$crate::helpers::TestApp) $body

            backend_test!(@each $options; sqlite, mysql, sqlite_redis, mysql_redis);
        }
    };
    ($(#[doc = $doc:literal])* async fn $name:ident($app:ident: &TestApp) $body:block) => {
        backend_test!(
            $(#[doc = $doc])*
            #[options($crate::helpers::Options::default())]
            async fn $name($app: &TestApp) $body
        );
    };
    (@each $options:expr; $($backend:ident),*) => {
        $(
            #[tokio::test]
            async fn $backend() {
                let Some(backend) = $crate::helpers::configured(stringify!($backend)) else {
                    return;
                };
                let app = $crate::helpers::spawn_app_with(&backend, $options).await;
                body(&app).await;
                app.stop().await;
            }
        )*
    };
}

/// The backend called `name` (`sqlite`, `mysql`, `sqlite_redis`, `mysql_redis`) if this run
/// covers it; otherwise says which setting is missing and gives `None`.
pub fn configured(name: &str) -> Option<Backend> {
    if let Some(b) = backends()
        .into_iter()
        .find(|b| b.name.replace('+', "_") == name)
    {
        return Some(b);
    }
    let mut missing = Vec::new();
    for (part, var) in [("mysql", "TEST_MYSQL_URL"), ("redis", "TEST_REDIS_URL")] {
        if name.contains(part) && !std::env::var(var).is_ok_and(|v| !v.is_empty()) {
            missing.push(var);
        }
    }
    eprintln!("skipped: {} not set", missing.join(" and "));
    None
}

/// A server function's JSON answer, which must be 200.
pub async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A server function's refusal, which must have `status`.
pub async fn err(res: reqwest::Response, status: u16) -> ApiError {
    assert_eq!(res.status(), status);
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

/// Any JSON answer, whatever its status.
pub async fn json<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// One number from the app's database (a count, a sum cast to an integer, an id).
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap())
}

/// A public page as a crawler gets it: status and body.
pub async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let res = reqwest::get(app.url(path)).await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

pub struct TestApp {
    pub base: String,
    pub backend: Backend,
    pub state: doongji::server::state::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    dir: PathBuf,
    mysql_db: Option<(String, String)>,
    redis_prefix: Option<String>,
}

/// A new, empty MySQL database on TEST_MYSQL_URL's server (`doongji_<tag>_<unique>`), or
/// `None` when TEST_MYSQL_URL is not set.
pub struct ScratchMysql {
    pub url: String,
    pub admin_url: String,
    pub name: String,
}

pub async fn scratch_mysql(tag: &str) -> Option<ScratchMysql> {
    let admin_url = std::env::var("TEST_MYSQL_URL")
        .ok()
        .filter(|v| !v.is_empty())?;
    let name = format!("doongji_{tag}_{}", unique());
    let admin = sqlx::MySqlPool::connect(&admin_url)
        .await
        .expect("connect TEST_MYSQL_URL");
    sqlx::query(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let mut url = url::Url::parse(&admin_url).expect("TEST_MYSQL_URL is a URL");
    url.set_path(&format!("/{name}"));
    Some(ScratchMysql {
        url: url.to_string(),
        admin_url,
        name,
    })
}

/// Drops a scratch database (best effort: the test's result stands either way).
pub async fn drop_mysql(admin_url: &str, name: &str) {
    if let Ok(admin) = sqlx::MySqlPool::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS `{name}`"))
            .execute(&admin)
            .await;
        admin.close().await;
    }
}

pub fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_string()
}

#[derive(Default)]
pub struct Options {
    pub extra: Vec<(&'static str, String)>,
    /// Point the app at this Redis URL instead of TEST_REDIS_URL (the outage proxy).
    pub redis_url: Option<String>,
}

pub async fn spawn_app(backend: &Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub async fn spawn_app_with(backend: &Backend, options: Options) -> TestApp {
    // Server logs appear with a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()))
        .try_init();
    let id = unique();
    let dir = std::env::temp_dir().join(format!("doongji-test-{id}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("BIND_ADDR", "127.0.0.1:0".into());
    vars.insert("DATABASE_MAX_CONNECTIONS", "5".into());

    let mut mysql_db = None;
    if backend.mysql {
        let scratch = scratch_mysql("t").await.expect("TEST_MYSQL_URL");
        vars.insert("DATABASE_URL", scratch.url.clone());
        mysql_db = Some((scratch.admin_url, scratch.name));
    } else {
        vars.insert(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
        );
    }

    let mut redis_prefix = None;
    if backend.redis {
        let url = options
            .redis_url
            .clone()
            .unwrap_or_else(|| std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL"));
        let prefix = format!("doongji-test-{id}:");
        vars.insert("REDIS_URL", url);
        vars.insert("REDIS_KEY_PREFIX", prefix.clone());
        redis_prefix = Some(prefix);
    }
    vars.insert("FILES_DIR", dir.join("files").display().to_string());
    vars.insert("BACKUP_TO", dir.join("backups").display().to_string());
    for (k, v) in options.extra {
        vars.insert(k, v);
    }
    let settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings");
    let app = Application::build(settings).await.expect("app starts");
    let port = app.port();
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = app
            .run_until(async {
                let _ = rx.await;
            })
            .await;
    });
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        backend: backend.clone(),
        state,
        shutdown: Some(tx),
        server: Some(server),
        dir,
        mysql_db,
        redis_prefix,
    }
}

impl TestApp {
    /// The local folder attached files go to (unless S3 is configured).
    pub fn files_dir(&self) -> std::path::PathBuf {
        self.dir.join("files")
    }

    /// The text of a page as `client` gets it.
    pub async fn page_text(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("page request")
            .text()
            .await
            .expect("page text")
    }

    /// The local folder backups go to (`BACKUP_TO`).
    pub fn backups_dir(&self) -> std::path::PathBuf {
        self.dir.join("backups")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            // A response that never completes fails the test instead of hanging the run.
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client")
    }

    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
    ) -> doongji::domain::UserId {
        let hash = password::hash(PASSWORD.to_string()).await.expect("hash");
        db::users::insert(
            &self.state.db,
            &db::users::NewUser {
                email,
                name,
                role,
                password_hash: &hash,
            },
        )
        .await
        .expect("insert user")
    }

    /// Posts the login form; returns the response (303 on success).
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/login"))
            .form(&[
                ("email", email),
                ("password", password),
                ("next", "/platform"),
            ])
            .send()
            .await
            .expect("login request")
    }

    /// A client signed in as a new user of `role`.
    pub async fn signed_in(&self, role: Role) -> (reqwest::Client, String) {
        let email = format!("{}-{}@doongji.kr", role.as_str(), unique());
        self.create_user(&email, &format!("{} 사용자", role.label_ko()), role)
            .await;
        let client = self.client();
        let res = self.login(&client, &email, PASSWORD).await;
        assert_eq!(
            res.status(),
            303,
            "login as {role} on {}",
            self.backend.name
        );
        assert_eq!(location(&res), "/platform");
        (client, email)
    }

    /// Calls a server function as a form post, the way the hydrated page does.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("server fn request")
    }

    pub async fn stop(mut self) {
        self.shutdown_server().await;
        self.cleanup().await;
    }

    async fn shutdown_server(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), h).await;
        }
    }

    async fn cleanup(&mut self) {
        if let Some((admin_url, name)) = self.mysql_db.take() {
            drop_mysql(&admin_url, &name).await;
        }
        if let Some(prefix) = self.redis_prefix.take()
            && let Ok(url) = std::env::var("TEST_REDIS_URL")
        {
            delete_redis_prefix(&url, &prefix).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn delete_redis_prefix(url: &str, prefix: &str) {
    let Ok(client) = redis::Client::open(url) else {
        return;
    };
    let Ok(mut conn) = client.get_multiplexed_async_connection().await else {
        return;
    };
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut conn)
        .await
        .unwrap_or_default();
    if !keys.is_empty() {
        let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
    }
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

pub fn set_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A TCP proxy in front of the real Redis that the test can cut and restore, to play
/// "Redis went away" without touching the machine's Redis.
pub struct RedisProxy {
    pub port: u16,
    upstream: String,
    accept: Option<JoinHandle<()>>,
    conns: Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>,
}

impl RedisProxy {
    pub async fn start() -> RedisProxy {
        let upstream_url = std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL");
        let u = url::Url::parse(&upstream_url).expect("redis url");
        let upstream = format!(
            "{}:{}",
            u.host_str().unwrap_or("127.0.0.1"),
            u.port().unwrap_or(6379)
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy bind");
        let port = listener.local_addr().expect("addr").port();
        let mut proxy = RedisProxy {
            port,
            upstream,
            accept: None,
            conns: Default::default(),
        };
        proxy.accept = Some(proxy.spawn_accept(listener));
        proxy
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn_accept(&self, listener: TcpListener) -> JoinHandle<()> {
        let upstream = self.upstream.clone();
        let conns = self.conns.clone();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let h = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                conns.lock().unwrap().push(h);
            }
        })
    }

    /// Closes every connection and stops listening: Redis is gone.
    pub fn cut(&mut self) {
        if let Some(a) = self.accept.take() {
            a.abort();
        }
        for c in self.conns.lock().unwrap().drain(..) {
            c.abort();
        }
    }

    /// Listens again on the same port: Redis is back.
    pub async fn restore(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("re-bind proxy port");
        self.accept = Some(self.spawn_accept(listener));
    }
}
