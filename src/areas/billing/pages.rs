//! Billing pages: the month's billing view (summary, 12-month chart, buildings with closing,
//! generation, the invoice list), one invoice as its bill with payments, the arrears, and the
//! billing section of a lease page.

use super::api::{
    AddLeaseCharge, CloseAllOpen, CloseMonth, GenerateInvoices, RecordPayment, RemoveLeaseCharge,
    ReopenMonth, ReversePayment, SaveBillingSettings, WaiveLateFee, arrears, billing_settings,
    get_billing_overview, get_invoice, get_lease_billing,
};
use super::{ArrearsView, BillingOverview, InvoiceDto, InvoiceRow, MonthTotals};
use crate::app::ui::{
    BUTTON, BuildingFilter, CARD, ErrorBox, FILTER, FILTER_SUBMIT, FieldError, INPUT, LOADING,
    ListFooter, ManagerFilter, SelectFilter, TABLE, TD, TH, action_error, any_of, choices,
    field_error, is_admin, is_staff, param_id, use_list_query,
};
use crate::domain::billing::{ALLOCATION_ORDER_KO, InvoiceStatus, PaymentMethod, YearMonth};
use crate::domain::money::{format_won, group_thousands};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const NUM: &str = "px-3 py-1.5 text-right tabular-nums";
const LINK: &str = "text-emerald-800 hover:underline";

fn status_class(s: InvoiceStatus) -> &'static str {
    match s {
        InvoiceStatus::Paid => "px-3 py-1.5 text-emerald-700",
        InvoiceStatus::Partial => "px-3 py-1.5 text-amber-700",
        InvoiceStatus::Unpaid => "px-3 py-1.5 text-slate-700",
        InvoiceStatus::Overdue => "px-3 py-1.5 font-semibold text-red-700",
    }
}

fn month_label(m: &str) -> String {
    YearMonth::parse(m)
        .map(|m| m.label_ko())
        .unwrap_or_else(|| m.to_string())
}

