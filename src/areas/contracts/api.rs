//! Server functions for management contracts. Staff create and change them; a client user reads
//! only their own.

use super::{ContractDto, ContractEdit, ContractInput, ContractListRow};
use crate::domain::ApiError;
use crate::domain::list::{ListPage, ListQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, require_role, require_user, state},
    crate::server::db::list::Paging,
};

#[server(endpoint = "contracts/create")]
pub async fn create_contract(#[server(flatten)] input: ContractInput) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::create_contract(&state()?, &me, &input)
        .await
        .map_err(fail)
}

/// Changes a contract's end, scope, fee and VAT; `terminate` ends it. The previous version
/// goes to the history.
#[server(endpoint = "contracts/update")]
pub async fn update_contract(
    #[server(flatten)] edit: ContractEdit,
) -> Result<ContractDto, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::update_contract(&state()?, &me, &edit)
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
