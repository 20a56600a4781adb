//! Every SQL statement of the audit log viewer: the entries filtered, newest first.

use crate::domain::list::ListQuery;
use crate::server::db::Db;
use crate::server::db::list::{Arg, Paging, Where, fetch_page};
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Entries filtered by entity, user and record number (the search text), newest first.
pub async fn list_audit(
    db: &Db,
    q: &ListQuery,
    paging: Paging,
) -> Result<(Vec<AuditRow>, i64), AppError> {
    let mut w = Where::default();
    let entity = q.entity.trim();
    if !entity.is_empty() {
        w.push("a.entity = ?", [Arg::S(entity.to_string())]);
    }
    if let Some(u) = q.user_id {
        w.push("a.user_id = ?", [Arg::I(u)]);
    }
    if let Ok(id) = q.q.trim().parse::<i64>() {
        w.push("a.entity_id = ?", [Arg::I(id)]);
    }
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT a.id, a.at, u.name AS user_name, a.entity, a.entity_id, a.action, a.before_json, a.after_json \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id {filter} ORDER BY a.id DESC LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM audit_log a {filter}");
    fetch_page(db, &rows_sql, &count_sql, &w, paging).await
}
