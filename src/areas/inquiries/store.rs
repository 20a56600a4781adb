//! Every SQL statement of the inquiries: stored, listed for the inbox, counted, followed up.

use crate::db_run;
use crate::domain::list::ListQuery;
use crate::server::db::list::{Arg, Paging, Where, fetch_page, search_text};
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
    pub spam_reason: String,
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
    /// Why it looks like spam; empty when it does not.
    pub spam_reason: &'a str,
}

pub async fn insert(db: &Db, i: &NewInquiry<'_>) -> Result<(), AppError> {
    let now = now_utc();
    let sql = "INSERT INTO inquiries (name, company, phone, email, area, message, status, notes, source_ip, spam_reason, consent_at, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, 'new', '', ?, ?, ?, ?, ?)";
    db_run!(db, |pool| {
        sqlx::query(sql)
            .bind(i.name)
            .bind(i.company)
            .bind(i.phone)
            .bind(i.email)
            .bind(i.area)
            .bind(i.message)
            .bind(i.source_ip)
            .bind(i.spam_reason)
            .bind(now)
            .bind(now)
            .bind(now)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The inbox, newest first, a page at a time. `status` is `new`, `contacted`, `closed` (those
/// not marked as spam), `spam` (only those), or empty (everything but spam); the search text
/// looks in the name, company, phone, email and message.
pub async fn list(
    db: &Db,
    q: &ListQuery,
    paging: Paging,
) -> Result<(Vec<InquiryRow>, i64), AppError> {
    let mut w = Where::default();
    match q.status.trim() {
        "spam" => w.push("i.spam_reason <> ''", []),
        status => {
            w.push("i.spam_reason = ''", []);
            if matches!(status, "new" | "contacted" | "closed") {
                w.push("i.status = ?", [Arg::S(status.to_string())]);
            }
        }
    }
    if let Some(text) = search_text(q) {
        w.search(
            &["i.name", "i.company", "i.phone", "i.email", "i.message"],
            text,
        );
    }
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT i.id, i.name, i.company, i.phone, i.email, i.area, i.message, i.status, i.assignee_id, \
         u.name AS assignee_name, i.notes, i.spam_reason, i.created_at \
         FROM inquiries i LEFT JOIN users u ON u.id = i.assignee_id {filter} \
         ORDER BY i.created_at DESC, i.id DESC LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM inquiries i {filter}");
    fetch_page(db, &rows_sql, &count_sql, &w, paging).await
}

pub async fn count_new(db: &Db) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM inquiries WHERE status = 'new' AND spam_reason = ''"
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
    spam: bool,
) -> Result<bool, AppError> {
    // Marked spam keeps the reason it was found with (or says staff marked it); unmarked clears it.
    let sql = "UPDATE inquiries SET status = ?, assignee_id = ?, notes = ?, \
               spam_reason = CASE WHEN ? THEN (CASE WHEN spam_reason = '' THEN '직원이 스팸으로 표시' ELSE spam_reason END) ELSE '' END, \
               updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(status)
        .bind(assignee_id)
        .bind(notes)
        .bind(spam)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}
