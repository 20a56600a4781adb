//! `/platform/inquiries`: the inbox of homepage inquiries, with status, assignee and notes.

use super::InquiryStatus;
use super::api::{UpdateInquiry, list_inquiries};
use crate::app::ui::ErrorBox;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InquiriesPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let update = ServerAction::<UpdateInquiry>::new();
    let inbox = Resource::new(
        move || (status(), update.version().get()),
        |(s, _)| list_inquiries(s),
    );
    let tab = move |value: &'static str, label: &'static str| {
        let href = if value.is_empty() {
            "/platform/inquiries".to_string()
        } else {
            format!("/platform/inquiries?status={value}")
        };
        view! {
            <A href=href attr:class=move || if status() == value { "rounded px-3 py-1 bg-slate-800 text-white" } else { "rounded px-3 py-1 hover:bg-slate-200" }>
                {label}
            </A>
        }
    };
    view! {
        <Title text="문의함 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"문의함"</h1>
        <nav class="mt-4 flex gap-2 text-sm" aria-label="상태별 보기">
            {tab("", "전체")}
            {InquiryStatus::ALL.iter().map(|s| tab(s.as_str(), s.label_ko())).collect_view()}
        </nav>
        {move || update.value().get().and_then(|r| r.err()).map(|e| view! { <div class="mt-4"><ErrorBox error=e /></div> })}
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(inbox) if inbox.items.is_empty() => view! { <p class="mt-6 text-slate-600">"문의가 없습니다."</p> }.into_any(),
                    Ok(inbox) => {
                        let staff = inbox.staff;
                        view! {
                            <ul class="mt-6 space-y-4">
                                {inbox.items.into_iter().map(|i| {
                                    let staff = staff.clone();
                                    view! {
                                        <li class="rounded-lg bg-white p-5 ring-1 ring-slate-200" data-inquiry=i.email.clone()>
                                            <div class="flex flex-wrap items-baseline justify-between gap-2">
                                                <p class="font-semibold">{format!("{} {}", i.name, if i.company.is_empty() { String::new() } else { format!("({})", i.company) })}</p>
                                                <p class="text-sm text-slate-500">{i.created_at.clone()}" · "<span data-testid="inquiry-status">{i.status.label_ko()}</span></p>
                                            </div>
                                            <p class="mt-1 text-sm text-slate-600">{format!("{} · {} · {}", i.phone, i.email, i.area)}</p>
                                            <p class="mt-3 whitespace-pre-line">{i.message.clone()}</p>
                                            <ActionForm action=update attr:class="mt-4 grid gap-3 sm:grid-cols-4">
                                                <input type="hidden" name="id" value=i.id.to_string() />
                                                <label class="text-sm">"상태"
                                                    <select name="status" class="mt-1 w-full rounded border border-slate-300 px-2 py-1">
                                                        {InquiryStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == i.status>{s.label_ko()}</option> }).collect_view()}
                                                    </select>
                                                </label>
                                                <label class="text-sm">"담당자"
                                                    <select name="assignee_id" class="mt-1 w-full rounded border border-slate-300 px-2 py-1">
                                                        <option value="" selected=i.assignee_id.is_none()>"미지정"</option>
                                                        {staff.into_iter().map(|s| view! { <option value=s.id.to_string() selected=i.assignee_id == Some(s.id)>{s.name}</option> }).collect_view()}
                                                    </select>
                                                </label>
                                                <label class="text-sm sm:col-span-2">"메모"
                                                    <textarea name="notes" rows="2" class="mt-1 w-full rounded border border-slate-300 px-2 py-1">{i.notes.clone()}</textarea>
                                                </label>
                                                <div class="sm:col-span-4">
                                                    <button type="submit" class="rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-emerald-800">"저장"</button>
                                                </div>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
