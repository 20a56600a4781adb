//! `GET /platform/files/{id}`: a file download for whoever may see its owner record.

use super::service;
use crate::server::auth::SessionState;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::web::download::{file_response, signed_in};
use crate::server::web::routes::Routes;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;

pub fn routes() -> Routes {
    Routes::new().get("/platform/files/{id}", download)
}

/// `GET /platform/files/{id}`: the file, if the viewer may see its owner record (404 otherwise).
/// `?inline=1` shows an image in the page instead of saving it.
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let me = signed_in(&session)?;
    let (f, bytes) = service::read_file(&state, &me, id).await?;
    let inline =
        query.is_some_and(|q| q.contains("inline=1")) && f.content_type.starts_with("image/");
    Ok(file_response(bytes, &f.content_type, &f.name, inline))
}
