//! Management contract rules with I/O: a contract belongs to the building's owner, its status
//! follows its term (or is ended by hand), and its history is shown as field changes.

use super::store;
use super::{ContractDto, ContractEdit, ContractInput, ContractListRow, ContractStatus};
use crate::areas::files;
use crate::domain::ApiError;
use crate::domain::list::{ListPage, ListQuery};
use crate::server::auth::CurrentUser;
use crate::server::db::list::Paging;
use crate::server::db::versioned;
use crate::server::db::{Table, exists};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::today_seoul;

fn invalid(e: crate::domain::error::FieldErrors) -> AppError {
    AppError::Api(ApiError::Validation(e))
}

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

pub async fn create_contract(
    state: &AppState,
    by: &CurrentUser,
    input: &ContractInput,
) -> Result<i64, AppError> {
    let scope = input.validate().map_err(invalid)?;
    let Some(owner) = store::building_owner(&state.db, input.building_id).await? else {
        return Err(AppError::field("building_id", "건물을 찾을 수 없습니다."));
    };
    if !exists(&state.db, Table::Clients, input.client_id).await? {
        return Err(AppError::field("client_id", "고객을 찾을 수 없습니다."));
    }
    // A contract belongs to the building's owner: that is who may see it.
    match owner {
        None => {
            return Err(AppError::field(
                "client_id",
                "건물 정보에서 소유 고객을 먼저 정해 주세요.",
            ));
        }
        Some(c) if c != input.client_id => {
            return Err(AppError::field(
                "client_id",
                "이 건물의 소유 고객과 다른 고객입니다. 건물 정보의 고객을 먼저 바꿔 주세요.",
            ));
        }
        Some(_) => {}
    }
    let status = ContractStatus::from_term(input.start_date, input.end_date, today_seoul());
    let w = store::ContractWrite {
        building_id: input.building_id,
        client_id: input.client_id,
        start_date: input.start_date,
        end_date: input.end_date,
        scope: &scope,
        monthly_fee: input.monthly_fee,
        vat_applies: input.vat_applies,
        status: status.as_str(),
    };
    store::insert_contract(&state.db, &w, Some(by.id.0)).await
}

pub async fn update_contract(
    state: &AppState,
    by: &CurrentUser,
    edit: &ContractEdit,
) -> Result<ContractDto, AppError> {
    let id = edit.id;
    let current = store::find_contract(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if current.status == ContractStatus::Terminated.as_str() {
        return Err(AppError::conflict(
            "해지된 관리 계약은 바꿀 수 없습니다. 새 계약을 등록해 주세요.",
        ));
    }
    let input = ContractInput {
        building_id: current.building_id,
        client_id: current.client_id,
        start_date: current.start_date,
        end_date: edit.end_date,
        scope: edit.scope.clone(),
        monthly_fee: edit.monthly_fee,
        vat_applies: edit.vat_applies,
    };
    let scope = input.validate().map_err(invalid)?;
    let status = if edit.terminate {
        ContractStatus::Terminated
    } else {
        ContractStatus::from_term(current.start_date, edit.end_date, today_seoul())
    };
    let change = store::ContractChange {
        end_date: edit.end_date,
        scope: &scope,
        monthly_fee: edit.monthly_fee,
        vat_applies: edit.vat_applies,
        status: status.as_str(),
    };
    store::change_contract(&state.db, id, edit.version, &change, Some(by.id.0)).await?;
    get_contract(state, by, id).await
}

fn contract_row(r: store::ContractListDbRow) -> ContractListRow {
    ContractListRow {
        id: r.id,
        building_id: r.building_id,
        building_name: r.building_name,
        client_id: r.client_id,
        client_name: r.client_name,
        start_date: r.start_date,
        end_date: r.end_date,
        scope: r.scope,
        monthly_fee: r.monthly_fee,
        vat_applies: r.vat_applies,
        status: ContractStatus::parse(&r.status).unwrap_or(ContractStatus::Active),
    }
}

const CONTRACT_FIELDS: [(&str, &str); 5] = [
    ("end_date", "종료일"),
    ("scope", "관리 범위"),
    ("monthly_fee", "월 관리 수수료"),
    ("vat_applies", "부가세"),
    ("status", "상태"),
];

fn show_contract_field(field: &str, v: &serde_json::Value) -> String {
    match (field, v) {
        ("monthly_fee", serde_json::Value::Number(n)) => {
            crate::domain::money::format_won(n.as_i64().unwrap_or_default())
        }
        ("status", serde_json::Value::String(s)) => ContractStatus::parse(s)
            .map(|s| s.label_ko().to_string())
            .unwrap_or(s.clone()),
        ("vat_applies", serde_json::Value::Bool(b)) => if *b { "적용" } else { "미적용" }.into(),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, serde_json::Value::Null) => "-".into(),
        (_, other) => other.to_string(),
    }
}

pub async fn get_contract(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<ContractDto, AppError> {
    let row = store::find_contract(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if !viewer.scope().sees_client(&state.db, row.client_id).await? {
        return Err(not_found());
    }
    let listed = store::contract_list_row(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let current = serde_json::to_value(&row).map_err(|e| AppError::internal(e.to_string()))?;
    let history = versioned::history_entries(
        current,
        store::contract_history(&state.db, id).await?,
        &CONTRACT_FIELDS,
        show_contract_field,
    )?;
    Ok(ContractDto {
        contract: contract_row(listed),
        version: i64::from(row.version),
        files: files::service::files_of(state, "contract", id).await?,
        history,
    })
}

pub async fn list_contracts(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<ContractListRow>, AppError> {
    let (rows, total) =
        store::list_contracts(&state.db, q, viewer.scope(), today_seoul(), paging).await?;
    Ok(paging.page_of(rows.into_iter().map(contract_row).collect(), total))
}
