//! What the plain download handlers share: the signed-in user from the session, a file response
//! with a Korean-safe file name, and a list's filters read from the URL.

use crate::domain::list::ListQuery;
use crate::server::auth::{CurrentUser, SessionState};
use crate::server::error::AppError;
use crate::server::xlsx::{Cell, workbook};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::future::Future;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn signed_in(session: &SessionState) -> Result<CurrentUser, AppError> {
    match session {
        SessionState::User { user, .. } => Ok(user.clone()),
        SessionState::StoreDown => Err(crate::domain::ApiError::Unavailable.into()),
        _ => Err(crate::domain::ApiError::Unauthorized.into()),
    }
}

/// `attachment; filename*=UTF-8''…` so Korean names survive every browser.
fn disposition(kind: &str, name: &str) -> HeaderValue {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"download\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

pub fn file_response(bytes: Vec<u8>, content_type: &str, name: &str, inline: bool) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CONTENT_DISPOSITION,
        disposition(if inline { "inline" } else { "attachment" }, name),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A list's search, filters and sort from the URL's query string.
pub fn list_query(raw: Option<&str>) -> ListQuery {
    let params: HashMap<String, String> =
        serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
    ListQuery::from_params(|k| params.get(k).cloned())
}

/// A list exported as XLSX with the filters on screen: `rows` gets the state, the signed-in user and the
/// list's query from the URL and gives every row; the file is `{title}_{YYYYMMDD}.xlsx` (today
/// in Seoul) with one sheet named `title`.
pub async fn xlsx_export<F, Fut>(
    state: crate::server::state::AppState,
    session: &SessionState,
    raw_query: Option<String>,
    title: &str,
    headers: &[&str],
    rows: F,
) -> Result<Response, AppError>
where
    F: FnOnce(crate::server::state::AppState, CurrentUser, ListQuery) -> Fut,
    Fut: Future<Output = Result<Vec<Vec<Cell>>, AppError>>,
{
    let me = signed_in(session)?;
    // Each export reads a whole list: a few per hour are plenty for a person, and a script
    // looping on one is stopped (`EXPORT_MAX_PER_HOUR`, per user).
    let used = state
        .counters
        .increment(
            &format!("export:user:{}", me.id.0),
            std::time::Duration::from_secs(3600),
        )
        .await;
    if used.count > u64::from(state.settings.export_max_per_hour) {
        let minutes = crate::server::auth::throttle::wait_minutes(used.remaining);
        tracing::warn!(user_id = me.id.0, "export limit reached");
        return Err(AppError::Api(crate::domain::ApiError::TooMany(format!(
            "내보내기를 한 시간에 {}번까지 할 수 있습니다. {minutes}분 후에 다시 시도해 주세요.",
            state.settings.export_max_per_hour
        ))));
    }
    let q = list_query(raw_query.as_deref());
    let bytes = workbook(title, headers, rows(state, me, q).await?)?;
    let today = crate::server::time::today_seoul().format("%Y%m%d");
    Ok(file_response(
        bytes,
        XLSX,
        &format!("{title}_{today}.xlsx"),
        false,
    ))
}
