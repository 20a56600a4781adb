//! Expense pages: a month's items with totals by category and the form to add one, one item
//! with its bill attached, and the owner's monthly report.

use super::api::{
    CopyPinnedExpenses, DeleteExpense, SaveExpense, SetExpensePaid, get_expense, get_expense_month,
    get_owner_report,
};
use super::{CATEGORIES, CategoryTotal, ExpenseDto, ExpenseMonth, ExpenseRow, category_label};
use crate::app::ui::{
    BUTTON, BuildingFilter, CARD, ErrorBox, FILTER, FILTER_SUBMIT, FieldError, INPUT, LOADING,
    SelectFilter, TABLE, TD, TH, action_error, choices, field_error, is_staff, param_id,
    use_list_query,
};
use crate::areas::files::pages::FilesSection;
use crate::domain::money::format_won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const NUM: &str = "px-3 py-1.5 text-right tabular-nums";
/// A header over numbers, aligned with them.
const TH_NUM: &str = "px-3 py-2 text-right";
/// A row's heading in the report.
const ROW_TH: &str = "px-3 py-2 text-left font-medium";
const LINK: &str = "text-emerald-800 hover:underline";

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// `/platform/expenses`: a month's items.
#[component]
pub fn ExpensesPage() -> impl IntoView {
    let query = use_list_query();
    let month = Resource::new(move || query.get(), get_expense_month);
    let q0 = query.get_untracked();
    view! {
        <Title text="지출 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"건물 지출 (관리비 지출)"</h1>
        <form method="get" action="/platform/expenses" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <label>"지출 월"<input type="month" name="month" value=q0.month.clone() class=FILTER /></label>
            <BuildingFilter selected=q0.building_id />
            <SelectFilter label="상태" field="status" selected=q0.status.clone()
                options=choices(&[("", "전체"), ("unpaid", "미지급"), ("paid", "지급 완료"), ("pinned", "고정 항목")]) />
            <label>"거래처·메모 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match month.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(m) => view! { <MonthView m /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CategoryTable(rows: Vec<CategoryTotal>) -> impl IntoView {
    view! {
        <table class=TABLE data-testid="by-category">
            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                <th class=TH>"분류"</th><th class=TH_NUM>"건수"</th><th class=TH_NUM>"합계"</th><th class=TH_NUM>"지급"</th><th class=TH_NUM>"미지급"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| view! {
                    <tr class="border-t border-slate-100" data-category=c.category.clone()>
                        <td class=TD>{category_label(&c.category).to_string()}</td>
                        <td class=NUM>{format!("{}건", c.items)}</td>
                        <td class=NUM>{format_won(c.total)}</td>
                        <td class=NUM>{format_won(c.paid)}</td>
                        <td class=NUM>{format_won(c.total - c.paid)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ItemsTable(rows: Vec<ExpenseRow>) -> impl IntoView {
    view! {
        <table class=TABLE data-testid="expenses">
            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                <th class=TH>"건물"</th><th class=TH>"분류"</th><th class=TH>"거래처"</th><th class=TH_NUM>"공급가액"</th><th class=TH_NUM>"부가세"</th>
                <th class=TH_NUM>"합계"</th><th class=TH>"지급 예정일"</th><th class=TH>"지급"</th><th class=TH></th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let total = r.total();
                    view! {
                        <tr class="border-t border-slate-100" data-expense=r.id.to_string()>
                            <td class=TD>{r.building_name.clone()}</td>
                            <td class=TD><A href=format!("/platform/expenses/items/{}", r.id) attr:class=LINK>{category_label(&r.category).to_string()}</A></td>
                            <td class=TD>{r.vendor.clone()}</td>
                            <td class=NUM>{format_won(r.amount)}</td>
                            <td class=NUM>{format_won(r.vat)}</td>
                            <td class=NUM>{format_won(total)}</td>
                            <td class=TD>{date_text(r.pay_date)}</td>
                            <td class=if r.paid_on.is_some() { "px-3 py-1.5 text-emerald-700" } else { "px-3 py-1.5 text-amber-700" }>
                                {r.paid_on.map(|d| format!("지급 {d}")).unwrap_or_else(|| "미지급".into())}
                            </td>
                            <td class="px-3 py-1.5 text-xs text-slate-500">
                                {r.pinned.then_some("고정 ")}
                                {(r.files > 0).then(|| format!("첨부 {}", r.files))}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The fields of an expense item (new or existing).
#[component]
fn ExpenseFields(
    e: Option<ExpenseRow>,
    month: String,
    action: ServerAction<SaveExpense>,
) -> impl IntoView {
    let value = action.value();
    let cat = e.as_ref().map(|e| e.category.clone()).unwrap_or_default();
    let vendor = e.as_ref().map(|e| e.vendor.clone()).unwrap_or_default();
    let amount = e.as_ref().map(|e| e.amount.to_string()).unwrap_or_default();
    let vat = e.as_ref().map(|e| e.vat.to_string()).unwrap_or_default();
    let pay = e
        .as_ref()
        .and_then(|e| e.pay_date)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let paid = e
        .as_ref()
        .and_then(|e| e.paid_on)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let pinned = e.as_ref().is_some_and(|e| e.pinned);
    let memo = e.as_ref().map(|e| e.memo.clone()).unwrap_or_default();
    let new = e.is_none();
    view! {
        <label>"지출 월"<input type="month" name="month" required value=month class=INPUT /><FieldError message=field_error(value, "month") /></label>
        <label>"분류"
            <select name="category" class=INPUT required>
                <option value="">"선택"</option>
                {CATEGORIES.map(|(c, l)| { let on = c == cat; view! { <option value=c selected=on>{l}</option> } }).collect_view()}
            </select>
            <FieldError message=field_error(value, "category") />
        </label>
        <label>"거래처"<input name="vendor" value=vendor class=INPUT placeholder="예: 깨끗한청소" /><FieldError message=field_error(value, "vendor") /></label>
        <label>"공급가액(원)"<input name="amount" inputmode="numeric" required value=amount class=INPUT placeholder="1,000,000" /><FieldError message=field_error(value, "amount") /></label>
        <label>"부가세(원)"<input name="vat" inputmode="numeric" value=vat class=INPUT placeholder="세금계산서의 부가세" /><FieldError message=field_error(value, "vat") /></label>
        <label class="flex items-center gap-2 pt-6"><input type="checkbox" name="vat_auto" checked=new />"부가세 = 공급가액의 10% (원 미만 절사)"</label>
        <label>"지급 예정일"<input type="date" name="pay_date" value=pay class=INPUT /><FieldError message=field_error(value, "pay_date") /></label>
        <label>"지급일 (지급했으면)"<input type="date" name="paid_on" value=paid class=INPUT /><FieldError message=field_error(value, "paid_on") /></label>
        <label class="flex items-center gap-2 pt-6"><input type="checkbox" name="pinned" checked=pinned />"고정 항목 (매월 25일에 다음 달로 복사)"</label>
        <label class="sm:col-span-3">"메모"<input name="memo" value=memo class=INPUT /><FieldError message=field_error(value, "memo") /></label>
    }
}

#[component]
fn MonthView(m: ExpenseMonth) -> impl IntoView {
    let query = use_list_query().get_untracked();
    let staff = is_staff();
    let save = ServerAction::<SaveExpense>::new();
    let copy = ServerAction::<CopyPinnedExpenses>::new();
    let value = save.value();
    let month = m.month.clone();
    let building = query.building_id;
    let export = format!(
        "/platform/export/expenses?month={}{}",
        m.month,
        building
            .map(|b| format!("&building_id={b}"))
            .unwrap_or_default()
    );
    view! {
        <section class="mt-6 grid gap-4 sm:grid-cols-3" data-testid="expense-summary" aria-label="이달 지출 요약">
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">{format!("{} 지출 합계", m.month_label)}</p><p class="text-xl font-bold tabular-nums" data-testid="expense-total">{format_won(m.total)}</p></div>
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">"지급 완료"</p><p class="text-xl font-bold tabular-nums" data-testid="expense-paid">{format_won(m.paid)}</p></div>
            <div class="rounded-lg bg-white p-4 ring-1 ring-slate-200"><p class="text-sm text-slate-500">"미지급"</p><p class="text-xl font-bold tabular-nums text-amber-700">{format_won(m.total - m.paid)}</p></div>
        </section>
        <div class="mt-4 flex flex-wrap gap-3 text-sm">
            <a href=export rel="external" download="" class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">"엑셀로 내려받기"</a>
            {building.map(|b| view! {
                <A href=format!("/platform/expenses/report?building_id={b}&month={}", m.month) attr:class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">"건물주 월간 보고서"</A>
            })}
        </div>
        <section class=CARD aria-labelledby="category-title">
            <h2 id="category-title" class="text-lg font-semibold">"분류별 합계"</h2>
            {m.by_category.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-500">"이 달의 지출 항목이 없습니다."</p> })}
            <CategoryTable rows=m.by_category.clone() />
        </section>
        <section class=CARD aria-labelledby="items-title">
            <h2 id="items-title" class="text-lg font-semibold">{format!("{} 지출 항목 {}건", m.month_label, m.items)}</h2>
            {((m.rows.len() as i64) < m.items).then(|| view! {
                <p class="mt-1 text-sm text-amber-700">{format!("처음 {}건만 보입니다 (합계는 모든 항목). 건물을 고르거나 엑셀로 내려받아 보세요.", m.rows.len())}</p>
            })}
            <ItemsTable rows=m.rows.clone() />
        </section>
        {staff.then(|| { let (month, copy_month) = (month.clone(), month.clone()); view! {
            <section class=CARD aria-labelledby="add-title">
                <h2 id="add-title" class="text-lg font-semibold">"지출 항목 추가"</h2>
                {match building {
                    None => view! { <p class="mt-2 text-sm text-slate-600">"위에서 건물을 골라 조회하면 그 건물의 지출을 입력할 수 있습니다."</p> }.into_any(),
                    Some(b) => view! {
                        <ActionForm action=save attr:class="mt-3 grid gap-3 text-sm sm:grid-cols-3">
                            <input type="hidden" name="building_id" value=b.to_string() />
                            <ExpenseFields e=None month=month.clone() action=save />
                            <div class="sm:col-span-3 flex items-center gap-3"><button type="submit" class=BUTTON data-busy-label="저장하는 중…">"추가"</button>{action_error(move || value.get())}</div>
                        </ActionForm>
                    }.into_any(),
                }}
            </section>
            <section class=CARD aria-labelledby="copy-title">
                <h2 id="copy-title" class="text-lg font-semibold">"고정 항목 복사"</h2>
                <p class="text-sm text-slate-600">"이 달 모든 건물의 고정 항목을 다음 달로 복사합니다 (지급 예정일은 한 달 뒤, 말일은 말일로, 미지급으로). 매월 25일 02:00에 자동으로 실행되며, 이미 복사한 항목은 다시 만들지 않습니다."</p>
                <ActionForm action=copy attr:class="mt-3 flex items-end gap-3 text-sm">
                    <input type="hidden" name="month" value=copy_month />
                    <button type="submit" class=BUTTON data-busy-label="복사하는 중…">"다음 달로 복사"</button>
                    {action_error(move || copy.value().get())}
                </ActionForm>
                {move || copy.value().get().and_then(Result::ok).map(|r| view! { <p class="mt-2 text-sm" data-testid="copy-report">{r.summary_ko()}</p> })}
            </section>
        }})}
    }
}

/// `/platform/expenses/items/:id`: one item, its bill, changing or deleting it.
#[component]
pub fn ExpensePage() -> impl IntoView {
    let id = param_id();
    let item = Resource::new(id, get_expense);
    view! {
        <Title text="지출 항목 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match item.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(d) => view! { <ExpenseView d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExpenseView(d: ExpenseDto) -> impl IntoView {
    let staff = is_staff();
    let e = d.expense.clone();
    let save = ServerAction::<SaveExpense>::new();
    let paid = ServerAction::<SetExpensePaid>::new();
    let delete = ServerAction::<DeleteExpense>::new();
    let value = save.value();
    let delete_value = delete.value();
    view! {
        <p><A href=format!("/platform/expenses?month={}&building_id={}", e.month, e.building_id) attr:class="text-sm text-emerald-800 hover:underline">{format!("← {} {} 지출", e.building_name, e.month)}</A></p>
        <div class="mt-2 flex flex-wrap items-center gap-3">
            <h1 class="text-2xl font-bold">{format!("{} · {}", category_label(&e.category), if e.vendor.is_empty() { "거래처 없음".to_string() } else { e.vendor.clone() })}</h1>
            <span class=if e.paid_on.is_some() { "text-emerald-700" } else { "text-amber-700" } data-testid="expense-status">
                {e.paid_on.map(|d| format!("지급 완료 ({d})")).unwrap_or_else(|| "미지급".into())}
            </span>
            {e.pinned.then(|| view! { <span class="rounded bg-slate-100 px-2 text-sm">"고정 항목"</span> })}
        </div>
        <dl class="mt-4 grid max-w-3xl grid-cols-2 gap-3 rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200 sm:grid-cols-4">
            <div><dt class="text-slate-500">"공급가액"</dt><dd class="font-semibold tabular-nums">{format_won(e.amount)}</dd></div>
            <div><dt class="text-slate-500">"부가세"</dt><dd class="font-semibold tabular-nums">{format_won(e.vat)}</dd></div>
            <div><dt class="text-slate-500">"합계"</dt><dd class="font-semibold tabular-nums" data-testid="expense-amount">{format_won(e.total())}</dd></div>
            <div><dt class="text-slate-500">"지급 예정일"</dt><dd class="font-semibold">{date_text(e.pay_date)}</dd></div>
            {(!e.memo.is_empty()).then(|| view! { <div class="col-span-full"><dt class="text-slate-500">"메모"</dt><dd>{e.memo.clone()}</dd></div> })}
            {e.source_id.map(|s| view! { <div class="col-span-full text-slate-500">"지난달 고정 항목에서 복사됨 · "<A href=format!("/platform/expenses/items/{s}") attr:class=LINK>"원본 보기"</A></div> })}
            {(!d.copies.is_empty()).then(|| { let copies = d.copies.clone(); view! { <div class="col-span-full text-slate-500">"복사된 항목: "{copies.into_iter().map(|(id, m)| view! { <A href=format!("/platform/expenses/items/{id}") attr:class="mr-2 text-emerald-800 hover:underline">{m}</A> }).collect_view()}</div> } })}
        </dl>
        {staff.then(|| {
            let e2 = e.clone();
            let id = e.id.to_string();
            let (id2, id3) = (id.clone(), id.clone());
            let paid_on = e.paid_on.map(|d| d.to_string()).unwrap_or_default();
            view! {
            <section class=CARD aria-labelledby="paid-title">
                <h2 id="paid-title" class="text-lg font-semibold">"지급 처리"</h2>
                <ActionForm action=paid attr:class="mt-3 flex flex-wrap items-end gap-3 text-sm">
                    <input type="hidden" name="id" value=id />
                    <label>"지급일 (비우면 미지급)"<input type="date" name="paid_on" value=paid_on class=FILTER /><FieldError message=field_error(paid.value(), "paid_on") /></label>
                    <button type="submit" class=BUTTON>"저장"</button>
                    {action_error(move || paid.value().get())}
                </ActionForm>
            </section>
            <section class=CARD aria-labelledby="edit-title">
                <h2 id="edit-title" class="text-lg font-semibold">"항목 고치기"</h2>
                <ActionForm action=save attr:class="mt-3 grid gap-3 text-sm sm:grid-cols-3">
                    <input type="hidden" name="id" value=id2 />
                    <input type="hidden" name="building_id" value=e2.building_id.to_string() />
                    <ExpenseFields e=Some(e2.clone()) month=e2.month.clone() action=save />
                    <div class="sm:col-span-3 flex items-center gap-3"><button type="submit" class=BUTTON data-busy-label="저장하는 중…">"저장"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
            <section class=CARD aria-labelledby="delete-title">
                <h2 id="delete-title" class="text-lg font-semibold">"삭제"</h2>
                <ActionForm action=delete attr:class="mt-3 flex flex-wrap items-end gap-3 text-sm">
                    <input type="hidden" name="id" value=id3 />
                    <label>"삭제 사유"<input name="reason" class=FILTER placeholder="예: 중복 입력" /><FieldError message=field_error(delete_value, "reason") /></label>
                    <button type="submit" class="rounded border border-red-700 px-3 py-1.5 text-red-700">"삭제"</button>
                    {action_error(move || delete_value.get())}
                </ActionForm>
            </section>
        }})}
        <FilesSection owner_kind="expense" owner_id=e.id files=d.files.clone() can_edit=staff />
    }
}

/// `/platform/expenses/report?building_id=…&month=…`: the owner's monthly report.
#[component]
pub fn OwnerReportPage() -> impl IntoView {
    let query = use_list_query();
    let report = Resource::new(
        move || query.get(),
        |q| get_owner_report(q.building_id.unwrap_or(0), q.month),
    );
    view! {
        <Title text="건물주 월간 보고서 | 둥지 플랫폼" />
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(r) => view! {
                        <p><A href=format!("/platform/expenses?month={}&building_id={}", r.month, r.building_id) attr:class="text-sm text-emerald-800 hover:underline">"← 지출 목록"</A></p>
                        <div class="mt-2 flex flex-wrap items-baseline gap-3">
                            <h1 class="text-2xl font-bold">{format!("{} {} 월간 보고서", r.building_name, r.month_label)}</h1>
                            {(!r.client_name.is_empty()).then(|| view! { <span class="text-slate-600">{format!("건물주 {}", r.client_name)}</span> })}
                            <a href=format!("/platform/expenses/report.pdf?building_id={}&month={}", r.building_id, r.month) rel="external" download="" class="ml-auto rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"PDF로 내려받기"</a>
                            <a href=format!("/platform/export/owner-report?building_id={}&month={}", r.building_id, r.month) rel="external" download="" class="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"엑셀로 내려받기"</a>
                        </div>
                        <table class=TABLE data-testid="owner-report">
                            <tbody>
                                <tr class="border-t border-slate-100"><th class=ROW_TH scope="row">{format!("임대 수입 청구 ({}건)", r.invoices)}</th><td class=NUM>{format_won(r.billed)}</td></tr>
                                <tr class="border-t border-slate-100"><th class=ROW_TH scope="row">"임대 수입 수납"</th><td class=NUM data-testid="report-collected">{format_won(r.collected)}</td></tr>
                                <tr class="border-t border-slate-100"><th class=ROW_TH scope="row">"미수금"</th><td class=NUM>{format_won(r.outstanding)}</td></tr>
                                <tr class="border-t border-slate-100"><th class=ROW_TH scope="row">"지출 합계"</th><td class=NUM>{format_won(r.expenses_total)}</td></tr>
                                <tr class="border-t border-slate-100"><th class=ROW_TH scope="row">"지출 지급 완료"</th><td class=NUM data-testid="report-paid">{format_won(r.expenses_paid)}</td></tr>
                                <tr class="border-t border-slate-100"><th class=ROW_TH scope="row">"지출 미지급"</th><td class=NUM>{format_won(r.expenses_unpaid)}</td></tr>
                                <tr class="border-t-2 border-slate-400 font-semibold"><th class=ROW_TH scope="row">"수지 (수납 − 지급 완료 지출)"</th><td class=NUM data-testid="report-balance">{format_won(r.balance)}</td></tr>
                            </tbody>
                        </table>
                        <section class=CARD aria-labelledby="report-category-title">
                            <h2 id="report-category-title" class="text-lg font-semibold">"지출 분류별 합계"</h2>
                            <CategoryTable rows=r.by_category.clone() />
                        </section>
                        <section class=CARD aria-labelledby="report-items-title">
                            <h2 id="report-items-title" class="text-lg font-semibold">"지출 내역"</h2>
                            <ItemsTable rows=r.rows.clone() />
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
