//! The platform's one always-present island. Pages are rendered on the server only; their forms
//! post to server functions (`/api/…`) and work without JavaScript: the server redirects back to
//! the page, with a failed call's error in the URL for the page to show next to its fields.
//!
//! Once the WASM has loaded, [`Enhanced`] sends the same forms with `fetch` instead, so a refused
//! form keeps what was typed: field messages appear under their fields and any other error in the
//! form's error box, in the same markup the server renders. After a success the page is loaded
//! again (or the server's redirect followed), so it shows the saved data and the server's
//! one-time message (`server::context::flash`).

use leptos::prelude::*;

/// Wraps the platform's page content. It also marks `<body data-hydrated="true">` once the
/// islands are live (browser tests wait for it).
#[island]
pub fn Enhanced(children: Children) -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <div on:submit=|ev: web_sys::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            client::submit(ev);
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }>{children()}</div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::super::ui::{ERROR_BOX, FIELD_ERROR};
    use crate::domain::ApiError;
    use leptos::prelude::{document, window};
    use leptos::server_fn::Bytes;
    use leptos::server_fn::redirect::REDIRECT_HEADER;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Element, FormData, Headers, HtmlFormElement, RequestInit, Response, SubmitEvent,
        UrlSearchParams,
    };

    /// What to do after the server accepted the form.
    enum Next {
        Reload,
        Go(String),
    }

    pub fn submit(ev: SubmitEvent) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if ev.default_prevented() {
            return; // an island inside handles its own form
        }
        let action = form.get_attribute("action").unwrap_or_default();
        if !form.method().eq_ignore_ascii_case("post") || !action.starts_with("/api/") {
            return;
        }
        ev.prevent_default();
        if form.get_attribute("aria-busy").as_deref() == Some("true") {
            return; // already on its way: a double click sends once
        }
        let Ok(data) = FormData::new_with_form(&form) else {
            return;
        };
        let multipart = form.enctype().eq_ignore_ascii_case("multipart/form-data");
        busy(&form, true);
        leptos::task::spawn_local(async move {
            match send(&action, &data, multipart).await {
                Ok(next) => {
                    // A page restored from the back/forward cache must not find the form busy.
                    busy(&form, false);
                    match next {
                        Next::Go(to) => {
                            let _ = window().location().assign(&to);
                        }
                        Next::Reload => reload(),
                    }
                }
                Err(e) => {
                    show(&form, &e);
                    busy(&form, false);
                }
            }
        });
    }

    fn transport(e: JsValue) -> ApiError {
        let detail = e
            .dyn_ref::<web_sys::js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "연결이 끊겼습니다".to_string());
        ApiError::Transport(detail)
    }

    async fn send(url: &str, data: &FormData, multipart: bool) -> Result<Next, ApiError> {
        let init = RequestInit::new();
        init.set_method("POST");
        let headers = Headers::new().map_err(transport)?;
        headers
            .set("Accept", "application/json")
            .map_err(transport)?;
        init.set_headers(&headers);
        if multipart {
            init.set_body(data);
        } else {
            let pairs: &JsValue = data.as_ref();
            let params =
                UrlSearchParams::new_with_str_sequence_sequence(pairs).map_err(transport)?;
            init.set_body(&params);
        }
        let res: Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
            .await
            .map_err(transport)?
            .unchecked_into();
        if res.ok() {
            let headers = res.headers();
            if headers.has(REDIRECT_HEADER).unwrap_or(false)
                && let Ok(Some(to)) = headers.get("location")
            {
                return Ok(Next::Go(to));
            }
            return Ok(Next::Reload);
        }
        let body = JsFuture::from(res.text().map_err(transport)?)
            .await
            .map_err(transport)?
            .as_string()
            .unwrap_or_default();
        Err(refusal(res.status(), body))
    }

    /// The server's refusal: its JSON error when it sent one, else what the status means (a
    /// proxy's error page, the same-origin check's page).
    fn refusal(status: u16, body: String) -> ApiError {
        if let Some(e) = decode_api_error(&body) {
            return e;
        }
        match status {
            401 => ApiError::Unauthorized,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            413 => ApiError::BadInput(
                "보내려는 내용이 너무 큽니다. 파일 크기를 확인해 주세요.".to_string(),
            ),
            429 => ApiError::TooMany("요청이 너무 잦습니다. 잠시 후 다시 시도해 주세요.".into()),
            s if s >= 500 => ApiError::Unavailable,
            s => ApiError::Transport(format!("HTTP {s}")),
        }
    }

    /// The error as the server encodes it (`ApiError`'s JSON), when the body is one.
    fn decode_api_error(body: &str) -> Option<ApiError> {
        use leptos::server_fn::Decodes;
        use leptos::server_fn::codec::JsonEncoding;
        <JsonEncoding as Decodes<ApiError>>::decode(Bytes::from(body.to_string())).ok()
    }

    /// Loads the page again, without the error of an earlier plain form post in its address.
    /// A fresh load, not `reload()`: some browsers fill a reloaded form in again.
    fn reload() {
        let location = window().location();
        let href = location.href().unwrap_or_default();
        let Ok(url) = web_sys::Url::new(&href) else {
            let _ = location.reload();
            return;
        };
        let params = url.search_params();
        params.delete("__err");
        params.delete("__path");
        url.set_hash("");
        let _ = location.replace(&url.href());
    }

    fn elements(form: &HtmlFormElement, selector: &str) -> Vec<Element> {
        let Ok(list) = form.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    /// Disables the form's buttons while it is sent; a button's `data-busy-label` is shown
    /// meanwhile ("올리는 중…").
    fn busy(form: &HtmlFormElement, on: bool) {
        let _ = if on {
            form.set_attribute("aria-busy", "true")
        } else {
            form.remove_attribute("aria-busy")
        };
        for button in elements(form, "button[type=submit]") {
            if on {
                let _ = button.set_attribute("disabled", "");
                if let Some(label) = button.get_attribute("data-busy-label") {
                    let _ = button
                        .set_attribute("data-label", &button.text_content().unwrap_or_default());
                    button.set_text_content(Some(&label));
                }
            } else {
                let _ = button.remove_attribute("disabled");
                if let Some(label) = button.get_attribute("data-label") {
                    button.set_text_content(Some(&label));
                }
            }
        }
    }

    /// Where a field's message goes: inside the field's label (as the server renders it), else
    /// beside the field.
    fn field_slot(form: &HtmlFormElement, name: &str) -> Option<Element> {
        let selector = format!("[name=\"{}\"]", name.replace(['"', '\\'], ""));
        let field = form.query_selector(&selector).ok().flatten()?;
        field
            .closest("label")
            .ok()
            .flatten()
            .or_else(|| field.parent_element())
    }

    fn element(tag: &str, class: &str, text: Option<&str>) -> Option<Element> {
        let el = document().create_element(tag).ok()?;
        el.set_class_name(class);
        el.set_text_content(text);
        Some(el)
    }

    fn show(form: &HtmlFormElement, error: &ApiError) {
        for old in elements(form, "[data-field-error]") {
            old.remove();
        }
        let mut unplaced = Vec::new();
        if let ApiError::Validation(fields) = error {
            for (name, message) in fields {
                match (
                    field_slot(form, name),
                    element("span", FIELD_ERROR, Some(message)),
                ) {
                    (Some(slot), Some(span)) => {
                        let _ = span.set_attribute("data-field-error", "");
                        let _ = slot.append_child(&span);
                    }
                    _ => unplaced.push(message.clone()),
                }
            }
        }
        let slot = match form.query_selector("[data-form-error]").ok().flatten() {
            Some(slot) => slot,
            None => {
                let Some(slot) = element("div", "mt-2", None) else {
                    return;
                };
                let _ = slot.set_attribute("data-form-error", "");
                let _ = form.append_child(&slot);
                slot
            }
        };
        slot.set_inner_html("");
        let Some(alert) = element("div", ERROR_BOX, None) else {
            return;
        };
        let _ = alert.set_attribute("role", "alert");
        if let Some(p) = element("p", "", Some(&error.to_string())) {
            let _ = alert.append_child(&p);
        }
        if let Some(list) = element("ul", "mt-1 list-disc pl-5", None) {
            for message in unplaced {
                if let Some(li) = element("li", "", Some(&message)) {
                    let _ = list.append_child(&li);
                }
            }
            let _ = alert.append_child(&list);
        }
        let _ = slot.append_child(&alert);
    }
}
