//! Expense rules with I/O: validation against the building, who sees what (a client user only
//! their buildings' items, 404 otherwise), the month's totals by category, copying pinned items,
//! and the owner's monthly report with billing's income.

use super::{
    CATEGORIES, CategoryTotal, CopyReport, ExpenseDto, ExpenseForm, ExpenseMonth, ExpenseRow,
    OwnerReport, store,
};
use crate::domain::ApiError;
use crate::domain::billing::YearMonth;
use crate::domain::list::ListQuery;
use crate::server::auth::CurrentUser;
use crate::server::db::Db;
use crate::server::db::list::{Arg, Where};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::today_seoul;
use chrono::NaiveDate;

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

fn month_or_this(raw: &str) -> Result<YearMonth, AppError> {
    if raw.trim().is_empty() {
        return Ok(YearMonth::of(today_seoul()));
    }
    YearMonth::parse(raw)
        .ok_or_else(|| AppError::field("month", "지출 월을 YYYY-MM으로 입력해 주세요."))
}

async fn check_building(state: &AppState, me: &CurrentUser, building: i64) -> Result<(), AppError> {
    use crate::server::db::{Table, exists};
    if exists(&state.db, Table::Buildings, building).await?
        && me.scope().sees_building(&state.db, building).await?
    {
        Ok(())
    } else {
        Err(not_found())
    }
}

/// Totals per category in the categories' order (only those with items).
fn by_category(totals: Vec<(String, i64, i64, i64)>) -> Vec<CategoryTotal> {
    let mut out: Vec<CategoryTotal> = totals
        .into_iter()
        .map(|(category, items, total, paid)| CategoryTotal {
            category,
            items,
            total,
            paid,
        })
        .collect();
    out.sort_by_key(|c| {
        CATEGORIES
            .iter()
            .position(|(code, _)| *code == c.category)
            .unwrap_or(CATEGORIES.len())
    });
    out
}

/// The most items a month's page lists (its totals count every item).
pub const PAGE_ROWS: u32 = 2_000;

/// A month's items of one building or of every building the user sees (at most `limit`), and
/// their totals over every item.
pub async fn month(
    state: &AppState,
    me: &CurrentUser,
    q: &ListQuery,
    limit: u32,
) -> Result<ExpenseMonth, AppError> {
    let month = month_or_this(&q.month)?;
    let mut w = Where::default();
    me.scope().restrict(&mut w, "b.client_id");
    w.push("e.month = ?", [Arg::S(month.to_string())]);
    if let Some(b) = q.building_id {
        w.push("e.building_id = ?", [Arg::I(b)]);
    }
    match q.status.as_str() {
        "paid" => w.push("e.paid_on IS NOT NULL", []),
        "unpaid" => w.push("e.paid_on IS NULL", []),
        "pinned" => w.push("e.pinned = ?", [Arg::I(1)]),
        _ => {}
    }
    if let Some(s) = crate::server::db::list::search_text(q) {
        w.search(&["e.vendor", "e.memo"], s);
    }
    let rows = store::list(&state.db, &w, limit).await?;
    let by = by_category(store::totals(&state.db, &w).await?);
    Ok(ExpenseMonth {
        month: month.to_string(),
        month_label: month.label_ko(),
        items: by.iter().map(|c| c.items).sum(),
        total: by.iter().map(|c| c.total).sum(),
        paid: by.iter().map(|c| c.paid).sum(),
        by_category: by,
        rows,
    })
}

pub async fn expense(state: &AppState, me: &CurrentUser, id: i64) -> Result<ExpenseDto, AppError> {
    let e = store::get(&state.db, id).await?.ok_or_else(not_found)?;
    check_building(state, me, e.building_id).await?;
    Ok(ExpenseDto {
        files: crate::areas::files::service::files_of(state, "expense", id).await?,
        copies: store::copies_of(&state.db, id).await?,
        expense: e,
    })
}

