//! `/platform/admin/backups` (백업): where backups go and how long they are kept, whether the
//! newest one is recent and verified, the newest backups, "지금 백업", and how to restore.

use super::BackupDto;
use super::api::{BackupNow, list_backups};
use crate::app::ui::{BUTTON, CARD, ErrorBox, LOADING, TABLE, TD, TH, action_error};
use crate::domain::money::group_thousands;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BackupsPage() -> impl IntoView {
    let backups = Resource::new(|| (), |_| list_backups());
    let run = ServerAction::<BackupNow>::new();
    view! {
        <Title text="백업 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"백업"</h1>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match backups.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(b) => view! {
                        <section class=CARD>
                            <p class=if b.stale { "font-semibold text-red-700" } else { "text-slate-800" } data-testid="backup-freshness">{b.freshness.clone()}</p>
                            <dl class="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                                <dt class="text-slate-500">"저장 위치"</dt><dd class="font-mono">{b.location.clone()}</dd>
                                <dt class="text-slate-500">"보관"</dt>
                                <dd>{format!("최근 {}일은 하루 하나씩, 최근 {}개월은 한 달에 하나씩", b.keep_daily, b.keep_monthly)}</dd>
                                <dt class="text-slate-500">"다음 예약 백업"</dt>
                                <dd>{b.next_run.clone().unwrap_or_else(|| "일시 중지됨 (예약 작업 화면에서 다시 시작)".into())}</dd>
                            </dl>
                            <ActionForm action=run attr:class="mt-4">
                                <button type="submit" class=BUTTON data-busy-label="시작하는 중…">"지금 백업"</button>
                                {action_error(move || run.value().get())}
                            </ActionForm>
                        </section>
                        {b.backups.is_empty().then(|| view! { <p class="mt-6 text-sm text-slate-500">"아직 만든 백업이 없습니다."</p> })}
                        <table class=TABLE data-testid="backups">
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class=TH>"만든 시각"</th><th class=TH>"파일"</th><th class=TH>"크기"</th><th class=TH>"행"</th><th class=TH>"첨부 파일"</th><th class=TH>"검증"</th>
                            </tr></thead>
                            <tbody>{b.backups.into_iter().map(backup_row).collect_view()}</tbody>
                        </table>
                        <section class="mt-8 max-w-3xl text-sm text-slate-700">
                            <h2 class="text-lg font-semibold">"복원하는 방법"</h2>
                            <p class="mt-2">
                                "빈 데이터베이스를 DATABASE_URL로 지정하고 서버에서 "
                                <code class="rounded bg-slate-100 px-1">"doongji restore 백업파일"</code>
                                "을 실행합니다. 백업은 SQLite와 MySQL 어느 쪽으로도 복원되므로, 기본 SQLite에서 MySQL로 옮길 때도 같은 방법을 씁니다. 복원 전에 파일 전체의 검사값을 확인하고, 손상된 백업은 아무것도 쓰지 않고 거부합니다."
                            </p>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn backup_row(b: BackupDto) -> impl IntoView {
    let verified_class = if b.verified {
        "px-3 py-1.5 text-emerald-700"
    } else {
        "px-3 py-1.5 font-semibold text-red-700"
    };
    view! {
        <tr class="border-t border-slate-100 align-top" data-backup=b.name.clone()>
            <td class=TD>{b.created.clone()}</td>
            <td class="px-3 py-1.5 font-mono text-xs">
                {b.name.clone()}
                {b.deleted.then(|| view! { <span class="ml-1 text-slate-500">"(보관 기간이 지나 삭제됨)"</span> })}
            </td>
            <td class=TD>{b.size.clone()}</td>
            <td class=TD>{group_thousands(b.rows)}</td>
            <td class=TD>{format!("{}개 (새로 복사 {}개)", group_thousands(b.files), group_thousands(b.files_copied))}</td>
            <td class=verified_class>
                {if b.verified { "검증됨" } else { "검증 실패" }}
                <span class="block text-xs">{b.verify_message.clone()}</span>
            </td>
        </tr>
    }
}
