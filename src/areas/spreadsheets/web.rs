//! `GET /platform/import-template.xlsx`: the import template, for staff.

use super::service;
use crate::server::auth::SessionState;
use crate::server::error::AppError;
use crate::server::web::download::{XLSX, file_response, signed_in};
use crate::server::web::routes::Routes;
use axum::Extension;
use axum::response::Response;

pub fn routes() -> Routes {
    Routes::new().get("/platform/import-template.xlsx", import_template)
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
