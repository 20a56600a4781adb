//! Server functions for buildings, units, tenants and leases. Staff create and change; a
//! client user may read only what belongs to their own buildings.

use crate::domain::ApiError;
use crate::domain::leasing::{
    BuildingDetail, BuildingSummary, LeaseDto, ListPage, ListQuery, TenantSummary,
};
use chrono::NaiveDate;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::{fail, require_role, require_user, state},
    crate::domain::Role,
    crate::domain::leasing::{LeaseInput, TenantInput},
    crate::server::error::AppError,
    crate::server::services::leasing as service,
    crate::server::services::records::{self, Paging},
};

#[cfg(feature = "ssr")]
const STAFF: &[Role] = &[Role::Admin, Role::Manager];

#[cfg(feature = "ssr")]
/// The building form's fields; `manager_ids` is a comma-separated list of user ids and
/// `approval_date` may be empty.
#[allow(clippy::too_many_arguments)]
fn building_input(
    name: String,
    road_address: String,
    lot_address: String,
    sigungu_cd: String,
    bjdong_cd: String,
    plat_gb_cd: String,
    bun: String,
    ji: String,
    region_class: String,
    main_use: String,
    floors_above: i32,
    floors_below: i32,
    areas: [String; 3],
    approval_date: String,
    client_id: String,
    manager_ids: String,
) -> Result<crate::domain::records::BuildingInput, ApiError> {
    let approval_date = match approval_date.trim() {
        "" => None,
        d => Some(d.parse::<NaiveDate>().map_err(|_| {
            ApiError::field("approval_date", "사용승인일이 올바른 날짜가 아닙니다.")
        })?),
    };
    let client_id = match client_id.trim() {
        "" => None,
        c => Some(
            c.parse::<i64>()
                .map_err(|_| ApiError::field("client_id", "고객 선택이 올바르지 않습니다."))?,
        ),
    };
    let mut area = [0.0f64; 3];
    for (i, (raw, field)) in areas
        .iter()
        .zip(["land_area_m2", "building_area_m2", "total_area_m2"])
        .enumerate()
    {
        let raw = raw.trim().replace(',', "");
        if !raw.is_empty() {
            area[i] = raw
                .parse::<f64>()
                .map_err(|_| ApiError::field(field, "면적은 숫자로 입력해 주세요 (예: 412.5)."))?;
        }
    }
    let manager_ids = parse_ids(&manager_ids)
        .map_err(|_| ApiError::field("manager_ids", "담당자 선택이 올바르지 않습니다."))?;
    Ok(crate::domain::records::BuildingInput {
        name,
        road_address,
        lot_address,
        sigungu_cd,
        bjdong_cd,
        plat_gb_cd,
        bun,
        ji,
        region_class,
        main_use,
        floors_above,
        floors_below,
        land_area_m2: area[0],
        building_area_m2: area[1],
        total_area_m2: area[2],
        approval_date,
        client_id,
        manager_ids,
    })
}

