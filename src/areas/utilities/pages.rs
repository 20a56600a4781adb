//! Utility pages: a building's month (each kind's bill, share basis and shares, the owner's
//! part of vacant units), and a kind's reading grid (Enter moves down as in a spreadsheet;
//! usage and unusual readings shown as typed) with its XLSX download and import.

use super::api::{
    SaveMeterReadings, SaveUtilityBill, SaveUtilityKind, SplitUtilities, get_reading_grid,
    get_utility_month,
};
use super::{KindMonth, ReadingGrid, ReadingRow, UtilityMonth};
use crate::app::ui::{
    BUTTON, BuildingFilter, CARD, ErrorBox, FILTER, FILTER_SUBMIT, FieldError, INPUT, LOADING,
    TABLE, TD, TH, action_error, field_error, is_staff, use_list_query,
};
use crate::areas::files::pages::FilesSection;
use crate::domain::money::format_won;
use crate::domain::utilities::{ShareBasis, format_percent_bp, format_reading, unusual_usage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

const NUM: &str = "px-3 py-1.5 text-right tabular-nums";
const TH_NUM: &str = "px-3 py-2 text-right";
const LINK: &str = "text-emerald-800 hover:underline";
const SMALL: &str = "w-20 rounded border border-slate-300 px-2 py-1 text-right";

fn basis_label(code: &str) -> &'static str {
    ShareBasis::parse(code).map(|b| b.label_ko()).unwrap_or("?")
}

