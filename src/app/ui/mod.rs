//! Shared UI pieces: error display, not-found page.

use crate::domain::ApiError;
use leptos::prelude::*;
use leptos_meta::Title;

/// A Korean error box for a failed server call.
#[component]
pub fn ErrorBox(error: ApiError) -> impl IntoView {
    let details = match &error {
        ApiError::Validation(fields) => fields.values().cloned().collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    view! {
        <div class="rounded-md bg-red-50 p-3 text-sm text-red-700" role="alert">
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

/// The classes of a text field in platform forms.
pub const INPUT: &str = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2";

/// A field's error message, shown under the field.
#[component]
pub fn FieldError(message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || message().map(|m| view! { <span class="mt-1 block text-xs text-red-600">{m}</span> })
}

/// The error of an action that belongs to no field (conflicts, refusals, outages); field
/// errors are shown next to their fields instead.
pub fn action_error<T: Clone + Send + Sync + 'static>(
    value: impl Fn() -> Option<Result<T, ApiError>> + Send + Sync + 'static,
) -> impl IntoView {
    move || match value() {
        Some(Err(e)) if !matches!(e, ApiError::Validation(_)) => {
            Some(view! { <ErrorBox error=e /> })
        }
        _ => None,
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

/// The list query in the current URL (search, filters, sort, page).
pub fn use_list_query() -> Memo<crate::domain::leasing::ListQuery> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| query.with(|q| crate::domain::leasing::ListQuery::from_params(|k| q.get(k))))
}

/// "n건 · p/q쪽", previous/next links that keep the filters, and the XLSX export of the same
/// filters (`export`: the list's name under `/platform/export/`).
#[component]
pub fn ListFooter(
    base: &'static str,
    export: &'static str,
    query: crate::domain::leasing::ListQuery,
    total: i64,
    page: u32,
    pages: u32,
) -> impl IntoView {
    use leptos_router::components::A;
    let link = {
        let query = query.clone();
        move |p: u32| {
            let qs = query.to_query_string(p);
            if qs.is_empty() {
                base.to_string()
            } else {
                format!("{base}?{qs}")
            }
        }
    };
    let export_href = format!("/platform/export/{export}?{}", query.to_query_string(0));
    view! {
        <div class="mt-3 flex flex-wrap items-center gap-4 text-sm">
            <span class="text-slate-600" data-testid="list-total">{format!("{}건 · {}/{}쪽", crate::domain::money::group_thousands(total), page, pages)}</span>
            {(page > 1).then(|| view! { <A href=link(page - 1) attr:class="underline">"이전 쪽"</A> })}
            {(page < pages).then(|| view! { <A href=link(page + 1) attr:class="underline">"다음 쪽"</A> })}
            <a href=export_href rel="external" download="" class="ml-auto rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">"엑셀로 내려받기"</a>
        </div>
    }
}

/// Files attached to a record: download links, and for staff an upload form and delete
/// buttons. `changed` is bumped after every upload or delete so the page reloads its data.
#[component]
pub fn FilesSection(
    owner_kind: &'static str,
    owner_id: i64,
    files: Vec<crate::domain::records::FileDto>,
    can_edit: bool,
    changed: RwSignal<u32>,
) -> impl IntoView {
    use crate::api::records::{DeleteFile, upload_file};
    use web_sys::{FormData, HtmlFormElement, SubmitEvent};
    let upload = Action::new_local(|data: &FormData| upload_file(data.clone().into()));
    let remove = ServerAction::<DeleteFile>::new();
    let uploading = upload.pending();
    Effect::new(move |_| {
        if let Some(Ok(_)) = upload.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<HtmlFormElement>(t).ok())
        else {
            return;
        };
        if let Ok(data) = FormData::new_with_form(&form) {
            upload.dispatch_local(data);
            form.reset();
        }
    };
    let empty = files.is_empty();
    view! {
        <section class=CARD aria-labelledby=format!("files-{owner_kind}")>
            <h2 id=format!("files-{owner_kind}") class="text-lg font-semibold">"첨부 파일"</h2>
            {empty.then(|| view! { <p class="mt-2 text-sm text-slate-600">"첨부 파일이 없습니다."</p> })}
            <ul class="mt-3 space-y-2 text-sm" data-testid="files">
                {files.into_iter().map(|f| {
                    let id = f.id;
                    let href = format!("/platform/files/{id}");
                    view! {
                        <li class="flex flex-wrap items-center gap-3">
                            {f.is_image().then(|| view! { <img src=format!("{href}?inline=1") alt=f.name.clone() class="h-16 w-24 rounded object-cover ring-1 ring-slate-200" loading="lazy" /> })}
                            <a href=href.clone() rel="external" download=f.name.clone() class="font-medium text-emerald-800 hover:underline">{f.name.clone()}</a>
                            <span class="text-slate-500">{format!("{} · {} · {}", f.size_label(), f.uploaded_at, f.uploaded_by.clone().unwrap_or_default())}</span>
                            {can_edit.then(|| view! {
                                <ActionForm action=remove attr:class="inline">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <button type="submit" class="text-xs text-red-700 underline" aria-label=format!("{} 삭제", f.name)>"삭제"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <form class="mt-4 flex flex-wrap items-end gap-3" on:submit=on_submit>
                    <input type="hidden" name="owner_kind" value=owner_kind />
                    <input type="hidden" name="owner_id" value=owner_id.to_string() />
                    <label class="text-sm">"파일 (PDF, PNG, JPEG, WebP)"
                        <input type="file" name="file" required accept="application/pdf,image/png,image/jpeg,image/webp" class="mt-1 block text-sm" />
                    </label>
                    <button type="submit" class=BUTTON disabled=move || uploading.get()>
                        {move || if uploading.get() { "올리는 중…" } else { "파일 올리기" }}
                    </button>
                </form>
                <div class="mt-2" data-testid="upload-error">
                    {move || match upload.value().get() {
                        Some(Err(e)) => Some(view! { <ErrorBox error=e /> }),
                        _ => None,
                    }}
                    {action_error(move || remove.value().get())}
                </div>
            })}
        </section>
    }
}

/// A list filter choosing one record by name; `field` is the URL parameter.
#[component]
fn ChoiceFilter(
    label: &'static str,
    field: &'static str,
    selected: Option<i64>,
    choices: Resource<Result<Vec<crate::domain::records::NamedRef>, crate::domain::ApiError>>,
) -> impl IntoView {
    view! {
        <label>{label}
            <Suspense fallback=move || view! { <select name=field class=FILTER><option value="">"전체"</option></select> }>
                {move || Suspend::new(async move {
                    let list = choices.await.unwrap_or_default();
                    view! {
                        <select name=field class=FILTER>
                            <option value="">"전체"</option>
                            {list.into_iter().map(|s| view! { <option value=s.id.to_string() selected=selected == Some(s.id)>{s.name}</option> }).collect_view()}
                        </select>
                    }
                })}
            </Suspense>
        </label>
    }
}

/// The "담당자" filter of a list (`manager_id`): staff see a choice of staff names; clients
/// see nothing. With `field` = `user_id` it is the audit log's user filter.
#[component]
pub fn ManagerFilter(
    selected: Option<i64>,
    staff_only: bool,
    #[prop(default = "manager_id")] field: &'static str,
    #[prop(default = "담당자")] label: &'static str,
) -> impl IntoView {
    staff_only.then(|| {
        let choices = Resource::new(|| (), |_| crate::api::records::staff_choices());
        view! { <ChoiceFilter label field selected choices /> }
    })
}

/// A list filter with fixed choices: `options` are (URL value, Korean label); the one whose value
/// is `selected` is shown, else the first.
#[component]
pub fn SelectFilter(
    label: &'static str,
    field: &'static str,
    selected: String,
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <label>{label}
            <select name=field class=FILTER>
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let on = v == selected;
                        view! { <option value=v selected=on>{l}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Fixed (value, label) choices for a [`SelectFilter`].
pub fn choices(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// "전체" (no filter) followed by `items`, for a [`SelectFilter`] over statuses.
pub fn any_of<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    std::iter::once(("", "전체"))
        .chain(items)
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// The "만료 예정" filter of a list (`expiring_days`): ending within 30, 60, 90 or 180 days.
#[component]
pub fn ExpiringFilter(selected: Option<u32>) -> impl IntoView {
    let options = std::iter::once((String::new(), "전체".to_string()))
        .chain([30u32, 60, 90, 180].map(|d| (d.to_string(), format!("{d}일 이내"))))
        .collect();
    let selected = selected.map(|d| d.to_string()).unwrap_or_default();
    view! { <SelectFilter label="만료 예정" field="expiring_days" selected options /> }
}

/// The building filter of a list (`building_id`): the buildings the user may see.
#[component]
pub fn BuildingFilter(selected: Option<i64>) -> impl IntoView {
    let choices = Resource::new(|| (), |_| crate::api::records::building_options());
    view! { <ChoiceFilter label="건물" field="building_id" selected choices /> }
}
