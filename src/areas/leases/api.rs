//! Server functions for leases. Staff create and change them; a client user reads only the
//! leases in their own buildings.

use super::{DepositForm, LeaseDto, LeaseForm, LeaseListRow, TerminateForm, TermsForm};
use crate::domain::ApiError;
use crate::domain::list::{ListPage, ListQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service::{self, TermsChange},
    crate::domain::Role,
    crate::server::context::{fail, require_role, require_user, state},
    crate::server::db::list::Paging,
    crate::server::error::AppError,
};

#[server(endpoint = "leases/create")]
pub async fn create_lease(#[server(flatten)] form: LeaseForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let input = form
        .into_input()
        .map_err(|e| fail(AppError::Api(ApiError::Validation(e))))?;
    service::create_lease(&state()?, &me, &input)
        .await
        .map_err(fail)
}

#[server(endpoint = "leases/get")]
pub async fn get_lease(id: i64) -> Result<LeaseDto, ApiError> {
    let me = require_user()?;
    service::get_lease(&state()?, &me, id).await.map_err(fail)
}

/// Corrects a lease's terms (not a renewal).
#[server(endpoint = "leases/update")]
pub async fn update_lease(#[server(flatten)] form: TermsForm) -> Result<LeaseDto, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::change_terms(&state()?, &me, &form, TermsChange::Correction)
        .await
        .map_err(fail)
}

/// Renews a lease under the lease law's cap.
#[server(endpoint = "leases/renew")]
pub async fn renew_lease(#[server(flatten)] form: TermsForm) -> Result<LeaseDto, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::change_terms(&state()?, &me, &form, TermsChange::Renewal)
        .await
        .map_err(fail)
}

/// Filtered, sorted, paged leases (50 a page).
#[server(endpoint = "leases/list")]
pub async fn list_leases(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<LeaseListRow>, ApiError> {
    let me = require_user()?;
    service::list_leases(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

/// A deposit received or returned.
#[server(endpoint = "leases/deposit")]
pub async fn add_deposit_entry(#[server(flatten)] form: DepositForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::add_deposit_entry(&state()?, &me, &form)
        .await
        .map_err(fail)
}

/// Ends a lease early, with the reason.
#[server(endpoint = "leases/terminate")]
pub async fn terminate_lease(#[server(flatten)] form: TerminateForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::terminate_lease(&state()?, &me, &form)
        .await
        .map_err(fail)
}
