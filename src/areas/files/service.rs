//! File rules with I/O: an upload typed from its bytes, limited in size, stored first in object
//! storage and then as a row (an object left without its row is removed again); a download only
//! for whoever may see the owner record; a deletion audited.

use super::store;
use super::{FILE_OWNERS, FileDto, clean_file_name, sniff_content_type};
use crate::domain::ApiError;
use crate::server::auth::CurrentUser;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::format_seoul_minutes;

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

pub async fn files_of(
    state: &AppState,
    owner_kind: &str,
    owner_id: i64,
) -> Result<Vec<FileDto>, AppError> {
    Ok(store::files_of(&state.db, owner_kind, owner_id)
        .await?
        .into_iter()
        .map(file_dto)
        .collect())
}

fn file_dto(f: store::FileRow) -> FileDto {
    FileDto {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size_bytes: f.size_bytes,
        uploaded_at: format_seoul_minutes(f.created_at),
        uploaded_by: f.uploaded_by_name,
    }
}

/// Not found unless the owner record exists and the viewer may see it.
pub async fn ensure_owner_visible(
    state: &AppState,
    viewer: &CurrentUser,
    owner_kind: &str,
    owner_id: i64,
) -> Result<(), AppError> {
    let scope = viewer.scope();
    if owner_kind == "contract" {
        let client = store::contract_client(&state.db, owner_id)
            .await?
            .ok_or_else(not_found)?;
        if !scope.sees_client(&state.db, client).await? {
            return Err(not_found());
        }
        return Ok(());
    }
    let Some(buildings) = store::owner_building(&state.db, owner_kind, owner_id).await? else {
        return Err(not_found());
    };
    if owner_kind == "tenant" && scope != crate::server::db::scope::Scope::All {
        // A tenant's own documents are not tied to one lease: a client sees them only while
        // the tenant leases nowhere but in their buildings, never another client's papers.
        if buildings.is_empty() {
            return Err(not_found());
        }
        for b in buildings {
            if !scope.sees_building(&state.db, b).await? {
                return Err(not_found());
            }
        }
        return Ok(());
    }
    for b in buildings {
        if scope.sees_building(&state.db, b).await? {
            return Ok(());
        }
    }
    // Staff see everything, even a tenant without a lease (no building yet).
    if scope == crate::server::db::scope::Scope::All {
        return Ok(());
    }
    Err(not_found())
}

/// Stores an uploaded file for a record: the type from its first bytes, the size under the
/// limit, the bytes first and then the row (an unreferenced object is removed again).
pub async fn store_file(
    state: &AppState,
    by: &CurrentUser,
    owner_kind: &str,
    owner_id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> Result<FileDto, AppError> {
    if !FILE_OWNERS.contains(&owner_kind) {
        return Err(AppError::field(
            "owner_kind",
            "파일을 붙일 대상이 올바르지 않습니다.",
        ));
    }
    ensure_owner_visible(state, by, owner_kind, owner_id).await?;
    if bytes.is_empty() {
        return Err(AppError::field(
            "file",
            "빈 파일입니다. 파일을 골라 주세요.",
        ));
    }
    if bytes.len() as u64 > state.files.max_bytes {
        return Err(AppError::field(
            "file",
            format!(
                "파일이 너무 큽니다. {}MB 이하만 올릴 수 있습니다.",
                state.files.max_bytes / 1024 / 1024
            ),
        ));
    }
    let Some(content_type) = sniff_content_type(&bytes) else {
        return Err(AppError::field(
            "file",
            "PDF 또는 이미지(PNG, JPEG, WebP) 파일만 올릴 수 있습니다.",
        ));
    };
    let name = clean_file_name(name);
    let key = crate::server::files::new_key();
    let size = bytes.len() as i64;
    state.files.put(&key, bytes).await?;
    let row = store::NewFile {
        owner_kind,
        owner_id,
        name: &name,
        content_type,
        size_bytes: size,
        storage_key: &key,
    };
    let id = match store::insert_file(&state.db, &row, Some(by.id.0)).await {
        Ok(id) => id,
        Err(e) => {
            if let Err(cleanup) = state.files.delete(&key).await {
                tracing::error!(key, error = %cleanup, "uploaded object left without its row");
            }
            return Err(e);
        }
    };
    let f = store::find_file(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(file_dto(f))
}

/// The file's row and bytes, for a viewer allowed to see its owner record.
pub async fn read_file(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<(store::FileRow, Vec<u8>), AppError> {
    let f = store::find_file(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    ensure_owner_visible(state, viewer, &f.owner_kind, f.owner_id).await?;
    let Some(bytes) = state.files.get(&f.storage_key).await? else {
        tracing::error!(file_id = id, key = %f.storage_key, "file row without its object");
        return Err(not_found());
    };
    Ok((f, bytes))
}

/// Deletes the row (with its audit entry), then the object.
pub async fn delete_file(state: &AppState, by: &CurrentUser, id: i64) -> Result<(), AppError> {
    let f = store::find_file(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    store::delete_file_row(&state.db, &f, Some(by.id.0)).await?;
    if let Err(e) = state.files.delete(&f.storage_key).await {
        tracing::error!(file_id = id, key = %f.storage_key, error = %e, "object not deleted; remove it by hand");
    }
    Ok(())
}
