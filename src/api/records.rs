//! Server functions for clients, management contracts, files, the audit log and the spreadsheet
//! import. Staff create and change; a client user reads only what belongs to their buildings.

use crate::domain::ApiError;
use crate::domain::leasing::{ListPage, ListQuery};
use crate::domain::records::{
    AuditEntry, ClientDetail, ClientSummary, ContractDto, ContractListRow, FileDto, ImportReport,
    NamedRef,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::context::{fail, require_role, require_user, state},
    crate::domain::Role,
    crate::server::error::AppError,
    crate::server::services::records::{self as service, Paging},
};

#[cfg(feature = "ssr")]
const STAFF: &[Role] = &[Role::Admin, Role::Manager];

#[server(endpoint = "clients/create")]
pub async fn create_client(
    kind: String,
    name: String,
    #[server(default)] business_number: String,
    #[server(default)] representative: String,
    #[server(default)] contact_phone: String,
    #[server(default)] contact_email: String,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let input = crate::domain::records::ClientInput {
        kind,
        name,
        business_number,
        representative,
        contact_phone,
        contact_email,
    };
    service::create_client(&state()?, &me, &input)
        .await
        .map_err(fail)
}

#[server(endpoint = "clients/update")]
pub async fn update_client(
    id: i64,
    kind: String,
    name: String,
    #[server(default)] business_number: String,
    #[server(default)] representative: String,
    #[server(default)] contact_phone: String,
    #[server(default)] contact_email: String,
) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    let input = crate::domain::records::ClientInput {
        kind,
        name,
        business_number,
        representative,
        contact_phone,
        contact_email,
    };
    service::update_client(&state()?, &me, id, &input)
        .await
        .map_err(fail)
}

#[server(endpoint = "clients/list")]
pub async fn list_clients(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<ClientSummary>, ApiError> {
    let me = require_user()?;
    service::list_clients(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "clients/get")]
pub async fn get_client(id: i64) -> Result<ClientDetail, ApiError> {
    let me = require_user()?;
    service::get_client(&state()?, &me, id).await.map_err(fail)
}

/// Links the client-role user with this email to the client.
#[server(endpoint = "clients/link-user")]
pub async fn link_client_user(client_id: i64, email: String) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    service::link_client_user(&state()?, &me, client_id, &email)
        .await
        .map_err(fail)
}

#[server(endpoint = "clients/unlink-user")]
pub async fn unlink_client_user(client_id: i64, user_id: i64) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    service::unlink_client_user(&state()?, &me, client_id, user_id)
        .await
        .map_err(fail)
}

/// Choices for the building form: all clients and all staff (id and name).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BuildingFormChoices {
    pub clients: Vec<NamedRef>,
    pub staff: Vec<NamedRef>,
}

#[server(endpoint = "buildings/choices")]
pub async fn building_choices() -> Result<BuildingFormChoices, ApiError> {
    require_role(STAFF)?;
    let state = state()?;
    let clients = crate::server::db::records::named_refs(
        &state.db,
        "SELECT id, name, COALESCE(business_number, '') FROM clients WHERE id > ? ORDER BY name LIMIT 2000",
        0,
    )
    .await
    .map_err(fail)?;
    let staff = crate::server::db::records::staff_refs(&state.db)
        .await
        .map_err(fail)?;
    Ok(BuildingFormChoices { clients, staff })
}

/// The buildings the user may see, by name, for the lists' building filter.
#[server(endpoint = "buildings/options")]
pub async fn building_options() -> Result<Vec<NamedRef>, ApiError> {
    let me = require_user()?;
    let state = state()?;
    let sql = if me.role == Role::Client {
        "SELECT b.id, b.name, b.road_address FROM buildings b \
         WHERE b.client_id IN (SELECT client_id FROM client_users WHERE user_id = ?) ORDER BY b.name LIMIT 5000"
    } else {
        "SELECT id, name, road_address FROM buildings WHERE id > 0 OR id = ? ORDER BY name LIMIT 5000"
    };
    crate::server::db::records::named_refs(&state.db, sql, me.id.0)
        .await
        .map_err(fail)
}

/// Staff names for the "담당자" filter of the lists.
#[server(endpoint = "users/staff")]
pub async fn staff_choices() -> Result<Vec<NamedRef>, ApiError> {
    require_role(STAFF)?;
    crate::server::db::records::staff_refs(&state()?.db)
        .await
        .map_err(fail)
}

#[server(endpoint = "contracts/create")]
#[allow(clippy::too_many_arguments)]
pub async fn create_contract(
    building_id: i64,
    client_id: i64,
    start_date: NaiveDate,
    end_date: NaiveDate,
    scope: String,
    monthly_fee: i64,
    #[server(default)] vat_applies: Option<String>,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let input = crate::domain::records::ContractInput {
        building_id,
        client_id,
        start_date,
        end_date,
        scope,
        monthly_fee,
        vat_applies: vat_applies.is_some_and(|v| !v.is_empty() && v != "false"),
    };
    service::create_contract(&state()?, &me, &input)
        .await
        .map_err(fail)
}

