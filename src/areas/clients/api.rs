//! Server functions for clients (owners). Staff register and correct them and link their
//! users; a client user reads only their own.

use super::{ClientDetail, ClientInput, ClientSummary};
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

#[server(endpoint = "clients/create")]
pub async fn create_client(#[server(flatten)] input: ClientInput) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::create_client(&state()?, &me, &input)
        .await
        .map_err(fail)
}

#[server(endpoint = "clients/update")]
pub async fn update_client(#[server(flatten)] change: Change<ClientInput>) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::update_client(&state()?, &me, &change)
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
    let me = require_role(&Role::STAFF)?;
    service::link_client_user(&state()?, &me, client_id, &email)
        .await
        .map_err(fail)
}

#[server(endpoint = "clients/unlink-user")]
pub async fn unlink_client_user(client_id: i64, user_id: i64) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::unlink_client_user(&state()?, &me, client_id, user_id)
        .await
        .map_err(fail)
}
