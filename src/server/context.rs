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
pub fn fail(e: AppError) -> ApiError {
    let api = e.into_api();
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status_of(&api));
    }
    api
}
