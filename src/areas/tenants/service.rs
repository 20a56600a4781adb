//! Tenant rules with I/O: a tenant's record normalized (business number, mobile digits) the same
//! way for registering and correcting it; client isolation (a client sees only tenants leasing
//! in their buildings).

use super::store::{self, NewTenant, TenantListRow};
use super::{TenantDetail, TenantInput, TenantSummary};
use crate::areas::{files, leases};
use crate::domain::ApiError;
use crate::domain::form::Change;
use crate::domain::list::{ListPage, ListQuery};
use crate::domain::validation::format_business_number;
use crate::server::auth::CurrentUser;
use crate::server::db::list::Paging;
use crate::server::error::AppError;
use crate::server::state::AppState;

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

/// The record as stored: validated, trimmed, the business number as `123-45-67890`, the
/// mobile number as digits. Registering and correcting a tenant both go through it.
pub fn normalized(input: &TenantInput) -> Result<NewTenant, AppError> {
    let mobile = input
        .validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    Ok(NewTenant {
        kind: input.kind.clone(),
        name: input.name.trim().to_string(),
        business_number: format_business_number(&input.business_number),
        representative: input.representative.trim().to_string(),
        contact_name: input.contact_name.trim().to_string(),
        mobile,
        email: input.email.trim().to_string(),
    })
}

pub async fn create_tenant(
    state: &AppState,
    by: &CurrentUser,
    input: &TenantInput,
) -> Result<i64, AppError> {
    store::insert_tenant(&state.db, &normalized(input)?, Some(by.id.0)).await
}

pub async fn update_tenant(
    state: &AppState,
    by: &CurrentUser,
    change: &Change<TenantInput>,
) -> Result<(), AppError> {
    let t = normalized(&change.fields)?;
    store::update_tenant(&state.db, change.id, &t, Some(by.id.0)).await
}

pub async fn delete_tenant(state: &AppState, by: &CurrentUser, id: i64) -> Result<(), AppError> {
    store::delete_tenant(&state.db, id, Some(by.id.0)).await
}

fn tenant_summary(t: TenantListRow) -> TenantSummary {
    TenantSummary {
        id: t.id,
        kind: t.kind,
        name: t.name,
        business_number: t.business_number,
        representative: t.representative,
        contact_name: t.contact_name,
        mobile: t.mobile,
        email: t.email,
        leases: t.leases,
    }
}

pub async fn list_tenants(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<TenantSummary>, AppError> {
    let scope = viewer.scope();
    // Asking for another client's building says nothing about who leases there.
    if let Some(b) = q.building_id
        && !scope.sees_building(&state.db, b).await?
    {
        return Ok(paging.page_of(Vec::new(), 0));
    }
    let (rows, total) = store::list_tenants(&state.db, q, scope, paging).await?;
    Ok(paging.page_of(rows.into_iter().map(tenant_summary).collect(), total))
}

/// A tenant with the leases and files the viewer may see.
pub async fn get_tenant(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<TenantDetail, AppError> {
    let row = store::find_tenant(&state.db, id, viewer.scope())
        .await?
        .ok_or_else(not_found)?;
    if !viewer.scope().sees_tenant(&state.db, id).await? {
        return Err(not_found());
    }
    Ok(TenantDetail {
        tenant: tenant_summary(row),
        leases: leases::service::leases_of_tenant(state, viewer, id).await?,
        files: visible_files(state, viewer, id).await?,
    })
}

/// A tenant's own files, for a viewer who may see them (see `files::service`): a client sees
/// them only while the tenant leases nowhere but in their buildings.
async fn visible_files(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<Vec<crate::areas::files::FileDto>, AppError> {
    match files::service::ensure_owner_visible(state, viewer, "tenant", id).await {
        Ok(()) => files::service::files_of(state, "tenant", id).await,
        Err(AppError::Api(ApiError::NotFound)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
