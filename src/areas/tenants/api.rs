//! Server functions for tenants. Staff register, correct and delete them; a client user reads
//! only tenants leasing in their buildings.

use super::{TenantDetail, TenantInput, TenantSummary};
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

#[server(endpoint = "tenants/create")]
pub async fn create_tenant(#[server(flatten)] input: TenantInput) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::create_tenant(&state()?, &me, &input)
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/update")]
pub async fn update_tenant(#[server(flatten)] change: Change<TenantInput>) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::update_tenant(&state()?, &me, &change)
        .await
        .map_err(fail)
}

/// Deletes a tenant without leases or files.
#[server(endpoint = "tenants/delete")]
pub async fn delete_tenant(id: i64) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::delete_tenant(&state()?, &me, id)
        .await
        .map_err(fail)?;
    crate::server::context::flash("임차인을 삭제했습니다.");
    leptos_axum::redirect("/platform/tenants");
    Ok(())
}

#[server(endpoint = "tenants/list")]
pub async fn list_tenants(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<TenantSummary>, ApiError> {
    let me = require_user()?;
    service::list_tenants(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "tenants/get")]
pub async fn get_tenant(id: i64) -> Result<TenantDetail, ApiError> {
    let me = require_user()?;
    service::get_tenant(&state()?, &me, id).await.map_err(fail)
}
