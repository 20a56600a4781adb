//! `/healthz` (the process runs, with its version) and `/readyz` (its dependencies answer).

use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::time::Duration;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const GIT_COMMIT: &str = env!("DOONGJI_GIT_COMMIT");

pub async fn healthz() -> impl IntoResponse {
    format!("ok\nversion: {VERSION}\ncommit: {GIT_COMMIT}\n")
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let timeout = Duration::from_secs(2);
    let database = match tokio::time::timeout(timeout, state.db.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".to_string()),
    };
    let redis = match &state.redis {
        None => None,
        Some(kv) => Some(match tokio::time::timeout(timeout, kv.ping()).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("timed out".to_string()),
        }),
    };
    // The body names the failing part; the cause (which may carry hosts or SQL) goes to the log.
    let line = |name: &str, r: &Result<(), String>| match r {
        Ok(()) => format!("{name}: ok\n"),
        Err(e) => {
            tracing::warn!(part = name, error = %e, "not ready");
            format!("{name}: unavailable\n")
        }
    };
    let mut body = line(
        &format!("database ({})", state.db.backend_name()),
        &database,
    );
    match &redis {
        None => body.push_str("redis: not configured\n"),
        Some(r) => body.push_str(&line("redis", r)),
    }
    // A stale backup degrades readiness without failing it: the instance still serves.
    let mut degraded = false;
    if database.is_ok() {
        use crate::server::backups::{Freshness, freshness};
        let seoul =
            |at: chrono::DateTime<chrono::Utc>| crate::server::time::format_seoul_minutes(at);
        match tokio::time::timeout(timeout, freshness(&state.db, crate::server::db::now_utc()))
            .await
        {
            Ok(Ok(Freshness::Fresh(at))) => body.push_str(&format!("backup: ok ({})\n", seoul(at))),
            Ok(Ok(Freshness::NotYetDue)) => body.push_str("backup: none yet\n"),
            Ok(Ok(Freshness::Stale(at))) => {
                degraded = true;
                body.push_str(&format!(
                    "backup: degraded (last verified {})\n",
                    at.map(seoul).unwrap_or_else(|| "never".into())
                ));
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "backup freshness unknown");
                body.push_str("backup: unknown\n");
            }
            Err(_) => body.push_str("backup: unknown\n"),
        }
    }
    let ready = database.is_ok() && redis.as_ref().is_none_or(|r| r.is_ok());
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        format!(
            "{}\n{body}",
            match (ready, degraded) {
                (false, _) => "not ready",
                (true, true) => "ready (degraded)",
                (true, false) => "ready",
            }
        ),
    )
}
