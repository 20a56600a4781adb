//! Billing's downloads: a bill as PDF, a building's closed month as one PDF, and the invoice
//! list and the arrears as XLSX.

use super::service;
use crate::server::auth::SessionState;
use crate::server::db::list::Paging;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::download::{file_response, list_query, signed_in, xlsx_export};
use crate::server::web::routes::Routes;
use crate::server::xlsx::Cell;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;

pub fn routes() -> Routes {
    Routes::new()
        .get("/platform/billing/invoices/{id}/bill.pdf", bill_pdf)
        .get("/platform/billing/bills.pdf", building_pdf)
        .get("/platform/export/invoices", export_invoices)
        .get("/platform/export/arrears", export_arrears)
}

const PDF: &str = "application/pdf";

/// Renders on a blocking thread: a building's month can be hundreds of pages.
async fn render(bills: Vec<super::InvoiceDto>) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || super::pdf::render(&bills))
        .await
        .map_err(|e| AppError::internal(format!("pdf task: {e}")))?
}

async fn bill_pdf(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    let bills = service::bills_for_print(&state, &me, &[id]).await?;
    let name = bills
        .first()
        .map(|b| {
            format!(
                "고지서_{}_{}_{}.pdf",
                b.month, b.building_name, b.tenant_name
            )
        })
        .unwrap_or_else(|| "고지서.pdf".into());
    Ok(file_response(render(bills).await?, PDF, &name, true))
}

/// `?building_id=…&month=2026-03`: every bill of the building's closed month.
async fn building_pdf(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    let q = list_query(raw.as_deref());
    let building = q
        .building_id
        .ok_or_else(|| AppError::field("building_id", "건물을 골라 주세요."))?;
    let ids = service::building_month_invoices(&state, &me, building, &q.month).await?;
    let bills = service::bills_for_print(&state, &me, &ids).await?;
    let name = bills
        .first()
        .map(|b| format!("고지서_{}_{}.pdf", b.month, b.building_name))
        .unwrap_or_else(|| "고지서.pdf".into());
    Ok(file_response(render(bills).await?, PDF, &name, false))
}

async fn export_invoices(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "청구 월",
        "건물",
        "임차인",
        "호실",
        "납부 기한",
        "청구액",
        "수납액",
        "미납액",
        "상태",
        "연체 일수",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "청구",
        &headers,
        |state, me, q| async move {
            let o = service::overview(&state, &me, &q, Paging::All).await?;
            Ok(o.rows
                .rows
                .into_iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.month),
                        Cell::Text(r.building_name),
                        Cell::Text(r.tenant_name),
                        Cell::Text(r.units),
                        Cell::Text(r.due_date.to_string()),
                        Cell::Won(r.total),
                        Cell::Won(r.paid),
                        Cell::Won(r.total - r.paid),
                        Cell::Text(r.status.label_ko().into()),
                        Cell::Num(r.days_overdue as f64),
                    ]
                })
                .collect())
        },
    )
    .await
}

async fn export_arrears(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "임차인",
        "건물",
        "호실",
        "30일 이하",
        "31~60일",
        "61~90일",
        "90일 초과",
        "미납 합계",
        "미납 개월",
        "가장 오래된 납부 기한",
        "3기 이상 연체",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "미납",
        &headers,
        |state, me, q| async move {
            let v = service::arrears(&state, &me, &q).await?;
            Ok(v.rows
                .into_iter()
                .map(|a| {
                    let flag = a.three_periods;
                    vec![
                        Cell::Text(a.tenant_name),
                        Cell::Text(a.building_name),
                        Cell::Text(a.units),
                        Cell::Won(a.buckets[0]),
                        Cell::Won(a.buckets[1]),
                        Cell::Won(a.buckets[2]),
                        Cell::Won(a.buckets[3]),
                        Cell::Won(a.total),
                        Cell::Num(a.unpaid_periods as f64),
                        Cell::Text(a.oldest_due.to_string()),
                        Cell::Text(if flag { "예".into() } else { String::new() }),
                    ]
                })
                .collect())
        },
    )
    .await
}
