//! `GET /platform/export/tenants?…`: the tenant list as XLSX.

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
    Routes::new().get("/platform/export/tenants", export)
}

/// The list with the same filters as on screen, every row.
async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "임차인",
        "구분",
        "사업자등록번호",
        "대표자",
        "담당자",
        "휴대전화",
        "이메일",
        "계약 수",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "임차인",
        &headers,
        |state, me, q| async move {
            let page = service::list_tenants(&state, &me, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|t| {
                    vec![
                        Cell::Text(t.name),
                        Cell::Text(crate::domain::validation::kind_label(&t.kind).into()),
                        Cell::Text(t.business_number.unwrap_or_default()),
                        Cell::Text(t.representative),
                        Cell::Text(t.contact_name),
                        Cell::Text(crate::domain::validation::format_mobile(&t.mobile)),
                        Cell::Text(t.email),
                        Cell::Num(t.leases as f64),
                    ]
                })
                .collect())
        },
    )
    .await
}