/// `97.3%`.
fn rate_text(permille: i64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// `/platform/billing`: a month's billing.
#[component]
pub fn BillingPage() -> impl IntoView {
    let query = use_list_query();
    let overview = Resource::new(move || query.get(), get_billing_overview);
    let generate = ServerAction::<GenerateInvoices>::new();
    let close = ServerAction::<CloseMonth>::new();
    let reopen = ServerAction::<ReopenMonth>::new();
    let q0 = query.get_untracked();
    let staff = is_staff();
    view! {
        <Title text="청구·수납 | 둥지 플랫폼" />
        <div class="flex flex-wrap items-baseline gap-4">
            <h1 class="text-2xl font-bold">"청구·수납"</h1>
            <A href="/platform/billing/arrears" attr:class=LINK>"미납 현황 →"</A>
        </div>
        <form method="get" action="/platform/billing" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <label>"청구 월"<input type="month" name="month" value=q0.month.clone() class=FILTER /></label>
            <BuildingFilter selected=q0.building_id />
            <ManagerFilter selected=q0.manager_id staff_only=staff />
            <SelectFilter label="상태" field="status" selected=q0.status.clone()
                options=any_of(std::iter::once(("open", "미수 (완납 제외)")).chain(InvoiceStatus::ALL.map(|s| (s.as_str(), s.label_ko())))) />
            <SelectFilter label="연체 일수" field="overdue_days" selected=q0.overdue_days.map(|d| d.to_string()).unwrap_or_default()
                options=choices(&[("", "전체"), ("1", "1일 이상"), ("30", "30일 이상"), ("60", "60일 이상"), ("90", "90일 이상")]) />
            <label>"임차인 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone()
                options=choices(&[("", "납부 기한 순"), ("name", "건물·임차인 순"), ("unpaid", "미납액 많은 순"), ("tenant", "임차인 이름 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(o) => view! { <Overview o generate close reopen staff /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    o: BillingOverview,
    generate: ServerAction<GenerateInvoices>,
    close: ServerAction<CloseMonth>,
    reopen: ServerAction<ReopenMonth>,
    staff: bool,
) -> impl IntoView {
    let query = use_list_query().get_untracked();
    let admin = is_admin();
    let month = o.month.clone();
    let report = generate.value();
    let reopen_value = reopen.value();
    let building_filter = query.building_id;
    let close_all = ServerAction::<CloseAllOpen>::new();
    // Open buildings first; the server cut a long list (the building filter finds the rest).
    let buildings = o.buildings;
    let (open, closed_count) = (o.buildings_open, o.buildings_closed);
    let hidden = (open + closed_count).saturating_sub(buildings.len());
    view! {
        <section class="mt-6 grid gap-4 sm:grid-cols-4" data-testid="billing-summary" aria-label="이달 요약">
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">{format!("{} 청구액", o.month_label)}</p><p class="text-xl font-bold tabular-nums" data-testid="billed">{format_won(o.totals.billed)}</p></div>
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">"수납액"</p><p class="text-xl font-bold tabular-nums" data-testid="collected">{format_won(o.totals.collected)}</p></div>
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">"미수금"</p><p class="text-xl font-bold tabular-nums text-red-700" data-testid="outstanding">{format_won(o.outstanding)}</p></div>
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">"수납률"</p><p class="text-xl font-bold tabular-nums" data-testid="rate">{rate_text(o.rate_permille)}</p></div>
        </section>
        <section class=CARD aria-labelledby="chart-title">
            <h2 id="chart-title" class="text-lg font-semibold">"최근 12개월 청구·수납"</h2>
            <MonthChart months=o.chart.clone() />
        </section>
        {staff.then(|| { let month = month.clone(); view! {
            <section class=CARD aria-labelledby="generate-title">
                <h2 id="generate-title" class="text-lg font-semibold">"청구 생성"</h2>
                <p class="text-sm text-slate-600">"계약 기간이 그 달에 걸친 모든 임대 계약의 청구를 만듭니다. 이미 만든 청구는 건너뛰므로 여러 번 눌러도 두 번 만들어지지 않습니다. 매월 1일 02:00에 자동으로도 실행됩니다."</p>
                <ActionForm action=generate attr:class="mt-3 flex flex-wrap items-end gap-3 text-sm">
                    <label>"청구 월"<input type="month" name="month" required value=month.clone() class=FILTER /></label>
                    {building_filter.map(|b| view! { <input type="hidden" name="building_id" value=b.to_string() /> })}
                    <button type="submit" class=BUTTON data-busy-label="생성하는 중…">{if building_filter.is_some() { "청구 생성 (이 건물)" } else { "청구 생성" }}</button>
                    {action_error(move || report.get())}
                </ActionForm>
                {move || report.get().and_then(Result::ok).map(|r| view! {
                    <div class="mt-3 rounded-md bg-emerald-50 p-3 text-sm" data-testid="generate-report">
                        <p class="font-semibold">{r.summary_ko()}</p>
                        <p class="text-slate-600">{format!("{:.1}초 걸렸습니다.", r.millis as f64 / 1000.0)}</p>
                        {(!r.refused.is_empty()).then(|| view! {
                            <ul class="mt-2 list-disc pl-5 text-red-700">
                                {r.refused.iter().take(50).map(|(_, who, why)| view! { <li>{format!("{who}: {why}")}</li> }).collect_view()}
                            </ul>
                        })}
                    </div>
                })}
            </section>
        }})}
        <section class=CARD aria-labelledby="buildings-title">
            <h2 id="buildings-title" class="text-lg font-semibold">{format!("{} 건물별 부과 마감", o.month_label)}</h2>
            <p class="text-sm text-slate-600">"마감한 달의 청구는 바뀌지 않고, 고지서는 마감한 달만 출력합니다. 마감 해제는 관리자가 사유를 적어야 합니다."</p>
            {(open + closed_count == 0).then(|| view! { <p class="mt-3 text-sm text-slate-500">"이 달의 청구가 아직 없습니다."</p> })}
            <p class="mt-2 text-sm" data-testid="closing-summary">{format!("건물 {}곳 중 마감 {}곳, 열림 {}곳", open + closed_count, closed_count, open)}</p>
            {(staff && open > 1).then(|| { let m = month.clone(); view! {
                <ActionForm action=close_all attr:class="mt-2">
                    <input type="hidden" name="month" value=m />
                    <button type="submit" class="rounded bg-slate-800 px-3 py-1.5 text-sm text-white" data-busy-label="마감하는 중…">{format!("열린 건물 {open}곳 모두 마감")}</button>
                    {action_error(move || close_all.value().get())}
                </ActionForm>
            }})}
            <table class=TABLE data-testid="building-months">
                <thead class="bg-slate-50 text-left text-slate-500"><tr>
                    <th class=TH>"건물"</th><th class=TH>"청구"</th><th class=TH>"청구액"</th><th class=TH>"수납액"</th><th class=TH>"마감"</th><th class=TH></th>
                </tr></thead>
                <tbody>
                    {buildings.into_iter().map(|b| {
                        let m = month.clone();
                        let (m2, m3) = (m.clone(), m.clone());
                        let closed = b.closed.is_some();
                        let name = b.building_name.clone();
                        view! {
                            <tr class="border-t border-slate-100 align-top" data-building=name>
                                <td class=TD><A href=format!("/platform/billing?month={}&building_id={}", m, b.building_id) attr:class=LINK>{b.building_name.clone()}</A></td>
                                <td class=NUM>{format!("{}건", group_thousands(b.invoices))}</td>
                                <td class=NUM>{format_won(b.billed)}</td>
                                <td class=NUM>{format_won(b.collected)}</td>
                                <td class=TD>{b.closed.clone().map(|c| format!("마감 ({c})")).unwrap_or_else(|| "열림".into())}</td>
                                <td class="px-3 py-1.5">
                                    {closed.then(|| view! {
                                        <a href=format!("/platform/billing/bills.pdf?building_id={}&month={}", b.building_id, m) rel="external" download="" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">"고지서 PDF"</a>
                                    })}
                                    {(staff && !closed).then(|| view! {
                                        <ActionForm action=close attr:class="inline">
                                            <input type="hidden" name="building_id" value=b.building_id.to_string() />
                                            <input type="hidden" name="month" value=m2 />
                                            <button type="submit" class="rounded bg-slate-800 px-2 py-1 text-white">"부과 마감"</button>
                                        </ActionForm>
                                    })}
                                    {(admin && closed).then(|| view! {
                                        <ActionForm action=reopen attr:class="mt-2 flex flex-wrap items-end gap-2">
                                            <input type="hidden" name="building_id" value=b.building_id.to_string() />
                                            <input type="hidden" name="month" value=m3 />
                                            <label class="text-xs">"해제 사유"<input name="reason" class=FILTER placeholder="예: 관리비 정정 필요" /><FieldError message=field_error(reopen_value, "reason") /></label>
                                            <button type="submit" class="rounded border border-red-700 px-2 py-1 text-red-700">"마감 해제"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(hidden > 0).then(|| view! { <p class="mt-2 text-sm text-slate-500">{format!("외 {hidden}개 건물은 위의 건물 필터로 골라 보세요.")}</p> })}
            {action_error(move || close.value().get())}
            {action_error(move || reopen_value.get())}
        </section>
        {(staff && building_filter.is_some()).then(|| view! { <SettingsCard building_id=building_filter.unwrap_or_default() /> })}
        <h2 class="mt-8 text-lg font-semibold">{format!("{} 청구 목록", o.month_label)}</h2>
        <table class=TABLE data-testid="invoices">
            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                <th class=TH>"임차인"</th><th class=TH>"건물 · 호실"</th><th class=TH>"납부 기한"</th><th class=TH>"청구액"</th><th class=TH>"수납액"</th><th class=TH>"미납액"</th><th class=TH>"상태"</th>
            </tr></thead>
            <tbody>{o.rows.rows.iter().cloned().map(invoice_row).collect_view()}</tbody>
        </table>
        <ListFooter base="/platform/billing" export="invoices" query=query total=o.rows.total page=o.rows.page pages=o.rows.pages />
    }
}

fn invoice_row(r: InvoiceRow) -> impl IntoView {
    view! {
        <tr class="border-t border-slate-100" data-invoice=r.id.to_string()>
            <td class=TD><A href=format!("/platform/billing/invoices/{}", r.id) attr:class=LINK>{r.tenant_name.clone()}</A></td>
            <td class=TD>{format!("{} · {}", r.building_name, r.units)}</td>
            <td class=TD>{r.due_date.to_string()}</td>
            <td class=NUM>{format_won(r.total)}</td>
            <td class=NUM>{format_won(r.paid)}</td>
            <td class=NUM>{format_won((r.total - r.paid).max(0))}</td>
            <td class=status_class(r.status)>{r.status.label_ko()}{(r.days_overdue > 0).then(|| format!(" ({}일)", r.days_overdue))}</td>
        </tr>
    }
}

/// Billed and collected per month as bars, drawn on the server (no script).
#[component]
fn MonthChart(months: Vec<MonthTotals>) -> impl IntoView {
    let max = months
        .iter()
        .map(|m| m.billed.max(m.collected))
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h, top, bottom) = (720.0_f64, 220.0_f64, 16.0_f64, 36.0_f64);
    let plot = h - top - bottom;
    let group = w / months.len().max(1) as f64;
    let bar = (group - 14.0) / 2.0;
    let scale = move |v: i64| (v as f64 / max as f64) * plot;
    let summary = months
        .iter()
        .map(|m| {
            format!(
                "{} 청구 {} 수납 {}",
                m.month,
                format_won(m.billed),
                format_won(m.collected)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <svg viewBox=format!("0 0 {w} {h}") class="mt-3 w-full max-w-3xl" role="img" aria-label=summary data-testid="billing-chart">
            <line x1="0" y1=format!("{}", top + plot) x2=format!("{w}") y2=format!("{}", top + plot) stroke="#cbd5e1" />
            <line x1="0" y1=format!("{top}") x2=format!("{w}") y2=format!("{top}") stroke="#e2e8f0" stroke-dasharray="4 4" />
            <text x=format!("{w}") y=format!("{}", top - 4.0) text-anchor="end" font-size="11" fill="#64748b">{format_won(max)}</text>
            {months.into_iter().enumerate().map(|(i, m)| {
                let x = i as f64 * group + 7.0;
                let hb = scale(m.billed);
                let hc = scale(m.collected);
                let label = YearMonth::parse(&m.month).map(|ym| format!("{}월", ym.month)).unwrap_or_default();
                view! {
                    <g data-month=m.month.clone()>
                        <rect x=format!("{x:.1}") y=format!("{:.1}", top + plot - hb) width=format!("{bar:.1}") height=format!("{hb:.1}") fill="#94a3b8">
                            <title>{format!("{} 청구 {}", m.month, format_won(m.billed))}</title>
                        </rect>
                        <rect x=format!("{:.1}", x + bar) y=format!("{:.1}", top + plot - hc) width=format!("{bar:.1}") height=format!("{hc:.1}") fill="#047857">
                            <title>{format!("{} 수납 {}", m.month, format_won(m.collected))}</title>
                        </rect>
                        <text x=format!("{:.1}", x + bar) y=format!("{:.1}", h - 14.0) text-anchor="middle" font-size="12" fill="#475569">{label}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="mt-1 text-xs text-slate-500"><span class="mr-1 inline-block h-2 w-3 bg-slate-400"></span>"청구액 "<span class="ml-3 mr-1 inline-block h-2 w-3 bg-emerald-700"></span>"수납액"</p>
    }
}

#[component]
fn SettingsCard(building_id: i64) -> impl IntoView {
    let settings = Resource::new(move || building_id, billing_settings);
    let save = ServerAction::<SaveBillingSettings>::new();
    let value = save.value();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                settings.await.ok().map(|s| view! {
                    <section class=CARD aria-labelledby="settings-title">
                        <h2 id="settings-title" class="text-lg font-semibold">{format!("{} 청구 설정", s.building_name)}</h2>
                        <ActionForm action=save attr:class="mt-3 grid gap-3 text-sm sm:grid-cols-3">
                            <input type="hidden" name="building_id" value=s.building_id.to_string() />
                            <label class="sm:col-span-2">"납부 계좌 (고지서에 인쇄)"<input name="payment_account" value=s.payment_account.clone() placeholder="예: 국민은행 123-456-789012 (예금주 둥지빌딩)" class=INPUT /><FieldError message=field_error(value, "payment_account") /></label>
                            <label>"연체 이율 월별 가산 (bp, 100 = 연 1%)"<input name="late_fee_step_bp" type="number" min="0" max="2000" value=s.late_fee_step_bp.to_string() class=INPUT /><FieldError message=field_error(value, "late_fee_step_bp") /></label>
                            <div class="sm:col-span-3 flex items-center gap-3"><button type="submit" class=BUTTON>"설정 저장"</button>{action_error(move || value.get())}</div>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// `/platform/billing/invoices/:id`: the bill, its payments, and recording a payment.
#[component]
pub fn InvoicePage() -> impl IntoView {
    let id = param_id();
    let invoice = Resource::new(id, get_invoice);
    let pay = ServerAction::<RecordPayment>::new();
    let reverse = ServerAction::<ReversePayment>::new();
    let waive = ServerAction::<WaiveLateFee>::new();
    view! {
        <Title text="청구서 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match invoice.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(i) => view! { <InvoiceView i pay reverse waive /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn InvoiceView(
    i: InvoiceDto,
    pay: ServerAction<RecordPayment>,
    reverse: ServerAction<ReversePayment>,
    waive: ServerAction<WaiveLateFee>,
) -> impl IntoView {
    let staff = is_staff();
    let closed = i.closed.is_some();
    let owed_now = (i.total - i.paid).max(0);
    let pay_value = pay.value();
    let waive_value = waive.value();
    let reverse_value = reverse.value();
    let today = i.today;
    view! {
        <p><A href=format!("/platform/billing?month={}&building_id={}", i.month, i.building_id) attr:class="text-sm text-emerald-800 hover:underline">{format!("← {} {}", i.building_name, month_label(&i.month))}</A></p>
        <div class="mt-2 flex flex-wrap items-center gap-3">
            <h1 class="text-2xl font-bold">{format!("{} {} 청구", i.tenant_name, month_label(&i.month))}</h1>
            <span class=status_class(i.status) data-testid="invoice-status">{i.status.label_ko()}</span>
            {if closed {
                view! { <a href=format!("/platform/billing/invoices/{}/bill.pdf", i.id) rel="external" target="_blank" class="ml-auto rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"고지서 PDF"</a> }.into_any()
            } else {
                view! { <span class="ml-auto text-sm text-slate-500">"마감 전 (고지서는 부과 마감 후 출력)"</span> }.into_any()
            }}
        </div>
        <article class="mt-4 max-w-3xl rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200" data-testid="bill">
            <header class="flex flex-wrap justify-between gap-4 border-b border-slate-800 pb-3">
                <div>
                    <p class="text-xl font-bold">"임대료·관리비 고지서"</p>
                    <p class="mt-1 text-sm">{format!("{} 귀하", i.tenant_name)}</p>
                    <p class="text-sm text-slate-600">{format!("{} {}", i.building_name, i.units)}</p>
                </div>
                <div class="text-right text-xs text-slate-600">
                    <p class="text-sm font-semibold text-slate-900">{i.issuer.name.clone()}</p>
                    <p>{format!("대표 {} · 사업자등록번호 {}", i.issuer.representative, i.issuer.business_number)}</p>
                    <p>{i.issuer.address.clone()}</p>
                    <p>{format!("전화 {}", i.issuer.phone)}</p>
                    <p class="mt-1">{i.closed.clone().map(|c| format!("부과 마감: {c}")).unwrap_or_else(|| "부과 마감 전".into())}</p>
                </div>
            </header>
            <dl class="mt-4 grid grid-cols-2 gap-3 rounded bg-emerald-50 p-3 text-sm sm:grid-cols-4">
                <div><dt class="text-slate-500">"이번 달 청구"</dt><dd class="font-semibold tabular-nums" data-testid="invoice-total">{format_won(i.total)}</dd></div>
                <div><dt class="text-slate-500">"납부 기한"</dt><dd class="font-semibold">{i.due_date.to_string()}</dd></div>
                <div><dt class="text-slate-500">"미납 이월"</dt><dd class="font-semibold tabular-nums" data-testid="previous-arrears">{format_won(i.previous_arrears)}</dd></div>
                <div><dt class="text-slate-500">"남은 금액"</dt><dd class="font-semibold tabular-nums text-red-700" data-testid="invoice-owed">{format_won(owed_now)}</dd></div>
            </dl>
            <table class="mt-4 w-full text-sm" data-testid="invoice-lines">
                <thead class="border-b border-slate-300 text-left text-slate-500"><tr>
                    <th class="py-1">"항목"</th><th class="py-1 text-right">"공급가액"</th><th class="py-1 text-right">"부가세"</th><th class="py-1 text-right">"금액"</th><th class="py-1 text-right">"수납"</th>
                </tr></thead>
                <tbody>
                    {i.lines.clone().into_iter().map(|l| {
                        let can_waive = staff && !closed && l.kind == "late_fee" && l.waived.is_none() && l.paid == 0;
                        let amount = l.amount();
                        view! {
                            <tr class="border-b border-slate-100 align-top" data-line=l.kind.clone()>
                                <td class="py-1.5">
                                    <span class=if l.waived.is_some() { "line-through text-slate-400" } else { "" }>{l.label.clone()}</span>
                                    {(!l.rule.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{l.rule.clone()}</span> })}
                                    {l.waived.clone().map(|w| view! { <span class="block text-xs text-amber-700">{w}</span> })}
                                    {can_waive.then(|| view! {
                                        <ActionForm action=waive attr:class="mt-1 flex flex-wrap items-end gap-2 text-xs">
                                            <input type="hidden" name="line_id" value=l.id.to_string() />
                                            <label>"면제 사유"<input name="reason" class=FILTER placeholder="예: 은행 전산 장애로 입금 지연" /></label>
                                            <button type="submit" class="rounded border border-amber-700 px-2 py-1 text-amber-800">"연체료 면제"</button>
                                        </ActionForm>
                                    })}
                                </td>
                                <td class="py-1.5 text-right tabular-nums">{format_won(l.supply)}</td>
                                <td class="py-1.5 text-right tabular-nums">{format_won(l.vat)}</td>
                                <td class="py-1.5 text-right tabular-nums">{format_won(amount)}</td>
                                <td class="py-1.5 text-right tabular-nums">{format_won(l.paid)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot class="text-right">
                    {(i.late_fee_total() > 0).then(|| view! { <tr><td class="pt-2 text-slate-500" colspan="3">"그중 연체료"</td><td class="pt-2 tabular-nums" data-testid="late-fee-total">{format_won(i.late_fee_total())}</td><td></td></tr> })}
                    <tr><td class="pt-2 text-slate-500">"공급가액 · 부가세 합계"</td><td class="pt-2 tabular-nums">{format_won(i.supply_total())}</td><td class="pt-2 tabular-nums">{format_won(i.vat_total())}</td><td class="pt-2 font-semibold tabular-nums">{format_won(i.total)}</td><td class="pt-2 tabular-nums">{format_won(i.paid)}</td></tr>
                </tfoot>
            </table>
            {action_error(move || waive_value.get())}
            <p class="mt-4 rounded bg-slate-50 p-2 text-sm">{if i.payment_account.is_empty() { "납부 계좌: 관리사무소에 문의해 주세요.".to_string() } else { format!("납부 계좌: {}", i.payment_account) }}</p>
            <ul class="mt-3 list-disc pl-5 text-xs text-slate-500">
                <li>{i.vat_rule.clone()}</li>
                <li>{ALLOCATION_ORDER_KO}</li>
                <li>"연체료는 납부 기한과 유예 기간이 지난 다음 날부터 미납액 × 연 이율 × 일수 ÷ 365로 계산해 다음 달 청구에 넣으며, 원 미만은 절사합니다."</li>
            </ul>
        </article>
        <section class=CARD aria-labelledby="payments-title">
            <h2 id="payments-title" class="text-lg font-semibold">"수납"</h2>
            <p class="text-sm text-slate-600" data-testid="credit">{format!("이 임차인의 선수금(다음 청구에 충당): {}", format_won(i.credit))}</p>
            {staff.then(|| view! {
                <ActionForm action=pay attr:class="mt-3 grid gap-3 text-sm sm:grid-cols-6">
                    <input type="hidden" name="lease_id" value=i.lease_id.to_string() />
                    <input type="hidden" name="invoice_id" value=i.id.to_string() />
                    <label>"수납일"<input name="paid_on" type="date" value=today.to_string() max=today.to_string() class=INPUT /><FieldError message=field_error(pay_value, "paid_on") /></label>
                    <label>"금액(원)"<input name="amount" inputmode="numeric" value=owed_now.to_string() class=INPUT /><FieldError message=field_error(pay_value, "amount") /></label>
                    <label>"방법"<select name="method" class=INPUT>{PaymentMethod::ALL.map(|m| view! { <option value=m.as_str()>{m.label_ko()}</option> }).collect_view()}</select><FieldError message=field_error(pay_value, "method") /></label>
                    <label>"입금자명"<input name="depositor" maxlength="100" class=INPUT /><FieldError message=field_error(pay_value, "depositor") /></label>
                    <label class="sm:col-span-2">"메모"<input name="memo" maxlength="500" class=INPUT /></label>
                    <p class="text-xs text-slate-500 sm:col-span-6">{ALLOCATION_ORDER_KO}</p>
                    <div class="sm:col-span-6 flex items-center gap-3"><button type="submit" class=BUTTON data-busy-label="기록하는 중…">"수납 기록"</button>{action_error(move || pay_value.get())}</div>
                </ActionForm>
            })}
            <table class=TABLE data-testid="payments">
                <thead class="bg-slate-50 text-left text-slate-500"><tr>
                    <th class=TH>"수납일"</th><th class=TH>"금액"</th><th class=TH>"이 청구에 충당"</th><th class=TH>"선수금"</th><th class=TH>"방법"</th><th class=TH>"입금자 · 메모"</th><th class=TH>"기록자"</th><th class=TH></th>
                </tr></thead>
                <tbody>
                    {i.payments.clone().into_iter().map(|p| {
                        let reversed = p.reversed.is_some();
                        view! {
                            <tr class=if reversed { "border-t border-slate-100 text-slate-400" } else { "border-t border-slate-100" }>
                                <td class=TD>{p.paid_on.to_string()}</td>
                                <td class=NUM><span class=if reversed { "line-through" } else { "" }>{format_won(p.amount)}</span></td>
                                <td class=NUM>{format_won(p.applied_here)}</td>
                                <td class=NUM>{format_won(p.unallocated)}</td>
                                <td class=TD>{p.method.label_ko()}</td>
                                <td class=TD>{format!("{} {}", p.depositor, p.memo)}{p.reversed.clone().map(|r| view! { <span class="block text-xs text-red-700">{r}</span> })}</td>
                                <td class=TD>{p.by.clone()}</td>
                                <td class=TD>
                                    {(staff && !reversed && p.method != PaymentMethod::Refund).then(|| view! {
                                        <ActionForm action=reverse attr:class="flex flex-wrap items-end gap-2 text-xs">
                                            <input type="hidden" name="id" value=p.id.to_string() />
                                            <input type="hidden" name="invoice_id" value=i.id.to_string() />
                                            <label>"취소 사유"<input name="reason" class=FILTER placeholder="예: 다른 임차인 입금" /></label>
                                            <button type="submit" class="rounded border border-red-700 px-2 py-1 text-red-700">"수납 취소"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {i.payments.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-500">"아직 수납 기록이 없습니다."</p> })}
            {action_error(move || reverse_value.get())}
        </section>
    }
}

/// `/platform/billing/arrears`: who owes what, by age.
#[component]
pub fn ArrearsPage() -> impl IntoView {
    let query = use_list_query();
    let view_data = Resource::new(move || query.get(), arrears);
    let q0 = query.get_untracked();
    view! {
        <Title text="미납 현황 | 둥지 플랫폼" />
        <div class="flex flex-wrap items-baseline gap-4">
            <h1 class="text-2xl font-bold">"미납 현황"</h1>
            <A href="/platform/billing" attr:class=LINK>"← 청구·수납"</A>
        </div>
        <form method="get" action="/platform/billing/arrears" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <BuildingFilter selected=q0.building_id />
            <label>"임차인 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("", "건물·임차인 순"), ("total", "미납액 많은 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
            <a href=format!("/platform/export/arrears?{}", q0.to_query_string(0)) rel="external" download="" class="ml-auto rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">"엑셀로 내려받기"</a>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(v) => view! { <ArrearsTable v /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ArrearsTable(v: ArrearsView) -> impl IntoView {
    let labels = ["30일 이하", "31~60일", "61~90일", "90일 초과"];
    view! {
        <p class="mt-4 text-sm text-slate-600">{format!("{} 기준 · 납부 기한이 지난 미납 {}", v.as_of, format_won(v.total))}</p>
        <section class="mt-3 grid gap-3 sm:grid-cols-4" data-testid="aging">
            {labels.iter().zip(v.bucket_totals).map(|(l, t)| view! {
                <div class="rounded-lg bg-white p-3 ring-1 ring-slate-200"><p class="text-xs text-slate-500">{*l}</p><p class="font-semibold tabular-nums">{format_won(t)}</p></div>
            }).collect_view()}
        </section>
        {v.rows.is_empty().then(|| view! { <p class="mt-4 text-sm text-slate-500">"납부 기한이 지난 미납이 없습니다."</p> })}
        <table class=TABLE data-testid="arrears">
            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                <th class=TH>"임차인"</th><th class=TH>"건물 · 호실"</th>
                {labels.map(|l| view! { <th class=TH>{l}</th> }).collect_view()}
                <th class=TH>"미납 합계"</th><th class=TH>"미납 개월"</th><th class=TH>"쌓이는 연체료"</th>
            </tr></thead>
            <tbody>
                {v.rows.into_iter().map(|a| {
                    let flag = a.three_periods;
                    view! {
                        <tr class="border-t border-slate-100" data-lease=a.lease_id.to_string()>
                            <td class=TD><A href=format!("/platform/leases/{}", a.lease_id) attr:class=LINK>{a.tenant_name.clone()}</A></td>
                            <td class=TD>{format!("{} · {}", a.building_name, a.units)}</td>
                            {a.buckets.map(|b| view! { <td class=NUM>{format_won(b)}</td> }).collect_view()}
                            <td class="px-3 py-1.5 text-right font-semibold tabular-nums">{format_won(a.total)}</td>
                            <td class=if flag { "px-3 py-1.5 font-semibold text-red-700" } else { TD }>
                                {format!("{}개월", a.unpaid_periods)}
                                {flag.then(|| view! { <span class="block text-xs" data-testid="three-periods">"3기 이상 연체: 갱신 거절·해지 사유 (상가임대차법 §10)"</span> })}
                            </td>
                            <td class=NUM>{format_won(a.accruing_late_fee)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/platform/billing/leases/:id`: a lease's recurring charges, invoices, credit and arrears.
#[component]
pub fn LeaseBillingPage() -> impl IntoView {
    let id = param_id();
    view! {
        <Title text="계약별 청구 | 둥지 플랫폼" />
        <p><A href=format!("/platform/leases/{}", id()) attr:class="text-sm text-emerald-800 hover:underline">"← 임대 계약"</A></p>
        <h1 class="mt-2 text-2xl font-bold">"계약별 청구·수납"</h1>
        <LeaseBillingSection lease_id=id() can_edit=is_staff() />
    }
}

#[component]
fn LeaseBillingSection(lease_id: i64, can_edit: bool) -> impl IntoView {
    let add = ServerAction::<AddLeaseCharge>::new();
    let remove = ServerAction::<RemoveLeaseCharge>::new();
    let billing = Resource::new(
        move || (add.version().get(), remove.version().get()),
        move |_| get_lease_billing(lease_id),
    );
    let add_value = add.value();
    view! {
        <section class=CARD aria-labelledby="billing">
            <h2 id="billing" class="text-lg font-semibold">"청구·수납"</h2>
            <Suspense fallback=|| view! { <p class="text-sm">{LOADING}</p> }>
                {move || Suspend::new(async move {
                    match billing.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(b) => view! {
                            <p class="text-sm text-slate-600" data-testid="lease-billing-summary">{format!("미납 {} · 선수금 {}", format_won(b.outstanding), format_won(b.credit))}</p>
                            <h3 class="mt-3 text-sm font-semibold">"매월 부과 항목 (임대료·관리비 외)"</h3>
                            {b.charges.is_empty().then(|| view! { <p class="text-sm text-slate-500">"없음"</p> })}
                            <ul class="text-sm">
                                {b.charges.into_iter().map(|c| view! {
                                    <li class="flex items-center gap-3">
                                        {format!("{} {}{}", c.label, format_won(c.amount), if c.taxable { " (과세)" } else { " (비과세)" })}
                                        {can_edit.then(|| view! {
                                            <ActionForm action=remove attr:class="inline">
                                                <input type="hidden" name="id" value=c.id.to_string() />
                                                <button type="submit" class="text-xs text-red-700 underline">"삭제"</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {can_edit.then(|| view! {
                                <ActionForm action=add attr:class="mt-2 grid gap-3 text-sm sm:grid-cols-4">
                                    <input type="hidden" name="lease_id" value=lease_id.to_string() />
                                    <label>"항목"<input name="label" maxlength="50" placeholder="예: 주차비" class=INPUT /><FieldError message=field_error(add_value, "label") /></label>
                                    <label>"월 금액(원)"<input name="amount" type="number" min="1" class=INPUT /><FieldError message=field_error(add_value, "amount") /></label>
                                    <label class="flex items-center gap-2 pt-6"><input name="taxable" type="checkbox" value="true" checked />"부가세 과세"</label>
                                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"항목 추가"</button>{action_error(move || add_value.get())}</div>
                                </ActionForm>
                            })}
                            <h3 class="mt-4 text-sm font-semibold">"청구 내역"</h3>
                            {b.invoices.is_empty().then(|| view! { <p class="text-sm text-slate-500">"아직 청구가 없습니다."</p> })}
                            <table class=TABLE>
                                <thead class="bg-slate-50 text-left text-slate-500"><tr><th class=TH>"월"</th><th class=TH>"납부 기한"</th><th class=TH>"청구액"</th><th class=TH>"수납액"</th><th class=TH>"상태"</th></tr></thead>
                                <tbody>
                                    {b.invoices.into_iter().map(|r| view! {
                                        <tr class="border-t border-slate-100">
                                            <td class=TD><A href=format!("/platform/billing/invoices/{}", r.id) attr:class=LINK>{r.month.clone()}</A></td>
                                            <td class=TD>{r.due_date.to_string()}</td>
                                            <td class=NUM>{format_won(r.total)}</td>
                                            <td class=NUM>{format_won(r.paid)}</td>
                                            <td class=status_class(r.status)>{r.status.label_ko()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
