//! `GET /platform/export/leases?…`: the lease list as XLSX.

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
    Routes::new().get("/platform/export/leases", export)
}

/// The list with the same filters as on screen, every row.
async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "임차인",
        "건물",
        "호실",
        "시작일",
        "종료일",
        "보증금",
        "월 임대료",
        "상태",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "임대계약",
        &headers,
        |state, me, q| async move {
            let page = service::list_leases(&state, &me, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.tenant_name),
                        Cell::Text(r.building_name),
                        Cell::Text(r.units),
                        Cell::Text(r.start_date.to_string()),
                        Cell::Text(r.end_date.to_string()),
                        Cell::Won(r.deposit),
                        Cell::Won(r.monthly_rent),
                        Cell::Text(r.status.label_ko().into()),
                    ]
                })
                .collect())
        },
    )
    .await
}
