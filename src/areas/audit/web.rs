//! `GET /platform/export/audit?…`: the audit log as XLSX (admins only).

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
    Routes::new().get("/platform/export/audit", export)
}

/// The list with the same filters as on screen, every row.
async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "일시",
        "사용자",
        "대상",
        "번호",
        "작업",
        "변경 전",
        "변경 후",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "감사로그",
        &headers,
        |state, me, q| async move {
            if me.role != crate::domain::Role::Admin {
                return Err(crate::domain::ApiError::Forbidden.into());
            }
            let page = service::list_audit(&state, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|a| {
                    vec![
                        Cell::Text(a.at),
                        Cell::Text(a.user_name.unwrap_or_default()),
                        Cell::Text(super::entity_label(&a.entity).into()),
                        Cell::Num(a.entity_id as f64),
                        Cell::Text(super::action_label(&a.action).into()),
                        Cell::Text(a.before.unwrap_or_default()),
                        Cell::Text(a.after.unwrap_or_default()),
                    ]
                })
                .collect())
        },
    )
    .await
}
