//! The server's one error type. Internal causes are logged (with the request id from the span)
//! and reach the user only as a plain Korean message.

use crate::domain::ApiError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the user can act on; shown as is.
    #[error("{0}")]
    Api(ApiError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(cause: impl Into<String>) -> Self {
        AppError::Internal(cause.into())
    }

    pub fn field(name: &str, message: impl Into<String>) -> Self {
        AppError::Api(ApiError::field(name, message))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Api(ApiError::Conflict(message.into()))
    }

    /// What the browser is told. Logs the cause of anything that is not the user's doing.
    pub fn into_api(self) -> ApiError {
        match self {
            AppError::Api(e) => e,
            AppError::Redis(e) => {
                tracing::error!(error = %e, "redis unavailable");
                ApiError::Unavailable
            }
            AppError::Database(e) => {
                tracing::error!(error = %e, "database error");
                match e {
                    sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => ApiError::Unavailable,
                    _ => ApiError::Internal,
                }
            }
            AppError::Internal(cause) => {
                tracing::error!(cause = %cause, "internal error");
                ApiError::Internal
            }
        }
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        AppError::Api(e)
    }
}

pub fn status_of(e: &ApiError) -> StatusCode {
    match e {
        ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
        ApiError::Forbidden => StatusCode::FORBIDDEN,
        ApiError::NotFound => StatusCode::NOT_FOUND,
        ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ApiError::BadInput(_) => StatusCode::BAD_REQUEST,
        ApiError::Conflict(_) => StatusCode::CONFLICT,
        ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
        ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Internal | ApiError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// For plain axum handlers (login, health): a small Korean HTML page with the right status.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let api = self.into_api();
        let status = status_of(&api);
        crate::server::web::pages::message_page(status, "오류", &api.to_string(), None)
    }
}
