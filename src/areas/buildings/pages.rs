//! Building pages: the list with its filters and the register form, a building with its record,
//! units, leases, contracts, files and the spreadsheet import, and the unit list.

use super::BuildingInput;
use super::api::{
    AddUnits, CreateBuilding, UpdateBuilding, building_choices, get_building, list_buildings,
    list_units,
};
use crate::app::ui::{
    BUTTON, CARD, ErrorBox, FILTER, FILTER_SUBMIT, FieldError, INPUT, LOADING, ListFooter,
    ManagerFilter, SelectFilter, TABLE, TD, TH, action_error, any_of, choices, field_error,
    is_staff, param_id, use_list_query,
};
use crate::areas::contracts::api::CreateContract;
use crate::areas::contracts::pages::NewContractForm;
use crate::areas::files::pages::FilesSection;
use crate::areas::leases::api::CreateLease;
use crate::areas::spreadsheets::api::ImportLeases;
use crate::areas::spreadsheets::pages::ImportSection;
use crate::areas::tenants::api::list_tenants;
use crate::domain::ApiError;
use crate::domain::lease::RegionClass;
use crate::domain::list::ListQuery;
use crate::domain::money::format_won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The building record's fields, filled with `b` (empty for a new building). Managers are
/// check boxes (`manager_ids[]`).
fn building_fields<T, S>(b: BuildingInput, value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let err = move |f| field_error(value, f);
    let managers = StoredValue::new(b.manager_ids.clone());
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
                <option value="" selected=b.region_class.is_empty()>"자동 (시군구 코드로 판정)"</option>
                {RegionClass::ALL.iter().map(|r| view! { <option value=r.as_str() selected=b.region_class == r.as_str()>{r.label_ko()}</option> }).collect_view()}
            </select>
            <FieldError message=err("region_class") />
        </label>
        <label class="block text-sm">"지역 구분 사유 (코드와 다르게 정할 때)"
            <input name="region_reason" value=b.region_reason class=INPUT maxlength="200" placeholder="예: 송도 경제자유구역 안" />
            <FieldError message=err("region_reason") />
        </label>
        <label class="block text-sm">"지상 층수"<input name="floors_above" type="number" value=b.floors_above.to_string() class=INPUT /><FieldError message=err("floors_above") /></label>
        <label class="block text-sm">"지하 층수"<input name="floors_below" type="number" value=b.floors_below.to_string() class=INPUT /></label>
        <label class="block text-sm">"대지면적(㎡)"<input name="land_area_m2" type="number" step="0.01" value=num(b.land_area_m2) class=INPUT /></label>
        <label class="block text-sm">"건축면적(㎡)"<input name="building_area_m2" type="number" step="0.01" value=num(b.building_area_m2) class=INPUT /></label>
        <label class="block text-sm">"연면적(㎡)"<input name="total_area_m2" type="number" step="0.01" value=b.total_area_m2.to_string() class=INPUT /><FieldError message=err("total_area_m2") /></label>
        <label class="block text-sm">"사용승인일"<input name="approval_date" type="date" value=b.approval_date.map(|d| d.to_string()).unwrap_or_default() class=INPUT /><FieldError message=err("approval_date") /></label>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(c) = choices.await else {
                    // Without the choices, the current owner and managers are posted unchanged.
                    return view! {
                        <p class="sm:col-span-3 text-sm text-red-700" role="alert">"고객·담당자 목록을 불러오지 못했습니다. 저장하면 지금의 고객과 담당자가 그대로 유지됩니다."</p>
                        <input type="hidden" name="client_id" value=client_id.map(|c| c.to_string()).unwrap_or_default() />
                        {managers.with_value(|m| m.iter().map(|id| view! { <input type="hidden" name="manager_ids[]" value=id.to_string() /> }).collect_view())}
                    }.into_any();
                };
                let (clients, staff) = (c.clients, c.staff);
                // A manager no longer active has no box: they stay on the building as they are.
                let listed: Vec<i64> = staff.iter().map(|s| s.id).collect();
                let unlisted = managers.with_value(|m| m.iter().copied().filter(|id| !listed.contains(id)).collect::<Vec<_>>());
                view! {
                    {unlisted.into_iter().map(|id| view! { <input type="hidden" name="manager_ids[]" value=id.to_string() /> }).collect_view()}
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
                                        <input type="checkbox" name="manager_ids[]" value=sid.to_string() checked=managers.with_value(|m| m.contains(&sid)) />
                                        {s.name}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <FieldError message=err("manager_ids") />
                    </fieldset>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn BuildingsPage() -> impl IntoView {
    let query = use_list_query();
    let create = ServerAction::<CreateBuilding>::new();
    let buildings = Resource::new(move || query.get(), list_buildings);
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
                    {building_fields(BuildingInput { floors_above: 1, ..Default::default() }, value)}
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
    let building = Resource::new(id, get_building);
    let staff = is_staff();
    view! {
        <Title text="건물 상세 | 둥지 플랫폼" />
        <p><A href="/platform/buildings" attr:class="text-sm text-emerald-800 hover:underline">"← 건물 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match building.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(b) => view! { <BuildingView b staff add_units create_lease create_contract update /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BuildingView(
    b: super::BuildingDetail,
    staff: bool,
    add_units: ServerAction<AddUnits>,
    create_lease: ServerAction<CreateLease>,
    create_contract: ServerAction<CreateContract>,
    update: ServerAction<UpdateBuilding>,
) -> impl IntoView {
    let bid = b.id;
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
            <details class=CARD open=move || update_value.with(|r| matches!(r, Some(Err(_))))>
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
                                    // Part of the new-lease form below (`form`), which sends the checked units.
                                    <input type="checkbox" name="unit_ids[]" value=uid.to_string() form=NEW_LEASE_FORM aria-label=format!("{} 선택", u.name) />
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
        <FilesSection owner_kind="building" owner_id=bid files=b.files.clone() can_edit=staff />
        {staff.then(|| view! {
            <UnitsForm building_id=bid action=add_units />
            <NewLeaseForm building_id=bid action=create_lease />
            <NewContractForm building_id=bid client_id=owner_client action=create_contract />
            // An import sent without JavaScript that was refused (the island shows its own).
            {crate::app::ui::posted_error(<ImportLeases as leptos::server_fn::ServerFn>::PATH).map(|e| view! { <div class="mt-6"><ErrorBox error=e /></div> })}
            <ImportSection building_id=bid />
        })}
    }
}

/// The id of the new-lease form, which the unit check boxes above it belong to.
const NEW_LEASE_FORM: &str = "new-lease-form";

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
                <div class="sm:col-span-6"><FieldError message=field_error(value, "to") /><FieldError message=field_error(value, "units") />{action_error(move || value.get())}</div>
            </ActionForm>
            <p class="mt-1 text-xs text-slate-500">"계약면적은 전용면적과 공용면적의 합으로 계산됩니다."</p>
        </section>
    }
}

#[component]
fn NewLeaseForm(building_id: i64, action: ServerAction<CreateLease>) -> impl IntoView {
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
            <ActionForm action=action attr:id=NEW_LEASE_FORM attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <input type="hidden" name="building_id" value=building_id.to_string() />
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