pub async fn save(state: &AppState, me: &CurrentUser, form: &ExpenseForm) -> Result<i64, AppError> {
    let input = form
        .into_input(today_seoul())
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    match form.id {
        None => {
            check_building(state, me, input.building_id).await?;
            store::create(&state.db, &input, me.id.0).await
        }
        Some(id) => {
            let before = store::get(&state.db, id).await?.ok_or_else(not_found)?;
            let building = before.building_id;
            check_building(state, me, building).await?;
            // A copy stays in its month: moved, its key (source, month) would be free again
            // and the next copy run would make it twice.
            if before.source_id.is_some() && before.month != input.month.to_string() {
                return Err(AppError::field(
                    "month",
                    "고정 항목에서 복사한 항목은 다른 달로 옮길 수 없습니다. 삭제하고 그 달에 새로 입력해 주세요.",
                ));
            }
            if building != input.building_id {
                return Err(AppError::field(
                    "building_id",
                    "지출 항목의 건물은 바꿀 수 없습니다. 삭제하고 새로 입력해 주세요.",
                ));
            }
            store::update(&state.db, id, &input, me.id.0).await?;
            Ok(id)
        }
    }
}

pub async fn set_paid(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
    paid_on: &str,
) -> Result<(), AppError> {
    let building = store::building_of(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    check_building(state, me, building).await?;
    let t = paid_on.trim();
    let day = if t.is_empty() {
        None
    } else {
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| AppError::field("paid_on", "지급일을 YYYY-MM-DD로 입력해 주세요."))?;
        if d > today_seoul() {
            return Err(AppError::field(
                "paid_on",
                "지급일은 오늘 이후일 수 없습니다.",
            ));
        }
        Some(d)
    };
    store::set_paid(&state.db, id, day, me.id.0).await
}

/// Deletes an item with a reason; gives the item as it was (its list to go back to).
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
    reason: &str,
) -> Result<ExpenseRow, AppError> {
    let e = store::get(&state.db, id).await?.ok_or_else(not_found)?;
    check_building(state, me, e.building_id).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::field(
            "reason",
            "삭제 사유를 200자 이내로 적어 주세요.",
        ));
    }
    store::delete(&state.db, id, reason, me.id.0).await?;
    Ok(e)
}

/// Copies `from`'s pinned items into the month after (the job on the 25th, or by hand).
pub async fn copy_pinned(db: &Db, from: YearMonth) -> Result<CopyReport, AppError> {
    let to = from.next();
    let (copied, already) = store::copy_pinned(db, from, to).await?;
    tracing::info!(from = %from, to = %to, copied, already, "pinned expenses copied");
    Ok(CopyReport {
        from: from.label_ko(),
        to: to.label_ko(),
        copied,
        already,
    })
}

/// "고정 항목 복사" from the platform: staff, for a month (this month by default).
pub async fn copy_pinned_by_hand(state: &AppState, month: &str) -> Result<CopyReport, AppError> {
    copy_pinned(&state.db, month_or_this(month)?).await
}

/// The owner's monthly report for a building.
pub async fn owner_report(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
    month: &str,
) -> Result<OwnerReport, AppError> {
    check_building(state, me, building).await?;
    let month = month_or_this(month)?;
    let (building_name, client_name) = store::building_names(&state.db, building)
        .await?
        .ok_or_else(not_found)?;
    let income =
        crate::areas::billing::service::building_month_income(&state.db, building, month).await?;
    let q = ListQuery {
        building_id: Some(building),
        month: month.to_string(),
        ..ListQuery::default()
    };
    let m = self::month(state, me, &q, ListQuery::EXPORT_MAX).await?;
    Ok(OwnerReport {
        building_id: building,
        building_name,
        client_name,
        month: month.to_string(),
        month_label: month.label_ko(),
        invoices: income.invoices,
        billed: income.billed,
        collected: income.collected,
        outstanding: income.billed - income.collected,
        expenses_total: m.total,
        expenses_paid: m.paid,
        expenses_unpaid: m.total - m.paid,
        balance: income.collected - m.paid,
        by_category: m.by_category,
        rows: m.rows,
    })
}
