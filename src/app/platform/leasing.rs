//! Buildings (record, units, contracts, files, import), tenants, and leases (detail, deposit
//! ledger, correction, renewal, termination, history). Lists search, filter, sort and page on
//! the server, with the query in the URL.

use crate::api::leasing::{
    AddDepositEntry, AddUnits, CreateBuilding, CreateLease, CreateTenant, DeleteTenant, RenewLease,
    TerminateLease, UpdateBuilding, UpdateLease, UpdateTenant, get_building, get_lease, get_tenant,
    list_buildings, list_leases, list_tenants, list_units,
};
use crate::api::records::{CreateContract, building_choices};
use crate::app::platform::records::{ImportSection, NewContractForm};
use crate::app::ui::{
    BUTTON, CARD, ErrorBox, FILTER, FieldError, FilesSection, INPUT, ListFooter, ManagerFilter,
    TABLE, TD, TH, action_error, field_error, use_list_query,
};
use crate::app::ui::{
    BuildingFilter, ExpiringFilter, FILTER_SUBMIT, SelectFilter, any_of, choices, is_staff,
    param_id,
};
use crate::domain::ApiError;
use crate::domain::lease::RegionClass;
use crate::domain::leasing::{LeaseDto, LeaseHistoryEntry, LeaseStatus, ListQuery};
use crate::domain::money::format_won;
use crate::domain::records::{BuildingInput, kind_label};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const LOADING: &str = "불러오는 중…";

