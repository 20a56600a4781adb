//! Plain form posts (no JavaScript) to server functions. The server function answers with a
//! redirect back to the page (the `Referer`), adding a refusal to that address as
//! `__path`/`__err`. A page that already shows an earlier refusal carries those in its own
//! address, and the new ones would be appended after them and the earlier one read first; so
//! they are taken off the `Referer` before the server function sees it. The empty `?` that the
//! server function leaves when it takes them off itself is dropped from the redirect too.
//!
//! `__err` is not signed: a link from another site could put any text in a page's error box.
//! A page reached from elsewhere (`Sec-Fetch-Site` other than `same-origin`) is sent to its
//! address without them; the redirect after a form is same-origin and keeps them.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderValue, Method, header};

pub async fn refusals_in_addresses(mut req: Request, next: Next) -> Response {
    if req.method() == Method::GET
        && req.uri().path().starts_with("/platform")
        && req
            .headers()
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() != b"same-origin")
        && let Some(query) = req.uri().query()
        && let Some(cleaned) = without_refusal(&format!("http://x/?{query}"))
    {
        let query = cleaned.trim_start_matches("http://x/");
        let to = format!("{}{query}", req.uri().path());
        return Redirect::to(&to).into_response();
    }
    let form_post = req.method() == Method::POST && req.uri().path().starts_with("/api/");
    if form_post
        && let Some(cleaned) = req
            .headers()
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(without_refusal)
        && let Ok(value) = HeaderValue::from_str(&cleaned)
    {
        req.headers_mut().insert(header::REFERER, value);
    }
    let mut res = next.run(req).await;
    if form_post
        && let Some(to) = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
        && let Some(trimmed) = to.strip_suffix('?')
        && let Ok(value) = HeaderValue::from_str(trimmed)
    {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// `referer` without `__path`/`__err`, or `None` when it has neither (or does not parse).
fn without_refusal(referer: &str) -> Option<String> {
    let mut url = url::Url::parse(referer).ok()?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !pairs.iter().any(|(k, _)| k == "__path" || k == "__err") {
        return None;
    }
    let kept: Vec<_> = pairs
        .into_iter()
        .filter(|(k, _)| k != "__path" && k != "__err")
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::without_refusal;

    #[test]
    fn an_earlier_refusal_leaves_the_address_and_filters_stay() {
        assert_eq!(
            without_refusal("http://h/platform/tenants?__path=%2Fapi%2Fx&__err=abc").as_deref(),
            Some("http://h/platform/tenants")
        );
        assert_eq!(
            without_refusal("http://h/platform/leases?building_id=3&__path=p&__err=e&q=%EA%B9%80")
                .as_deref(),
            Some("http://h/platform/leases?building_id=3&q=%EA%B9%80")
        );
        assert_eq!(
            without_refusal("http://h/platform/leases?building_id=3"),
            None
        );
        assert_eq!(without_refusal("not a url"), None);
    }
}
