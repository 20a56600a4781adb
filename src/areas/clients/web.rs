//! `GET /platform/export/clients?…`: the client list as XLSX.

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
    Routes::new().get("/platform/export/clients", export)
}

/// The list with the same filters as on screen, every row.
async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "고객",
        "구분",
        "사업자등록번호",
        "대표자",
        "연락처",
        "이메일",
        "건물 수",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "고객",
        &headers,
        |state, me, q| async move {
            let page = service::list_clients(&state, &me, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.name),
                        Cell::Text(crate::domain::validation::kind_label(&c.kind).into()),
                        Cell::Text(c.business_number.unwrap_or_default()),
                        Cell::Text(c.representative),
                        Cell::Text(c.contact_phone),
                        Cell::Text(c.contact_email),
                        Cell::Num(c.buildings as f64),
                    ]
                })
                .collect())
        },
    )
    .await
}
