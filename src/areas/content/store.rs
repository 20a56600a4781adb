//! Every SQL statement of the homepage content: posts (notices and news), the company info
//! (key/value site settings), and the portfolio columns of buildings (shown on the homepage,
//! public description, photo).

use crate::db_run;
use crate::server::db::{Db, InsertedId, is_unique_violation, now_utc};
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

// ---------------------------------------------------------------------------------------------
// Posts

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

/// A post's write as a result: a taken slug becomes the slug field's error.
fn slug_checked<T>(res: Result<T, sqlx::Error>) -> Result<T, AppError> {
    match res {
        Err(e) if is_unique_violation(&e) => Err(AppError::field(
            "slug",
            "이미 쓰이고 있는 주소(slug)입니다.",
        )),
        other => Ok(other?),
    }
}

/// A post's insert or update with its fields bound in column order, `published_at` last.
/// MySQL gets it as DATETIME (naive UTC): a TIMESTAMP parameter cannot hold dates after 2038.
macro_rules! post_query {
    ($sql:expr, $p:expr, $at:expr) => {
        sqlx::query($sql)
            .bind($p.slug)
            .bind($p.title)
            .bind($p.summary)
            .bind($p.body_markdown)
            .bind($p.cover_image)
            .bind($p.published)
            .bind($at)
    };
}

pub async fn insert_post(db: &Db, p: &PostWrite<'_>, author: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let sql = "INSERT INTO posts (slug, title, summary, body_markdown, cover_image, published, published_at, author_id, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    slug_checked(db_run!(
        db,
        sqlite
            | pool
            | post_query!(sql, p, p.published_at)
                .bind(author)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.inserted_id()),
        mysql
            | pool
            | post_query!(sql, p, p.published_at.naive_utc())
                .bind(author)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.inserted_id())
    ))
}

pub async fn update_post(db: &Db, id: i64, p: &PostWrite<'_>) -> Result<bool, AppError> {
    let sql = "UPDATE posts SET slug = ?, title = ?, summary = ?, body_markdown = ?, cover_image = ?, \
               published = ?, published_at = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = slug_checked(db_run!(
        db,
        sqlite
            | pool
            | post_query!(sql, p, p.published_at)
                .bind(now)
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        mysql
            | pool
            | post_query!(sql, p, p.published_at.naive_utc())
                .bind(now)
                .bind(id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
    ))?;
    Ok(n > 0)
}

pub async fn delete_post(db: &Db, id: i64) -> Result<bool, AppError> {
    let n = db_run!(db, |pool| sqlx::query("DELETE FROM posts WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}

pub async fn count_posts(db: &Db) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM posts"
    )
    .fetch_one(pool)
    .await?))
}

pub async fn find_post(db: &Db, id: i64) -> Result<Option<PostRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PostRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// A post visitors may read: published, and its publish time has come.
pub async fn find_public_post(
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
pub async fn list_public_posts(
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
pub async fn list_all_posts(db: &Db) -> Result<Vec<PostRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM posts ORDER BY published_at DESC, id DESC");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PostRow>(&sql)
        .fetch_all(pool)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Company info (site settings)

pub async fn site_settings(db: &Db) -> Result<Vec<(String, String)>, AppError> {
    let sql = "SELECT setting_key, value FROM site_settings";
    Ok(db_run!(db, |pool| sqlx::query_as(sql)
        .fetch_all(pool)
        .await?))
}

/// Writes every pair in one transaction (insert or replace).
pub async fn put_site_settings(db: &Db, pairs: &[(&str, &str)]) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(
        db,
        sqlite
            | pool
            | {
                let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
                for (k, v) in pairs {
                    sqlx::query("INSERT INTO site_settings (setting_key, value, updated_at) VALUES (?, ?, ?) \
                             ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
                    .bind(k).bind(v).bind(now).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            },
        mysql
            | pool
            | {
                let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
                for (k, v) in pairs {
                    sqlx::query("INSERT INTO site_settings (setting_key, value, updated_at) VALUES (?, ?, ?) \
                             ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at)")
                    .bind(k).bind(v).bind(now).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Portfolio

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PortfolioRow {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub main_use: String,
    pub floors_above: i32,
    pub floors_below: i32,
    pub total_area_m2: f64,
    pub photo: Option<String>,
    pub show_on_homepage: bool,
    pub public_description: String,
}

const PORTFOLIO_COLUMNS: &str = "id, name, road_address, main_use, floors_above, floors_below, total_area_m2, photo, show_on_homepage, public_description";

pub async fn list_public_buildings(db: &Db) -> Result<Vec<PortfolioRow>, AppError> {
    let sql = format!(
        "SELECT {PORTFOLIO_COLUMNS} FROM buildings WHERE show_on_homepage = ? ORDER BY name, id"
    );
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PortfolioRow>(&sql)
        .bind(true)
        .fetch_all(pool)
        .await?))
}

pub async fn list_portfolio_buildings(db: &Db) -> Result<Vec<PortfolioRow>, AppError> {
    let sql = format!("SELECT {PORTFOLIO_COLUMNS} FROM buildings ORDER BY name, id");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PortfolioRow>(&sql)
        .fetch_all(pool)
        .await?))
}

pub async fn set_building_public(
    db: &Db,
    id: i64,
    show: bool,
    description: &str,
    photo: Option<&str>,
) -> Result<bool, AppError> {
    let sql = "UPDATE buildings SET show_on_homepage = ?, public_description = ?, photo = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(show)
        .bind(description)
        .bind(photo)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}
