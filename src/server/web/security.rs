//! Response headers every answer carries, and the cross-site check on state-changing requests.

use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::pages;

/// The policy for pages without a nonce (API answers, static files, server-made pages).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
         font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let https = state.settings.is_https();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&content_security_policy(None))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// The origin (`scheme://host[:port]`) of a URL-ish header value, lower-cased.
fn origin_of(value: &str) -> Option<String> {
    let url = url::Url::parse(value).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(p) => format!("{}://{}:{}", url.scheme(), host, p).to_lowercase(),
        None => format!("{}://{}", url.scheme(), host).to_lowercase(),
    })
}

/// Refuses (403) a state-changing request that a page of another site sent: its `Origin`, or
/// failing that its `Referer`, must be this site (the public URL, or the Host it was sent to).
pub async fn same_origin_only(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .map(|v| v.to_str().unwrap_or("invalid"));
    let Some(claimed) = claimed else {
        // Not sent by a browser page: nothing cross-site to refuse (cookies are SameSite too).
        return next.run(req).await;
    };
    let mut allowed = vec![origin_of(state.settings.public_url.as_str())];
    if let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        let scheme = state.settings.public_url.scheme();
        allowed.push(origin_of(&format!("{scheme}://{host}")));
    }
    match origin_of(claimed) {
        Some(o) if allowed.iter().flatten().any(|a| *a == o) => next.run(req).await,
        _ => {
            tracing::warn!(origin = %claimed, path = %req.uri().path(), "cross-site request refused");
            pages::message_page(
                StatusCode::FORBIDDEN,
                "요청 거부",
                "다른 사이트에서 보낸 요청은 처리할 수 없습니다.",
                Some(("/", "홈으로")),
            )
        }
    }
}

/// Layered on `/pkg` only: hashed asset names never change content, so browsers may keep them
/// for a year.
pub async fn asset_cache_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status().is_success() {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}

/// Request bodies are read into memory, so each has a ceiling: the attachment limit (plus room
/// for the form around it) for uploads and imports, 2 MiB for everything else. A declared
/// length over the ceiling is refused at once; a longer streamed body fails when it passes it.
pub async fn body_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let limit = if path == "/api/files/upload" || path == "/api/imports/leases" {
        state.files.max_bytes + 1024 * 1024
    } else {
        2 * 1024 * 1024
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        let body = serde_json::to_string(&crate::domain::ApiError::field(
            "file",
            format!(
                "파일이 너무 큽니다. {}MB 이하만 올릴 수 있습니다.",
                state.files.max_bytes / 1024 / 1024
            ),
        ))
        .unwrap_or_default();
        return Response::builder()
            .status(StatusCode::PAYLOAD_TOO_LARGE)
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .unwrap_or_default();
    }
    let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit as usize)));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin_of("http://127.0.0.1:3000/x?y").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            origin_of("https://Doongji.co.kr/").as_deref(),
            Some("https://doongji.co.kr")
        );
        assert_eq!(origin_of("null"), None);
    }

    #[test]
    fn policy_forbids_framing_and_foreign_scripts() {
        let p = content_security_policy(Some("abc"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("'nonce-abc'"));
        let script = p
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(
            !script.contains("'unsafe-eval'") && !script.contains("'unsafe-inline'"),
            "{script}"
        );
    }
}
