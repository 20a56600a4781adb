//! Lease pages: the list with its filters, and a lease with its deposit ledger, correction,
//! renewal, termination, files and history.

use super::api::{
    AddDepositEntry, RenewLease, TerminateLease, UpdateLease, get_lease, list_leases,
};
use super::{LeaseDto, LeaseStatus};
use crate::app::ui::{
    BUTTON, BuildingFilter, CARD, ErrorBox, ExpiringFilter, FILTER, FILTER_SUBMIT, FieldError,
    HistoryList, INPUT, LOADING, ListFooter, ManagerFilter, SelectFilter, TABLE, TD, TH,
    action_error, choices, field_error, is_staff, param_id, use_list_query,
};
use crate::areas::files::pages::FilesSection;
use crate::domain::money::format_won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn LeasePage() -> impl IntoView {
    let id = param_id();
    let update = ServerAction::<UpdateLease>::new();
    let renew = ServerAction::<RenewLease>::new();
    let deposit = ServerAction::<AddDepositEntry>::new();
    let terminate = ServerAction::<TerminateLease>::new();
    let lease = Resource::new(id, get_lease);
    view! {
        <Title text="임대 계약 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match lease.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(l) => view! { <LeaseView lease=l update renew deposit terminate /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LeaseView(
    lease: LeaseDto,
    update: ServerAction<UpdateLease>,
    renew: ServerAction<RenewLease>,
    deposit: ServerAction<AddDepositEntry>,
    terminate: ServerAction<TerminateLease>,
) -> impl IntoView {
    let l = lease;
    let staff = is_staff();
    // An ended lease can still be renewed (recorded late) or corrected; a terminated one not.
    let renewable = l.status != LeaseStatus::Terminated;
    let live = !matches!(l.status, LeaseStatus::Ended | LeaseStatus::Terminated);
    let (dep, rent, fee, day) = (l.deposit, l.monthly_rent, l.management_fee, l.payment_day);
    let terms = move |action_label: &'static str, end: String| {
        view! {
            <label class="block text-sm">{action_label}<input name="end_date" type="date" value=end class=INPUT /></label>
            <label class="block text-sm">"보증금(원)"<input name="deposit" type="number" value=dep.to_string() class=INPUT /></label>
            <label class="block text-sm">"월 임대료(원)"<input name="monthly_rent" type="number" value=rent.to_string() class=INPUT /></label>
            <label class="block text-sm">"관리비(원)"<input name="management_fee" type="number" value=fee.to_string() class=INPUT /></label>
            <label class="block text-sm">"납부일"<input name="payment_day" type="number" value=day.to_string() class=INPUT /></label>
            <label class="block text-sm sm:col-span-5">"합의 인상 사유 (법정 한도를 넘는 인상을 임차인과 합의한 경우에만)"
                <input name="agreed_reason" maxlength="500" placeholder="예: 2026-11-20 임차인과 리모델링 후 월세 8% 인상 합의 (합의서 첨부)" class=INPUT />
            </label>
        }
    };
    let (notice_from, notice_to) = l.renewal_notice_window;
    let implicit_end = crate::domain::lease::implicitly_renewed_end(l.end_date);
    let ledger = l.deposit_ledger.clone();
    let no_entries = ledger.entries.is_empty();
    let deposit_state = ledger.state_ko(l.deposit);
    let dep_value = deposit.value();
    let term_value = terminate.value();
    view! {
        <p><A href=format!("/platform/buildings/{}", l.building_id) attr:class="text-sm text-emerald-800 hover:underline">{format!("← {}", l.building_name)}</A></p>
        <h1 class="mt-2 text-2xl font-bold">{format!("{} 임대 계약", l.tenant_name)}</h1>
        <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3" data-testid="lease-terms">
            <div><dt class="text-slate-500">"임차인"</dt><dd><A href=format!("/platform/tenants/{}", l.tenant_id) attr:class="text-emerald-800 hover:underline">{l.tenant_name.clone()}</A></dd></div>
            <div><dt class="text-slate-500">"호실"</dt><dd>{format!("{} {}", l.building_name, l.unit_names.join(", "))}</dd></div>
            <div><dt class="text-slate-500">"기간"</dt><dd>{format!("{} ~ {}", l.start_date, l.end_date)}</dd></div>
            <div><dt class="text-slate-500">"상태"</dt><dd>{l.status.label_ko()}{l.terminated_on.map(|d| format!(" ({d} 해지: {})", l.termination_reason))}</dd></div>
            <div><dt class="text-slate-500">"보증금"</dt><dd>{format!("{} ({deposit_state})", format_won(l.deposit))}</dd></div>
            <div><dt class="text-slate-500">"월 임대료"</dt><dd>{format_won(l.monthly_rent)}{if l.vat_applies { " (부가세 별도)" } else { "" }}</dd></div>
            <div><dt class="text-slate-500">"관리비"</dt><dd>{format_won(l.management_fee)}</dd></div>
            <div><dt class="text-slate-500">"납부일"</dt><dd>{if l.payment_day == 31 { "매월 말일".to_string() } else { format!("매월 {}일", l.payment_day) }}</dd></div>
            <div><dt class="text-slate-500">"연체"</dt><dd>{format!("연 {}% · 유예 {}일", f64::from(l.late_fee_rate_bp) / 100.0, l.grace_days)}</dd></div>
            <div><dt class="text-slate-500">"최근 인상"</dt><dd data-testid="last-increase">{match (l.last_increase_on, l.increase_agreement.is_empty()) {
                (None, _) => "없음".to_string(),
                (Some(d), true) => d.to_string(),
                (Some(d), false) => format!("{d} (합의 인상: {})", l.increase_agreement),
            }}</dd></div>
            <div><dt class="text-slate-500">"갱신요구권"</dt><dd>{format!("{}까지 (최초 계약일부터 10년)", l.renewal_right_until)}</dd></div>
            <div><dt class="text-slate-500">"갱신 거절·조건 변경 통지"</dt><dd data-testid="notice-window">{format!("{notice_from} ~ {notice_to} 사이 (통지가 없으면 {implicit_end}까지 같은 조건으로 묵시적 갱신)")}</dd></div>
        </dl>
        <section class=CARD aria-labelledby="deposit">
            <h2 id="deposit" class="text-lg font-semibold">"보증금 관리"</h2>
            <p class="text-sm text-slate-600" data-testid="deposit-summary">{format!("약정 {} · 받은 금액 {} · 반환 {} · 보관 중 {} · {}", format_won(l.deposit), format_won(ledger.received), format_won(ledger.returned), format_won(ledger.held()), deposit_state)}</p>
            {no_entries.then(|| view! { <p class="mt-2 text-sm text-slate-500">"아직 보증금 수령·반환 기록이 없습니다."</p> })}
            <table class=TABLE data-testid="deposit-ledger">
                <thead class="bg-slate-50 text-left text-slate-500"><tr><th class=TH>"날짜"</th><th class=TH>"구분"</th><th class=TH>"금액"</th><th class=TH>"메모"</th><th class=TH>"기록자"</th></tr></thead>
                <tbody>
                    {ledger.entries.into_iter().map(|e| view! {
                        <tr class="border-t border-slate-100">
                            <td class=TD>{e.on_date.to_string()}</td>
                            <td class=TD>{if e.kind == "received" { "수령" } else { "반환" }}</td>
                            <td class="px-3 py-1.5 text-right">{format_won(e.amount)}</td>
                            <td class=TD>{e.note}</td>
                            <td class=TD>{e.by.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {staff.then(|| view! {
                <ActionForm action=deposit attr:class="mt-4 grid gap-4 sm:grid-cols-5">
                    <input type="hidden" name="lease_id" value=l.id.to_string() />
                    <label class="block text-sm">"구분"<select name="kind" class=INPUT><option value="received">"수령"</option><option value="returned">"반환"</option></select></label>
                    <label class="block text-sm">"금액(원)"<input name="amount" type="number" class=INPUT /><FieldError message=field_error(dep_value, "amount") /></label>
                    <label class="block text-sm">"날짜"<input name="on_date" type="date" class=INPUT /></label>
                    <label class="block text-sm">"메모"<input name="note" class=INPUT /></label>
                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"보증금 기록"</button>{action_error(move || dep_value.get())}</div>
                </ActionForm>
            })}
        </section>
        {(staff && renewable).then(|| view! {
            <section class=CARD aria-labelledby="renew">
                <h2 id="renew" class="text-lg font-semibold">"계약 갱신"</h2>
                <p class="text-sm text-slate-600">"현재 종료일 다음 날부터 새 기간이 시작됩니다. 보호 대상 계약은 갱신요구권 기간(10년) 안에서 5%·1년 기준을 확인하고, 넘는 인상은 합의 사유가 있어야 기록됩니다. 묵시적 갱신은 새 종료일을 1년 뒤로 하고 금액을 그대로 두면 됩니다."</p>
                <ActionForm action=renew attr:class="mt-4 grid gap-4 sm:grid-cols-5">
                    <input type="hidden" name="id" value=l.id.to_string() />
                    <input type="hidden" name="version" value=l.version.to_string() />
                    {terms("새 종료일", String::new())}
                    <div class="sm:col-span-5 flex items-center gap-3"><button type="submit" class=BUTTON>"갱신"</button>{action_error(move || renew.value().get())}</div>
                </ActionForm>
            </section>
            <section class=CARD aria-labelledby="correct">
                <h2 id="correct" class="text-lg font-semibold">"계약 내용 수정"</h2>
                <p class="text-sm text-slate-600">"입력 실수를 바로잡을 때 씁니다. 바꾼 내용은 변경 이력에 남습니다."</p>
                <ActionForm action=update attr:class="mt-4 grid gap-4 sm:grid-cols-5">
                    <input type="hidden" name="id" value=l.id.to_string() />
                    <input type="hidden" name="version" value=l.version.to_string() />
                    {terms("종료일", l.end_date.to_string())}
                    <div class="sm:col-span-5 flex items-center gap-3"><button type="submit" class=BUTTON>"저장"</button>{action_error(move || update.value().get())}</div>
                </ActionForm>
            </section>
        })}
        {(staff && live).then(|| view! {
            <section class=CARD aria-labelledby="terminate">
                <h2 id="terminate" class="text-lg font-semibold">"중도 해지"</h2>
                <ActionForm action=terminate attr:class="mt-4 grid gap-4 sm:grid-cols-4">
                    <input type="hidden" name="id" value=l.id.to_string() />
                    <input type="hidden" name="version" value=l.version.to_string() />
                    <label class="block text-sm">"해지일"<input name="terminated_on" type="date" class=INPUT /><FieldError message=field_error(term_value, "terminated_on") /></label>
                    <label class="block text-sm sm:col-span-2">"해지 사유"<input name="reason" class=INPUT /><FieldError message=field_error(term_value, "reason") /></label>
                    <div class="flex items-end gap-3"><button type="submit" class="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800">"계약 해지"</button>{action_error(move || term_value.get())}</div>
                </ActionForm>
            </section>
        })}
        <p class="mt-6"><A href=format!("/platform/billing/leases/{}", l.id) attr:class="text-sm font-semibold text-emerald-800 hover:underline">"이 계약의 청구·수납, 매월 부과 항목 →"</A></p>
        <FilesSection owner_kind="lease" owner_id=l.id files=l.files can_edit=staff />
        <HistoryList entries=l.history />
    }
}

/// `/platform/leases`: the lease list, filtered, sorted and paged on the server; the filters
/// are a plain GET form, so the URL keeps them and a view can be shared.
#[component]
pub fn LeasesPage() -> impl IntoView {
    let query = use_list_query();
    let leases = Resource::new(move || query.get(), list_leases);
    let q0 = query.get_untracked();
    view! {
        <Title text="임대 계약 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"임대 계약"</h1>
        <form method="get" action="/platform/leases" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <BuildingFilter selected=q0.building_id />
            <ManagerFilter selected=q0.manager_id staff_only=is_staff() />
            <label>"임차인 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="상태" field="status" selected=q0.status.clone() options=status_choices() />
            <ExpiringFilter selected=q0.expiring_days />
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("end", "종료일 빠른 순"), ("start", "시작일 최근 순"), ("rent", "임대료 높은 순"), ("tenant", "임차인 이름 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match leases.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <p class="mt-4 text-sm text-slate-600" data-testid="lease-total">{format!("{}건 · {}/{}쪽", page.total, page.page, page.pages)}</p>
                        <table class=TABLE>
                            <thead class="bg-slate-50 text-left text-slate-500">
                                <tr><th class=TH>"임차인"</th><th class=TH>"건물 · 호실"</th><th class=TH>"기간"</th><th class=TH>"보증금"</th><th class=TH>"월 임대료"</th><th class=TH>"상태"</th></tr>
                            </thead>
                            <tbody>
                                {page.rows.into_iter().map(|r| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/leases/{}", r.id) attr:class="text-emerald-800 hover:underline">{r.tenant_name}</A></td>
                                        <td class=TD>{format!("{} · {}", r.building_name, r.units)}</td>
                                        <td class=TD>{format!("{} ~ {}", r.start_date, r.end_date)}</td>
                                        <td class="px-3 py-1.5 text-right">{format_won(r.deposit)}</td>
                                        <td class="px-3 py-1.5 text-right">{format_won(r.monthly_rent)}</td>
                                        <td class=TD>{r.status.label_ko()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/leases" export="leases" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The status filter: the running leases by default, every status, or one.
fn status_choices() -> Vec<(String, String)> {
    [("", "진행 중·만료 예정"), ("all", "전체")]
        .into_iter()
        .chain(LeaseStatus::ALL.map(|s| (s.as_str(), s.label_ko())))
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}
