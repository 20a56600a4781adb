//! `POST /api/login` and `POST /api/logout` as plain HTML form endpoints (no JavaScript needed).

use super::middleware::{SessionState, session_store_down_page};
use super::password;
use super::session::{cookie_name, set_cookie_header};
use super::throttle::{Gate, wait_minutes};
use crate::domain::validation::normalize_email;
use crate::server::db;
use crate::server::error::AppError;
use crate::server::net::rate_key;
use crate::server::state::AppState;
use crate::server::web::pages;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// Only a path inside the platform may be a post-login target (no open redirect).
pub fn safe_next(next: &str) -> &str {
    let ok =
        (next == "/platform" || next.starts_with("/platform/") || next.starts_with("/platform?"))
            && !next.contains("//")
            && !next.contains('\\');
    if ok { next } else { "/platform" }
}

fn login_again(error: &str, email: &str, next: &str) -> Response {
    let q = serde_urlencoded::to_string([("error", error), ("email", email), ("next", next)])
        .unwrap_or_default();
    Redirect::to(&format!("/login?{q}")).into_response()
}

/// The client's address: the peer, or behind `TRUSTED_PROXIES` the first untrusted
/// `X-Forwarded-For` hop from the right (see [`crate::server::net`]).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    state
        .settings
        .trusted_proxies
        .client_ip(peer.ip(), forwarded)
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(session): Extension<SessionState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    if matches!(session, SessionState::StoreDown) {
        return Ok(session_store_down_page());
    }
    let email = normalize_email(&form.email);
    let next = safe_next(&form.next).to_string();
    let ip = client_ip(&state, &headers, peer);
    let ip_key = rate_key(ip);

    if email.is_empty() || form.password.is_empty() {
        return Ok(login_again("missing", &email, &next));
    }
    // No address is longer (RFC 5321): refused before any lookup or counter.
    if email.len() > 254 {
        return Ok(login_again("invalid", "", &next));
    }
    // The account's counter is keyed on its id when it exists: spellings of one email that the
    // database matches alike (MySQL collations) cannot each get their own ten guesses.
    let row = db::users::find_by_email(&state.db, &email).await?;
    let account = row
        .as_ref()
        .map_or_else(|| format!("email:{email}"), |r| format!("id:{}", r.id));
    match state.throttle.admit(&account, &ip_key).await {
        Gate::Closed(wait) => {
            tracing::warn!(%ip, "login throttled");
            return Ok(too_many_attempts(wait));
        }
        Gate::Open { delay } if !delay.is_zero() => tokio::time::sleep(delay).await,
        Gate::Open { .. } => {}
    }

    let ok = password::verify(form.password, row.as_ref().map(|r| r.password_hash.clone())).await?;
    let Some(row) = row.filter(|_| ok) else {
        state.throttle.record_failure(&account).await;
        tracing::info!(%ip, "login failed");
        return Ok(login_again("invalid", &email, &next));
    };
    if !row.active {
        return Ok(login_again("inactive", &email, &next));
    }
    state.throttle.record_success(&account, &ip_key).await;

    // A new session id at every login: an id planted before login is worthless after it.
    if let SessionState::User { token, .. } = &session {
        state.sessions.delete(token).await?;
    }
    let ttl = state.settings.session_ttl;
    let token = match state
        .sessions
        .create(
            crate::domain::UserId(row.id),
            ttl,
            state.settings.session_idle,
        )
        .await
    {
        Ok(t) => t,
        Err(AppError::Redis(e)) => {
            tracing::error!(error = %e, "session store unavailable at login");
            return Ok(session_store_down_page());
        }
        Err(e) => return Err(e),
    };
    tracing::info!(user_id = row.id, "login");
    let mut res = Redirect::to(&next).into_response();
    set_cookie(&mut res, Some(&token), &state);
    Ok(res)
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) =
        super::session::cookie_value(&headers, cookie_name(state.settings.is_https()))
        && let Err(e) = state.sessions.delete(&token).await
    {
        // The cookie is removed below either way; the stored session expires by itself.
        tracing::warn!(error = %e, "could not delete session at logout");
    }
    if let SessionState::User { user, .. } = session {
        tracing::info!(user_id = user.id.0, "logout");
    }
    let mut res = Redirect::to("/login?logged_out=1").into_response();
    set_cookie(&mut res, None, &state);
    res
}

fn set_cookie(res: &mut Response, token: Option<&str>, state: &AppState) {
    let value = set_cookie_header(token, state.settings.session_ttl, state.settings.is_https());
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn too_many_attempts(wait: std::time::Duration) -> Response {
    let minutes = wait_minutes(wait);
    let mut res = pages::message_page(
        StatusCode::TOO_MANY_REQUESTS,
        "로그인 시도 제한",
        &format!("로그인 실패가 너무 많습니다. {minutes}분 후에 다시 시도해 주세요."),
        Some(("/login", "로그인 화면으로")),
    );
    if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_inside_the_platform() {
        assert_eq!(safe_next("/platform/admin/users"), "/platform/admin/users");
        assert_eq!(safe_next("https://evil.example"), "/platform");
        assert_eq!(safe_next("//evil.example"), "/platform");
        assert_eq!(safe_next("/platform//evil.example"), "/platform");
        assert_eq!(safe_next("/platformer"), "/platform");
        assert_eq!(safe_next(""), "/platform");
    }
}
