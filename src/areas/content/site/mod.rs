//! The public homepage's handlers: every page rendered on the server from the content (complete
//! HTML, no WASM) and cached with its brotli form until content changes; the inquiry form,
//! which works with and without JavaScript; the sitemap, robots.txt and the 404 page.

mod document;
mod views;

use self::document::Site;
use self::views::{self as pages, ContactForm, PostPage};
use super::service as content;
use super::store;
use crate::areas::inquiries::InquiryInput;
use crate::areas::inquiries::service::{self as inquiries, Received};
use crate::server::auth::handlers::client_ip;
use crate::server::db::now_utc;
use crate::server::error::AppError;
use crate::server::page_cache::CachedPage;
use crate::server::state::AppState;
use crate::server::web::pages::uncached_html;
use crate::server::web::routes::Routes;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use std::net::SocketAddr;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The public pages. The 404 page is [`fallback`], which the router puts behind everything.
pub fn routes() -> Routes {
    Routes::new()
        .get("/", home)
        .get("/about", about)
        .get("/services", services)
        .get("/portfolio", portfolio)
        .get("/news", news)
        .get("/news/{slug}", post)
        .get("/contact", contact)
        .post("/contact", submit_contact)
        .get("/privacy", privacy)
        .get("/sitemap.xml", sitemap)
        .get("/robots.txt", robots)
}

const POSTS_PER_PAGE: i64 = 9;

async fn site(state: &AppState) -> Result<Site, AppError> {
    let origin = state
        .settings
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_string();
    Ok(Site {
        company: content::company(&state.db).await?,
        origin,
        stylesheet: state.stylesheet.clone(),
        year: chrono::Utc::now()
            .with_timezone(&crate::server::time::seoul())
            .year(),
    })
}

fn accepts_br(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|e| e.trim().split(';').next() == Some("br"))
        })
}

fn html_response(status: StatusCode, page: &CachedPage, br: bool) -> Response {
    let mut res = if br {
        let mut r = (status, page.br.clone()).into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        r
    } else {
        (status, page.html.clone()).into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Browsers and CDNs revalidate: an edit shows at once.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    res
}

/// Serves `key` from the page cache, rendering and storing it on a miss.
async fn cached<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    key: &str,
    render: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, AppError>>,
{
    let br = accepts_br(headers);
    if let Some(page) = state.page_cache.get(key).await {
        return Ok(html_response(StatusCode::OK, &page, br));
    }
    let generation = state.page_cache.generation().await;
    let Some(html) = render().await? else {
        return not_found(state, key).await;
    };
    let page = tokio::task::spawn_blocking(move || CachedPage::new(html))
        .await
        .map_err(|e| AppError::internal(format!("compress page: {e}")))?;
    state.page_cache.put(key, page.clone(), generation).await;
    Ok(html_response(StatusCode::OK, &page, br))
}

async fn not_found(state: &AppState, path: &str) -> Result<Response, AppError> {
    let site = site(state).await?;
    Ok(uncached_html(
        StatusCode::NOT_FOUND,
        pages::not_found_page(&site, path),
    ))
}

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&state, &headers, "/", || async {
        let site = site(&state).await?;
        let (posts, _) = store::list_public_posts(&state.db, now_utc(), 3, 0).await?;
        let buildings = store::list_public_buildings(&state.db).await?.len();
        let posts = posts.iter().map(content::summary_of).collect();
        Ok(Some(pages::home_page(&site, posts, buildings)))
    })
    .await
}

/// A page that shows only company info and fixed text.
async fn company_page(
    state: &AppState,
    headers: &HeaderMap,
    key: &str,
    render: fn(&Site) -> String,
) -> Result<Response, AppError> {
    cached(state, headers, key, || async {
        Ok(Some(render(&site(state).await?)))
    })
    .await
}

pub async fn about(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    company_page(&state, &headers, "/about", pages::about_page).await
}

pub async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    company_page(&state, &headers, "/services", pages::services_page).await
}

pub async fn privacy(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    company_page(&state, &headers, "/privacy", pages::privacy_page).await
}

