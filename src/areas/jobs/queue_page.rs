//! `/platform/admin/queue` (작업 대기열): the work that follows domain events, per consumer, and
//! the failed and dead items with "다시 시도".

use super::api::{RetryWork, queue_overview};
use super::{ConsumerCounts, WorkItemDto};
use crate::app::ui::{BUTTON, ErrorBox, LOADING, TABLE, TD, TH, action_error};
use crate::domain::money::group_thousands;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QueuePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| queue_overview());
    let retry = ServerAction::<RetryWork>::new();
    view! {
        <Title text="작업 대기열 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"작업 대기열"</h1>
        <p class="mt-1 text-sm text-slate-600">
            "임대·계약 등의 변경이 저장되면 그 뒤에 할 일(활동 기록, 알림, 메시지)이 여기에서 처리됩니다. 실패한 항목은 점점 긴 간격으로 다시 시도하고, 8번 실패하면 중단되어 관리자가 다시 시도할 때까지 기다립니다."
        </p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(q) => {
                        let dead: i64 = q.consumers.iter().map(|c| c.dead).sum();
                        view! {
                            <p class="mt-4 text-sm" data-testid="queue-undispatched">
                                {format!("처리기로 넘기기 전인 변경: {}건", group_thousands(q.undispatched))}
                            </p>
                            <table class=TABLE data-testid="queue-counts">
                                <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                    <th class=TH>"처리기"</th><th class=TH>"대기"</th><th class=TH>"처리 중"</th><th class=TH>"재시도 대기"</th><th class=TH>"중단됨"</th><th class=TH>"완료"</th>
                                </tr></thead>
                                <tbody>{q.consumers.into_iter().map(counts_row).collect_view()}</tbody>
                            </table>
                            <div class="mt-6 flex flex-wrap items-baseline justify-between gap-2">
                                <h2 class="text-lg font-semibold">"실패하거나 중단된 항목"</h2>
                                {(dead > 0).then(|| view! {
                                    <ActionForm action=retry>
                                        <button type="submit" class=BUTTON data-busy-label="요청하는 중…">
                                            {format!("중단된 {}건 모두 다시 시도", group_thousands(dead))}
                                        </button>
                                    </ActionForm>
                                })}
                            </div>
                            {action_error(move || retry.value().get())}
                            {q.problems.is_empty().then(|| view! {
                                <p class="mt-2 text-sm text-slate-500">"실패한 항목이 없습니다."</p>
                            })}
                            <table class=TABLE data-testid="queue-problems">
                                <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                    <th class=TH>"처리기"</th><th class=TH>"변경"</th><th class=TH>"상태"</th><th class=TH>"시도"</th><th class=TH>"다음 시도"</th><th class=TH>"오류"</th><th class=TH></th>
                                </tr></thead>
                                <tbody>{q.problems.into_iter().map(|item| problem_row(item, retry)).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

fn counts_row(c: ConsumerCounts) -> impl IntoView {
    let n = |v: i64| group_thousands(v);
    view! {
        <tr class="border-t border-slate-100" data-consumer=c.name.clone()>
            <td class=TD>{c.label}</td>
            <td class=TD>{n(c.pending)}</td>
            <td class=TD>{n(c.running)}</td>
            <td class=TD>{n(c.failed)}</td>
            <td class={if c.dead > 0 { "px-3 py-1.5 font-semibold text-red-700" } else { TD }}>{n(c.dead)}</td>
            <td class=TD>{n(c.done)}</td>
        </tr>
    }
}

fn problem_row(item: WorkItemDto, retry: ServerAction<RetryWork>) -> impl IntoView {
    let dead = item.status == "dead";
    view! {
        <tr class="border-t border-slate-100 align-top" data-item=item.id>
            <td class=TD>{item.consumer.clone()}</td>
            <td class=TD>{item.event.clone()}<br /><span class="text-xs text-slate-500">{item.event_at.clone()}</span></td>
            <td class=if dead { "px-3 py-1.5 font-semibold text-red-700" } else { TD }>{item.status_ko()}</td>
            <td class=TD>{format!("{}회", item.attempts)}</td>
            <td class=TD>{if dead { "-".to_string() } else { item.next_attempt.clone() }}</td>
            <td class="px-3 py-1.5 text-xs text-red-700">{item.error.clone()}</td>
            <td class=TD>
                <ActionForm action=retry>
                    <input type="hidden" name="id" value=item.id />
                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"다시 시도"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
