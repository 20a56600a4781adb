//! Settings from the environment (and an optional `.env`), validated once at start. A bad value
//! stops the start with a message that names the setting.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// A value that must never reach a log line (database and Redis URLs carry passwords).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://doongji.db?mode=rwc";

#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://…` or `mysql://…`.
    pub database_url: Secret,
    pub database_max_connections: u32,
    /// Shared sessions, counters and (later) the job queue. `None`: kept in the database and
    /// in process.
    pub redis_url: Option<Secret>,
    pub redis_key_prefix: String,
    pub bind_addr: SocketAddr,
    /// Where users reach the site; `https://…` turns on Secure cookies and HSTS.
    pub public_url: url::Url,
    /// False when `PUBLIC_URL` was not given: it then follows the address actually bound.
    pub public_url_explicit: bool,
    pub session_ttl: Duration,
    /// `SESSION_IDLE_SECONDS` (default 7,200): a session unused this long ends.
    pub session_idle: Duration,
    pub login_max_failures: u32,
    pub login_window: Duration,
    /// `TRUSTED_PROXIES`: the balancers and CDN edges whose `X-Forwarded-For` is believed.
    pub trusted_proxies: crate::server::net::TrustedProxies,
    /// Homepage inquiries accepted from one address per hour.
    pub inquiry_max_per_hour: u32,
    /// Homepage inquiries accepted from everyone together per hour (a flood from many
    /// addresses stops here).
    pub inquiry_max_per_hour_total: u32,
    pub site_root: String,
    pub log_filter: String,
    /// Where attached files are kept.
    pub file_storage: FileStorage,
    /// Largest accepted attachment (`FILE_MAX_MB`, default 20).
    pub file_max_bytes: u64,
    /// XLSX exports one user may download per hour (`EXPORT_MAX_PER_HOUR`, default 30).
    pub export_max_per_hour: u32,
    /// `METRICS_TOKEN`: a caller that is not on this machine reads `/metrics` only with
    /// `Authorization: Bearer <token>`; without a token, only from loopback.
    pub metrics_token: Option<Secret>,
    /// `BACKGROUND_WORK` (default on): `off` makes an instance serve requests only, running
    /// neither scheduled jobs nor the work queue (other instances do).
    pub background_work: bool,
    /// `QUEUE_CLAIM_SECONDS` (default 60): how long a queue item claimed by an instance stays
    /// its own without renewal; after an instance dies, its items wait this long.
    pub queue_claim: Duration,
    pub backup: BackupSettings,
    /// How to reach S3, for whatever is configured to use it.
    pub s3: S3Access,
}

/// `FILES_DIR` (default `data/files`), or S3 when `S3_BUCKET` is set (with `S3_REGION`,
/// optional `S3_ENDPOINT` for S3-compatible services, `S3_ACCESS_KEY_ID`,
/// `S3_SECRET_ACCESS_KEY`).
#[derive(Debug, Clone)]
pub enum FileStorage {
    Local { dir: String },
    S3 { bucket: String, access: S3Access },
}

/// How to reach S3 (or an S3-compatible store), shared by attachments and backups: `S3_REGION`
/// (default ap-northeast-2), `S3_ENDPOINT`, `S3_ACCESS_KEY_ID` with `S3_SECRET_ACCESS_KEY`
/// (without them, the machine's own credentials).
#[derive(Debug, Clone)]
pub struct S3Access {
    pub region: String,
    pub endpoint: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
}

/// Where backups go (`BACKUP_TO`): a local folder (default `data/backups`) or
/// `s3://bucket/prefix`, kept `BACKUP_KEEP_DAILY` days (default 7) and `BACKUP_KEEP_MONTHLY`
/// months (default 12).
#[derive(Debug, Clone)]
pub struct BackupSettings {
    pub target: BackupTarget,
    pub keep_daily: u32,
    pub keep_monthly: u32,
}

#[derive(Debug, Clone)]
pub enum BackupTarget {
    Local {
        dir: String,
    },
    S3 {
        bucket: String,
        prefix: String,
        access: S3Access,
    },
}

