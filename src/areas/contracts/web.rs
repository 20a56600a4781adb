//! `GET /platform/export/contracts?…`: the management contract list as XLSX.

use super::service;
use crate::server::auth::SessionState;
use crate::server::db::list::Paging;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::download::xlsx_export;
use crate::server::web::routes::Routes;
use crate::server::xlsx::Cell;
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::response::Response;

pub fn routes() -> Routes {
    Routes::new().get("/platform/export/contracts", export)
}

/// The list with the same filters as on screen, every row.
async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "건물",
        "고객",
        "관리 범위",
        "시작일",
        "종료일",
        "월 관리 수수료",
        "부가세",
        "상태",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "관리계약",
        &headers,
        |state, me, q| async move {
            let page = service::list_contracts(&state, &me, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.building_name),
                        Cell::Text(c.client_name),
                        Cell::Text(c.scope),
                        Cell::Text(c.start_date.to_string()),
                        Cell::Text(c.end_date.to_string()),
                        Cell::Won(c.monthly_fee),
                        Cell::Text(if c.vat_applies { "적용" } else { "미적용" }.into()),
                        Cell::Text(c.status.label_ko().into()),
                    ]
                })
                .collect())
        },
    )
    .await
}
