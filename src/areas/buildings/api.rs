//! Server functions for buildings and units. Staff register and change them; a client user reads
//! only their own buildings.

use super::{
    BuildingDetail, BuildingForm, BuildingFormChoices, BuildingSummary, UnitListRow, UnitsForm,
};
use crate::domain::ApiError;
use crate::domain::form::Change;
use crate::domain::list::{ListPage, ListQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, require_role, require_user, state},
    crate::server::db::list::Paging,
};

#[server(endpoint = "buildings/create")]
pub async fn create_building(#[server(flatten)] form: BuildingForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::create_from_form(&state()?, &me, form)
        .await
        .map_err(fail)
}

#[server(endpoint = "buildings/update")]
pub async fn update_building(
    #[server(flatten)] change: Change<BuildingForm>,
) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::update_from_form(&state()?, &me, change)
        .await
        .map_err(fail)
}

/// Adds units `{from}호` to `{to}호` on one floor of a building.
#[server(endpoint = "units/bulk-add")]
pub async fn add_units(#[server(flatten)] form: UnitsForm) -> Result<Vec<i64>, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::add_units(&state()?, &me, &form)
        .await
        .map_err(fail)
}

#[server(endpoint = "buildings/list")]
pub async fn list_buildings(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<BuildingSummary>, ApiError> {
    let me = require_user()?;
    service::list_buildings(&state()?, &me, &query, Paging::of(&query))
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
) -> Result<ListPage<UnitListRow>, ApiError> {
    let me = require_user()?;
    service::list_units(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

/// Choices for the building form: all clients and all staff.
#[server(endpoint = "buildings/choices")]
pub async fn building_choices() -> Result<BuildingFormChoices, ApiError> {
    require_role(&Role::STAFF)?;
    service::form_choices(&state()?).await.map_err(fail)
}
