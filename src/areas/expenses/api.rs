//! Server functions of expenses. Staff enter, change, pay, delete and copy; a client user reads
//! their own buildings' items and reports.

use super::{
    CopyForm, CopyReport, DeleteExpenseForm, ExpenseDto, ExpenseForm, ExpenseMonth, OwnerReport,
    PaidForm,
};
use crate::domain::ApiError;
use crate::domain::list::ListQuery;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, flash, require_role, require_user, state},
};

/// A month's items (one building or every building the user sees) with totals by category.
#[server(endpoint = "expenses/month")]
pub async fn get_expense_month(
    #[server(default)] query: ListQuery,
) -> Result<ExpenseMonth, ApiError> {
    let me = require_user()?;
    service::month(&state()?, &me, &query, service::PAGE_ROWS)
        .await
        .map_err(fail)
}

#[server(endpoint = "expenses/get")]
pub async fn get_expense(id: i64) -> Result<ExpenseDto, ApiError> {
    let me = require_user()?;
    service::expense(&state()?, &me, id).await.map_err(fail)
}

/// Adds an item (no `id`) or changes one.
#[server(endpoint = "expenses/save")]
pub async fn save_expense(#[server(flatten)] form: ExpenseForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let new = form.id.is_none();
    let id = service::save(&state()?, &me, &form).await.map_err(fail)?;
    flash(if new {
        "지출 항목을 추가했습니다."
    } else {
        "지출 항목을 저장했습니다."
    });
    if !new {
        leptos_axum::redirect(&format!("/platform/expenses/items/{id}"));
    }
    Ok(id)
}

/// 지급 처리: paid on a day, or back to unpaid (an empty date).
#[server(endpoint = "expenses/paid")]
pub async fn set_expense_paid(#[server(flatten)] form: PaidForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::set_paid(&state()?, &me, form.id, &form.paid_on)
        .await
        .map_err(fail)?;
    flash(if form.paid_on.trim().is_empty() {
        "미지급으로 되돌렸습니다."
    } else {
        "지급 처리했습니다."
    });
    Ok(())
}

/// 삭제, with a reason (kept in the audit log; the item leaves every list).
#[server(endpoint = "expenses/delete")]
pub async fn delete_expense(#[server(flatten)] form: DeleteExpenseForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    let e = service::delete(&state()?, &me, form.id, &form.reason)
        .await
        .map_err(fail)?;
    flash("지출 항목을 삭제했습니다.");
    leptos_axum::redirect(&format!(
        "/platform/expenses?month={}&building_id={}",
        e.month, e.building_id
    ));
    Ok(())
}

/// 고정 항목 복사: a month's pinned items into the next month (what the job does on the 25th).
#[server(endpoint = "expenses/copy-pinned")]
pub async fn copy_pinned_expenses(
    #[server(flatten)] form: CopyForm,
) -> Result<CopyReport, ApiError> {
    let _me = require_role(&Role::STAFF)?;
    let r = service::copy_pinned_by_hand(&state()?, &form.month)
        .await
        .map_err(fail)?;
    flash(&r.summary_ko());
    Ok(r)
}

/// The owner's monthly report of a building.
#[server(endpoint = "expenses/report")]
pub async fn get_owner_report(building_id: i64, month: String) -> Result<OwnerReport, ApiError> {
    let me = require_user()?;
    service::owner_report(&state()?, &me, building_id, &month)
        .await
        .map_err(fail)
}
