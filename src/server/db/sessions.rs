//! Sessions kept in the database (the store used when Redis is not configured). Only a hash of
//! the session token is stored, so a leaked table cannot be replayed as cookies.

use super::{Db, now_utc};
use crate::db_run;
use crate::domain::UserId;
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

pub async fn insert(
    db: &Db,
    token_hash: &str,
    user_id: UserId,
    expires_at: DateTime<Utc>,
) -> Result<(), AppError> {
    let sql =
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
    let now = now_utc();
    db_run!(db, |pool| {
        sqlx::query(sql)
            .bind(token_hash)
            .bind(user_id.0)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The user of a session that has not expired.
pub async fn find_user(db: &Db, token_hash: &str) -> Result<Option<UserId>, AppError> {
    let sql = "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?";
    let row: Option<(i64, DateTime<Utc>)> = db_run!(db, |pool| sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(pool)
        .await?);
    Ok(row
        .filter(|(_, expires)| *expires > Utc::now())
        .map(|(id, _)| UserId(id)))
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), AppError> {
    let sql = "DELETE FROM sessions WHERE token_hash = ?";
    db_run!(db, |pool| {
        sqlx::query(sql).bind(token_hash).execute(pool).await?;
    });
    Ok(())
}

pub async fn delete_for_user(db: &Db, user_id: UserId) -> Result<(), AppError> {
    let sql = "DELETE FROM sessions WHERE user_id = ?";
    db_run!(db, |pool| {
        sqlx::query(sql).bind(user_id.0).execute(pool).await?;
    });
    Ok(())
}

pub async fn delete_expired(db: &Db) -> Result<u64, AppError> {
    let sql = "DELETE FROM sessions WHERE expires_at < ?";
    let now = now_utc();
    Ok(db_run!(db, |pool| sqlx::query(sql)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected()))
}