/// `/platform/utilities`: a building's utilities for a month.
#[component]
pub fn UtilitiesPage() -> impl IntoView {
    let query = use_list_query();
    let data = Resource::new(
        move || query.get(),
        |q| async move {
            match q.building_id {
                None => Ok(None),
                Some(b) => get_utility_month(b, q.month).await.map(Some),
            }
        },
    );
    let q0 = query.get_untracked();
    view! {
        <Title text="공과금·검침 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"공과금·검침"</h1>
        <p class="mt-1 text-sm text-slate-600">"건물의 공과금 고지서를 종류별로 입력하면 나누는 기준에 따라 호실·임차인별 분담액을 계산해 그 달 청구서에 넣습니다. 공실 기간의 몫은 건물주 부담입니다."</p>
        <form method="get" action="/platform/utilities" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <label>"고지 월"<input type="month" name="month" value=q0.month.clone() class=FILTER /></label>
            <BuildingFilter selected=q0.building_id />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(None) => view! { <p class="mt-6 text-sm text-slate-600">"건물을 골라 조회하세요."</p> }.into_any(),
                    Ok(Some(m)) => view! { <MonthView m /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MonthView(m: UtilityMonth) -> impl IntoView {
    let staff = is_staff();
    let split = ServerAction::<SplitUtilities>::new();
    let add = ServerAction::<SaveUtilityKind>::new();
    let (b, month) = (m.building_id, m.month.clone());
    let month2 = month.clone();
    view! {
        <h2 class="mt-6 text-xl font-semibold" data-testid="utility-title">{format!("{} · {}", m.building_name, m.month_label)}</h2>
        {m.closed.then(|| view! {
            <p class="mt-2 rounded bg-amber-50 p-3 text-sm text-amber-800" data-testid="closed-note">"이 달은 부과 마감되었습니다. 고지서·검침을 고치면 차액이 다음 청구서에 조정으로 들어갑니다."</p>
        })}
        {staff.then(|| view! {
            <ActionForm action=split attr:class="mt-3 flex items-center gap-3 text-sm">
                <input type="hidden" name="building_id" value=b.to_string() />
                <input type="hidden" name="month" value=month.clone() />
                <button type="submit" class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100" data-busy-label="나누는 중…">"이 달 고지서 다시 나누기"</button>
                <span class="text-slate-500">"입주·퇴거 날짜가 바뀐 뒤에 누르세요."</span>
                {action_error(move || split.value().get())}
            </ActionForm>
        })}
        {m.kinds.into_iter().map(|k| view! { <KindCard k building=b month=month2.clone() units=m.units.clone() /> }).collect_view()}
        {staff.then(|| view! {
            <section class=CARD aria-labelledby="add-kind">
                <h2 id="add-kind" class="text-lg font-semibold">"공과금 종류 추가"</h2>
                <p class="text-sm text-slate-600">"전기·수도·가스·난방 외에 건물에 따로 고지되는 항목(예: 정화조, 승강기 전기)을 추가합니다."</p>
                <ActionForm action=add attr:class="mt-3 flex flex-wrap items-end gap-3 text-sm">
                    <input type="hidden" name="building_id" value=b.to_string() />
                    <input type="hidden" name="kind" value="" />
                    <input type="hidden" name="month" value=m.month.clone() />
                    <label>"이름"<input name="label" required maxlength="20" class=FILTER /><FieldError message=field_error(add.value(), "label") /></label>
                    <label>"나누는 기준"<BasisSelect selected="exclusive_area".into() /></label>
                    <label>"공용 부분(%)"<input name="common_percent" value="0" class=FILTER /></label>
                    <button type="submit" class=BUTTON>"추가"</button>
                    {action_error(move || add.value().get())}
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn BasisSelect(selected: String) -> impl IntoView {
    view! {
        <select name="basis" class=FILTER>
            {ShareBasis::ALL.map(|b| { let on = b.as_str() == selected; view! { <option value=b.as_str() selected=on>{b.label_ko()}</option> } }).collect_view()}
        </select>
    }
}

#[component]
fn KindCard(
    k: KindMonth,
    building: i64,
    month: String,
    units: Vec<(i64, String, std::collections::BTreeMap<String, i64>)>,
) -> impl IntoView {
    let staff = is_staff();
    let save_bill = ServerAction::<SaveUtilityBill>::new();
    let save_kind = ServerAction::<SaveUtilityKind>::new();
    let bill_value = save_bill.value();
    let kind_value = save_kind.value();
    let s = k.setting.clone();
    let kind = s.kind.clone();
    let bill = k.bill.clone();
    let total = bill
        .as_ref()
        .map(|b| b.total.to_string())
        .unwrap_or_default();
    let consumption = bill
        .as_ref()
        .map(|b| b.consumption.clone())
        .filter(|c| c != "0")
        .unwrap_or_default();
    let from = bill
        .as_ref()
        .and_then(|b| b.period_from)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let to = bill
        .as_ref()
        .and_then(|b| b.period_to)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let memo = bill.as_ref().map(|b| b.memo.clone()).unwrap_or_default();
    let grid = format!(
        "/platform/utilities/readings?building_id={building}&kind={}&month={month}",
        s.kind
    );
    let heading = format!("kind-{}", s.kind);
    let heading_ref = heading.clone();
    let shares = k.shares.clone();
    let (tenants_total, owner_total) = (k.tenants_total, k.owner_total);
    let common = format_percent_bp(s.common_bp.clamp(0, 10_000) as u32);
    let common_input = common.trim_end_matches('%').to_string();
    view! {
        <section class=CARD aria-labelledby=heading_ref data-kind=s.kind.clone()>
            <div class="flex flex-wrap items-baseline gap-3">
                <h2 id=heading class="text-lg font-semibold">{s.label.clone()}</h2>
                <span class="text-sm text-slate-600" data-testid="basis">{format!("나누는 기준: {}{}", basis_label(&s.basis), if s.common_bp > 0 { format!(" · 공용 부분 {common}은 면적으로") } else { String::new() })}</span>
                <A href=grid attr:class=LINK>{format!("검침 입력 ({}/{}호실)", k.readings, k.units)}</A>
            </div>
            {match &bill {
                None => view! { <p class="mt-2 text-sm text-slate-500">"이 달 고지서가 아직 없습니다."</p> }.into_any(),
                Some(b) => view! {
                    <p class="mt-2 text-sm">"고지액 "<strong class="tabular-nums" data-testid="bill-total">{format_won(b.total)}</strong>
                        {(b.consumption != "0").then(|| format!(" · 사용량 {}{}", b.consumption, s.unit))}
                        {b.period_from.zip(b.period_to).map(|(f, t)| format!(" · 사용 기간 {f} ~ {t}"))}
                    </p>
                }.into_any(),
            }}
            {(!shares.is_empty()).then(move || view! {
                <table class=TABLE data-testid="shares">
                    <thead class="bg-slate-50 text-left text-slate-500"><tr>
                        <th class=TH>"호실"</th><th class=TH>"부담"</th><th class=TH>"기준"</th><th class=TH_NUM>"일수"</th><th class=TH_NUM>"분담액"</th>
                    </tr></thead>
                    <tbody>
                        {shares.into_iter().map(|r| view! {
                            <tr class="border-t border-slate-100" data-unit=r.unit_name.clone() data-lease=r.lease_id.map(|l| l.to_string()).unwrap_or_default()>
                                <td class=TD>{r.unit_name.clone()}</td>
                                <td class=TD>{match r.lease_id {
                                    Some(l) => view! { <A href=format!("/platform/leases/{l}") attr:class=LINK>{r.tenant_name.clone()}</A> }.into_any(),
                                    None => view! { <span class="text-amber-700">"공실 (건물주 부담)"</span> }.into_any(),
                                }}</td>
                                <td class=TD>{r.weight.clone()}</td>
                                <td class=NUM>{format!("{}일", r.days)}</td>
                                <td class=NUM data-testid="share-amount">{format_won(r.amount)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot class="border-t border-slate-200 font-semibold"><tr>
                        <td class=TD colspan="4">{format!("임차인 {} · 건물주 부담 {}", format_won(tenants_total), format_won(owner_total))}</td>
                        <td class=NUM>{format_won(tenants_total + owner_total)}</td>
                    </tr></tfoot>
                </table>
                <p class="mt-1 text-xs text-slate-500">{crate::domain::utilities::SHARE_RULE_KO}</p>
            })}
            {staff.then(|| { let kind2 = kind.clone(); let month2 = month.clone(); view! {
                <details class="mt-4" open=bill.is_none()>
                    <summary class="cursor-pointer text-sm font-semibold">"고지서 입력·수정"</summary>
                    <ActionForm action=save_bill attr:class="mt-3 grid gap-3 text-sm sm:grid-cols-3">
                        <input type="hidden" name="building_id" value=building.to_string() />
                        <input type="hidden" name="kind" value=kind.clone() />
                        <input type="hidden" name="month" value=month.clone() />
                        <label>"고지 금액(원)"<input name="total" required inputmode="numeric" value=total class=INPUT placeholder="1,234,000" /><FieldError message=field_error(bill_value, "total") /></label>
                        <label>{format!("건물 사용량 ({})", if s.unit.is_empty() { "선택" } else { s.unit.as_str() })}<input name="consumption" value=consumption class=INPUT /><FieldError message=field_error(bill_value, "consumption") /></label>
                        <label>"메모"<input name="memo" value=memo class=INPUT /><FieldError message=field_error(bill_value, "memo") /></label>
                        <label>"사용 기간 시작"<input type="date" name="period_from" value=from class=INPUT /><FieldError message=field_error(bill_value, "period_from") /></label>
                        <label>"사용 기간 끝"<input type="date" name="period_to" value=to class=INPUT /><FieldError message=field_error(bill_value, "period_to") /></label>
                        <div class="flex items-end gap-3"><button type="submit" class=BUTTON data-busy-label="저장하는 중…">"고지서 저장"</button>{action_error(move || bill_value.get())}</div>
                    </ActionForm>
                </details>
                <details class="mt-3">
                    <summary class="cursor-pointer text-sm font-semibold">"나누는 기준 바꾸기"</summary>
                    <ActionForm action=save_kind attr:class="mt-3 grid gap-3 text-sm sm:grid-cols-3">
                        <input type="hidden" name="building_id" value=building.to_string() />
                        <input type="hidden" name="kind" value=kind2.clone() />
                        <input type="hidden" name="month" value=month2 />
                        <label>"이름"<input name="label" value=s.label.clone() class=INPUT /><FieldError message=field_error(kind_value, "label") /></label>
                        <label>"나누는 기준"<BasisSelect selected=s.basis.clone() /><FieldError message=field_error(kind_value, "basis") /></label>
                        <label>"공용 부분(%, 면적으로 나눔)"<input name="common_percent" value=common_input class=INPUT /><FieldError message=field_error(kind_value, "common_percent") /></label>
                        <fieldset class="sm:col-span-3">
                            <legend class="text-slate-600">"고정 비율(%) — 기준이 '고정 비율'일 때만 씁니다. 합계가 100이 아니어도 비율대로 나눕니다."</legend>
                            <div class="mt-1 flex flex-wrap gap-2">
                                {units.iter().map(|(id, name, r)| { let v = r.get(&kind2).map(|bp| format_percent_bp(*bp as u32).trim_end_matches('%').to_string()).unwrap_or_default(); view! {
                                    <label class="flex items-center gap-1">{name.clone()}<input name=format!("ratio_{id}") value=v class=SMALL /></label>
                                } }).collect_view()}
                            </div>
                        </fieldset>
                        <p class="sm:col-span-3 text-slate-500">"저장하면 이 달과 이후 달의 고지서를 새 기준으로 다시 나눕니다."</p>
                        <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"기준 저장"</button>{action_error(move || kind_value.get())}</div>
                    </ActionForm>
                </details>
            } })}
            {bill.map(|b| view! { <FilesSection owner_kind="utility_bill" owner_id=b.id files=b.files can_edit=staff /> })}
        </section>
    }
}

/// `/platform/utilities/readings?building_id=…&kind=…&month=…`: a kind's reading grid.
#[component]
pub fn ReadingsPage() -> impl IntoView {
    let params = use_query_map();
    let grid = Resource::new(
        move || {
            params.with(|p| {
                (
                    p.get("building_id").and_then(|b| b.parse::<i64>().ok()),
                    p.get("kind").unwrap_or_default(),
                    p.get("month").unwrap_or_default(),
                )
            })
        },
        |(b, kind, month)| async move {
            match b {
                None => Err(crate::domain::ApiError::NotFound),
                Some(b) => get_reading_grid(b, kind, month).await,
            }
        },
    );
    view! {
        <Title text="검침 입력 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match grid.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(g) => view! { <GridView g /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GridView(g: ReadingGrid) -> impl IntoView {
    let staff = is_staff();
    let save = ServerAction::<SaveMeterReadings>::new();
    let value = save.value();
    let back = format!(
        "/platform/utilities?building_id={}&month={}",
        g.building_id, g.month
    );
    let sheet = format!(
        "/platform/utilities/readings.xlsx?building_id={}&kind={}&month={}",
        g.building_id, g.kind, g.month
    );
    let unit = g.unit.clone();
    let (kind2, month2) = (g.kind.clone(), g.month.clone());
    view! {
        <p><A href=back attr:class="text-sm text-emerald-800 hover:underline">{format!("← {} {} 공과금", g.building_name, g.month_label)}</A></p>
        <h1 class="mt-2 text-2xl font-bold">{format!("{} 검침 · {} · {}", g.label, g.building_name, g.month_label)}</h1>
        <p class="mt-1 text-sm text-slate-600">"이번 달 값을 입력하고 Enter를 누르면 아래 칸으로 내려갑니다. 사용량 = (이번 값 − 지난달 값) × 배율. 최근 12개월 평균의 2배를 넘거나 절반에 못 미치면 저장 전에 표시합니다."
            {(g.basis != "metered").then(|| format!(" (이 종류는 지금 '{}' 기준으로 나눕니다. 검침값은 기록으로 남습니다.)", basis_label(&g.basis)))}
        </p>
        {g.closed.then(|| view! { <p class="mt-2 rounded bg-amber-50 p-3 text-sm text-amber-800">"이 달은 부과 마감되었습니다. 검침을 고치면 차액이 다음 청구서에 조정으로 들어갑니다."</p> })}
        <div class="mt-3 flex flex-wrap gap-3 text-sm">
            <a href=sheet rel="external" download="" class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">"검침표 엑셀로 내려받기"</a>
        </div>
        <ActionForm action=save attr:class="mt-3" attr:data-testid="reading-form">
            <input type="hidden" name="building_id" value=g.building_id.to_string() />
            <input type="hidden" name="kind" value=g.kind.clone() />
            <input type="hidden" name="month" value=g.month.clone() />
            <ReadingKeys>
            <table class=TABLE data-testid="reading-grid">
                <thead class="bg-slate-50 text-left text-slate-500"><tr>
                    <th class=TH>"호실"</th><th class=TH>"입주자"</th><th class=TH_NUM>"지난달"</th><th class=TH_NUM>"이번 달"</th>
                    <th class=TH_NUM>"배율"</th><th class=TH_NUM>{format!("사용량 ({unit})")}</th><th class=TH_NUM>"최근 평균"</th><th class=TH>"계량기"</th>
                </tr></thead>
                <tbody>
                    {g.rows.into_iter().map(|r| view! { <GridRow r staff /> }).collect_view()}
                </tbody>
            </table>
            </ReadingKeys>
            <FieldError message=field_error(value, "form") />
            {staff.then(|| view! {
                <div class="mt-3 flex flex-wrap items-center gap-4 text-sm">
                    <label class="flex items-center gap-2"><input type="checkbox" name="confirm" />"평균과 크게 다른 값도 저장"</label>
                    <button type="submit" class=BUTTON data-busy-label="저장하는 중…">"검침 저장"</button>
                    {action_error(move || value.get())}
                </div>
            })}
        </ActionForm>
        {staff.then(|| view! {
            <section class=CARD aria-labelledby="import-title">
                <h2 id="import-title" class="text-lg font-semibold">"엑셀로 가져오기"</h2>
                <p class="text-sm text-slate-600">"내려받은 검침표의 '이번 검침값'(과 바뀐 배율)을 채워 올리면 화면에서 저장한 것과 같이 저장하고 다시 나눕니다."</p>
                <form method="post" enctype="multipart/form-data" action="/api/utilities/readings/import" class="mt-3 flex flex-wrap items-end gap-3 text-sm">
                    <input type="hidden" name="building_id" value=g.building_id.to_string() />
                    <input type="hidden" name="kind" value=kind2.clone() />
                    <input type="hidden" name="month" value=month2.clone() />
                    <label>"검침표(xlsx)"<input type="file" name="file" accept=".xlsx" required class=FILTER /></label>
                    <label class="flex items-center gap-2"><input type="checkbox" name="confirm" />"평균과 크게 다른 값도 저장"</label>
                    <button type="submit" class=BUTTON data-busy-label="가져오는 중…">"가져오기"</button>
                </form>
            </section>
        })}
    }
}

#[component]
fn GridRow(r: ReadingRow, staff: bool) -> impl IntoView {
    let id = r.unit_id;
    let avg = (r.history.len() >= 3).then(|| {
        let recent: Vec<i64> = r.history.iter().rev().take(12).copied().collect();
        recent.iter().sum::<i64>() / recent.len() as i64
    });
    let flag = r.usage.and_then(|u| unusual_usage(u, &r.history));
    let history = r
        .history
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let current = r
        .current
        .map(format_reading)
        .unwrap_or_default()
        .replace(',', "");
    let first = r.previous == 0 && r.current.is_none();
    let evt = r.event.clone();
    let opt = |v: Option<i64>| v.map(format_reading).unwrap_or_default().replace(',', "");
    view! {
        <tr class="border-t border-slate-100" data-unit=r.unit_name.clone() data-prev=r.previous.to_string() data-history=history>
            <td class=TD>{r.unit_name.clone()}</td>
            <td class="px-3 py-1.5 text-slate-600">{if r.occupant.is_empty() { "공실".to_string() } else { r.occupant.clone() }}</td>
            <td class=NUM>{if first && staff {
                view! { <input name=format!("prev_{id}") class=SMALL placeholder="처음 값" aria-label=format!("{} 지난달 검침값", r.unit_name) /> }.into_any()
            } else {
                view! { <span>{format_reading(r.previous)}</span> }.into_any()
            }}</td>
            <td class="px-3 py-1">
                <input name=format!("cur_{id}") value=current data-col="cur" inputmode="decimal" disabled=!staff
                    class="w-32 rounded border border-slate-300 px-2 py-1 text-right" aria-label=format!("{} 이번 달 검침값", r.unit_name) />
            </td>
            <td class="px-3 py-1"><input name=format!("mul_{id}") value=r.multiplier.to_string() data-col="mul" class=SMALL disabled=!staff aria-label=format!("{} 배율", r.unit_name) /></td>
            <td class=NUM data-usage="">{r.usage.map(format_reading).unwrap_or_default()}</td>
            <td class=NUM>{avg.map(format_reading).unwrap_or_else(|| "—".into())}</td>
            <td class="px-3 py-1 text-xs">
                <select name=format!("evt_{id}") class="rounded border border-slate-300 px-1 py-1" disabled=!staff aria-label=format!("{} 계량기 상태", r.unit_name)>
                    <option value="none" selected=evt == "none">"정상"</option>
                    <option value="rollover" selected=evt == "rollover">"한 바퀴 돎"</option>
                    <option value="replaced" selected=evt == "replaced">"교체"</option>
                </select>
                <details class="inline-block">
                    <summary class="cursor-pointer text-slate-500">"교체·자릿수"</summary>
                    <div class="mt-1 grid gap-1">
                        <label>"자릿수 "<input name=format!("dig_{id}") value=r.digits.map(|d| d.to_string()).unwrap_or_default() class=SMALL /></label>
                        <label>"교체 전 마지막 값 "<input name=format!("old_{id}") value=opt(r.old_final) class=SMALL /></label>
                        <label>"교체 전 배율 "<input name=format!("oldmul_{id}") value=r.old_multiplier.map(|d| d.to_string()).unwrap_or_default() class=SMALL /></label>
                        <label>"새 계량기 처음 값 "<input name=format!("start_{id}") value=opt(r.new_start) class=SMALL /></label>
                    </div>
                </details>
                <span data-flag="" class="block text-amber-700">{flag}</span>
            </td>
        </tr>
    }
}

/// The grid's keyboard and live figures: Enter in a reading moves to the row below (as in a
/// spreadsheet) instead of sending the form; typing a reading shows its usage and whether it is
/// far from the unit's average before anything is saved.
#[island]
pub fn ReadingKeys(children: Children) -> impl IntoView {
    view! {
        <div
            on:keydown=|ev: web_sys::KeyboardEvent| {
                #[cfg(feature = "hydrate")]
                client::keydown(ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
            on:input=|ev: web_sys::Event| {
                #[cfg(feature = "hydrate")]
                client::input(ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        >{children()}</div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use crate::domain::utilities::{
        MeterEvent, Reading, format_reading, parse_reading, unusual_usage, usage,
    };
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{Element, Event, HtmlInputElement, KeyboardEvent};

    fn input_of(target: Option<web_sys::EventTarget>) -> Option<HtmlInputElement> {
        target?.dyn_into::<HtmlInputElement>().ok()
    }

    pub fn keydown(ev: KeyboardEvent) {
        if ev.key() != "Enter" {
            return;
        }
        let Some(input) = input_of(ev.target()) else {
            return;
        };
        let Some(col) = input.get_attribute("data-col") else {
            return;
        };
        ev.prevent_default();
        let next = input
            .closest("tr")
            .ok()
            .flatten()
            .and_then(|tr| tr.next_element_sibling())
            .and_then(|tr| {
                tr.query_selector(&format!("[data-col=\"{col}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(next) = next {
            let _ = next.focus();
            next.select();
        }
    }

    fn cell(row: &Element, selector: &str) -> Option<Element> {
        row.query_selector(selector).ok().flatten()
    }

    pub fn input(ev: Event) {
        let Some(input) = input_of(ev.target()) else {
            return;
        };
        let Some(row) = input.closest("tr").ok().flatten() else {
            return;
        };
        let value = |sel: &str| {
            cell(&row, sel)
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default()
        };
        let prev = row
            .get_attribute("data-prev")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0);
        let prev = parse_reading(&value("input[name^=prev_]")).unwrap_or(prev);
        let history: Vec<i64> = row
            .get_attribute("data-history")
            .unwrap_or_default()
            .split(',')
            .filter_map(|h| h.parse().ok())
            .collect();
        let multiplier = value("[data-col=mul]").trim().parse::<u32>().unwrap_or(1);
        let (usage_text, flag) = match parse_reading(&value("[data-col=cur]")) {
            Err(_) => (String::new(), String::new()),
            Ok(current) => match usage(&Reading {
                previous: prev,
                current,
                multiplier,
                event: MeterEvent::None,
            }) {
                Ok(u) => (
                    format_reading(u),
                    unusual_usage(u, &history).unwrap_or_default(),
                ),
                Err(m) => (String::new(), m),
            },
        };
        if let Some(c) = cell(&row, "[data-usage]") {
            c.set_text_content(Some(&usage_text));
        }
        if let Some(c) = cell(&row, "[data-flag]") {
            c.set_text_content(Some(&flag));
        }
    }
}
