//! `GET /platform/import-template.xlsx`: the import template, for staff.

use super::service;
use crate::server::auth::SessionState;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::download::{XLSX, file_response, signed_in};
use axum::Extension;
use axum::Router;
use axum::response::Response;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/platform/import-template.xlsx", get(import_template))
}

/// `GET /platform/import-template.xlsx`.
pub async fn import_template(
    Extension(session): Extension<SessionState>,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    if !me.role.is_staff() {
        return Err(crate::domain::ApiError::Forbidden.into());
    }
    Ok(file_response(
        service::template()?,
        XLSX,
        "임대계약_가져오기_양식.xlsx",
        false,
    ))
}
