//! Expenses' downloads: a month's items and the owner's monthly report as XLSX, and the report
//! as PDF.

use super::{ExpenseRow, category_label, service};
use crate::domain::list::ListQuery;
use crate::server::auth::SessionState;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::download::{file_response, list_query, signed_in, xlsx_export};
use crate::server::web::routes::Routes;
use crate::server::xlsx::Cell;
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::response::Response;

pub fn routes() -> Routes {
    Routes::new()
        .get("/platform/export/expenses", export_expenses)
        .get("/platform/export/owner-report", export_owner_report)
        .get("/platform/expenses/report.pdf", report_pdf)
}

/// `?building_id=…&month=…`: the owner's monthly report as PDF.
async fn report_pdf(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    let q = list_query(raw.as_deref());
    let building = q
        .building_id
        .ok_or_else(|| AppError::field("building_id", "건물을 골라 주세요."))?;
    let r = service::owner_report(&state, &me, building, &q.month).await?;
    let issued = format!(
        "{} 작성",
        crate::server::time::today_seoul().format("%Y-%m-%d")
    );
    let name = format!("월간보고서_{}_{}.pdf", r.month, r.building_name);
    let bytes = tokio::task::spawn_blocking(move || super::pdf::render(&r, &issued))
        .await
        .map_err(|e| AppError::internal(format!("pdf task: {e}")))??;
    Ok(file_response(bytes, "application/pdf", &name, false))
}

const ITEM_HEADERS: [&str; 11] = [
    "지출 월",
    "건물",
    "분류",
    "거래처",
    "공급가액",
    "부가세",
    "합계",
    "지급 예정일",
    "지급일",
    "고정",
    "메모",
];

fn item_cells(r: ExpenseRow) -> Vec<Cell> {
    let date =
        |d: Option<chrono::NaiveDate>| Cell::Text(d.map(|d| d.to_string()).unwrap_or_default());
    vec![
        Cell::Text(r.month.clone()),
        Cell::Text(r.building_name.clone()),
        Cell::Text(category_label(&r.category).to_string()),
        Cell::Text(r.vendor.clone()),
        Cell::Won(r.amount),
        Cell::Won(r.vat),
        Cell::Won(r.total()),
        date(r.pay_date),
        date(r.paid_on),
        Cell::Text(if r.pinned {
            "예".into()
        } else {
            String::new()
        }),
        Cell::Text(r.memo),
    ]
}

async fn export_expenses(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    xlsx_export(
        state,
        &session,
        raw,
        "지출",
        &ITEM_HEADERS,
        |state, me, q| async move {
            let m = service::month(&state, &me, &q, ListQuery::EXPORT_MAX).await?;
            Ok(m.rows.into_iter().map(item_cells).collect())
        },
    )
    .await
}

/// The report as one sheet: the summary rows, the totals by category, then every item.
async fn export_owner_report(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    xlsx_export(
        state,
        &session,
        raw,
        "월간보고서",
        &ITEM_HEADERS,
        |state, me, q| async move {
            let building = q
                .building_id
                .ok_or_else(|| AppError::field("building_id", "건물을 골라 주세요."))?;
            let r = service::owner_report(&state, &me, building, &q.month).await?;
            let line = |label: &str, won: i64| {
                let mut row = vec![
                    Cell::Text(r.month.clone()),
                    Cell::Text(r.building_name.clone()),
                    Cell::Text(label.to_string()),
                ];
                row.extend([
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Won(won),
                ]);
                row
            };
            let mut rows = vec![
                line(&format!("임대 수입 청구 ({}건)", r.invoices), r.billed),
                line("임대 수입 수납", r.collected),
                line("미수금", r.outstanding),
                line("지출 합계", r.expenses_total),
                line("지출 지급 완료", r.expenses_paid),
                line("지출 미지급", r.expenses_unpaid),
                line("수지 (수납 − 지급 완료 지출)", r.balance),
            ];
            for c in &r.by_category {
                rows.push(line(
                    &format!("분류 합계: {} ({}건)", category_label(&c.category), c.items),
                    c.total,
                ));
            }
            rows.extend(r.rows.clone().into_iter().map(item_cells));
            Ok(rows)
        },
    )
    .await
}
