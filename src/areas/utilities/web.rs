//! Utilities' downloads: a kind's readings sheet for a month (filled in and imported back) and
//! a month's shares of every kind.

use super::service;
use crate::server::auth::SessionState;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::download::{file_response, signed_in};
use crate::server::web::routes::Routes;
use crate::server::xlsx::{Cell, workbook};
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/platform/utilities/readings.xlsx", readings_sheet)
        .get("/platform/export/utility-shares", export_shares)
}

#[derive(Debug, Default, Deserialize)]
struct SheetQuery {
    #[serde(default)]
    building_id: Option<i64>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    month: String,
}

fn building(q: &SheetQuery) -> Result<i64, AppError> {
    q.building_id
        .ok_or_else(|| AppError::field("building_id", "건물을 골라 주세요."))
}

/// The readings sheet: each unit with last month's reading, this month's if entered, and the
/// multiplier.
async fn readings_sheet(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Query(q): Query<SheetQuery>,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    let g = service::grid(&state, &me, building(&q)?, &q.kind, &q.month).await?;
    let plain = |m: i64| crate::domain::utilities::format_reading(m).replace(',', "");
    let rows = g
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.unit_name.clone()),
                Cell::Text(r.occupant.clone()),
                Cell::Text(plain(r.previous)),
                Cell::Text(r.current.map(plain).unwrap_or_default()),
                Cell::Text(r.multiplier.to_string()),
            ]
        })
        .collect();
    let bytes = workbook("검침", &service::SHEET_COLUMNS, rows)?;
    let name = format!("검침표_{}_{}_{}.xlsx", g.building_name, g.label, g.month);
    Ok(file_response(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        false,
    ))
}

const SHARE_HEADERS: [&str; 8] = [
    "고지 월",
    "종류",
    "호실",
    "부담",
    "기준",
    "일수",
    "분담액",
    "고지액",
];

/// A building's shares for a month, every kind.
async fn export_shares(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Query(q): Query<SheetQuery>,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    let m = service::month_view(&state, &me, building(&q)?, &q.month).await?;
    let mut rows = Vec::new();
    for k in &m.kinds {
        for s in &k.shares {
            rows.push(vec![
                Cell::Text(m.month.clone()),
                Cell::Text(k.setting.label.clone()),
                Cell::Text(s.unit_name.clone()),
                Cell::Text(if s.lease_id.is_some() {
                    s.tenant_name.clone()
                } else {
                    "공실 (건물주 부담)".into()
                }),
                Cell::Text(s.weight.clone()),
                Cell::Num(s.days as f64),
                Cell::Won(s.amount),
                Cell::Won(k.bill.as_ref().map(|b| b.total).unwrap_or(0)),
            ]);
        }
    }
    let bytes = workbook("공과금 분담", &SHARE_HEADERS, rows)?;
    let name = format!("공과금분담_{}_{}.xlsx", m.building_name, m.month);
    Ok(file_response(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        false,
    ))
}
