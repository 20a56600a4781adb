//! Shared UI pieces of the platform: error display, field errors, the not-found page, the
//! classes every page uses, and the lists' pieces (`list.rs`) and history (`history.rs`).

mod history;
mod list;

pub use history::HistoryList;
pub use list::{
    BuildingFilter, ExpiringFilter, ListFooter, ManagerFilter, SelectFilter, any_of, choices,
    use_list_query,
};

use crate::domain::ApiError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The classes of an error box and of a field's message (also used by `app::enhance`).
pub const ERROR_BOX: &str = "rounded-md bg-red-50 p-3 text-sm text-red-700";
pub const FIELD_ERROR: &str = "mt-1 block text-xs text-red-600";

/// A Korean error box for a failed server call.
#[component]
pub fn ErrorBox(error: ApiError) -> impl IntoView {
    let details = match &error {
        ApiError::Validation(fields) => fields.values().cloned().collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    view! {
        <div class=ERROR_BOX role="alert">
            <p>{error.to_string()}</p>
            <ul class="mt-1 list-disc pl-5">
                {details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The message for one field of a failed action, for display next to the field.
pub fn field_error<T, S>(
    value: S,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync
where
    S: With<Value = Option<Result<T, ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    move || {
        value.with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field_message(field))
        })
    }
}

/// The error of the server function at `path` that a plain form post (no JavaScript) just
/// returned, carried back in the page's address. `ServerAction::new()` reads it the same way;
/// this is for forms whose server function takes a file (multipart), which no action holds.
pub fn posted_error(path: &str) -> Option<ApiError> {
    use leptos::server_fn::error::ServerFnUrlError;
    use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| ServerFnUrlError::<ApiError>::decode_err(e.err()))
}

/// The classes of a text field in platform forms.
pub const INPUT: &str = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2";

/// A field's error message, shown under the field (inside its label: `app::enhance` puts the
/// messages of a form sent with JavaScript in the same place).
#[component]
pub fn FieldError(message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || message().map(|m| view! { <span class=FIELD_ERROR data-field-error="">{m}</span> })
}

/// The error box of a form: what went wrong, with a refusal's field messages listed too (a
/// field without its own `FieldError` still shows its message here). Put it inside the form:
/// `app::enhance` fills the same box when the form is sent with JavaScript.
pub fn action_error<T: Clone + Send + Sync + 'static>(
    value: impl Fn() -> Option<Result<T, ApiError>> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div data-form-error="">
            {move || match value() {
                Some(Err(e)) => Some(view! { <ErrorBox error=e /> }),
                _ => None,
            }}
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="페이지를 찾을 수 없습니다 | 둥지" />
        <main class="mx-auto max-w-xl px-6 py-24 text-center">
            <h1 class="text-3xl font-bold">"페이지를 찾을 수 없습니다"</h1>
            <p class="mt-4 text-slate-600">"주소가 바뀌었거나 없는 페이지입니다."</p>
            <a href="/" rel="external" class="mt-8 inline-block text-emerald-700 hover:underline">"홈으로 가기"</a>
        </main>
    }
}

/// What a page shows while its data loads.
pub const LOADING: &str = "불러오는 중…";
pub const BUTTON: &str =
    "rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800";
pub const CARD: &str = "mt-6 rounded-lg bg-white p-5 ring-1 ring-slate-200";
/// A filter field in a list's search bar.
pub const FILTER: &str = "mt-1 block rounded border border-slate-300 px-2 py-1";
/// The "조회" button that submits a list's search bar.
pub const FILTER_SUBMIT: &str = "rounded-md bg-emerald-700 px-3 py-1.5 font-semibold text-white";
pub const TABLE: &str = "mt-2 min-w-full rounded-lg bg-white text-sm ring-1 ring-slate-200";
pub const TH: &str = "px-3 py-2";
pub const TD: &str = "px-3 py-1.5";

/// Whether the signed-in user is staff (admin or manager), from the platform layout.
pub fn is_staff() -> bool {
    use_context::<StoredValue<crate::domain::UserDto>>()
        .is_some_and(|u| u.with_value(|u| u.role.is_staff()))
}

/// Whether the signed-in user is an admin, from the platform layout.
pub fn is_admin() -> bool {
    use_context::<StoredValue<crate::domain::UserDto>>()
        .is_some_and(|u| u.with_value(|u| u.role == crate::domain::Role::Admin))
}

/// The `:id` of the current route, 0 when missing or not a number.
pub fn param_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or_default()
        })
    }
}
