//! The one error that server functions return to the browser: a Korean message for the user,
//! and field errors shown next to the form field they belong to. Causes stay in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name → Korean message.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("로그인이 필요합니다.")]
    Unauthorized,
    #[error("이 작업을 할 권한이 없습니다.")]
    Forbidden,
    #[error("요청하신 항목을 찾을 수 없습니다.")]
    NotFound,
    #[error("입력값을 확인해 주세요.")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("일시적으로 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.")]
    Unavailable,
    #[error("처리 중 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.")]
    Internal,
    /// A form value the server could not read (a number field left empty, a malformed date).
    #[error("{0}")]
    BadInput(String),
    /// Asked too often; the message says when to try again.
    #[error("{0}")]
    TooMany(String),
    /// Transport or encoding problem between browser and server.
    #[error("서버와 통신하지 못했습니다: {0}")]
    Transport(String),
}

impl ApiError {
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        let mut map = FieldErrors::new();
        map.insert(name.to_string(), message.into());
        ApiError::Validation(map)
    }

    /// The message for one form field, if this error carries one.
    pub fn field_message(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Validation(map) => map.get(name).cloned(),
            _ => None,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::Serialization(_) => ApiError::BadInput(
                "입력값 형식이 올바르지 않습니다. 숫자와 날짜 칸을 확인해 주세요.".into(),
            ),
            other => ApiError::Transport(other.to_string()),
        }
    }
}