/// A comma-separated list of ids.
#[cfg(feature = "ssr")]
pub fn parse_ids(raw: &str) -> Result<Vec<i64>, std::num::ParseIntError> {
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect()
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "buildings/create")]
pub async fn create_building(
    name: String,
    road_address: String,
    #[server(default)] lot_address: String,
    #[server(default)] sigungu_cd: String,
    #[server(default)] bjdong_cd: String,
    #[server(default)] plat_gb_cd: String,
    #[server(default)] bun: String,
    #[server(default)] ji: String,
    region_class: String,
    main_use: String,
    floors_above: i32,
    floors_below: i32,
    #[server(default)] land_area_m2: String,
    #[server(default)] building_area_m2: String,
    #[server(default)] total_area_m2: String,
    #[server(default)] approval_date: String,
    #[server(default)] client_id: String,
    #[server(default)] manager_ids: String,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let b = building_input(
        name,
        road_address,
        lot_address,
        sigungu_cd,
        bjdong_cd,
        plat_gb_cd,
        bun,
        ji,
        region_class,
        main_use,
        floors_above,
        floors_below,
        [land_area_m2, building_area_m2, total_area_m2],
        approval_date,
        client_id,
        manager_ids,
    )
    .map_err(|e| fail(e.into()))?;
    records::create_building(&state()?, &me, b)
        .await
        .map_err(fail)
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "buildings/update")]
pub async fn update_building(
    id: i64,
    name: String,
    road_address: String,
    #[server(default)] lot_address: String,
    #[server(default)] sigungu_cd: String,
    #[server(default)] bjdong_cd: String,
    #[server(default)] plat_gb_cd: String,
    #[server(default)] bun: String,
    #[server(default)] ji: String,
    region_class: String,
    main_use: String,
    floors_above: i32,
    floors_below: i32,
    #[server(default)] land_area_m2: String,
    #[server(default)] building_area_m2: String,
    #[server(default)] total_area_m2: String,
    #[server(default)] approval_date: String,
    #[server(default)] client_id: String,
    #[server(default)] manager_ids: String,
) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    let b = building_input(
        name,
        road_address,
        lot_address,
        sigungu_cd,
        bjdong_cd,
        plat_gb_cd,
        bun,
        ji,
        region_class,
        main_use,
        floors_above,
        floors_below,
        [land_area_m2, building_area_m2, total_area_m2],
        approval_date,
        client_id,
        manager_ids,
    )
    .map_err(|e| fail(e.into()))?;
    records::update_building(&state()?, &me, id, b)
        .await
        .map_err(fail)
}

/// Adds units `{from}호` to `{to}호` on one floor of a building.
#[server(endpoint = "units/bulk-add")]
pub async fn add_units(
    building_id: i64,
    floor: i32,
    from: u32,
    to: u32,
    exclusive_area_m2: f64,
    common_area_m2: f64,
) -> Result<Vec<i64>, ApiError> {
    let me = require_role(STAFF)?;
    let state = state()?;
    if !crate::server::db::records::exists(&state.db, "buildings", building_id)
        .await
        .map_err(fail)?
    {
        return Err(fail(ApiError::NotFound.into()));
    }
    let units: Vec<(i32, String, f64, f64)> = service::unit_range(floor, from, to)
        .map_err(fail)?
        .into_iter()
        .map(|(f, n)| (f, n, exclusive_area_m2, common_area_m2))
        .collect();
    crate::server::db::leasing::insert_units(&state.db, building_id, &units, Some(me.id.0))
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/create")]
pub async fn create_tenant(
    kind: String,
    name: String,
    #[server(default)] business_number: String,
    #[server(default)] representative: String,
    #[server(default)] contact_name: String,
    mobile: String,
    #[server(default)] email: String,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let input = TenantInput {
        kind,
        name,
        business_number,
        representative,
        contact_name,
        mobile,
        email,
    };
    service::create_tenant(&state()?, &me, &input)
        .await
        .map_err(fail)
}

/// `unit_ids` is a comma-separated list of unit ids.
#[server(endpoint = "leases/create")]
#[allow(clippy::too_many_arguments)]
pub async fn create_lease(
    tenant_id: i64,
    building_id: i64,
    unit_ids: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    deposit: i64,
    monthly_rent: i64,
    management_fee: i64,
    vat_applies: Option<String>,
    payment_day: u32,
    late_fee_rate_bp: u32,
    grace_days: u32,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let unit_ids = parse_ids(&unit_ids).map_err(|_| {
        fail(AppError::field(
            "unit_ids",
            "호실 선택이 올바르지 않습니다.",
        ))
    })?;
    let input = LeaseInput {
        tenant_id,
        building_id,
        unit_ids,
        start_date,
        end_date,
        deposit,
        monthly_rent,
        management_fee,
        vat_applies: vat_applies.is_some_and(|v| !v.is_empty() && v != "false"),
        payment_day,
        late_fee_rate_bp,
        grace_days,
    };
    service::create_lease(&state()?, &me, &input)
        .await
        .map_err(fail)
}

#[server(endpoint = "leases/get")]
pub async fn get_lease(id: i64) -> Result<LeaseDto, ApiError> {
    let me = require_user()?;
    service::get_lease(&state()?, &me, id).await.map_err(fail)
}

