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

/// The user of a session that has neither expired nor sat unused longer than `idle`. An idle
/// session is deleted; a used one has its last use moved forward (at most once per
/// `refresh_after`, so a page of many requests writes once).
pub async fn find_user(
    db: &Db,
    token_hash: &str,
    idle: std::time::Duration,
) -> Result<Option<UserId>, AppError> {
    let sql =
        "SELECT user_id, expires_at, created_at, last_seen_at FROM sessions WHERE token_hash = ?";
    // user, expires, created, last seen
    type SessionRow = (i64, DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>);
    let row: Option<SessionRow> = db_run!(db, |pool| sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(pool)
        .await?);
    let Some((user_id, expires, created, seen)) = row else {
        return Ok(None);
    };
    let now = now_utc();
    let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::MAX);
    let seen = seen.unwrap_or(created);
    if expires <= now {
        return Ok(None);
    }
    if now - seen > idle {
        delete(db, token_hash).await?;
        return Ok(None);
    }
    let refresh_after = (idle / 4).min(chrono::Duration::seconds(60));
    if now - seen > refresh_after {
        let sql = "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?";
        db_run!(db, |pool| {
            sqlx::query(sql)
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
    }
    Ok(Some(UserId(user_id)))
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

/// Ends a user's other sessions, keeping the one identified by `keep_hash` (their own password
/// change).
pub async fn delete_for_user_except(
    db: &Db,
    user_id: UserId,
    keep_hash: &str,
) -> Result<(), AppError> {
    let sql = "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?";
    db_run!(db, |pool| {
        sqlx::query(sql)
            .bind(user_id.0)
            .bind(keep_hash)
            .execute(pool)
            .await?;
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