pub async fn portfolio(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    cached(&state, &headers, "/portfolio", || async {
        let site = site(&state).await?;
        let items = store::list_public_buildings(&state.db)
            .await?
            .iter()
            .map(content::portfolio_item)
            .collect();
        Ok(Some(pages::portfolio_page(&site, items)))
    })
    .await
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

pub async fn news(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    // Only a real page number makes a distinct cache entry; anything else is page 1 or 404.
    let page = match q.page.as_deref() {
        None | Some("") | Some("1") => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) if (2..=10_000).contains(&n) => n,
            _ => return not_found(&state, "/news").await,
        },
    };
    let key = if page == 1 {
        "/news".to_string()
    } else {
        format!("/news?page={page}")
    };
    cached(&state, &headers, &key, || async {
        let site = site(&state).await?;
        let (rows, total) = store::list_public_posts(
            &state.db,
            now_utc(),
            POSTS_PER_PAGE,
            (page - 1) * POSTS_PER_PAGE,
        )
        .await?;
        let pages_total = ((total + POSTS_PER_PAGE - 1) / POSTS_PER_PAGE).max(1);
        if page > pages_total {
            return Ok(None);
        }
        let posts = rows.iter().map(content::summary_of).collect();
        Ok(Some(pages::news_page(&site, posts, page, pages_total)))
    })
    .await
}

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    if super::validate_slug(&slug).is_err() {
        return not_found(&state, "/news").await;
    }
    let key = format!("/news/{slug}");
    cached(&state, &headers, &key, || async {
        let Some(row) = store::find_public_post(&state.db, &slug, now_utc()).await? else {
            return Ok(None);
        };
        let site = site(&state).await?;
        let page = PostPage {
            summary: content::summary_of(&row),
            body_html: super::markdown::render_markdown(&row.body_markdown),
            published_iso: row
                .published_at
                .with_timezone(&crate::server::time::seoul())
                .to_rfc3339(),
            modified_iso: row
                .updated_at
                .with_timezone(&crate::server::time::seoul())
                .to_rfc3339(),
        };
        Ok(Some(pages::post_page(&site, page)))
    })
    .await
}

#[derive(Deserialize)]
pub struct ContactQuery {
    sent: Option<String>,
}

pub async fn contact(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ContactQuery>,
) -> Result<Response, AppError> {
    let sent = q.sent.as_deref() == Some("1");
    let key = if sent { "/contact?sent=1" } else { "/contact" };
    cached(&state, &headers, key, || async {
        let form = ContactForm {
            sent,
            ..Default::default()
        };
        Ok(Some(pages::contact_page(&site(&state).await?, form)))
    })
    .await
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

const SENT_MESSAGE: &str = "문의가 접수되었습니다. 담당 매니저가 곧 연락드리겠습니다.";

/// `POST /contact`: stores a valid inquiry. Without JavaScript it answers with the page (errors
/// next to the fields, input kept) or a redirect to the thank-you state; `/contact.js` asks for
/// JSON and updates the page in place.
pub async fn submit_contact(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<InquiryInput>,
) -> Result<Response, AppError> {
    let js = wants_json(&headers);
    let ip = client_ip(&state, &headers, peer);
    match inquiries::receive(&state, ip, &input).await? {
        Received::Sent => Ok(sent_response(js)),
        Received::RateLimited(message) => {
            if js {
                return Ok(json(
                    StatusCode::TOO_MANY_REQUESTS,
                    serde_json::json!({"ok": false, "message": message}),
                ));
            }
            let form = ContactForm {
                values: input,
                rate_limited: Some(message),
                ..Default::default()
            };
            let html = pages::contact_page(&site(&state).await?, form);
            Ok(uncached_html(StatusCode::TOO_MANY_REQUESTS, html))
        }
        Received::Invalid(errors) => {
            if js {
                return Ok(json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    serde_json::json!({"ok": false, "message": "입력 내용을 확인해 주세요.", "errors": errors}),
                ));
            }
            let form = ContactForm {
                values: input,
                errors,
                ..Default::default()
            };
            let html = pages::contact_page(&site(&state).await?, form);
            Ok(uncached_html(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
    }
}

fn sent_response(js: bool) -> Response {
    if js {
        json(
            StatusCode::OK,
            serde_json::json!({"ok": true, "message": SENT_MESSAGE}),
        )
    } else {
        Redirect::to("/contact?sent=1").into_response()
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let origin = state
        .settings
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let now = now_utc();
    let (posts, _) = store::list_public_posts(&state.db, now, 50_000, 0).await?;
    let site_lastmod = posts.iter().map(|p| p.updated_at).max().unwrap_or(now);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |path: &str, lastmod: chrono::DateTime<chrono::Utc>| {
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&format!("{origin}{path}")),
            content::seoul_date(lastmod)
        ));
    };
    for path in [
        "/",
        "/about",
        "/services",
        "/portfolio",
        "/news",
        "/contact",
        "/privacy",
    ] {
        add(path, site_lastmod);
    }
    for p in &posts {
        add(&format!("/news/{}", p.slug), p.updated_at);
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let origin = state.settings.public_url.as_str().trim_end_matches('/');
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /platform\nDisallow: /api\n\nSitemap: {origin}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// Anything else: a static file from the site folder, or the Korean 404 page.
pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        let files = ServeDir::new(state.settings.site_root.as_str())
            .precompressed_br()
            .precompressed_gzip();
        let Ok(res) = files.oneshot(req).await;
        if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
            return res.into_response();
        }
    }
    match not_found(&state, &path).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}
