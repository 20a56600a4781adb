//! `GET /platform/export/buildings?…` and `/platform/export/units?building_id=…`: the building
//! and unit lists as XLSX.

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
    Routes::new()
        .get("/platform/export/buildings", export_buildings)
        .get("/platform/export/units", export_units)
}

/// The building list with the filters on screen.
async fn export_buildings(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "건물",
        "도로명 주소",
        "지역 구분",
        "고객",
        "담당자",
        "호실 수",
        "진행 중 계약",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "건물",
        &headers,
        |state, me, q| async move {
            let page = service::list_buildings(&state, &me, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|b| {
                    vec![
                        Cell::Text(b.name),
                        Cell::Text(b.road_address),
                        Cell::Text(b.region),
                        Cell::Text(b.client_name.unwrap_or_default()),
                        Cell::Text(b.managers),
                        Cell::Num(b.units as f64),
                        Cell::Num(b.active_leases as f64),
                    ]
                })
                .collect())
        },
    )
    .await
}

/// One building's units with the filters on screen.
async fn export_units(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let headers = [
        "층",
        "호실",
        "전용면적(㎡)",
        "공용면적(㎡)",
        "계약면적(㎡)",
        "임차인",
    ];
    xlsx_export(
        state,
        &session,
        raw,
        "호실",
        &headers,
        |state, me, q| async move {
            let page = service::list_units(&state, &me, &q, Paging::All).await?;
            Ok(page
                .rows
                .into_iter()
                .map(|u| {
                    vec![
                        Cell::Num(f64::from(u.floor)),
                        Cell::Text(u.name),
                        crate::server::xlsx::area(u.exclusive_area_m2),
                        crate::server::xlsx::area(u.common_area_m2),
                        crate::server::xlsx::area(u.contract_area_m2),
                        Cell::Text(u.tenant_name.unwrap_or_else(|| "공실".into())),
                    ]
                })
                .collect())
        },
    )
    .await
}
