//! `/platform/admin/audit`: the audit log, filtered by entity, user and record number.

use super::api::list_audit;
use super::{AUDIT_ENTITIES, action_label, entity_label};
use crate::app::ui::{
    ErrorBox, FILTER, FILTER_SUBMIT, LOADING, ListFooter, ManagerFilter, SelectFilter, TABLE, TH,
    any_of, use_list_query,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_list_query();
    let entries = Resource::new(move || query.get(), list_audit);
    let q0 = query.get_untracked();
    view! {
        <Title text="감사 로그 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"감사 로그"</h1>
        <p class="text-sm text-slate-600">"플랫폼에서 일어난 모든 생성·수정·삭제 기록입니다."</p>
        <form method="get" action="/platform/admin/audit" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <SelectFilter label="대상" field="entity" selected=q0.entity.clone() options=any_of(AUDIT_ENTITIES) />
            <ManagerFilter selected=q0.user_id staff_only=true field="user_id" label="사용자" />
            <label>"대상 번호"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE data-testid="audit">
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class="px-3 py-2 whitespace-nowrap">"일시"</th><th class="px-3 py-2 whitespace-nowrap">"사용자"</th><th class="px-3 py-2 whitespace-nowrap">"대상"</th><th class="px-3 py-2 whitespace-nowrap">"작업"</th><th class=TH>"변경 전 → 후"</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|a| view! {
                                    <tr class="border-t border-slate-100 align-top">
                                        <td class="px-3 py-1.5 whitespace-nowrap">{a.at}</td>
                                        <td class="px-3 py-1.5 whitespace-nowrap">{a.user_name.unwrap_or_else(|| "-".into())}</td>
                                        <td class="px-3 py-1.5 whitespace-nowrap">{format!("{} #{}", entity_label(&a.entity), a.entity_id)}</td>
                                        <td class="px-3 py-1.5 whitespace-nowrap">{action_label(&a.action).to_string()}</td>
                                        <td class="px-3 py-1.5 font-mono text-xs break-all">
                                            {a.before.map(|b| view! { <p class="text-slate-500">{b}</p> })}
                                            {a.after.map(|b| view! { <p>{b}</p> })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/admin/audit" export="audit" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The dashboard's "최근 활동": lease and contract changes in words, newest first.
#[component]
pub fn RecentActivity() -> impl IntoView {
    let lines = Resource::new(|| (), |_| super::api::recent_activity());
    view! {
        <section class="mt-8 max-w-3xl" data-testid="recent-activity">
            <h2 class="text-lg font-semibold">"최근 활동"</h2>
            <Transition fallback=|| view! { <p class="mt-2">{LOADING}</p> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Err(e) => view! { <div class="mt-2"><ErrorBox error=e /></div> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="mt-2 text-sm text-slate-500">"아직 기록된 활동이 없습니다."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm">
                                {list.into_iter().map(|a| view! {
                                    <li class="flex gap-3 px-3 py-2">
                                        <span class="whitespace-nowrap text-slate-500">{a.at}</span>
                                        {match a.href {
                                            Some(href) => view! { <a href=href class="text-sky-700 hover:underline">{a.summary}</a> }.into_any(),
                                            None => view! { <span>{a.summary}</span> }.into_any(),
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
