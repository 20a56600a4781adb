//! `/platform/inquiries`: the inbox of homepage inquiries, with status, assignee and notes,
//! 50 a page, the likely spam kept apart under its own tab.

use super::InquiryStatus;
use super::api::{UpdateInquiry, list_inquiries};
use crate::app::ui::ErrorBox;
use crate::app::ui::use_list_query;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn InquiriesPage() -> impl IntoView {
    let query = use_list_query();
    let status = move || query.with(|q| q.status.clone());
    let update = ServerAction::<UpdateInquiry>::new();
    let inbox = Resource::new(move || query.get(), list_inquiries);
    let page_link = move |p: u32| {
        let qs = query.with_untracked(|q| q.to_query_string(p));
        if qs.is_empty() {
            "/platform/inquiries".to_string()
        } else {
            format!("/platform/inquiries?{qs}")
        }
    };
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
            {tab("spam", "스팸 의심")}
        </nav>
        <form method="get" action="/platform/inquiries" class="mt-3 flex gap-2 text-sm">
            <input type="hidden" name="status" value=status />
            <input name="q" type="search" placeholder="이름·회사·연락처·내용 검색" maxlength="100" value=move || query.with(|q| q.q.clone()) class="w-64 rounded border border-slate-300 px-2 py-1" />
            <button type="submit" class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">"검색"</button>
        </form>
        {move || update.value().get().and_then(|r| r.err()).map(|e| view! { <div class="mt-4"><ErrorBox error=e /></div> })}
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(inbox) if inbox.page.rows.is_empty() => view! { <p class="mt-6 text-slate-600">"문의가 없습니다."</p> }.into_any(),
                    Ok(inbox) => {
                        let staff = inbox.staff;
                        let (total, page, pages) = (inbox.page.total, inbox.page.page, inbox.page.pages);
                        view! {
                            <ul class="mt-6 space-y-4">
                                {inbox.page.rows.into_iter().map(|i| {
                                    let staff = staff.clone();
                                    view! {
                                        <li class="rounded-lg bg-white p-5 ring-1 ring-slate-200" data-inquiry=i.email.clone()>
                                            <div class="flex flex-wrap items-baseline justify-between gap-2">
                                                <p class="font-semibold">{format!("{} {}", i.name, if i.company.is_empty() { String::new() } else { format!("({})", i.company) })}</p>
                                                <p class="text-sm text-slate-500">{i.created_at.clone()}" · "<span data-testid="inquiry-status">{i.status.label_ko()}</span></p>
                                            </div>
                                            <p class="mt-1 text-sm text-slate-600">{format!("{} · {} · {}", i.phone, i.email, i.area)}</p>
                                            {(!i.spam_reason.is_empty()).then(|| view! {
                                                <p class="mt-2 inline-block rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800" data-testid="spam-reason">{format!("스팸 의심: {}", i.spam_reason)}</p>
                                            })}
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
                                                <label class="flex items-center gap-2 text-sm sm:col-span-4">
                                                    <input type="checkbox" name="spam" value="on" checked=!i.spam_reason.is_empty() />
                                                    "스팸 (문의함 목록에서 빼고 '스팸 의심'에 둡니다)"
                                                </label>
                                                <div class="sm:col-span-4">
                                                    <button type="submit" class="rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-emerald-800">"저장"</button>
                                                </div>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <div class="mt-4 flex items-center gap-4 text-sm">
                                <span class="text-slate-600" data-testid="list-total">{format!("{}건 · {}/{}쪽", crate::domain::money::group_thousands(total), page, pages)}</span>
                                {(page > 1).then(|| view! { <A href=page_link(page - 1) attr:class="underline">"이전 쪽"</A> })}
                                {(page < pages).then(|| view! { <A href=page_link(page + 1) attr:class="underline">"다음 쪽"</A> })}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
