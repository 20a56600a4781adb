//! The pieces every list page shares: the query in the URL, the footer with paging and the XLSX
//! export, and the filter bar's fields, with the two server functions that fill the building
//! and staff choices.

use super::FILTER;
use crate::domain::ApiError;
use crate::domain::list::{ListQuery, NamedRef};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::context::{fail, require_role, require_user, state};

/// The buildings the user may see, by name, for the lists' building filter.
#[server(endpoint = "buildings/options")]
pub async fn building_options() -> Result<Vec<NamedRef>, ApiError> {
    let me = require_user()?;
    me.scope().buildings(&state()?.db).await.map_err(fail)
}

/// Staff names for the lists' "담당자" filter.
#[server(endpoint = "users/staff")]
pub async fn staff_choices() -> Result<Vec<NamedRef>, ApiError> {
    require_role(&crate::domain::Role::STAFF)?;
    crate::server::db::users::active_staff(&state()?.db)
        .await
        .map_err(fail)
}

/// The list query in the current URL (search, filters, sort, page).
pub fn use_list_query() -> Memo<ListQuery> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| query.with(|q| ListQuery::from_params(|k| q.get(k))))
}

/// "n건 · p/q쪽", previous/next links that keep the filters, and the XLSX export of the same
/// filters (`export`: the list's name under `/platform/export/`).
#[component]
pub fn ListFooter(
    base: &'static str,
    export: &'static str,
    query: ListQuery,
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

/// A list filter choosing one record by name; `field` is the URL parameter.
#[component]
fn ChoiceFilter(
    label: &'static str,
    field: &'static str,
    selected: Option<i64>,
    choices: Resource<Result<Vec<NamedRef>, ApiError>>,
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
        let choices = Resource::new(|| (), |_| staff_choices());
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
    let choices = Resource::new(|| (), |_| building_options());
    view! { <ChoiceFilter label="건물" field="building_id" selected choices /> }
}
