//! Buildings with their units, tenants, and leases (detail, correction, renewal, history).
//! Lists here are plain for now; search, filters and paging come with the lists work.

use crate::api::leasing::{
    AddUnits, CreateBuilding, CreateLease, CreateTenant, RenewLease, UpdateLease, get_building,
    get_lease, list_buildings, list_tenants,
};
use crate::app::ui::{ErrorBox, FieldError, INPUT, action_error, field_error};
use crate::domain::lease::RegionClass;
use crate::domain::leasing::LeaseDto;
use crate::domain::money::format_won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

const BUTTON: &str =
    "rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800";
const CARD: &str = "mt-6 rounded-lg bg-white p-5 ring-1 ring-slate-200";

#[component]
pub fn BuildingsPage() -> impl IntoView {
    let create = ServerAction::<CreateBuilding>::new();
    let buildings = Resource::new(move || create.version().get(), |_| list_buildings());
    let value = create.value();
    let err = move |f| field_error(value, f);
    view! {
        <Title text="건물 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"건물"</h1>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match buildings.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(list) => view! {
                        <table class="mt-6 min-w-full rounded-lg bg-white text-sm ring-1 ring-slate-200">
                            <thead class="bg-slate-50 text-left text-slate-500">
                                <tr><th class="px-4 py-2">"건물"</th><th class="px-4 py-2">"주소"</th><th class="px-4 py-2">"지역 구분"</th><th class="px-4 py-2">"호실"</th><th class="px-4 py-2">"진행 중 계약"</th></tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|b| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="px-4 py-2"><A href=format!("/platform/buildings/{}", b.id) attr:class="font-medium text-emerald-800 hover:underline">{b.name}</A></td>
                                        <td class="px-4 py-2">{b.road_address}</td>
                                        <td class="px-4 py-2">{b.region}</td>
                                        <td class="px-4 py-2">{b.units}</td>
                                        <td class="px-4 py-2">{b.active_leases}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class=CARD aria-labelledby="new-building">
            <h2 id="new-building" class="text-lg font-semibold">"건물 등록"</h2>
            <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <label class="block text-sm">"건물 이름"<input name="name" class=INPUT /><FieldError message=err("name") /></label>
                <label class="block text-sm sm:col-span-2">"도로명 주소"<input name="road_address" class=INPUT /></label>
                <label class="block text-sm">"주용도"<input name="main_use" class=INPUT placeholder="근린생활시설" /></label>
                <label class="block text-sm">"지역 구분 (임대차보호법)"
                    <select name="region_class" class=INPUT>
                        {RegionClass::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label_ko()}</option> }).collect_view()}
                    </select>
                    <FieldError message=err("region_class") />
                </label>
                <label class="block text-sm">"연면적(㎡)"<input name="total_area_m2" type="number" step="0.01" value="0" class=INPUT /></label>
                <label class="block text-sm">"지상 층수"<input name="floors_above" type="number" value="1" class=INPUT /></label>
                <label class="block text-sm">"지하 층수"<input name="floors_below" type="number" value="0" class=INPUT /></label>
                <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"건물 등록"</button>{action_error(move || value.get())}</div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn BuildingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or_default()
        })
    };
    let add_units = ServerAction::<AddUnits>::new();
    let create_lease = ServerAction::<CreateLease>::new();
    let building = Resource::new(
        move || {
            (
                id(),
                add_units.version().get(),
                create_lease.version().get(),
            )
        },
        |(id, _, _)| get_building(id),
    );
    let tenants = Resource::new(|| (), |_| list_tenants());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let lease_value = create_lease.value();
    let lease_err = move |f| field_error(lease_value, f);
    let units_value = add_units.value();
    view! {
        <Title text="건물 상세 | 둥지 플랫폼" />
        <p><A href="/platform/buildings" attr:class="text-sm text-emerald-800 hover:underline">"← 건물 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match building.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(b) => view! {
                        <h1 class="mt-2 text-2xl font-bold">{b.name.clone()}</h1>
                        <p class="text-sm text-slate-600">{format!("{} · {}", b.road_address, b.region)}</p>
                        <section class=CARD>
                            <h2 class="text-lg font-semibold">{format!("호실 {}개", b.units.len())}</h2>
                            <ul class="mt-3 flex flex-wrap gap-2 text-sm" data-testid="units">
                                {b.units.iter().map(|u| {
                                    let uid = u.id;
                                    view! {
                                        <li class="rounded border border-slate-200 px-2 py-1">
                                            <label class="flex items-center gap-1">
                                                <input type="checkbox" aria-label=format!("{} 선택", u.name)
                                                    prop:checked=move || chosen.with(|c| c.contains(&uid))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| { c.retain(|x| *x != uid); if on { c.push(uid); } });
                                                    } />
                                                {format!("{}층 {}", u.floor, u.name)}
                                            </label>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                        <section class=CARD>
                            <h2 class="text-lg font-semibold">"임대 계약"</h2>
                            <ul class="mt-3 space-y-1 text-sm">
                                {b.leases.iter().map(|l| view! {
                                    <li><A href=format!("/platform/leases/{}", l.id) attr:class="text-emerald-800 hover:underline">
                                        {format!("{} · {} ~ {} · 월 {} · {}", l.tenant_name, l.start_date, l.end_date, format_won(l.monthly_rent), l.status.label_ko())}
                                    </A></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class=CARD aria-labelledby="add-units">
            <h2 id="add-units" class="text-lg font-semibold">"호실 일괄 추가"</h2>
            <ActionForm action=add_units attr:class="mt-4 grid gap-4 sm:grid-cols-6">
                <input type="hidden" name="building_id" value=move || id().to_string() />
                <label class="block text-sm">"층"<input name="floor" type="number" value="1" class=INPUT /></label>
                <label class="block text-sm">"시작 호"<input name="from" type="number" value="101" class=INPUT /></label>
                <label class="block text-sm">"끝 호"<input name="to" type="number" value="105" class=INPUT /></label>
                <label class="block text-sm">"전용면적(㎡)"<input name="exclusive_area_m2" type="number" step="0.01" value="30" class=INPUT /></label>
                <label class="block text-sm">"공용면적(㎡)"<input name="common_area_m2" type="number" step="0.01" value="10" class=INPUT /></label>
                <div class="flex items-end"><button type="submit" class=BUTTON>"호실 추가"</button></div>
            </ActionForm>
            <div class="mt-2">{action_error(move || units_value.get())}</div>
        </section>
        <section class=CARD aria-labelledby="new-lease">
            <h2 id="new-lease" class="text-lg font-semibold">"새 임대 계약"</h2>
            <p class="text-sm text-slate-600">"위 호실 목록에서 계약할 호실을 고르세요."</p>
            <ActionForm action=create_lease attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <input type="hidden" name="building_id" value=move || id().to_string() />
                <input type="hidden" name="unit_ids" prop:value=move || chosen.with(|c| c.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")) />
                <label class="block text-sm">"임차인"
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let list = tenants.await.unwrap_or_default();
                            view! { <select name="tenant_id" class=INPUT>{list.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}</select> }
                        })}
                    </Suspense>
                </label>
                <label class="block text-sm">"시작일"<input name="start_date" type="date" class=INPUT /></label>
                <label class="block text-sm">"종료일"<input name="end_date" type="date" class=INPUT /><FieldError message=lease_err("end_date") /></label>
                <label class="block text-sm">"보증금(원)"<input name="deposit" type="number" value="0" class=INPUT /></label>
                <label class="block text-sm">"월 임대료(원)"<input name="monthly_rent" type="number" value="0" class=INPUT /></label>
                <label class="block text-sm">"관리비(원)"<input name="management_fee" type="number" value="0" class=INPUT /></label>
                <label class="block text-sm">"납부일 (31=말일)"<input name="payment_day" type="number" value="25" class=INPUT /></label>
                <label class="block text-sm">"연체 이율 (1% = 100, 예: 연 12% → 1200)"<input name="late_fee_rate_bp" type="number" value="0" class=INPUT /></label>
                <label class="block text-sm">"연체 유예일"<input name="grace_days" type="number" value="0" class=INPUT /></label>
                <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="vat_applies" value="on" checked class="h-5 w-5" />"부가세 10% 적용"</label>
                <div class="sm:col-span-3 flex items-center gap-3">
                    <button type="submit" class=BUTTON>"계약 등록"</button>
                    <FieldError message=lease_err("unit_ids") />
                    {action_error(move || lease_value.get())}
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn TenantsPage() -> impl IntoView {
    let create = ServerAction::<CreateTenant>::new();
    let tenants = Resource::new(move || create.version().get(), |_| list_tenants());
    let value = create.value();
    let err = move |f| field_error(value, f);
    view! {
        <Title text="임차인 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"임차인"</h1>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match tenants.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-6 space-y-1 text-sm" data-testid="tenants">
                            {list.into_iter().map(|t| view! {
                                <li>{format!("{} · {} · {}", t.name, t.business_number.unwrap_or_default(), t.mobile)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class=CARD aria-labelledby="new-tenant">
            <h2 id="new-tenant" class="text-lg font-semibold">"임차인 등록"</h2>
            <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                <label class="block text-sm">"구분"
                    <select name="kind" class=INPUT><option value="company">"법인·사업자"</option><option value="person">"개인"</option></select>
                </label>
                <label class="block text-sm">"상호·이름"<input name="name" class=INPUT /><FieldError message=err("name") /></label>
                <label class="block text-sm">"사업자등록번호"<input name="business_number" class=INPUT placeholder="123-45-67890" /><FieldError message=err("business_number") /></label>
                <label class="block text-sm">"대표자"<input name="representative" class=INPUT /></label>
                <label class="block text-sm">"담당자"<input name="contact_name" class=INPUT /></label>
                <label class="block text-sm">"휴대전화 (알림톡)"<input name="mobile" class=INPUT placeholder="010-1234-5678" /><FieldError message=err("mobile") /></label>
                <label class="block text-sm">"이메일"<input name="email" type="email" class=INPUT /><FieldError message=err("email") /></label>
                <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"임차인 등록"</button>{action_error(move || value.get())}</div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn LeasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or_default()
        })
    };
    let update = ServerAction::<UpdateLease>::new();
    let renew = ServerAction::<RenewLease>::new();
    let lease = Resource::new(
        move || (id(), update.version().get(), renew.version().get()),
        |(id, _, _)| get_lease(id),
    );
    view! {
        <Title text="임대 계약 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match lease.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(l) => view! { <LeaseView lease=l update renew /> }.into_any(),
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
) -> impl IntoView {
    let l = lease;
    let (deposit, rent, fee, day) = (l.deposit, l.monthly_rent, l.management_fee, l.payment_day);
    let terms = move |action_label: &'static str, end: String| {
        view! {
            <label class="block text-sm">{action_label}<input name="end_date" type="date" value=end class=INPUT /></label>
            <label class="block text-sm">"보증금(원)"<input name="deposit" type="number" value=deposit.to_string() class=INPUT /></label>
            <label class="block text-sm">"월 임대료(원)"<input name="monthly_rent" type="number" value=rent.to_string() class=INPUT /></label>
            <label class="block text-sm">"관리비(원)"<input name="management_fee" type="number" value=fee.to_string() class=INPUT /></label>
            <label class="block text-sm">"납부일"<input name="payment_day" type="number" value=day.to_string() class=INPUT /></label>
        }
    };
    view! {
        <p><A href=format!("/platform/buildings/{}", l.building_id) attr:class="text-sm text-emerald-800 hover:underline">"← 건물로"</A></p>
        <h1 class="mt-2 text-2xl font-bold">{format!("{} 임대 계약", l.tenant_name)}</h1>
        <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3" data-testid="lease-terms">
            <div><dt class="text-slate-500">"기간"</dt><dd>{format!("{} ~ {}", l.start_date, l.end_date)}</dd></div>
            <div><dt class="text-slate-500">"상태"</dt><dd>{l.status.label_ko()}</dd></div>
            <div><dt class="text-slate-500">"보증금"</dt><dd>{format_won(l.deposit)}</dd></div>
            <div><dt class="text-slate-500">"월 임대료"</dt><dd>{format_won(l.monthly_rent)}{if l.vat_applies { " (부가세 별도)" } else { "" }}</dd></div>
            <div><dt class="text-slate-500">"관리비"</dt><dd>{format_won(l.management_fee)}</dd></div>
            <div><dt class="text-slate-500">"납부일"</dt><dd>{if l.payment_day == 31 { "매월 말일".to_string() } else { format!("매월 {}일", l.payment_day) }}</dd></div>
        </dl>
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
            <ActionForm action=update attr:class="mt-4 grid gap-4 sm:grid-cols-5">
                <input type="hidden" name="id" value=l.id.to_string() />
                <input type="hidden" name="version" value=l.version.to_string() />
                {terms("종료일", l.end_date.to_string())}
                <div class="sm:col-span-5 flex items-center gap-3"><button type="submit" class=BUTTON>"저장"</button>{action_error(move || update.value().get())}</div>
            </ActionForm>
        </section>
        <section class=CARD aria-labelledby="history">
            <h2 id="history" class="text-lg font-semibold">"변경 이력"</h2>
            {l.history.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-600">"변경 이력이 없습니다."</p> })}
            <ol class="mt-3 space-y-3 text-sm" data-testid="lease-history">
                {l.history.into_iter().map(|h| view! {
                    <li class="rounded border border-slate-200 p-3">
                        <p class="font-medium">{format!("{} · {} · {}", h.changed_at, h.changed_by.unwrap_or_else(|| "-".into()), if h.change_kind == "lease.renewed" { "갱신" } else { "수정" })}</p>
                        <ul class="mt-1 list-disc pl-5">
                            {h.changes.into_iter().map(|c| view! { <li>{format!("{}: {} → {}", c.field, c.before, c.after)}</li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// `/platform/leases`: the lease list, filtered, sorted and paged on the server; the filters
/// are a plain GET form, so the URL keeps them and a view can be shared.
#[component]
pub fn LeasesPage() -> impl IntoView {
    use crate::api::leasing::list_leases;
    use crate::domain::leasing::{LeaseQuery, LeaseStatus};
    use leptos_router::hooks::use_query_map;
    let query = use_query_map();
    let current = move || {
        query.with(|q| LeaseQuery {
            q: q.get("q").unwrap_or_default(),
            building_id: q.get("building_id").and_then(|v| v.parse().ok()),
            status: q.get("status").unwrap_or_default(),
            expiring_days: q.get("expiring_days").and_then(|v| v.parse().ok()),
            sort: q.get("sort").unwrap_or_default(),
            page: q.get("page").and_then(|v| v.parse().ok()),
        })
    };
    let leases = Resource::new(current, list_leases);
    let q0 = current();
    view! {
        <Title text="임대 계약 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"임대 계약"</h1>
        <form method="get" action="/platform/leases" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            {q0.building_id.map(|b| view! { <input type="hidden" name="building_id" value=b.to_string() /> })}
            <label>"임차인 검색"<input name="q" value=q0.q.clone() class="mt-1 block rounded border border-slate-300 px-2 py-1" /></label>
            <label>"상태"
                <select name="status" class="mt-1 block rounded border border-slate-300 px-2 py-1">
                    <option value="">"전체"</option>
                    {LeaseStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=q0.status == s.as_str()>{s.label_ko()}</option> }).collect_view()}
                </select>
            </label>
            <label>"만료 예정"
                <select name="expiring_days" class="mt-1 block rounded border border-slate-300 px-2 py-1">
                    <option value="">"전체"</option>
                    {[30u32, 60, 90, 180].into_iter().map(|d| view! { <option value=d.to_string() selected=q0.expiring_days == Some(d)>{format!("{d}일 이내")}</option> }).collect_view()}
                </select>
            </label>
            <label>"정렬"
                <select name="sort" class="mt-1 block rounded border border-slate-300 px-2 py-1">
                    {[("end", "종료일 빠른 순"), ("start", "시작일 최근 순"), ("rent", "임대료 높은 순"), ("tenant", "임차인 이름 순")].into_iter()
                        .map(|(v, l)| view! { <option value=v selected=q0.sort == v>{l}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="rounded-md bg-emerald-700 px-3 py-1.5 font-semibold text-white">"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match leases.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => {
                        let q = current();
                        let link = move |p: u32| format!("/platform/leases?{}", q.to_query_string(p));
                        view! {
                            <p class="mt-4 text-sm text-slate-600" data-testid="lease-total">{format!("{}건 · {}/{}쪽", page.total, page.page, page.pages)}</p>
                            <table class="mt-2 min-w-full rounded-lg bg-white text-sm ring-1 ring-slate-200">
                                <thead class="bg-slate-50 text-left text-slate-500">
                                    <tr><th class="px-3 py-2">"임차인"</th><th class="px-3 py-2">"건물 · 호실"</th><th class="px-3 py-2">"기간"</th><th class="px-3 py-2">"보증금"</th><th class="px-3 py-2">"월 임대료"</th><th class="px-3 py-2">"상태"</th></tr>
                                </thead>
                                <tbody>
                                    {page.rows.into_iter().map(|r| view! {
                                        <tr class="border-t border-slate-100">
                                            <td class="px-3 py-1.5"><A href=format!("/platform/leases/{}", r.id) attr:class="text-emerald-800 hover:underline">{r.tenant_name}</A></td>
                                            <td class="px-3 py-1.5">{format!("{} · {}", r.building_name, r.units)}</td>
                                            <td class="px-3 py-1.5">{format!("{} ~ {}", r.start_date, r.end_date)}</td>
                                            <td class="px-3 py-1.5 text-right">{format_won(r.deposit)}</td>
                                            <td class="px-3 py-1.5 text-right">{format_won(r.monthly_rent)}</td>
                                            <td class="px-3 py-1.5">{r.status.label_ko()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <nav class="mt-4 flex gap-4 text-sm" aria-label="쪽 이동">
                                {(page.page > 1).then(|| view! { <A href=link(page.page - 1) attr:class="underline">"이전 쪽"</A> })}
                                {(page.page < page.pages).then(|| view! { <A href=link(page.page + 1) attr:class="underline">"다음 쪽"</A> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
