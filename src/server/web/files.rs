//! Plain HTTP handlers under `/platform` for what a server function cannot answer: a file
//! download, a list exported to XLSX with its filters, and the import template. The session
//! middleware has already sent visitors to the login page.

use crate::domain::Role;
use crate::domain::leasing::ListQuery;
use crate::server::auth::{CurrentUser, SessionState};
use crate::server::error::AppError;
use crate::server::services::imports::{Cell, template, workbook};
use crate::server::services::records::{self as records, Paging};
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn user(session: &SessionState) -> Result<CurrentUser, AppError> {
    match session {
        SessionState::User { user, .. } => Ok(user.clone()),
        SessionState::StoreDown => Err(crate::domain::ApiError::Unavailable.into()),
        _ => Err(crate::domain::ApiError::Unauthorized.into()),
    }
}

/// `attachment; filename*=UTF-8''…` so Korean names survive every browser.
fn disposition(kind: &str, name: &str) -> HeaderValue {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"download\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn file_response(bytes: Vec<u8>, content_type: &str, name: &str, inline: bool) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CONTENT_DISPOSITION,
        disposition(if inline { "inline" } else { "attachment" }, name),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// `GET /platform/files/{id}`: the file, if the viewer may see its owner record (404 otherwise).
/// `?inline=1` shows an image in the page instead of saving it.
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let me = user(&session)?;
    let (f, bytes) = records::read_file(&state, &me, id).await?;
    let inline =
        query.is_some_and(|q| q.contains("inline=1")) && f.content_type.starts_with("image/");
    Ok(file_response(bytes, &f.content_type, &f.name, inline))
}

/// `GET /platform/import-template.xlsx`.
pub async fn import_template(
    Extension(session): Extension<SessionState>,
) -> Result<Response, AppError> {
    let me = user(&session)?;
    if !me.role.is_staff() {
        return Err(crate::domain::ApiError::Forbidden.into());
    }
    Ok(file_response(
        template()?,
        XLSX,
        "임대계약_가져오기_양식.xlsx",
        false,
    ))
}

fn area(v: f64) -> Cell {
    Cell::Num((v * 100.0).round() / 100.0)
}

/// `GET /platform/export/{list}?…`: the list with the same filters as on screen, every row.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(list): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let me = user(&session)?;
    let params: HashMap<String, String> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let q = ListQuery::from_params(|k| params.get(k).cloned());
    let today = crate::server::services::leasing::today_seoul().format("%Y%m%d");
    let (title, bytes) = match list.trim_end_matches(".xlsx") {
        "leases" => {
            let page =
                crate::server::services::leasing::list_leases(&state, &me, &q, Paging::All).await?;
            let rows = page
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
                .collect();
            (
                "임대계약",
                workbook(
                    "임대계약",
                    &[
                        "임차인",
                        "건물",
                        "호실",
                        "시작일",
                        "종료일",
                        "보증금",
                        "월 임대료",
                        "상태",
                    ],
                    rows,
                )?,
            )
        }
        "buildings" => {
            let page = records::list_buildings(&state, &me, &q, Paging::All).await?;
            let rows = page
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
                .collect();
            (
                "건물",
                workbook(
                    "건물",
                    &[
                        "건물",
                        "도로명 주소",
                        "지역 구분",
                        "고객",
                        "담당자",
                        "호실 수",
                        "진행 중 계약",
                    ],
                    rows,
                )?,
            )
        }
        "units" => {
            let page = records::list_units(&state, &me, &q, Paging::All).await?;
            let rows = page
                .rows
                .into_iter()
                .map(|u| {
                    vec![
                        Cell::Num(f64::from(u.floor)),
                        Cell::Text(u.name),
                        area(u.exclusive_area_m2),
                        area(u.common_area_m2),
                        area(u.contract_area_m2),
                        Cell::Text(u.tenant_name.unwrap_or_else(|| "공실".into())),
                    ]
                })
                .collect();
            (
                "호실",
                workbook(
                    "호실",
                    &[
                        "층",
                        "호실",
                        "전용면적(㎡)",
                        "공용면적(㎡)",
                        "계약면적(㎡)",
                        "임차인",
                    ],
                    rows,
                )?,
            )
        }
        "clients" => {
            let page = records::list_clients(&state, &me, &q, Paging::All).await?;
            let rows = page
                .rows
                .into_iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.name),
                        Cell::Text(crate::domain::records::kind_label(&c.kind).into()),
                        Cell::Text(c.business_number.unwrap_or_default()),
                        Cell::Text(c.representative),
                        Cell::Text(c.contact_phone),
                        Cell::Text(c.contact_email),
                        Cell::Num(c.buildings as f64),
                    ]
                })
                .collect();
            (
                "고객",
                workbook(
                    "고객",
                    &[
                        "고객",
                        "구분",
                        "사업자등록번호",
                        "대표자",
                        "연락처",
                        "이메일",
                        "건물 수",
                    ],
                    rows,
                )?,
            )
        }
        "contracts" => {
            let page = records::list_contracts(&state, &me, &q, Paging::All).await?;
            let rows = page
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
                .collect();
            (
                "관리계약",
                workbook(
                    "관리계약",
                    &[
                        "건물",
                        "고객",
                        "관리 범위",
                        "시작일",
                        "종료일",
                        "월 관리 수수료",
                        "부가세",
                        "상태",
                    ],
                    rows,
                )?,
            )
        }
        "tenants" => {
            let page = records::list_tenants(&state, &me, &q, Paging::All).await?;
            let rows = page
                .rows
                .into_iter()
                .map(|t| {
                    vec![
                        Cell::Text(t.name),
                        Cell::Text(crate::domain::records::kind_label(&t.kind).into()),
                        Cell::Text(t.business_number.unwrap_or_default()),
                        Cell::Text(t.representative),
                        Cell::Text(t.contact_name),
                        Cell::Text(crate::domain::validation::format_mobile(&t.mobile)),
                        Cell::Text(t.email),
                        Cell::Num(t.leases as f64),
                    ]
                })
                .collect();
            (
                "임차인",
                workbook(
                    "임차인",
                    &[
                        "임차인",
                        "구분",
                        "사업자등록번호",
                        "대표자",
                        "담당자",
                        "휴대전화",
                        "이메일",
                        "계약 수",
                    ],
                    rows,
                )?,
            )
        }
        "audit" => {
            if me.role != Role::Admin {
                return Err(crate::domain::ApiError::Forbidden.into());
            }
            let page = records::list_audit(&state, &q, Paging::All).await?;
            let rows = page
                .rows
                .into_iter()
                .map(|a| {
                    vec![
                        Cell::Text(a.at),
                        Cell::Text(a.user_name.unwrap_or_default()),
                        Cell::Text(crate::domain::records::entity_label(&a.entity).into()),
                        Cell::Num(a.entity_id as f64),
                        Cell::Text(crate::domain::records::action_label(&a.action).into()),
                        Cell::Text(a.before.unwrap_or_default()),
                        Cell::Text(a.after.unwrap_or_default()),
                    ]
                })
                .collect();
            (
                "감사로그",
                workbook(
                    "감사로그",
                    &[
                        "일시",
                        "사용자",
                        "대상",
                        "번호",
                        "작업",
                        "변경 전",
                        "변경 후",
                    ],
                    rows,
                )?,
            )
        }
        _ => return Err(crate::domain::ApiError::NotFound.into()),
    };
    Ok(file_response(
        bytes,
        XLSX,
        &format!("{title}_{today}.xlsx"),
        false,
    ))
}