/// The building record's fields, filled with `b` (empty for a new building). Managers are
/// check boxes gathered into one hidden `manager_ids` field.
fn building_fields<T, S>(b: BuildingInput, value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let err = move |f| field_error(value, f);
    let chosen = RwSignal::new(b.manager_ids.clone());
    let choices = Resource::new(|| (), |_| building_choices());
    let client_id = b.client_id;
    let num = |v: f64| {
        if v == 0.0 {
            String::new()
        } else {
            v.to_string()
        }
    };
    view! {
        <label class="block text-sm">"건물 이름"<input name="name" value=b.name class=INPUT /><FieldError message=err("name") /></label>
        <label class="block text-sm sm:col-span-2">"도로명 주소"<input name="road_address" value=b.road_address class=INPUT /></label>
        <label class="block text-sm sm:col-span-2">"지번 주소"<input name="lot_address" value=b.lot_address class=INPUT placeholder="서울특별시 마포구 서교동 395-12" /></label>
        <label class="block text-sm">"주용도"<input name="main_use" value=b.main_use class=INPUT placeholder="근린생활시설" /></label>
        <fieldset class="sm:col-span-3 grid gap-3 sm:grid-cols-5">
            <legend class="text-sm font-medium">"건축물대장 코드"</legend>
            <label class="block text-sm">"시군구코드"<input name="sigungu_cd" value=b.sigungu_cd class=INPUT placeholder="11440" inputmode="numeric" /><FieldError message=err("sigungu_cd") /></label>
            <label class="block text-sm">"법정동코드"<input name="bjdong_cd" value=b.bjdong_cd class=INPUT placeholder="12000" inputmode="numeric" /><FieldError message=err("bjdong_cd") /></label>
            <label class="block text-sm">"대지구분"
                <select name="plat_gb_cd" class=INPUT>
                    {[("", "-"), ("0", "0 대지"), ("1", "1 산"), ("2", "2 블록")].into_iter().map(|(v, l)| view! { <option value=v selected=b.plat_gb_cd == v>{l}</option> }).collect_view()}
                </select>
            </label>
            <label class="block text-sm">"번"<input name="bun" value=b.bun class=INPUT inputmode="numeric" /><FieldError message=err("bun") /></label>
            <label class="block text-sm">"지"<input name="ji" value=b.ji class=INPUT inputmode="numeric" /><FieldError message=err("ji") /></label>
        </fieldset>
        <label class="block text-sm">"지역 구분 (임대차보호법)"
            <select name="region_class" class=INPUT>
                {RegionClass::ALL.iter().map(|r| view! { <option value=r.as_str() selected=b.region_class == r.as_str()>{r.label_ko()}</option> }).collect_view()}
            </select>
            <FieldError message=err("region_class") />
        </label>
        <label class="block text-sm">"지상 층수"<input name="floors_above" type="number" value=b.floors_above.to_string() class=INPUT /><FieldError message=err("floors_above") /></label>
        <label class="block text-sm">"지하 층수"<input name="floors_below" type="number" value=b.floors_below.to_string() class=INPUT /></label>
        <label class="block text-sm">"대지면적(㎡)"<input name="land_area_m2" type="number" step="0.01" value=num(b.land_area_m2) class=INPUT /></label>
        <label class="block text-sm">"건축면적(㎡)"<input name="building_area_m2" type="number" step="0.01" value=num(b.building_area_m2) class=INPUT /></label>
        <label class="block text-sm">"연면적(㎡)"<input name="total_area_m2" type="number" step="0.01" value=b.total_area_m2.to_string() class=INPUT /><FieldError message=err("total_area_m2") /></label>
        <label class="block text-sm">"사용승인일"<input name="approval_date" type="date" value=b.approval_date.map(|d| d.to_string()).unwrap_or_default() class=INPUT /><FieldError message=err("approval_date") /></label>
        <input type="hidden" name="manager_ids" prop:value=move || chosen.with(|c| c.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let c = choices.await.ok();
                let (clients, staff) = c.map(|c| (c.clients, c.staff)).unwrap_or_default();
                view! {
                    <label class="block text-sm">"소유 고객"
                        <select name="client_id" class=INPUT>
                            <option value="">"(정하지 않음)"</option>
                            {clients.into_iter().map(|c| view! { <option value=c.id.to_string() selected=client_id == Some(c.id)>{c.name}</option> }).collect_view()}
                        </select>
                        <FieldError message=err("client_id") />
                    </label>
                    <fieldset class="sm:col-span-2 text-sm">
                        <legend class="font-medium">"담당자"</legend>
                        <div class="mt-1 flex flex-wrap gap-3">
                            {staff.into_iter().map(|s| {
                                let sid = s.id;
                                view! {
                                    <label class="flex items-center gap-1">
                                        <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&sid))
                                            on:change=move |ev| { let on = event_target_checked(&ev); chosen.update(|c| { c.retain(|x| *x != sid); if on { c.push(sid); } }); } />
                                        {s.name}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <FieldError message=err("manager_ids") />
                    </fieldset>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn BuildingsPage() -> impl IntoView {
    let query = use_list_query();
    let create = ServerAction::<CreateBuilding>::new();
    let buildings = Resource::new(
        move || (query.get(), create.version().get()),
        |(q, _)| list_buildings(q),
    );
    let value = create.value();
    let q0 = query.get_untracked();
    view! {
        <Title text="건물 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"건물"</h1>
        <form method="get" action="/platform/buildings" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            {q0.client_id.map(|b| view! { <input type="hidden" name="client_id" value=b.to_string() /> })}
            <label>"건물명·주소 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <ManagerFilter selected=q0.manager_id staff_only=is_staff() />
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("", "이름 순"), ("address", "주소 순"), ("recent", "최근 등록 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match buildings.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE>
                            <thead class="bg-slate-50 text-left text-slate-500">
                                <tr><th class=TH>"건물"</th><th class=TH>"주소"</th><th class=TH>"고객"</th><th class=TH>"담당자"</th><th class=TH>"지역 구분"</th><th class=TH>"호실"</th><th class=TH>"진행 중 계약"</th></tr>
                            </thead>
                            <tbody>
                                {page.rows.into_iter().map(|b| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/buildings/{}", b.id) attr:class="font-medium text-emerald-800 hover:underline">{b.name}</A></td>
                                        <td class=TD>{b.road_address}</td>
                                        <td class=TD>{b.client_name.unwrap_or_default()}</td>
                                        <td class=TD>{b.managers}</td>
                                        <td class=TD>{b.region}</td>
                                        <td class=TD>{b.units}</td>
                                        <td class=TD>{b.active_leases}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/buildings" export="buildings" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
        {is_staff().then(|| view! {
            <section class=CARD aria-labelledby="new-building">
                <h2 id="new-building" class="text-lg font-semibold">"건물 등록"</h2>
                <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    {building_fields(BuildingInput { region_class: "seoul".into(), floors_above: 1, ..Default::default() }, value)}
                    <div class="sm:col-span-3 flex items-end gap-3"><button type="submit" class=BUTTON>"건물 등록"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
pub fn BuildingPage() -> impl IntoView {
    let id = param_id();
    let add_units = ServerAction::<AddUnits>::new();
    let create_lease = ServerAction::<CreateLease>::new();
    let create_contract = ServerAction::<CreateContract>::new();
    let update = ServerAction::<UpdateBuilding>::new();
    let changed = RwSignal::new(0u32);
    let building = Resource::new(
        move || {
            (
                id(),
                add_units.version().get(),
                create_lease.version().get(),
                create_contract.version().get(),
                update.version().get(),
                changed.get(),
            )
        },
        |(id, ..)| get_building(id),
    );
    let staff = is_staff();
    view! {
        <Title text="건물 상세 | 둥지 플랫폼" />
        <p><A href="/platform/buildings" attr:class="text-sm text-emerald-800 hover:underline">"← 건물 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match building.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(b) => view! { <BuildingView b staff add_units create_lease create_contract update changed /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BuildingView(
    b: crate::domain::leasing::BuildingDetail,
    staff: bool,
    add_units: ServerAction<AddUnits>,
    create_lease: ServerAction<CreateLease>,
    create_contract: ServerAction<CreateContract>,
    update: ServerAction<UpdateBuilding>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let bid = b.id;
    let chosen = RwSignal::new(Vec::<i64>::new());
    let info = b.info.clone();
    let edit_info = info.clone();
    let owner_client = info.client_id;
    let register = info.register_key();
    let update_value = update.value();
    view! {
        <h1 class="mt-2 text-2xl font-bold">{b.name.clone()}</h1>
        <p class="text-sm text-slate-600">{format!("{} · {}", b.road_address, b.region)}</p>
        <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-4" data-testid="building-info">
            <div><dt class="text-slate-500">"지번 주소"</dt><dd>{info.lot_address.clone()}</dd></div>
            <div><dt class="text-slate-500">"건축물대장 코드"</dt><dd>{if register.is_empty() { "-".to_string() } else { register }}</dd></div>
            <div><dt class="text-slate-500">"주용도"</dt><dd>{info.main_use.clone()}</dd></div>
            <div><dt class="text-slate-500">"층수"</dt><dd>{format!("지상 {}층 · 지하 {}층", info.floors_above, info.floors_below)}</dd></div>
            <div><dt class="text-slate-500">"대지 · 건축 · 연면적"</dt><dd>{format!("{}㎡ · {}㎡ · {}㎡", info.land_area_m2, info.building_area_m2, info.total_area_m2)}</dd></div>
            <div><dt class="text-slate-500">"사용승인일"</dt><dd>{info.approval_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into())}</dd></div>
            <div><dt class="text-slate-500">"고객"</dt><dd>{match (info.client_id, b.client_name.clone()) {
                (Some(c), Some(n)) => view! { <A href=format!("/platform/clients/{c}") attr:class="text-emerald-800 hover:underline">{n}</A> }.into_any(),
                _ => view! { <span>"-"</span> }.into_any(),
            }}</dd></div>
            <div><dt class="text-slate-500">"담당자"</dt><dd>{b.managers.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join(", ")}</dd></div>
        </dl>
        {staff.then(|| view! {
            <details class=CARD>
                <summary class="cursor-pointer text-lg font-semibold">"건물 정보 수정"</summary>
                <ActionForm action=update attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    <input type="hidden" name="id" value=bid.to_string() />
                    {building_fields(edit_info.clone(), update_value)}
                    <div class="sm:col-span-3 flex items-end gap-3"><button type="submit" class=BUTTON>"건물 정보 저장"</button>{action_error(move || update_value.get())}</div>
                </ActionForm>
            </details>
        })}
        <section class=CARD>
            <h2 class="text-lg font-semibold">{format!("호실 {}개", b.units.len())}</h2>
            <p class="text-sm text-slate-600"><A href=format!("/platform/buildings/{bid}/units") attr:class="text-emerald-800 underline">"호실 목록 (검색·공실·엑셀)"</A></p>
            <ul class="mt-3 flex flex-wrap gap-2 text-sm" data-testid="units">
                {b.units.iter().map(|u| {
                    let uid = u.id;
                    view! {
                        <li class="rounded border border-slate-200 px-2 py-1" title=format!("전용 {}㎡ · 공용 {}㎡ · 계약 {}㎡", u.exclusive_area_m2, u.common_area_m2, u.contract_area_m2)>
                            <label class="flex items-center gap-1">
                                {staff.then(|| view! {
                                    <input type="checkbox" aria-label=format!("{} 선택", u.name)
                                        prop:checked=move || chosen.with(|c| c.contains(&uid))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| { c.retain(|x| *x != uid); if on { c.push(uid); } });
                                        } />
                                })}
                                {format!("{}층 {}", u.floor, u.name)}
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class=CARD>
            <h2 class="text-lg font-semibold">"임대 계약"</h2>
            <p class="text-sm"><A href=format!("/platform/leases?building_id={bid}") attr:class="text-emerald-800 underline">"이 건물의 계약 목록"</A></p>
            <ul class="mt-3 space-y-1 text-sm">
                {b.leases.iter().map(|l| view! {
                    <li><A href=format!("/platform/leases/{}", l.id) attr:class="text-emerald-800 hover:underline">
                        {format!("{} · {} ~ {} · 월 {} · {}", l.tenant_name, l.start_date, l.end_date, format_won(l.monthly_rent), l.status.label_ko())}
                    </A></li>
                }).collect_view()}
            </ul>
        </section>
        <section class=CARD>
            <h2 class="text-lg font-semibold">"관리 계약"</h2>
            <ul class="mt-3 space-y-1 text-sm" data-testid="building-contracts">
                {b.contracts.iter().map(|c| view! {
                    <li><A href=format!("/platform/contracts/{}", c.id) attr:class="text-emerald-800 hover:underline">
                        {format!("{} · {} · {} ~ {} · 월 {} · {}", c.client_name, c.scope, c.start_date, c.end_date, format_won(c.monthly_fee), c.status.label_ko())}
                    </A></li>
                }).collect_view()}
            </ul>
        </section>
        <FilesSection owner_kind="building" owner_id=bid files=b.files.clone() can_edit=staff changed />
        {staff.then(|| view! {
            <UnitsForm building_id=bid action=add_units />
            <NewLeaseForm building_id=bid chosen action=create_lease />
            <NewContractForm building_id=bid client_id=owner_client action=create_contract />
            <ImportSection building_id=bid done=changed />
        })}
    }
}

#[component]
fn UnitsForm(building_id: i64, action: ServerAction<AddUnits>) -> impl IntoView {
    let value = action.value();
    view! {
        <section class=CARD aria-labelledby="add-units">
            <h2 id="add-units" class="text-lg font-semibold">"호실 일괄 추가"</h2>
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-6">
                <input type="hidden" name="building_id" value=building_id.to_string() />
                <label class="block text-sm">"층"<input name="floor" type="number" value="1" class=INPUT /></label>
                <label class="block text-sm">"시작 호"<input name="from" type="number" value="101" class=INPUT /></label>
                <label class="block text-sm">"끝 호"<input name="to" type="number" value="105" class=INPUT /></label>
                <label class="block text-sm">"전용면적(㎡)"<input name="exclusive_area_m2" type="number" step="0.01" value="30" class=INPUT /></label>
                <label class="block text-sm">"공용면적(㎡)"<input name="common_area_m2" type="number" step="0.01" value="10" class=INPUT /></label>
                <div class="flex items-end"><button type="submit" class=BUTTON>"호실 추가"</button></div>
            </ActionForm>
            <p class="mt-1 text-xs text-slate-500">"계약면적은 전용면적과 공용면적의 합으로 계산됩니다."</p>
            <div class="mt-2"><FieldError message=field_error(value, "to") /><FieldError message=field_error(value, "units") />{action_error(move || value.get())}</div>
        </section>
    }
}

#[component]
fn NewLeaseForm(
    building_id: i64,
    chosen: RwSignal<Vec<i64>>,
    action: ServerAction<CreateLease>,
) -> impl IntoView {
    let tenants = Resource::new(
        || (),
        |_| {
            list_tenants(ListQuery {
                sort: "recent".into(),
                ..Default::default()
            })
        },
    );
    let value = action.value();
    let err = move |f| field_error(value, f);
    view! {
        <section class=CARD aria-labelledby="new-lease">
            <h2 id="new-lease" class="text-lg font-semibold">"새 임대 계약"</h2>
            <p class="text-sm text-slate-600">"위 호실 목록에서 계약할 호실을 고르세요."</p>
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <input type="hidden" name="building_id" value=building_id.to_string() />
                <input type="hidden" name="unit_ids" prop:value=move || chosen.with(|c| c.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")) />
                <label class="block text-sm">"임차인"
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let list = tenants.await.map(|p| p.rows).unwrap_or_default();
                            view! { <select name="tenant_id" class=INPUT>{list.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}</select> }
                        })}
                    </Suspense>
                    <FieldError message=err("tenant_id") />
                </label>
                <label class="block text-sm">"시작일"<input name="start_date" type="date" class=INPUT /></label>
                <label class="block text-sm">"종료일"<input name="end_date" type="date" class=INPUT /><FieldError message=err("end_date") /></label>
                <label class="block text-sm">"보증금(원)"<input name="deposit" type="number" value="0" class=INPUT /><FieldError message=err("deposit") /></label>
                <label class="block text-sm">"월 임대료(원)"<input name="monthly_rent" type="number" value="0" class=INPUT /><FieldError message=err("monthly_rent") /></label>
                <label class="block text-sm">"관리비(원)"<input name="management_fee" type="number" value="0" class=INPUT /></label>
                <label class="block text-sm">"납부일 (31=말일)"<input name="payment_day" type="number" value="25" class=INPUT /><FieldError message=err("payment_day") /></label>
                <label class="block text-sm">"연체 이율 (1% = 100, 예: 연 12% → 1200)"<input name="late_fee_rate_bp" type="number" value="0" class=INPUT /><FieldError message=err("late_fee_rate_bp") /></label>
                <label class="block text-sm">"연체 유예일"<input name="grace_days" type="number" value="0" class=INPUT /></label>
                <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="vat_applies" value="on" checked class="h-5 w-5" />"부가세 10% 적용"</label>
                <div class="sm:col-span-3 flex items-center gap-3">
                    <button type="submit" class=BUTTON>"계약 등록"</button>
                    <FieldError message=err("unit_ids") />
                    {action_error(move || value.get())}
                </div>
            </ActionForm>
        </section>
    }
}

/// `/platform/buildings/:id/units`: the units of one building, searchable, vacant or occupied.
#[component]
pub fn UnitsPage() -> impl IntoView {
    let id = param_id();
    let query = use_list_query();
    let units = Resource::new(
        move || ListQuery {
            building_id: Some(id()),
            ..query.get()
        },
        list_units,
    );
    let q0 = query.get_untracked();
    view! {
        <Title text="호실 | 둥지 플랫폼" />
        <p><A href=move || format!("/platform/buildings/{}", id()) attr:class="text-sm text-emerald-800 hover:underline">"← 건물로"</A></p>
        <h1 class="mt-2 text-2xl font-bold">"호실"</h1>
        <form method="get" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <label>"호실 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="임대 상태" field="status" selected=q0.status.clone() options=any_of([("vacant", "공실"), ("occupied", "임대 중")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match units.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => {
                        let q = ListQuery { building_id: Some(id()), ..query.get_untracked() };
                        view! {
                            <table class=TABLE data-testid="unit-list">
                                <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                    <th class=TH>"층"</th><th class=TH>"호실"</th><th class=TH>"전용(㎡)"</th><th class=TH>"공용(㎡)"</th><th class=TH>"계약(㎡)"</th><th class=TH>"임차인"</th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|u| view! {
                                        <tr class="border-t border-slate-100">
                                            <td class=TD>{u.floor}</td><td class=TD>{u.name}</td>
                                            <td class=TD>{u.exclusive_area_m2}</td><td class=TD>{u.common_area_m2}</td><td class=TD>{u.contract_area_m2}</td>
                                            <td class=TD>{u.tenant_name.unwrap_or_else(|| "공실".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <ListFooter base="" export="units" query=q total=page.total page=page.page pages=page.pages />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn TenantsPage() -> impl IntoView {
    let query = use_list_query();
    let create = ServerAction::<CreateTenant>::new();
    let tenants = Resource::new(
        move || (query.get(), create.version().get()),
        |(q, _)| list_tenants(q),
    );
    let value = create.value();
    let q0 = query.get_untracked();
    view! {
        <Title text="임차인 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"임차인"</h1>
        <form method="get" action="/platform/tenants" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <BuildingFilter selected=q0.building_id />
            <label>"이름·사업자번호·휴대전화 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("", "이름 순"), ("recent", "최근 등록 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match tenants.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE data-testid="tenants">
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class=TH>"임차인"</th><th class=TH>"구분"</th><th class=TH>"사업자등록번호"</th><th class=TH>"휴대전화"</th><th class=TH>"이메일"</th><th class=TH>"계약"</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|t| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/tenants/{}", t.id) attr:class="font-medium text-emerald-800 hover:underline">{t.name}</A></td>
                                        <td class=TD>{kind_label(&t.kind)}</td>
                                        <td class=TD>{t.business_number.unwrap_or_default()}</td>
                                        <td class=TD>{crate::domain::validation::format_mobile(&t.mobile)}</td>
                                        <td class=TD>{t.email}</td>
                                        <td class=TD>{t.leases}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/tenants" export="tenants" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
        {is_staff().then(|| view! {
            <section class=CARD aria-labelledby="new-tenant">
                <h2 id="new-tenant" class="text-lg font-semibold">"임차인 등록"</h2>
                <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    {tenant_fields(crate::domain::leasing::TenantInput { kind: "company".into(), ..Default::default() }, value)}
                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"임차인 등록"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
        })}
    }
}

/// The tenant form's fields, filled with `t` (empty for a new tenant).
fn tenant_fields<T, S>(t: crate::domain::leasing::TenantInput, value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let err = move |f| field_error(value, f);
    view! {
        <label class="block text-sm">"구분"
            <select name="kind" class=INPUT>
                <option value="company" selected=t.kind == "company">"법인·사업자"</option>
                <option value="person" selected=t.kind == "person">"개인"</option>
            </select>
        </label>
        <label class="block text-sm">"상호·이름"<input name="name" value=t.name class=INPUT /><FieldError message=err("name") /></label>
        <label class="block text-sm">"사업자등록번호"<input name="business_number" value=t.business_number class=INPUT placeholder="123-45-67890" /><FieldError message=err("business_number") /></label>
        <label class="block text-sm">"대표자"<input name="representative" value=t.representative class=INPUT /><FieldError message=err("representative") /></label>
        <label class="block text-sm">"담당자"<input name="contact_name" value=t.contact_name class=INPUT /><FieldError message=err("contact_name") /></label>
        <label class="block text-sm">"휴대전화 (알림톡)"<input name="mobile" value=t.mobile class=INPUT placeholder="010-1234-5678" /><FieldError message=err("mobile") /></label>
        <label class="block text-sm">"이메일"<input name="email" type="email" value=t.email class=INPUT /><FieldError message=err("email") /></label>
    }
}

#[component]
pub fn TenantPage() -> impl IntoView {
    let id = param_id();
    let changed = RwSignal::new(0u32);
    let remove = ServerAction::<DeleteTenant>::new();
    let edit = ServerAction::<UpdateTenant>::new();
    let tenant = Resource::new(
        move || (id(), changed.get(), edit.version().get()),
        |(id, ..)| get_tenant(id),
    );
    let edit_value = edit.value();
    let staff = is_staff();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            navigate("/platform/tenants", Default::default());
        }
    });
    view! {
        <Title text="임차인 상세 | 둥지 플랫폼" />
        <p><A href="/platform/tenants" attr:class="text-sm text-emerald-800 hover:underline">"← 임차인 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match tenant.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(d) => {
                        let t = d.tenant;
                        let tid = t.id;
                        view! {
                            <h1 class="mt-2 text-2xl font-bold">{t.name.clone()}</h1>
                            <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3" data-testid="tenant-info">
                                <div><dt class="text-slate-500">"구분"</dt><dd>{kind_label(&t.kind)}</dd></div>
                                <div><dt class="text-slate-500">"사업자등록번호"</dt><dd>{t.business_number.clone().unwrap_or_else(|| "-".into())}</dd></div>
                                <div><dt class="text-slate-500">"대표자"</dt><dd>{t.representative.clone()}</dd></div>
                                <div><dt class="text-slate-500">"담당자"</dt><dd>{t.contact_name.clone()}</dd></div>
                                <div><dt class="text-slate-500">"휴대전화"</dt><dd>{crate::domain::validation::format_mobile(&t.mobile)}</dd></div>
                                <div><dt class="text-slate-500">"이메일"</dt><dd>{t.email.clone()}</dd></div>
                            </dl>
                            <section class=CARD>
                                <h2 class="text-lg font-semibold">"임대 계약"</h2>
                                <ul class="mt-2 space-y-1 text-sm">
                                    {d.leases.into_iter().map(|l| view! {
                                        <li><A href=format!("/platform/leases/{}", l.id) attr:class="text-emerald-800 hover:underline">
                                            {format!("{} {} · {} ~ {} · 월 {} · {}", l.building_name, l.units, l.start_date, l.end_date, format_won(l.monthly_rent), l.status.label_ko())}
                                        </A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            {staff.then(|| {
                                let t = t.clone();
                                view! {
                                    <details class=CARD>
                                        <summary class="cursor-pointer text-lg font-semibold">"임차인 정보 수정"</summary>
                                        <ActionForm action=edit attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                                            <input type="hidden" name="id" value=tid.to_string() />
                                            {tenant_fields(crate::domain::leasing::TenantInput {
                                                kind: t.kind.clone(),
                                                name: t.name.clone(),
                                                business_number: t.business_number.clone().unwrap_or_default(),
                                                representative: t.representative.clone(),
                                                contact_name: t.contact_name.clone(),
                                                mobile: crate::domain::validation::format_mobile(&t.mobile),
                                                email: t.email.clone(),
                                            }, edit_value)}
                                            <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"임차인 정보 저장"</button>{action_error(move || edit_value.get())}</div>
                                        </ActionForm>
                                    </details>
                                }
                            })}
                            <FilesSection owner_kind="tenant" owner_id=tid files=d.files can_edit=staff changed />
                            {staff.then(|| view! {
                                <section class=CARD>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=tid.to_string() />
                                        <button type="submit" class="rounded-md border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50">"임차인 삭제"</button>
                                        <span class="ml-3 text-xs text-slate-500">"계약이나 첨부 파일이 있으면 삭제할 수 없습니다."</span>
                                    </ActionForm>
                                    <div class="mt-2">{action_error(move || remove.value().get())}</div>
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn LeasePage() -> impl IntoView {
    let id = param_id();
    let update = ServerAction::<UpdateLease>::new();
    let renew = ServerAction::<RenewLease>::new();
    let deposit = ServerAction::<AddDepositEntry>::new();
    let terminate = ServerAction::<TerminateLease>::new();
    let changed = RwSignal::new(0u32);
    let lease = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                renew.version().get(),
                deposit.version().get(),
                terminate.version().get(),
                changed.get(),
            )
        },
        |(id, ..)| get_lease(id),
    );
    view! {
        <Title text="임대 계약 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match lease.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(l) => view! { <LeaseView lease=l update renew deposit terminate changed /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A record's previous versions: who, when, which fields before → after.
#[component]
pub fn HistoryList(entries: Vec<LeaseHistoryEntry>) -> impl IntoView {
    let kind = |k: &str| match k {
        "lease.renewed" => "갱신",
        "lease.ended" => "해지",
        _ => "수정",
    };
    view! {
        <section class=CARD aria-labelledby="history">
            <h2 id="history" class="text-lg font-semibold">"변경 이력"</h2>
            {entries.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-600">"변경 이력이 없습니다."</p> })}
            <ol class="mt-3 space-y-3 text-sm" data-testid="lease-history">
                {entries.into_iter().map(|h| view! {
                    <li class="rounded border border-slate-200 p-3">
                        <p class="font-medium">{format!("{} · {} · {}", h.changed_at, h.changed_by.unwrap_or_else(|| "-".into()), kind(&h.change_kind))}</p>
                        <ul class="mt-1 list-disc pl-5">
                            {h.changes.into_iter().map(|c| view! { <li>{format!("{}: {} → {}", c.field, c.before, c.after)}</li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn LeaseView(
    lease: LeaseDto,
    update: ServerAction<UpdateLease>,
    renew: ServerAction<RenewLease>,
    deposit: ServerAction<AddDepositEntry>,
    terminate: ServerAction<TerminateLease>,
    changed: RwSignal<u32>,
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
        }
    };
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
                <p class="text-sm text-slate-600">"현재 종료일 다음 날부터 새 기간이 시작됩니다. 보호 대상 계약은 5%·1년 기준을 확인합니다."</p>
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
        <FilesSection owner_kind="lease" owner_id=l.id files=l.files can_edit=staff changed />
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
            <SelectFilter label="상태" field="status" selected=q0.status.clone() options=any_of(LeaseStatus::ALL.map(|s| (s.as_str(), s.label_ko()))) />
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
