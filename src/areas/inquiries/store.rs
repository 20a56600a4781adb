//! Every SQL statement of the inquiries: stored, listed for the inbox, counted, followed up.

use crate::db_run;
use crate::server::db::{Db, now_utc};
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InquiryRow {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub phone: String,
    pub email: String,
    pub area: String,
    pub message: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewInquiry<'a> {
    pub name: &'a str,
    pub company: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub area: &'a str,
    pub message: &'a str,
    pub source_ip: &'a str,
}

pub async fn insert(db: &Db, i: &NewInquiry<'_>) -> Result<(), AppError> {
    let now = now_utc();
    let sql = "INSERT INTO inquiries (name, company, phone, email, area, message, status, notes, source_ip, consent_at, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, 'new', '', ?, ?, ?, ?)";
    db_run!(db, |pool| {
        sqlx::query(sql)
            .bind(i.name)
            .bind(i.company)
            .bind(i.phone)
            .bind(i.email)
            .bind(i.area)
            .bind(i.message)
            .bind(i.source_ip)
            .bind(now)
            .bind(now)
            .bind(now)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Newest first; `status` filters when given.
pub async fn list(db: &Db, status: Option<&str>, limit: i64) -> Result<Vec<InquiryRow>, AppError> {
    let filter = if status.is_some() {
        "WHERE i.status = ?"
    } else {
        ""
    };
    let sql = format!(
        "SELECT i.id, i.name, i.company, i.phone, i.email, i.area, i.message, i.status, i.assignee_id, \
         u.name AS assignee_name, i.notes, i.created_at \
         FROM inquiries i LEFT JOIN users u ON u.id = i.assignee_id {filter} ORDER BY i.created_at DESC, i.id DESC LIMIT ?"
    );
    Ok(db_run!(db, |pool| {
        let mut q = sqlx::query_as::<_, InquiryRow>(&sql);
        if let Some(s) = status {
            q = q.bind(s);
        }
        q.bind(limit).fetch_all(pool).await?
    }))
}

pub async fn count_new(db: &Db) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM inquiries WHERE status = 'new'"
    )
    .fetch_one(pool)
    .await?))
}

pub async fn update(
    db: &Db,
    id: i64,
    status: &str,
    assignee_id: Option<i64>,
    notes: &str,
) -> Result<bool, AppError> {
    let sql =
        "UPDATE inquiries SET status = ?, assignee_id = ?, notes = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(status)
        .bind(assignee_id)
        .bind(notes)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}
