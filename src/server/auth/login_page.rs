//! `GET /login`: the sign-in form as a plain server-made page. It needs no JavaScript and loads
//! no WASM, so the first visit to the platform costs one small HTML page and the stylesheet;
//! the platform's bundle is fetched only after signing in.

use super::handlers::safe_next;
use crate::server::state::AppState;
use crate::server::web::pages::{escape, uncached_html};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    error: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    logged_out: String,
}

fn error_text(code: &str) -> Option<&'static str> {
    match code {
        "invalid" => Some("이메일 또는 비밀번호가 올바르지 않습니다."),
        "missing" => Some("이메일과 비밀번호를 모두 입력해 주세요."),
        "inactive" => Some("비활성화된 계정입니다. 관리자에게 문의해 주세요."),
        _ => None,
    }
}

pub async fn login_page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    // A query that does not read is ignored, not an error page.
    let q: LoginQuery = raw
        .and_then(|r| serde_urlencoded::from_str(&r).ok())
        .unwrap_or_default();
    let notice = if q.logged_out == "1" {
        r#"<p class="mt-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800" role="status">로그아웃되었습니다.</p>"#
    } else {
        ""
    };
    let alert = error_text(&q.error)
        .map(|e| {
            format!(r#"<p class="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-700" role="alert">{e}</p>"#)
        })
        .unwrap_or_default();
    // Only a platform path may be the target after signing in (no open redirect).
    let next = if q.next.is_empty() {
        String::new()
    } else {
        safe_next(&q.next).to_string()
    };
    let email: String = q.email.chars().take(254).collect();
    let body = format!(
        r#"<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>로그인 | 둥지 플랫폼</title><meta name="robots" content="noindex"/><link rel="stylesheet" href="{css}"/></head><body class="min-h-screen bg-slate-50 text-slate-800 antialiased"><main class="flex min-h-screen items-center justify-center px-4"><div class="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200"><h1 class="text-2xl font-bold text-slate-900">둥지 플랫폼 로그인</h1><p class="mt-1 text-sm text-slate-500">직원과 건물주를 위한 관리 플랫폼입니다.</p>{notice}{alert}<form method="post" action="/api/login" class="mt-6 space-y-4"><input type="hidden" name="next" value="{next}"/><div><label for="email" class="block text-sm font-medium">이메일</label><input id="email" name="email" type="email" autocomplete="username" required value="{email}" class="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"/></div><div><label for="password" class="block text-sm font-medium">비밀번호</label><input id="password" name="password" type="password" autocomplete="current-password" required class="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"/></div><button type="submit" class="w-full rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800">로그인</button></form><p class="mt-6 text-center text-sm"><a href="/" class="text-slate-500 hover:underline">← 홈페이지로</a></p></div></main></body></html>"#,
        css = escape(&state.stylesheet),
        next = escape(&next),
        email = escape(&email),
    );
    uncached_html(StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_errors_are_shown_and_text_is_escaped() {
        assert!(error_text("invalid").is_some());
        assert!(error_text("<script>").is_none());
        assert_eq!(escape(r#"a"<b>'"#), "a&quot;&lt;b&gt;&#39;");
    }
}