#[server(endpoint = "leases/update")]
pub async fn update_lease(
    id: i64,
    version: i32,
    end_date: NaiveDate,
    deposit: i64,
    monthly_rent: i64,
    management_fee: i64,
    payment_day: u32,
) -> Result<LeaseDto, ApiError> {
    let me = require_role(STAFF)?;
    let edit = service::TermsEdit {
        version,
        end_date,
        deposit,
        monthly_rent,
        management_fee,
        payment_day,
    };
    service::update_lease(&state()?, &me, id, &edit)
        .await
        .map_err(fail)
}

#[server(endpoint = "leases/renew")]
pub async fn renew_lease(
    id: i64,
    version: i32,
    end_date: NaiveDate,
    deposit: i64,
    monthly_rent: i64,
    management_fee: i64,
    payment_day: u32,
) -> Result<LeaseDto, ApiError> {
    let me = require_role(STAFF)?;
    let edit = service::TermsEdit {
        version,
        end_date,
        deposit,
        monthly_rent,
        management_fee,
        payment_day,
    };
    service::renew_lease(&state()?, &me, id, &edit)
        .await
        .map_err(fail)
}

#[server(endpoint = "buildings/list")]
pub async fn list_buildings(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<BuildingSummary>, ApiError> {
    let me = require_user()?;
    records::list_buildings(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "buildings/get")]
pub async fn get_building(id: i64) -> Result<BuildingDetail, ApiError> {
    let me = require_user()?;
    service::get_building(&state()?, &me, id)
        .await
        .map_err(fail)
}

/// Units of one building (`query.building_id`), searchable, vacant or occupied.
#[server(endpoint = "units/list")]
pub async fn list_units(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<crate::domain::leasing::UnitListRow>, ApiError> {
    let me = require_user()?;
    records::list_units(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/list")]
pub async fn list_tenants(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<TenantSummary>, ApiError> {
    let me = require_user()?;
    records::list_tenants(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/get")]
pub async fn get_tenant(id: i64) -> Result<crate::domain::leasing::TenantDetail, ApiError> {
    let me = require_user()?;
    records::get_tenant(&state()?, &me, id).await.map_err(fail)
}

#[server(endpoint = "tenants/update")]
#[allow(clippy::too_many_arguments)]
pub async fn update_tenant(
    id: i64,
    kind: String,
    name: String,
    #[server(default)] business_number: String,
    #[server(default)] representative: String,
    #[server(default)] contact_name: String,
    mobile: String,
    #[server(default)] email: String,
) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    let input = TenantInput {
        kind,
        name,
        business_number,
        representative,
        contact_name,
        mobile,
        email,
    };
    records::update_tenant(&state()?, &me, id, &input)
        .await
        .map_err(fail)
}

/// Deletes a tenant without leases or files.
#[server(endpoint = "tenants/delete")]
pub async fn delete_tenant(id: i64) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    records::delete_tenant(&state()?, &me, id)
        .await
        .map_err(fail)
}

/// Filtered, sorted, paged leases (50 a page).
#[server(endpoint = "leases/list")]
pub async fn list_leases(
    #[server(default)] query: ListQuery,
) -> Result<crate::domain::leasing::LeaseListPage, ApiError> {
    let me = require_user()?;
    service::list_leases(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

/// A deposit received or returned (`kind`: `received` / `returned`).
#[server(endpoint = "leases/deposit")]
pub async fn add_deposit_entry(
    lease_id: i64,
    kind: String,
    amount: i64,
    on_date: NaiveDate,
    #[server(default)] note: String,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    records::add_deposit_entry(&state()?, &me, lease_id, &kind, amount, on_date, &note)
        .await
        .map_err(fail)
}

/// Ends a lease early on `terminated_on`, with the reason.
#[server(endpoint = "leases/terminate")]
pub async fn terminate_lease(
    id: i64,
    version: i32,
    terminated_on: NaiveDate,
    reason: String,
) -> Result<(), ApiError> {
    let me = require_role(STAFF)?;
    records::terminate_lease(&state()?, &me, id, version, terminated_on, &reason)
        .await
        .map_err(fail)
}
