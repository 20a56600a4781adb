//! Server functions for buildings, units, tenants and leases. Staff create and change; a
//! client user may read only what belongs to their own buildings.

use crate::domain::ApiError;
use crate::domain::leasing::{BuildingDetail, BuildingSummary, LeaseDto, TenantSummary};
use chrono::NaiveDate;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::{fail, require_role, require_user, state},
    crate::domain::Role,
    crate::domain::leasing::{LeaseInput, TenantInput},
    crate::server::error::AppError,
    crate::server::services::leasing as service,
};

#[cfg(feature = "ssr")]
const STAFF: &[Role] = &[Role::Admin, Role::Manager];

#[server(endpoint = "buildings/create")]
pub async fn create_building(
    name: String,
    road_address: String,
    main_use: String,
    region_class: String,
    floors_above: i32,
    floors_below: i32,
    total_area_m2: f64,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let b = crate::server::db::buildings::NewBuilding {
        name: name.trim(),
        road_address: road_address.trim(),
        main_use: main_use.trim(),
        floors_above,
        floors_below,
        total_area_m2,
        region_class: &region_class,
    };
    service::create_building(&state()?, &me, &b)
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
    let units: Vec<(i32, String, f64, f64)> = service::unit_range(floor, from, to)
        .map_err(fail)?
        .into_iter()
        .map(|(f, n)| (f, n, exclusive_area_m2, common_area_m2))
        .collect();
    crate::server::db::leasing::insert_units(&state()?.db, building_id, &units, Some(me.id.0))
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/create")]
pub async fn create_tenant(
    kind: String,
    name: String,
    business_number: String,
    representative: String,
    contact_name: String,
    mobile: String,
    email: String,
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
    let unit_ids = unit_ids
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
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
pub async fn list_buildings() -> Result<Vec<BuildingSummary>, ApiError> {
    let me = require_user()?;
    service::list_buildings(&state()?, &me).await.map_err(fail)
}

#[server(endpoint = "buildings/get")]
pub async fn get_building(id: i64) -> Result<BuildingDetail, ApiError> {
    let me = require_user()?;
    service::get_building(&state()?, &me, id)
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/list")]
pub async fn list_tenants() -> Result<Vec<TenantSummary>, ApiError> {
    require_role(STAFF)?;
    let rows = crate::server::db::leasing::list_tenants(&state()?.db)
        .await
        .map_err(fail)?;
    Ok(rows
        .into_iter()
        .map(|t| TenantSummary {
            id: t.id,
            kind: t.kind,
            name: t.name,
            business_number: t.business_number,
            mobile: t.mobile,
            email: t.email,
        })
        .collect())
}

/// Filtered, sorted, paged leases (50 a page).
#[server(endpoint = "leases/list")]
pub async fn list_leases(
    #[server(default)] query: crate::domain::leasing::LeaseQuery,
) -> Result<crate::domain::leasing::LeaseListPage, ApiError> {
    let me = require_user()?;
    service::list_leases(&state()?, &me, &query)
        .await
        .map_err(fail)
}