impl BackupTarget {
    /// Where it is, for people (no secrets).
    pub fn describe(&self) -> String {
        match self {
            BackupTarget::Local { dir } => dir.clone(),
            BackupTarget::S3 { bucket, prefix, .. } => format!("s3://{bucket}/{prefix}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("설정 {name} 값이 올바르지 않습니다: {reason}")]
pub struct SettingError {
    pub name: &'static str,
    pub reason: String,
}

fn bad(name: &'static str, reason: impl Into<String>) -> SettingError {
    SettingError {
        name,
        reason: reason.into(),
    }
}

impl Settings {
    /// Reads `.env` when present (never overriding the real environment), then the environment.
    pub fn from_env() -> Result<Self, SettingError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(bad(".env", e.to_string())),
        }
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Builds settings from any key → value source (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, SettingError> {
        let get = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("mysql://")) {
            return Err(bad(
                "DATABASE_URL",
                "sqlite:… 또는 mysql://… 형식이어야 합니다",
            ));
        }
        let database_max_connections = parse_in_range(
            get("DATABASE_MAX_CONNECTIONS"),
            "DATABASE_MAX_CONNECTIONS",
            16,
            1,
            1000,
        )?;

        let redis_url = match get("REDIS_URL") {
            None => None,
            Some(url) if url.starts_with("redis://") || url.starts_with("rediss://") => {
                Some(Secret::new(url))
            }
            Some(_) => return Err(bad("REDIS_URL", "redis://… 형식이어야 합니다")),
        };
        let redis_key_prefix = get("REDIS_KEY_PREFIX").unwrap_or_else(|| "doongji:".into());

        let bind_raw = get("BIND_ADDR")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let bind_addr: SocketAddr = bind_raw.parse().map_err(|_| {
            bad(
                "BIND_ADDR",
                format!("'{bind_raw}'은(는) 주소:포트 형식이 아닙니다"),
            )
        })?;

        let public_url_explicit = get("PUBLIC_URL").is_some();
        let public_raw = get("PUBLIC_URL").unwrap_or_else(|| format!("http://{bind_addr}"));
        let public_url = url::Url::parse(&public_raw)
            .map_err(|e| bad("PUBLIC_URL", format!("'{public_raw}': {e}")))?;
        if !matches!(public_url.scheme(), "http" | "https") || public_url.host().is_none() {
            return Err(bad("PUBLIC_URL", "http:// 또는 https:// 주소여야 합니다"));
        }

        let session_hours =
            parse_in_range(get("SESSION_TTL_HOURS"), "SESSION_TTL_HOURS", 12, 1, 720)?;
        let session_idle_secs = parse_in_range(
            get("SESSION_IDLE_SECONDS"),
            "SESSION_IDLE_SECONDS",
            7200,
            2,
            30 * 86_400,
        )?;
        let login_max_failures =
            parse_in_range(get("LOGIN_MAX_FAILURES"), "LOGIN_MAX_FAILURES", 10, 1, 1000)?;
        let login_window_secs = parse_in_range(
            get("LOGIN_WINDOW_SECONDS"),
            "LOGIN_WINDOW_SECONDS",
            600,
            10,
            86_400,
        )?;
        // The old switch believed the last hop from anyone; it is refused rather than ignored,
        // so a deployment that relied on it is told what replaced it.
        if parse_bool(get("TRUST_PROXY_HEADERS"), "TRUST_PROXY_HEADERS")? {
            return Err(bad(
                "TRUST_PROXY_HEADERS",
                "더 이상 쓰지 않습니다. 믿을 프록시의 주소 범위를 TRUSTED_PROXIES(예: 10.0.0.0/8)에 넣으세요",
            ));
        }
        let trusted_proxies =
            crate::server::net::TrustedProxies::parse(&get("TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|reason| bad("TRUSTED_PROXIES", reason))?;

        let inquiry_max_per_hour = parse_in_range(
            get("INQUIRY_MAX_PER_HOUR"),
            "INQUIRY_MAX_PER_HOUR",
            5,
            1,
            10_000,
        )?;
        let inquiry_max_per_hour_total = parse_in_range(
            get("INQUIRY_MAX_PER_HOUR_TOTAL"),
            "INQUIRY_MAX_PER_HOUR_TOTAL",
            200,
            1,
            1_000_000,
        )?;

        let endpoint = get("S3_ENDPOINT");
        if let Some(e) = &endpoint
            && url::Url::parse(e).is_err()
        {
            return Err(bad("S3_ENDPOINT", "http(s):// 주소여야 합니다"));
        }
        let access_key_id = get("S3_ACCESS_KEY_ID");
        let secret_access_key = get("S3_SECRET_ACCESS_KEY").map(Secret::new);
        if access_key_id.is_some() != secret_access_key.is_some() {
            return Err(bad(
                "S3_SECRET_ACCESS_KEY",
                "S3_ACCESS_KEY_ID와 함께 설정해야 합니다",
            ));
        }
        let s3 = S3Access {
            region: get("S3_REGION").unwrap_or_else(|| "ap-northeast-2".into()),
            endpoint,
            access_key_id,
            secret_access_key,
        };
        let file_storage = match get("S3_BUCKET") {
            None => FileStorage::Local {
                dir: get("FILES_DIR").unwrap_or_else(|| "data/files".into()),
            },
            Some(bucket) => FileStorage::S3 {
                bucket,
                access: s3.clone(),
            },
        };
        let backup_target = match get("BACKUP_TO") {
            None => BackupTarget::Local {
                dir: "data/backups".into(),
            },
            Some(to) => match to.strip_prefix("s3://") {
                Some(rest) => {
                    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                    if bucket.is_empty() {
                        return Err(bad("BACKUP_TO", "s3://버킷/경로 형식이어야 합니다"));
                    }
                    BackupTarget::S3 {
                        bucket: bucket.to_string(),
                        prefix: prefix.trim_matches('/').to_string(),
                        access: s3.clone(),
                    }
                }
                None if to.contains("://") => {
                    return Err(bad(
                        "BACKUP_TO",
                        "폴더 경로 또는 s3://버킷/경로 형식이어야 합니다",
                    ));
                }
                None => BackupTarget::Local { dir: to },
            },
        };
        let backup = BackupSettings {
            target: backup_target,
            keep_daily: parse_in_range(get("BACKUP_KEEP_DAILY"), "BACKUP_KEEP_DAILY", 7, 1, 366)?,
            keep_monthly: parse_in_range(
                get("BACKUP_KEEP_MONTHLY"),
                "BACKUP_KEEP_MONTHLY",
                12,
                0,
                1200,
            )?,
        };
        let export_max_per_hour = parse_in_range(
            get("EXPORT_MAX_PER_HOUR"),
            "EXPORT_MAX_PER_HOUR",
            30,
            1,
            100_000,
        )?;
        let file_max_mb = parse_in_range(get("FILE_MAX_MB"), "FILE_MAX_MB", 20, 1, 1024)?;
        let metrics_token = match get("METRICS_TOKEN") {
            Some(t) if t.len() < 16 => {
                return Err(bad("METRICS_TOKEN", "16자 이상이어야 합니다"));
            }
            t => t.map(Secret::new),
        };

        let background_work = match get("BACKGROUND_WORK") {
            None => true,
            raw => parse_bool(raw, "BACKGROUND_WORK")?,
        };

        let queue_claim_secs = parse_in_range(
            get("QUEUE_CLAIM_SECONDS"),
            "QUEUE_CLAIM_SECONDS",
            60,
            2,
            3600,
        )?;

        Ok(Settings {
            s3,
            backup,
            background_work,
            queue_claim: Duration::from_secs(u64::from(queue_claim_secs)),
            file_storage,
            file_max_bytes: u64::from(file_max_mb) * 1024 * 1024,
            metrics_token,
            export_max_per_hour,
            database_url: Secret::new(database_url),
            database_max_connections,
            redis_url,
            redis_key_prefix,
            bind_addr,
            public_url,
            public_url_explicit,
            session_ttl: Duration::from_secs(u64::from(session_hours) * 3600),
            session_idle: Duration::from_secs(u64::from(session_idle_secs)),
            login_max_failures,
            login_window: Duration::from_secs(u64::from(login_window_secs)),
            trusted_proxies,
            inquiry_max_per_hour,
            inquiry_max_per_hour_total,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            log_filter: get("RUST_LOG").unwrap_or_else(|| "info,sqlx=warn".into()),
        })
    }

    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

fn parse_in_range(
    raw: Option<String>,
    name: &'static str,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, SettingError> {
    let Some(raw) = raw else { return Ok(default) };
    let value: u32 = raw
        .parse()
        .map_err(|_| bad(name, format!("'{raw}'은(는) 숫자가 아닙니다")))?;
    if value < min || value > max {
        return Err(bad(
            name,
            format!("{min}~{max} 사이여야 합니다 (현재 {value})"),
        ));
    }
    Ok(value)
}

fn parse_bool(raw: Option<String>, name: &'static str) -> Result<bool, SettingError> {
    match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("0" | "false" | "no" | "off") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(other) => Err(bad(name, format!("'{other}'은(는) true/false 가 아닙니다"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, SettingError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn no_settings_at_all_means_embedded_sqlite() {
        let s = settings(&[]).expect("defaults are valid");
        assert_eq!(s.database_url.expose(), DEFAULT_DATABASE_URL);
        assert!(s.redis_url.is_none());
        assert!(!s.is_https());
        assert_eq!(s.login_max_failures, 10);
        assert_eq!(s.login_window, Duration::from_secs(600));
    }

    #[test]
    fn a_bad_value_names_its_setting() {
        let err = settings(&[("DATABASE_URL", "postgres://x")]).unwrap_err();
        assert_eq!(err.name, "DATABASE_URL");
        assert!(err.to_string().contains("DATABASE_URL"));
        assert_eq!(
            settings(&[("SESSION_TTL_HOURS", "0")]).unwrap_err().name,
            "SESSION_TTL_HOURS"
        );
        assert_eq!(
            settings(&[("BIND_ADDR", "localhost")]).unwrap_err().name,
            "BIND_ADDR"
        );
        assert_eq!(
            settings(&[("REDIS_URL", "http://x")]).unwrap_err().name,
            "REDIS_URL"
        );
        assert_eq!(
            settings(&[("TRUST_PROXY_HEADERS", "maybe")])
                .unwrap_err()
                .name,
            "TRUST_PROXY_HEADERS"
        );
        assert_eq!(
            settings(&[("TRUST_PROXY_HEADERS", "true")])
                .unwrap_err()
                .name,
            "TRUST_PROXY_HEADERS"
        );
        assert_eq!(
            settings(&[("TRUSTED_PROXIES", "10.0.0.0/8 lb")])
                .unwrap_err()
                .name,
            "TRUSTED_PROXIES"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let s = settings(&[("DATABASE_URL", "mysql://root:hunter2@db/doongji")]).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn https_public_url_turns_on_secure_cookies() {
        assert!(
            settings(&[("PUBLIC_URL", "https://doongji.co.kr")])
                .unwrap()
                .is_https()
        );
    }
}
