//! Clients, management contracts, the audit log, and the spreadsheet import of a building.

use crate::api::records::{
    CreateClient, CreateContract, LinkClientUser, UnlinkClientUser, UpdateClient, UpdateContract,
    get_client, get_contract, import_leases, list_audit, list_clients, list_contracts,
};
use crate::app::ui::{
    BUTTON, CARD, ErrorBox, FILTER, FieldError, FilesSection, INPUT, ListFooter, ManagerFilter,
    TABLE, TD, TH, action_error, field_error, use_list_query,
};
use crate::app::ui::{
    BuildingFilter, ExpiringFilter, FILTER_SUBMIT, SelectFilter, any_of, choices, is_staff,
    param_id,
};
use crate::domain::money::format_won;
use crate::domain::records::{
    AUDIT_ENTITIES, ClientInput, ContractDto, ContractStatus, SCOPES, action_label, entity_label,
    kind_label,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const LOADING: &str = "불러오는 중…";

#[component]
pub fn ClientsPage() -> impl IntoView {
    let query = use_list_query();
    let create = ServerAction::<CreateClient>::new();
    let clients = Resource::new(
        move || (query.get(), create.version().get()),
        |(q, _)| list_clients(q),
    );
    let value = create.value();
    let q0 = query.get_untracked();
    view! {
        <Title text="고객 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"고객 (건물주)"</h1>
        <form method="get" action="/platform/clients" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <label>"이름·사업자번호 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("", "이름 순"), ("recent", "최근 등록 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE>
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class=TH>"고객"</th><th class=TH>"구분"</th><th class=TH>"사업자등록번호"</th><th class=TH>"대표자"</th><th class=TH>"연락처"</th><th class=TH>"건물"</th><th class=TH>"사용자"</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|c| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/clients/{}", c.id) attr:class="font-medium text-emerald-800 hover:underline">{c.name}</A></td>
                                        <td class=TD>{kind_label(&c.kind)}</td>
                                        <td class=TD>{c.business_number.unwrap_or_default()}</td>
                                        <td class=TD>{c.representative}</td>
                                        <td class=TD>{c.contact_phone}</td>
                                        <td class=TD>{c.buildings}</td>
                                        <td class=TD>{c.users}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/clients" export="clients" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
        {is_staff().then(|| view! {
            <section class=CARD aria-labelledby="new-client">
                <h2 id="new-client" class="text-lg font-semibold">"고객 등록"</h2>
                <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    {client_fields(ClientInput { kind: "company".into(), ..Default::default() }, value)}
                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"고객 등록"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
        })}
    }
}

/// The client form's fields, filled with `c` (empty for a new client).
fn client_fields<T, S>(c: ClientInput, value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, crate::domain::ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let err = move |f| field_error(value, f);
    view! {
        <label class="block text-sm">"구분"
            <select name="kind" class=INPUT>
                <option value="company" selected=c.kind == "company">"법인·사업자"</option>
                <option value="person" selected=c.kind == "person">"개인"</option>
            </select>
        </label>
        <label class="block text-sm">"고객 이름(상호)"<input name="name" value=c.name class=INPUT /><FieldError message=err("name") /></label>
        <label class="block text-sm">"사업자등록번호"<input name="business_number" value=c.business_number class=INPUT placeholder="123-45-67890" /><FieldError message=err("business_number") /></label>
        <label class="block text-sm">"대표자"<input name="representative" value=c.representative class=INPUT /><FieldError message=err("representative") /></label>
        <label class="block text-sm">"연락처"<input name="contact_phone" value=c.contact_phone class=INPUT placeholder="02-1234-5678" /><FieldError message=err("contact_phone") /></label>
        <label class="block text-sm">"이메일"<input name="contact_email" type="email" value=c.contact_email class=INPUT /><FieldError message=err("contact_email") /></label>
    }
}

#[component]
pub fn ClientPage() -> impl IntoView {
    let id = param_id();
    let link = ServerAction::<LinkClientUser>::new();
    let unlink = ServerAction::<UnlinkClientUser>::new();
    let edit = ServerAction::<UpdateClient>::new();
    let client = Resource::new(
        move || {
            (
                id(),
                link.version().get(),
                unlink.version().get(),
                edit.version().get(),
            )
        },
        |(id, ..)| get_client(id),
    );
    let edit_value = edit.value();
    let staff = is_staff();
    let link_value = link.value();
    view! {
        <Title text="고객 상세 | 둥지 플랫폼" />
        <p><A href="/platform/clients" attr:class="text-sm text-emerald-800 hover:underline">"← 고객 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match client.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(d) => {
                        let c = d.client;
                        let cid = c.id;
                        view! {
                            <h1 class="mt-2 text-2xl font-bold">{c.name.clone()}</h1>
                            <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3">
                                <div><dt class="text-slate-500">"구분"</dt><dd>{kind_label(&c.kind)}</dd></div>
                                <div><dt class="text-slate-500">"사업자등록번호"</dt><dd>{c.business_number.clone().unwrap_or_else(|| "-".into())}</dd></div>
                                <div><dt class="text-slate-500">"대표자"</dt><dd>{c.representative.clone()}</dd></div>
                                <div><dt class="text-slate-500">"연락처"</dt><dd>{c.contact_phone.clone()}</dd></div>
                                <div><dt class="text-slate-500">"이메일"</dt><dd>{c.contact_email.clone()}</dd></div>
                            </dl>
                            {staff.then(|| {
                                let c = c.clone();
                                view! {
                                    <details class=CARD>
                                        <summary class="cursor-pointer text-lg font-semibold">"고객 정보 수정"</summary>
                                        <ActionForm action=edit attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                                            <input type="hidden" name="id" value=cid.to_string() />
                                            {client_fields(ClientInput {
                                                kind: c.kind.clone(),
                                                name: c.name.clone(),
                                                business_number: c.business_number.clone().unwrap_or_default(),
                                                representative: c.representative.clone(),
                                                contact_phone: c.contact_phone.clone(),
                                                contact_email: c.contact_email.clone(),
                                            }, edit_value)}
                                            <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"고객 정보 저장"</button>{action_error(move || edit_value.get())}</div>
                                        </ActionForm>
                                    </details>
                                }
                            })}
                            <section class=CARD>
                                <h2 class="text-lg font-semibold">"건물"</h2>
                                <ul class="mt-2 space-y-1 text-sm" data-testid="client-buildings">
                                    {d.buildings.into_iter().map(|b| view! {
                                        <li><A href=format!("/platform/buildings/{}", b.id) attr:class="text-emerald-800 hover:underline">{b.name}</A>{format!(" · {}", b.detail)}</li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class=CARD>
                                <h2 class="text-lg font-semibold">"관리 계약"</h2>
                                <ul class="mt-2 space-y-1 text-sm">
                                    {d.contracts.into_iter().map(|k| view! {
                                        <li><A href=format!("/platform/contracts/{}", k.id) attr:class="text-emerald-800 hover:underline">
                                            {format!("{} · {} · {} ~ {} · 월 {} · {}", k.building_name, k.scope, k.start_date, k.end_date, format_won(k.monthly_fee), k.status.label_ko())}
                                        </A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class=CARD aria-labelledby="client-users">
                                <h2 id="client-users" class="text-lg font-semibold">"고객 사용자 (건물주 로그인)"</h2>
                                <ul class="mt-2 space-y-1 text-sm" data-testid="client-users">
                                    {d.users.into_iter().map(|u| {
                                        let uid = u.id;
                                        view! {
                                            <li class="flex items-center gap-3">{format!("{} · {}", u.name, u.detail)}
                                                {staff.then(|| view! {
                                                    <ActionForm action=unlink attr:class="inline">
                                                        <input type="hidden" name="client_id" value=cid.to_string() />
                                                        <input type="hidden" name="user_id" value=uid.to_string() />
                                                        <button type="submit" class="text-xs text-red-700 underline">"연결 해제"</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {staff.then(|| view! {
                                    <ActionForm action=link attr:class="mt-4 flex flex-wrap items-end gap-3">
                                        <input type="hidden" name="client_id" value=cid.to_string() />
                                        <label class="text-sm">"고객 계정 이메일"<input name="email" type="email" class=INPUT /></label>
                                        <button type="submit" class=BUTTON>"사용자 연결"</button>
                                        <FieldError message=field_error(link_value, "email") />
                                        {action_error(move || link_value.get())}
                                    </ActionForm>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The contract list's filter bar (also used for the status choices).
fn contract_filters(q0: crate::domain::leasing::ListQuery) -> impl IntoView {
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
    let files_changed = RwSignal::new(0u32);
    let contract = Resource::new(
        move || (id(), update.version().get(), files_changed.get()),
        |(id, _, _)| get_contract(id),
    );
    view! {
        <Title text="관리 계약 | 둥지 플랫폼" />
        <p><A href="/platform/contracts" attr:class="text-sm text-emerald-800 hover:underline">"← 관리 계약 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match contract.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(c) => view! { <ContractView dto=c update files_changed /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContractView(
    dto: ContractDto,
    update: ServerAction<UpdateContract>,
    files_changed: RwSignal<u32>,
) -> impl IntoView {
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
        <FilesSection owner_kind="contract" owner_id=c.id files=dto.files can_edit=staff changed=files_changed />
        <crate::app::platform::leasing::HistoryList entries=dto.history />
    }
}

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

/// Import of tenants and leases from the XLSX template into one building, with the per-row
/// report. `done` is bumped after a saved import.
#[component]
pub fn ImportSection(building_id: i64, done: RwSignal<u32>) -> impl IntoView {
    use web_sys::{FormData, HtmlFormElement, SubmitEvent};
    let import = Action::new_local(|data: &FormData| import_leases(data.clone().into()));
    let pending = import.pending();
    Effect::new(move |_| {
        if let Some(Ok(r)) = import.value().get()
            && r.saved
        {
            done.update(|n| *n += 1);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = ev
            .target()
            .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<HtmlFormElement>(t).ok())
            && let Ok(data) = FormData::new_with_form(&form)
        {
            import.dispatch_local(data);
        }
    };
    view! {
        <section class=CARD aria-labelledby="import">
            <h2 id="import" class="text-lg font-semibold">"엑셀로 임차인·계약 가져오기"</h2>
            <p class="text-sm text-slate-600">
                <a href="/platform/import-template.xlsx" rel="external" download="" class="text-emerald-800 underline">"양식 내려받기"</a>
                " 후 한 줄에 계약 하나씩 입력해 올려 주세요. 모든 행을 검사한 뒤 결과를 행별로 보여 드립니다."
            </p>
            <form class="mt-4 flex flex-wrap items-end gap-4" on:submit=on_submit>
                <input type="hidden" name="building_id" value=building_id.to_string() />
                <label class="text-sm">"엑셀 파일 (.xlsx)"<input type="file" name="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" class="mt-1 block text-sm" /></label>
                <fieldset class="text-sm">
                    <label class="flex items-center gap-2"><input type="radio" name="mode" value="all" checked />"모든 행이 맞을 때만 저장"</label>
                    <label class="flex items-center gap-2"><input type="radio" name="mode" value="valid" />"올바른 행만 저장"</label>
                </fieldset>
                <button type="submit" class=BUTTON disabled=move || pending.get()>{move || if pending.get() { "검사하는 중…" } else { "가져오기" }}</button>
            </form>
            <div class="mt-4" data-testid="import-report">
                {move || import.value().get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(r) => {
                        let failed: Vec<_> = r.rows.iter().filter(|x| !x.errors.is_empty()).cloned().collect();
                        let summary = if r.saved {
                            format!("{}행 중 {}행을 저장했습니다 (계약 {}건, 새 임차인 {}명, {:.1}초).", r.total_rows, r.leases_created, r.leases_created, r.tenants_created, r.elapsed_ms as f64 / 1000.0)
                        } else {
                            format!("{}행 중 {}행에 문제가 있어 아무것도 저장하지 않았습니다. 고친 뒤 다시 올리거나 '올바른 행만 저장'을 고르세요.", r.total_rows, r.total_rows - r.valid_rows)
                        };
                        view! {
                            <p class=if r.saved { "text-sm font-medium text-emerald-800" } else { "text-sm font-medium text-red-700" } role="status">{summary}</p>
                            {(!failed.is_empty()).then(|| view! {
                                <table class=TABLE>
                                    <thead class="bg-slate-50 text-left text-slate-500"><tr><th class=TH>"행"</th><th class=TH>"임차인"</th><th class=TH>"문제"</th></tr></thead>
                                    <tbody>
                                        {failed.into_iter().map(|x| view! {
                                            <tr class="border-t border-slate-100 align-top">
                                                <td class=TD>{format!("{}행", x.row)}</td>
                                                <td class=TD>{x.tenant_name}</td>
                                                <td class=TD><ul class="list-disc pl-4">{x.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                        }.into_any()
                    }
                })}
            </div>
        </section>
    }
}
