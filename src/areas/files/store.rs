//! Every SQL statement of attached files: their rows (each insert and delete with its audit
//! entry) and the building(s) an owner record hangs off, for the visibility check.

use crate::server::db::{Db, InsertedId, now_utc};
use crate::server::error::AppError;
use crate::{audit_created, audit_deleted, db_run};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

const FILE_SELECT: &str = "SELECT f.id, f.owner_kind, f.owner_id, f.name, f.content_type, f.size_bytes, f.storage_key, \
     u.name AS uploaded_by_name, f.created_at FROM files f LEFT JOIN users u ON u.id = f.uploaded_by";

pub async fn files_of(db: &Db, owner_kind: &str, owner_id: i64) -> Result<Vec<FileRow>, AppError> {
    let sql = format!("{FILE_SELECT} WHERE f.owner_kind = ? AND f.owner_id = ? ORDER BY f.id");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, FileRow>(&sql)
        .bind(owner_kind)
        .bind(owner_id)
        .fetch_all(pool)
        .await?))
}

pub async fn find_file(db: &Db, id: i64) -> Result<Option<FileRow>, AppError> {
    let sql = format!("{FILE_SELECT} WHERE f.id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, FileRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

pub struct NewFile<'a> {
    pub owner_kind: &'a str,
    pub owner_id: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
}

pub async fn insert_file(db: &Db, f: &NewFile<'_>, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after =
        serde_json::json!({"owner_kind": f.owner_kind, "owner_id": f.owner_id, "name": f.name,
        "content_type": f.content_type, "size_bytes": f.size_bytes})
        .to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = sqlx::query("INSERT INTO files (owner_kind, owner_id, name, content_type, size_bytes, storage_key, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(f.owner_kind).bind(f.owner_id).bind(f.name).bind(f.content_type).bind(f.size_bytes).bind(f.storage_key).bind(by).bind(now)
            .execute(&mut *tx).await?.inserted_id();
        audit_created!(tx, now, by, "file", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn delete_file_row(db: &Db, f: &FileRow, by: Option<i64>) -> Result<(), AppError> {
    let now = now_utc();
    let before =
        serde_json::json!({"owner_kind": f.owner_kind, "owner_id": f.owner_id, "name": f.name,
        "storage_key": f.storage_key})
        .to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        sqlx::query("DELETE FROM files WHERE id = ?")
            .bind(f.id)
            .execute(&mut *tx)
            .await?;
        audit_deleted!(tx, now, by, "file", f.id, &before);
        tx.commit().await?;
        Ok(())
    })
}

/// The building an owner record hangs off (for the client check); `None` if the record is gone.
pub async fn owner_building(
    db: &Db,
    owner_kind: &str,
    owner_id: i64,
) -> Result<Option<Vec<i64>>, AppError> {
    let sql = match owner_kind {
        "building" => "SELECT id FROM buildings WHERE id = ?",
        "contract" => "SELECT building_id FROM management_contracts WHERE id = ?",
        "lease" => "SELECT building_id FROM leases WHERE id = ?",
        "expense" => "SELECT building_id FROM expenses WHERE id = ? AND deleted_at IS NULL",
        "utility_bill" => "SELECT building_id FROM utility_bills WHERE id = ?",
        "tenant" => "SELECT t.id FROM tenants t WHERE t.id = ?",
        _ => return Ok(None),
    };
    let found: Option<i64> = db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(owner_id)
        .fetch_optional(pool)
        .await?);
    let Some(found) = found else { return Ok(None) };
    if owner_kind != "tenant" {
        return Ok(Some(vec![found]));
    }
    // A tenant hangs off every building it leases in.
    Ok(Some(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT DISTINCT building_id FROM leases WHERE tenant_id = ?"
    )
    .bind(owner_id)
    .fetch_all(pool)
    .await?)))
}

/// The client of a management contract (a contract is visible to its client's users).
pub async fn contract_client(db: &Db, contract_id: i64) -> Result<Option<i64>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT client_id FROM management_contracts WHERE id = ?"
    )
    .bind(contract_id)
    .fetch_optional(pool)
    .await?))
}