/// Changes a contract's end, scope, fee and VAT; `terminate` ends it. The previous version
/// goes to the history.
#[server(endpoint = "contracts/update")]
#[allow(clippy::too_many_arguments)]
pub async fn update_contract(
    id: i64,
    version: i32,
    end_date: NaiveDate,
    scope: String,
    monthly_fee: i64,
    #[server(default)] vat_applies: Option<String>,
    #[server(default)] terminate: Option<String>,
) -> Result<ContractDto, ApiError> {
    let me = require_role(STAFF)?;
    let flag = |v: Option<String>| v.is_some_and(|v| !v.is_empty() && v != "false");
    let edit = service::ContractEdit {
        version,
        end_date,
        scope,
        monthly_fee,
        vat_applies: flag(vat_applies),
        terminate: flag(terminate),
    };
    service::update_contract(&state()?, &me, id, &edit)
        .await
        .map_err(fail)
}

#[server(endpoint = "contracts/get")]
pub async fn get_contract(id: i64) -> Result<ContractDto, ApiError> {
    let me = require_user()?;
    service::get_contract(&state()?, &me, id)
        .await
        .map_err(fail)
}

#[server(endpoint = "contracts/list")]
pub async fn list_contracts(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<ContractListRow>, ApiError> {
    let me = require_user()?;
    service::list_contracts(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "files/delete")]
pub async fn delete_file(id: i64) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    service::delete_file(&state()?, &me, id).await.map_err(fail)
}

#[server(endpoint = "audit/list")]
pub async fn list_audit(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<AuditEntry>, ApiError> {
    require_role(&[Role::Admin])?;
    service::list_audit(&state()?, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

/// Reads a multipart form: text fields, and the `file` field's name and bytes, refusing a file
/// over `max_bytes` as soon as it passes the limit.
#[cfg(feature = "ssr")]
async fn read_form(
    data: MultipartData,
    max_bytes: u64,
) -> Result<
    (
        std::collections::HashMap<String, String>,
        Option<(String, Vec<u8>)>,
    ),
    AppError,
> {
    let too_big = || {
        AppError::field(
            "file",
            format!(
                "파일이 너무 큽니다. {}MB 이하만 올릴 수 있습니다.",
                max_bytes / 1024 / 1024
            ),
        )
    };
    let mut form = data
        .into_inner()
        .ok_or_else(|| AppError::internal("multipart data missing"))?;
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    loop {
        let next = form.next_field().await.map_err(|e| {
            tracing::info!(error = %e, "multipart read failed");
            too_big()
        })?;
        let Some(mut field) = next else { break };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| too_big())? {
                if (bytes.len() + chunk.len()) as u64 > max_bytes {
                    return Err(too_big());
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((file_name, bytes));
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| AppError::field(&name, "입력값을 읽지 못했습니다."))?;
            fields.insert(name, text);
        }
    }
    Ok((fields, file))
}

/// Attaches a PDF or image to a building, contract, lease or tenant. Fields: `owner_kind`,
/// `owner_id`, `file`.
#[server(endpoint = "files/upload", input = MultipartFormData)]
pub async fn upload_file(data: MultipartData) -> Result<FileDto, ApiError> {
    let me = require_role(STAFF)?;
    let state = state()?;
    let (fields, file) = read_form(data, state.files.max_bytes).await.map_err(fail)?;
    let Some((name, bytes)) = file else {
        return Err(fail(AppError::field("file", "파일을 골라 주세요.")));
    };
    let owner_kind = fields.get("owner_kind").cloned().unwrap_or_default();
    let owner_id = fields
        .get("owner_id")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::field("owner_id", "파일을 붙일 대상이 없습니다.")))?;
    service::store_file(&state, &me, &owner_kind, owner_id, &name, bytes)
        .await
        .map_err(fail)
}

/// Imports tenants and leases for one building from the XLSX template. Fields: `building_id`,
/// `mode` (`all`: nothing saved unless every row passes; `valid`: the valid rows only), `file`.
#[server(endpoint = "imports/leases", input = MultipartFormData)]
pub async fn import_leases(data: MultipartData) -> Result<ImportReport, ApiError> {
    let me = require_role(STAFF)?;
    let state = state()?;
    let (fields, file) = read_form(data, state.files.max_bytes).await.map_err(fail)?;
    let Some((_, bytes)) = file else {
        return Err(fail(AppError::field("file", "엑셀 파일을 골라 주세요.")));
    };
    let building_id = fields
        .get("building_id")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::field("building_id", "건물을 골라 주세요.")))?;
    let valid_only = fields.get("mode").is_some_and(|m| m == "valid");
    crate::server::services::imports::import_leases(&state, &me, building_id, &bytes, valid_only)
        .await
        .map_err(fail)
}
