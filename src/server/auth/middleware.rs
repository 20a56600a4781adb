//! Resolves the signed-in user for the paths that need one, and keeps `/platform` behind login.

use crate::domain::{Role, UserId};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::pages;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{cookie_name, cookie_value};

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl CurrentUser {
    /// The signed-in user as the platform shows it (already loaded: no second query).
    pub fn to_dto(&self) -> crate::domain::UserDto {
        crate::domain::UserDto {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            active: true,
            created_at: crate::server::time::format_seoul_minutes(self.created_at),
        }
    }

    /// The buildings this user may see.
    pub fn scope(&self) -> crate::server::db::scope::Scope {
        crate::server::db::scope::Scope::of(self.role, self.id.0)
    }
}

/// Put in every request's extensions by [`resolve_session`].
#[derive(Clone, Debug)]
pub enum SessionState {
    /// Not looked up: a public path.
    NotNeeded,
    Anonymous,
    User {
        user: CurrentUser,
        token: String,
    },
    /// The session store (Redis) did not answer.
    StoreDown,
}

/// The `/api/` paths a visitor may call without signing in; every other one is refused here,
/// before any server function runs, so a function that forgets its own check is still closed.
pub const PUBLIC_API: [&str; 4] = [
    "/api/login",
    "/api/logout",
    "/api/me",
    "/api/platform/session",
];

fn api_refusal(status: StatusCode, error: crate::domain::ApiError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn needs_session(path: &str) -> bool {
    path == "/platform" || path.starts_with("/platform/") || path.starts_with("/api/")
}

pub async fn resolve_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let session = if needs_session(&path) {
        match lookup(&state, req.headers()).await {
            Ok(s) => s,
            Err(AppError::Redis(e)) => {
                tracing::error!(error = %e, "session store unavailable");
                SessionState::StoreDown
            }
            Err(e) => return e.into_response(),
        }
    } else {
        SessionState::NotNeeded
    };

    if path == "/platform" || path.starts_with("/platform/") {
        match &session {
            SessionState::Anonymous => {
                let target = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/platform");
                let next = serde_urlencoded::to_string([("next", target)]).unwrap_or_default();
                return Redirect::to(&format!("/login?{next}")).into_response();
            }
            SessionState::StoreDown => return session_store_down_page(),
            _ => {}
        }
    }
    if path.starts_with("/api/") && !PUBLIC_API.contains(&path.as_str()) {
        match &session {
            SessionState::Anonymous => {
                return api_refusal(
                    StatusCode::UNAUTHORIZED,
                    crate::domain::ApiError::Unauthorized,
                );
            }
            SessionState::StoreDown => {
                return api_refusal(
                    StatusCode::SERVICE_UNAVAILABLE,
                    crate::domain::ApiError::Unavailable,
                );
            }
            _ => {}
        }
    }
    if let (true, SessionState::User { user, .. }) = (&path.starts_with("/platform"), &session) {
        tracing::Span::current().record("user_id", user.id.0);
    }
    req.extensions_mut().insert(session);
    let res = next.run(req).await;
    if path.starts_with("/api/") && res.status() == StatusCode::INTERNAL_SERVER_ERROR {
        return unreadable_input_is_400(res).await;
    }
    res
}

/// A server function whose arguments could not be read answers 500 from the framework; it is
/// the caller's mistake (400), and nothing of the function ran.
async fn unreadable_input_is_400(res: Response) -> Response {
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if matches!(
        serde_json::from_slice::<crate::domain::ApiError>(&bytes),
        Ok(crate::domain::ApiError::BadInput(_))
    ) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn lookup(state: &AppState, headers: &http::HeaderMap) -> Result<SessionState, AppError> {
    let name = cookie_name(state.settings.is_https());
    let Some(token) = cookie_value(headers, name).filter(|t| !t.is_empty()) else {
        return Ok(SessionState::Anonymous);
    };
    let Some(user_id) = state
        .sessions
        .user_of(&token, state.settings.session_idle)
        .await?
    else {
        return Ok(SessionState::Anonymous);
    };
    let Some(row) = db::users::find_by_id(&state.db, user_id).await? else {
        return Ok(SessionState::Anonymous);
    };
    if !row.active {
        return Ok(SessionState::Anonymous);
    }
    let user = CurrentUser {
        id: user_id,
        role: row.role()?,
        created_at: row.created_at,
        email: row.email,
        name: row.name,
    };
    Ok(SessionState::User { user, token })
}

pub fn session_store_down_page() -> Response {
    pages::message_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "일시적인 오류",
        "로그인 정보를 확인할 수 없습니다(세션 저장소 연결 끊김). 잠시 후 다시 시도해 주세요.",
        Some(("/", "홈으로")),
    )
}
