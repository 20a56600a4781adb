//! The import's server function (staff only); the template is a plain download (`web.rs`).

use super::ImportReport;
use crate::domain::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, require_role, state},
    crate::server::error::AppError,
    crate::server::web::multipart::read_form,
};

/// Imports tenants and leases for one building from the XLSX template. Fields: `building_id`,
/// `mode` (`all`: nothing saved unless every row passes; `valid`: the valid rows only), `file`.
#[server(endpoint = "imports/leases", input = MultipartFormData)]
pub async fn import_leases(data: MultipartData) -> Result<ImportReport, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let state = state()?;
    let (fields, file) = read_form(data, state.files.max_bytes).await.map_err(fail)?;
    let Some((_, bytes)) = file else {
        return Err(fail(AppError::field("file", "엑셀 파일을 골라 주세요.")));
    };
    let building_id = fields
        .get("building_id")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::field("building_id", "건물을 골라 주세요.")))?;
    let valid_only = fields.get("mode").is_some_and(|m| m == "valid");
    let report = service::import_leases(&state, &me, building_id, &bytes, valid_only)
        .await
        .map_err(fail)?;
    // Sent without JavaScript, the page comes back without the island's report: its summary
    // is the page's one-time message.
    if crate::server::context::is_plain_form_post() {
        crate::server::context::flash(&report.summary_ko());
    }
    Ok(report)
}
