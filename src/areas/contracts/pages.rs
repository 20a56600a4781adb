//! Management contract pages: the list with its filters, a contract with its change form, files
//! and history, and the new-contract form shown on a building's page.

use super::api::{CreateContract, UpdateContract, get_contract, list_contracts};
use super::{ContractDto, ContractStatus, SCOPES};
use crate::app::ui::{
    BUTTON, BuildingFilter, CARD, ErrorBox, ExpiringFilter, FILTER, FILTER_SUBMIT, FieldError,
    HistoryList, INPUT, LOADING, ListFooter, ManagerFilter, SelectFilter, TABLE, TD, TH,
    action_error, any_of, choices, field_error, is_staff, param_id, use_list_query,
};
use crate::areas::files::pages::FilesSection;
use crate::domain::list::ListQuery;
use crate::domain::money::format_won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The contract list's filter bar (also used for the status choices).
fn contract_filters(q0: ListQuery) -> impl IntoView {
    view! {
        <form method="get" action="/platform/contracts" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            {q0.client_id.map(|b| view! { <input type="hidden" name="client_id" value=b.to_string() /> })}
            <BuildingFilter selected=q0.building_id />
            <ManagerFilter selected=q0.manager_id staff_only=is_staff() />
            <label>"건물·고객 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="상태" field="status" selected=q0.status.clone() options=any_of(ContractStatus::ALL.map(|s| (s.as_str(), s.label_ko()))) />
            <ExpiringFilter selected=q0.expiring_days />
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("end", "종료일 빠른 순"), ("start", "시작일 최근 순"), ("fee", "수수료 높은 순"), ("building", "건물 이름 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
    }
}

#[component]
pub fn ContractsPage() -> impl IntoView {
    let query = use_list_query();
    let contracts = Resource::new(move || query.get(), list_contracts);
    let q0 = query.get_untracked();
    view! {
        <Title text="관리 계약 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"관리 계약"</h1>
        <p class="text-sm text-slate-600">"새 관리 계약은 건물 상세 화면에서 등록합니다."</p>
        {contract_filters(q0)}
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match contracts.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE>
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class=TH>"건물"</th><th class=TH>"고객"</th><th class=TH>"범위"</th><th class=TH>"기간"</th><th class=TH>"월 수수료"</th><th class=TH>"상태"</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|c| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/contracts/{}", c.id) attr:class="font-medium text-emerald-800 hover:underline">{c.building_name}</A></td>
                                        <td class=TD><A href=format!("/platform/clients/{}", c.client_id) attr:class="hover:underline">{c.client_name}</A></td>
                                        <td class=TD>{c.scope}</td>
                                        <td class=TD>{format!("{} ~ {}", c.start_date, c.end_date)}</td>
                                        <td class="px-3 py-1.5 text-right">{format_won(c.monthly_fee)}</td>
                                        <td class=TD>{c.status.label_ko()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/contracts" export="contracts" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The new-contract form on a building's page.
#[component]
pub fn NewContractForm(
    building_id: i64,
    client_id: Option<i64>,
    action: ServerAction<CreateContract>,
) -> impl IntoView {
    let value = action.value();
    let err = move |f| field_error(value, f);
    view! {
        <section class=CARD aria-labelledby="new-contract">
            <h2 id="new-contract" class="text-lg font-semibold">"관리 계약 등록"</h2>
            {client_id.is_none().then(|| view! { <p class="text-sm text-amber-700">"건물 정보에서 소유 고객을 먼저 정해 주세요."</p> })}
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <input type="hidden" name="building_id" value=building_id.to_string() />
                <input type="hidden" name="client_id" value=client_id.unwrap_or_default().to_string() />
                <label class="block text-sm">"시작일"<input name="start_date" type="date" class=INPUT /></label>
                <label class="block text-sm">"종료일"<input name="end_date" type="date" class=INPUT /><FieldError message=err("end_date") /></label>
                <label class="block text-sm">"관리 범위 (쉼표로: PM, LM, FM)"<input name="scope" value="PM,FM" class=INPUT /><FieldError message=err("scope") /></label>
                <label class="block text-sm">"월 관리 수수료(원)"<input name="monthly_fee" type="number" value="0" class=INPUT /><FieldError message=err("monthly_fee") /></label>
                <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="vat_applies" value="on" checked class="h-5 w-5" />"부가세 10% 별도"</label>
                <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"관리 계약 추가"</button><FieldError message=err("client_id") />{action_error(move || value.get())}</div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ContractPage() -> impl IntoView {
    let id = param_id();
    let update = ServerAction::<UpdateContract>::new();
    let contract = Resource::new(id, get_contract);
    view! {
        <Title text="관리 계약 | 둥지 플랫폼" />
        <p><A href="/platform/contracts" attr:class="text-sm text-emerald-800 hover:underline">"← 관리 계약 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match contract.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(c) => view! { <ContractView dto=c update /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContractView(dto: ContractDto, update: ServerAction<UpdateContract>) -> impl IntoView {
    let c = dto.contract;
    let staff = is_staff();
    let value = update.value();
    let err = move |f| field_error(value, f);
    let vat = if c.vat_applies {
        format!(
            " (부가세 {} 별도)",
            format_won(crate::domain::money::vat_of(c.monthly_fee))
        )
    } else {
        String::new()
    };
    view! {
        <h1 class="mt-2 text-2xl font-bold">{format!("{} 관리 계약", c.building_name)}</h1>
        <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3" data-testid="contract-terms">
            <div><dt class="text-slate-500">"건물"</dt><dd><A href=format!("/platform/buildings/{}", c.building_id) attr:class="text-emerald-800 hover:underline">{c.building_name.clone()}</A></dd></div>
            <div><dt class="text-slate-500">"고객"</dt><dd><A href=format!("/platform/clients/{}", c.client_id) attr:class="text-emerald-800 hover:underline">{c.client_name.clone()}</A></dd></div>
            <div><dt class="text-slate-500">"기간"</dt><dd>{format!("{} ~ {}", c.start_date, c.end_date)}</dd></div>
            <div><dt class="text-slate-500">"관리 범위"</dt><dd>{c.scope.split(',').map(|s| SCOPES.iter().find(|(k, _)| *k == s).map(|(_, l)| *l).unwrap_or(s)).collect::<Vec<_>>().join(", ")}</dd></div>
            <div><dt class="text-slate-500">"월 관리 수수료"</dt><dd>{format!("{}{vat}", format_won(c.monthly_fee))}</dd></div>
            <div><dt class="text-slate-500">"상태"</dt><dd>{c.status.label_ko()}</dd></div>
        </dl>
        {staff.then(|| view! {
            <section class=CARD aria-labelledby="contract-edit">
                <h2 id="contract-edit" class="text-lg font-semibold">"계약 변경"</h2>
                <ActionForm action=update attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    <input type="hidden" name="id" value=c.id.to_string() />
                    <input type="hidden" name="version" value=dto.version.to_string() />
                    <label class="block text-sm">"종료일"<input name="end_date" type="date" value=c.end_date.to_string() class=INPUT /><FieldError message=err("end_date") /></label>
                    <label class="block text-sm">"관리 범위"<input name="scope" value=c.scope.clone() class=INPUT /><FieldError message=err("scope") /></label>
                    <label class="block text-sm">"월 관리 수수료(원)"<input name="monthly_fee" type="number" value=c.monthly_fee.to_string() class=INPUT /><FieldError message=err("monthly_fee") /></label>
                    <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="vat_applies" value="on" checked=c.vat_applies class="h-5 w-5" />"부가세 별도"</label>
                    <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="terminate" value="on" class="h-5 w-5" />"계약 해지"</label>
                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"저장"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
        })}
        <FilesSection owner_kind="contract" owner_id=c.id files=dto.files can_edit=staff />
        <HistoryList entries=dto.history />
    }
}
