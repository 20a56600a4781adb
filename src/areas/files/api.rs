//! Server functions for attached files: upload (staff) and delete (staff). Downloads are a plain
//! handler (`web.rs`), since a browser saves them as files.

use super::FileDto;
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

/// Attaches a PDF or image to a building, contract, lease or tenant. Fields: `owner_kind`,
/// `owner_id`, `file`.
#[server(endpoint = "files/upload", input = MultipartFormData)]
pub async fn upload_file(data: MultipartData) -> Result<FileDto, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let state = state()?;
    let (fields, file) = read_form(data, state.files.max_bytes).await.map_err(fail)?;
    let Some((name, bytes)) = file else {
        return Err(fail(AppError::field("file", "파일을 골라 주세요.")));
    };
    let owner_kind = fields.get("owner_kind").cloned().unwrap_or_default();
    let owner_id = fields
        .get("owner_id")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::field("owner_id", "파일을 붙일 대상이 없습니다.")))?;
    service::store_file(&state, &me, &owner_kind, owner_id, &name, bytes)
        .await
        .map_err(fail)
}

#[server(endpoint = "files/delete")]
pub async fn delete_file(id: i64) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::delete_file(&state()?, &me, id).await.map_err(fail)
}
