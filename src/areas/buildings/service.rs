//! Building rules with I/O: owner and managers checked, the owner kept while another client's
//! contract is live, client isolation (a client sees only their own buildings; anything else is
//! "not found"), units added in ranges, and a building's page with its units, leases, contracts
//! and files.

use super::store::{self, BuildingRow};
use super::{
    BuildingDetail, BuildingForm, BuildingFormChoices, BuildingInput, BuildingSummary, UnitDto,
    UnitListRow, UnitsForm, unit_range,
};
use crate::areas::{clients, contracts, files, leases};
use crate::domain::ApiError;
use crate::domain::form::Change;
use crate::domain::lease::RegionClass;
use crate::domain::list::{ListPage, ListQuery};
use crate::server::auth::CurrentUser;
use crate::server::db::list::Paging;
use crate::server::db::users;
use crate::server::db::{Table, exists};
use crate::server::error::AppError;
use crate::server::state::AppState;

fn invalid(e: crate::domain::error::FieldErrors) -> AppError {
    AppError::Api(ApiError::Validation(e))
}

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

/// Not found unless the viewer may see the building.
async fn ensure_visible(state: &AppState, viewer: &CurrentUser, id: i64) -> Result<(), AppError> {
    if viewer.scope().sees_building(&state.db, id).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

async fn check_building_refs(state: &AppState, b: &BuildingInput) -> Result<(), AppError> {
    if let Some(c) = b.client_id
        && !exists(&state.db, Table::Clients, c).await?
    {
        return Err(AppError::field("client_id", "고객을 찾을 수 없습니다."));
    }
    for m in &b.manager_ids {
        if !users::is_staff(&state.db, *m, false).await? {
            return Err(AppError::field(
                "manager_ids",
                "담당자는 직원(관리자·매니저) 중에서 골라 주세요.",
            ));
        }
    }
    Ok(())
}

pub async fn create_building(
    state: &AppState,
    by: &CurrentUser,
    mut b: BuildingInput,
) -> Result<i64, AppError> {
    b.normalize().map_err(invalid)?;
    check_building_refs(state, &b).await?;
    store::insert_building(&state.db, &b, Some(by.id.0)).await
}

pub async fn update_building(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    mut b: BuildingInput,
) -> Result<(), AppError> {
    b.normalize().map_err(invalid)?;
    check_building_refs(state, &b).await?;
    let live_other = store::live_contracts_of_other_clients(&state.db, id, b.client_id).await?;
    if live_other > 0 {
        return Err(AppError::field(
            "client_id",
            format!(
                "다른 고객의 진행 중인 관리 계약 {live_other}건이 있어 소유 고객을 바꿀 수 없습니다. 계약을 먼저 해지해 주세요."
            ),
        ));
    }
    store::update_building(&state.db, id, &b, Some(by.id.0)).await
}

pub fn building_input(row: &BuildingRow, manager_ids: Vec<i64>) -> BuildingInput {
    BuildingInput {
        name: row.name.clone(),
        road_address: row.road_address.clone(),
        lot_address: row.lot_address.clone(),
        sigungu_cd: row.sigungu_cd.clone(),
        bjdong_cd: row.bjdong_cd.clone(),
        plat_gb_cd: row.plat_gb_cd.clone(),
        bun: row.bun.clone(),
        ji: row.ji.clone(),
        region_class: row.region_class.clone(),
        region_reason: row.region_reason.clone(),
        main_use: row.main_use.clone(),
        floors_above: row.floors_above,
        floors_below: row.floors_below,
        land_area_m2: row.land_area_m2,
        building_area_m2: row.building_area_m2,
        total_area_m2: row.total_area_m2,
        approval_date: row.approval_date,
        client_id: row.client_id,
        manager_ids,
    }
}

/// The building form, read and then saved as a new building.
pub async fn create_from_form(
    state: &AppState,
    by: &CurrentUser,
    form: BuildingForm,
) -> Result<i64, AppError> {
    create_building(state, by, form.parse()?).await
}

/// The building form, read and then saved over building `id`.
pub async fn update_from_form(
    state: &AppState,
    by: &CurrentUser,
    change: Change<BuildingForm>,
) -> Result<(), AppError> {
    update_building(state, by, change.id, change.fields.parse()?).await
}

pub async fn list_buildings(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<BuildingSummary>, AppError> {
    let (rows, total) = store::list_buildings(&state.db, q, viewer.scope(), paging).await?;
    Ok(paging.page_of(
        rows.into_iter()
            .map(|b| BuildingSummary {
                id: b.id,
                region: region_label(&b.region_class),
                name: b.name,
                road_address: b.road_address,
                client_name: b.client_name,
                managers: b.managers.unwrap_or_default().replace(',', ", "),
                units: b.units,
                active_leases: b.active_leases,
            })
            .collect(),
        total,
    ))
}

/// Units of one building (`q.building_id`); `status` `vacant` or `occupied` filters on a live
/// lease.
pub async fn list_units(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<UnitListRow>, AppError> {
    let Some(building_id) = q.building_id else {
        return Err(AppError::field("building_id", "건물을 골라 주세요."));
    };
    if !exists(&state.db, Table::Buildings, building_id).await? {
        return Err(not_found());
    }
    ensure_visible(state, viewer, building_id).await?;
    let (rows, total) = store::list_units(&state.db, building_id, q, paging).await?;
    Ok(paging.page_of(
        rows.into_iter()
            .map(|u| UnitListRow {
                id: u.id,
                floor: u.floor,
                name: u.name,
                exclusive_area_m2: u.exclusive_area_m2,
                common_area_m2: u.common_area_m2,
                contract_area_m2: u.contract_area_m2,
                tenant_name: u.tenant_name,
            })
            .collect(),
        total,
    ))
}

/// Adds units `{from}호` to `{to}호` on one floor; a name already used in the building is
/// refused.
pub async fn add_units(
    state: &AppState,
    by: &CurrentUser,
    f: &UnitsForm,
) -> Result<Vec<i64>, AppError> {
    if !exists(&state.db, Table::Buildings, f.building_id).await? {
        return Err(not_found());
    }
    f.check_areas()?;
    let units: Vec<(i32, String, f64, f64)> = unit_range(f.floor, f.from, f.to)?
        .into_iter()
        .map(|(floor, name)| (floor, name, f.exclusive_area_m2, f.common_area_m2))
        .collect();
    store::insert_units(&state.db, f.building_id, &units, Some(by.id.0)).await
}

/// Every client and every active staff member, for the building form's choices.
pub async fn form_choices(state: &AppState) -> Result<BuildingFormChoices, AppError> {
    Ok(BuildingFormChoices {
        clients: clients::service::choices(state).await?,
        staff: users::active_staff(&state.db).await?,
    })
}

fn region_label(raw: &str) -> String {
    RegionClass::parse(raw)
        .map(|r| r.label_ko().to_string())
        .unwrap_or_else(|| raw.to_string())
}

/// A building with its record, units, leases, contracts and files; "not found" for a client
/// user outside their buildings.
pub async fn get_building(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<BuildingDetail, AppError> {
    let Some(row) = store::find_building(&state.db, id).await? else {
        return Err(ApiError::NotFound.into());
    };
    ensure_visible(state, viewer, id).await?;
    let managers = store::managers_of(&state.db, id).await?;
    let client_name = match row.client_id {
        Some(c) => store::client_name(&state.db, c).await?,
        None => None,
    };
    let units = store::building_units(&state.db, id)
        .await?
        .into_iter()
        .map(|u| UnitDto {
            id: u.id,
            floor: u.floor,
            name: u.name,
            exclusive_area_m2: u.exclusive_area_m2,
            common_area_m2: u.common_area_m2,
            contract_area_m2: u.contract_area_m2,
        })
        .collect();
    let leases = leases::service::leases_of_building(state, id).await?;
    let q = ListQuery {
        building_id: Some(id),
        ..Default::default()
    };
    let contracts = contracts::service::list_contracts(state, viewer, &q, Paging::All)
        .await?
        .rows;
    Ok(BuildingDetail {
        id,
        name: row.name.clone(),
        road_address: row.road_address.clone(),
        region: if row.region_reason.is_empty() {
            region_label(&row.region_class)
        } else {
            format!(
                "{} (직접 지정: {})",
                region_label(&row.region_class),
                row.region_reason
            )
        },
        info: building_input(&row, managers.iter().map(|m| m.id).collect()),
        client_name,
        managers,
        units,
        leases,
        contracts,
        files: files::service::files_of(state, "building", id).await?,
    })
}
