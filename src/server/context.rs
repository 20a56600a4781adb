//! Server-side helpers for server functions: the app state, the caller, and turning a server
//! error into what the browser gets (with the right HTTP status).

use crate::domain::{ApiError, Role};
use crate::server::auth::{CurrentUser, SessionState};
use crate::server::error::{AppError, status_of};
use crate::server::state::AppState;
use leptos::prelude::*;

pub fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>()
        .ok_or_else(|| fail(AppError::internal("AppState missing from context")))
}

fn session() -> SessionState {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SessionState>().cloned())
        .unwrap_or(SessionState::Anonymous)
}

/// The signed-in user, or `None` for a visitor.
pub fn optional_user() -> Result<Option<CurrentUser>, ApiError> {
    match session() {
        SessionState::User { user, .. } => Ok(Some(user)),
        SessionState::StoreDown => Err(fail(ApiError::Unavailable.into())),
        SessionState::Anonymous | SessionState::NotNeeded => Ok(None),
    }
}

/// The signed-in user and their session's token (to keep that one session while ending others).
pub fn require_session() -> Result<(CurrentUser, String), ApiError> {
    match session() {
        SessionState::User { user, token } => Ok((user, token)),
        SessionState::StoreDown => Err(fail(ApiError::Unavailable.into())),
        SessionState::Anonymous | SessionState::NotNeeded => {
            Err(fail(ApiError::Unauthorized.into()))
        }
    }
}

pub fn require_user() -> Result<CurrentUser, ApiError> {
    optional_user()?.ok_or_else(|| fail(ApiError::Unauthorized.into()))
}

/// Deny by default: the caller must hold one of `roles`.
pub fn require_role(roles: &[Role]) -> Result<CurrentUser, ApiError> {
    let user = require_user()?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        tracing::warn!(user_id = user.id.0, role = %user.role, "forbidden");
        Err(fail(ApiError::Forbidden.into()))
    }
}

/// Logs what must be logged, sets the response status, and returns the browser's error.
/// A plain form post (no JavaScript) keeps its redirect back to the page instead: the error
/// travels in that address and the page shows it.
pub fn fail(e: AppError) -> ApiError {
    let api = e.into_api();
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>()
        && !is_plain_form_post()
    {
        res.set_status(status_of(&api));
    }
    api
}

/// Whether this request is a browser's own form submission to a server function (a POST to
/// `/api/…` that accepts HTML), not a call from the app's script or an API client, and not a
/// page render (whose refusals keep their status).
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.method == http::Method::POST
            && p.uri.path().starts_with("/api/")
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    })
}

const FLASH_COOKIE: &str = "doongji_flash";

fn flash_cookie(value: &str, max_age: u32) -> Option<http::HeaderValue> {
    let secure = use_context::<AppState>().is_some_and(|s| s.settings.is_https());
    let secure = if secure { "; Secure" } else { "" };
    http::HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}={value}; Path=/platform; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// A one-time message for the next platform page the browser shows ("저장했습니다."). It is
/// kept in a short-lived cookie, so it survives the redirect of a plain form post and the
/// reload after a form sent with JavaScript.
pub fn flash(message: &str) {
    let value: String = url::form_urlencoded::byte_serialize(message.as_bytes()).collect();
    if let (Some(res), Some(cookie)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        flash_cookie(&value, 60),
    ) {
        res.append_header(http::header::SET_COOKIE, cookie);
    }
}

/// The flash message of this request, if any; the browser is told to forget it.
pub fn take_flash() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let raw = crate::server::auth::session::cookie_value(&parts.headers, FLASH_COOKIE)?;
    if let (Some(res), Some(cookie)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        flash_cookie("", 0),
    ) {
        res.append_header(http::header::SET_COOKIE, cookie);
    }
    let message: String = url::form_urlencoded::parse(format!("m={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.chars().take(300).collect())?;
    (!message.trim().is_empty()).then_some(message)
}
