//! The audit log's server function (admins only).

use super::AuditEntry;
use crate::domain::ApiError;
use crate::domain::list::{ListPage, ListQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, require_role, state},
    crate::server::db::list::Paging,
};

#[server(endpoint = "audit/list")]
pub async fn list_audit(
    #[server(default)] query: ListQuery,
) -> Result<ListPage<AuditEntry>, ApiError> {
    require_role(&[Role::Admin])?;
    service::list_audit(&state()?, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

/// The dashboard's recent activity: every signed-in user, each seeing only what they may (a
/// client user, their own buildings').
#[server(endpoint = "activity/recent")]
pub async fn recent_activity() -> Result<Vec<super::ActivityDto>, ApiError> {
    let user = crate::server::context::require_user()?;
    service::recent_activity(&state()?, user.scope())
        .await
        .map_err(fail)
}
