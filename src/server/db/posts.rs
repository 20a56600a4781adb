//! Notices and news posts.

use super::{Db, now_utc};
use crate::db_run;
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_markdown: String,
    pub cover_image: Option<String>,
    pub published: bool,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, slug, title, summary, body_markdown, cover_image, published, published_at, updated_at";

pub struct PostWrite<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body_markdown: &'a str,
    pub cover_image: Option<&'a str>,
    pub published: bool,
    pub published_at: DateTime<Utc>,
}

fn slug_taken(e: &sqlx::Error) -> bool {
    super::users::is_unique_violation(e)
}

pub async fn insert(db: &Db, p: &PostWrite<'_>, author: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let sql = "INSERT INTO posts (slug, title, summary, body_markdown, cover_image, published, published_at, author_id, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let res = db_run!(
        db,
        sqlite
            | pool
            | sqlx::query(sql)
                .bind(p.slug)
                .bind(p.title)
                .bind(p.summary)
                .bind(p.body_markdown)
                .bind(p.cover_image)
                .bind(p.published)
                .bind(p.published_at)
                .bind(author)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.last_insert_rowid()),
        mysql
            | pool
            | sqlx::query(sql)
                .bind(p.slug)
                .bind(p.title)
                .bind(p.summary)
                .bind(p.body_markdown)
                .bind(p.cover_image)
                .bind(p.published)
                .bind(p.published_at.naive_utc())
                .bind(author)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.last_insert_id() as i64)
    );
    match res {
        Ok(id) => Ok(id),
        Err(e) if slug_taken(&e) => Err(AppError::field(
            "slug",
            "이미 쓰이고 있는 주소(slug)입니다.",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn update(db: &Db, id: i64, p: &PostWrite<'_>) -> Result<bool, AppError> {
    let sql = "UPDATE posts SET slug = ?, title = ?, summary = ?, body_markdown = ?, cover_image = ?, \
               published = ?, published_at = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    // MySQL gets DATETIME (naive UTC): a TIMESTAMP parameter cannot hold dates after 2038.
    let res = db_run!(
        db,
        sqlite
            | pool
            | sqlx::query(sql)
                .bind(p.slug)
                .bind(p.title)
                .bind(p.summary)
                .bind(p.body_markdown)
                .bind(p.cover_image)
                .bind(p.published)
                .bind(p.published_at)
                .bind(now)
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        mysql
            | pool
            | sqlx::query(sql)
                .bind(p.slug)
                .bind(p.title)
                .bind(p.summary)
                .bind(p.body_markdown)
                .bind(p.cover_image)
                .bind(p.published)
                .bind(p.published_at.naive_utc())
                .bind(now)
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
    );
    match res {
        Ok(n) => Ok(n > 0),
        Err(e) if slug_taken(&e) => Err(AppError::field(
            "slug",
            "이미 쓰이고 있는 주소(slug)입니다.",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(db: &Db, id: i64) -> Result<bool, AppError> {
    let n = db_run!(db, |pool| sqlx::query("DELETE FROM posts WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}

pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM posts"
    )
    .fetch_one(pool)
    .await?))
}

pub async fn find(db: &Db, id: i64) -> Result<Option<PostRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PostRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// A post visitors may read: published, and its publish time has come.
pub async fn find_public(
    db: &Db,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<PostRow>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM posts WHERE slug = ? AND published = ? AND published_at <= ?"
    );
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PostRow>(&sql)
        .bind(slug)
        .bind(true)
        .bind(now)
        .fetch_optional(pool)
        .await?))
}

/// Published posts, newest first, one page of them, and how many there are in all.
pub async fn list_public(
    db: &Db,
    now: DateTime<Utc>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PostRow>, i64), AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM posts WHERE published = ? AND published_at <= ? ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?"
    );
    let count_sql = "SELECT COUNT(*) FROM posts WHERE published = ? AND published_at <= ?";
    db_run!(db, |pool| {
        let rows = sqlx::query_as::<_, PostRow>(&sql)
            .bind(true)
            .bind(now)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total = sqlx::query_scalar::<_, i64>(count_sql)
            .bind(true)
            .bind(now)
            .fetch_one(pool)
            .await?;
        Ok((rows, total))
    })
}

/// Every post for the editor, newest first.
pub async fn list_all(db: &Db) -> Result<Vec<PostRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM posts ORDER BY published_at DESC, id DESC");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PostRow>(&sql)
        .fetch_all(pool)
        .await?))
}
