//! HTTP infrastructure: the Leptos options, the middleware layers every request passes, health,
//! metrics, security headers, error pages, and what download handlers and upload forms share.
//! The router itself is assembled in `startup.rs`, which knows the areas.

pub mod download;
pub mod forms;
pub mod health;
pub mod metrics;
pub mod multipart;
pub mod pages;
pub mod routes;
pub mod security;

use crate::server::auth::middleware as auth_mw;
use crate::server::config::Settings;
use crate::server::state::AppState;
use axum::Router;
use axum::http::Request;
use leptos::config::LeptosOptions;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The Leptos options for this run: output name and site folder, and whether cargo-leptos left
/// a hash file beside the binary (hashed asset names).
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    let hash_file_present = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| p.exists());
    let env = if std::env::var("LEPTOS_ENV").is_ok_and(|v| v.eq_ignore_ascii_case("DEV")) {
        leptos::config::Env::DEV
    } else {
        leptos::config::Env::PROD
    };
    LeptosOptions::builder()
        .output_name("doongji")
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(settings.bind_addr)
        .hash_files(hash_file_present)
        .env(env)
        .build()
}

/// The layers every request passes, outermost last: request id and trace span, compression,
/// security headers, body limits, the same-origin check for POSTs, the session, and the
/// refusals that plain form posts carry in addresses (`forms.rs`), and the announcement of new
/// queue work after a change.
pub fn layers(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            announce_work,
        ))
        .layer(axum::middleware::from_fn(forms::refusals_in_addresses))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth_mw::resolve_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::same_origin_only,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::body_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::security_headers,
        ))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let request_id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    request_id = %request_id,
                    method = %req.method(),
                    path = %req.uri().path(),
                    user_id = tracing::field::Empty,
                )
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// After a change that went through (a POST answered below 400), wakes the queue's workers: the
/// change may have written domain events. A wasted wake-up costs one indexed look.
async fn announce_work(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let post = req.method() == axum::http::Method::POST;
    let response = next.run(req).await;
    if post && response.status().as_u16() < 400 {
        state.queue.announce(&state);
    }
    response
}
