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

/// Writes event `event_id`'s activity line once: a second write of the same event is ignored.
/// Returns whether it wrote.
#[allow(clippy::too_many_arguments)]
pub async fn record_activity(
    db: &Db,
    event_id: i64,
    at: DateTime<Utc>,
    kind: &str,
    entity: &str,
    entity_id: i64,
    building_id: Option<i64>,
    summary: &str,
) -> Result<bool, AppError> {
    let n = crate::db_run!(
        db,
        sqlite | pool | sqlx::query(
            "INSERT OR IGNORE INTO activity_feed (event_id, at, kind, entity, entity_id, building_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        .bind(event_id).bind(at).bind(kind).bind(entity).bind(entity_id).bind(building_id).bind(summary)
        .execute(pool).await?.rows_affected(),
        mysql | pool | sqlx::query(
            "INSERT IGNORE INTO activity_feed (event_id, at, kind, entity, entity_id, building_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        .bind(event_id).bind(at).bind(kind).bind(entity).bind(entity_id).bind(building_id).bind(summary)
        .execute(pool).await?.rows_affected()
    );
    Ok(n > 0)
}

/// A lease as an activity line names it: (building id, building, unit names, tenant).
pub async fn lease_subject(
    db: &Db,
    lease_id: i64,
) -> Result<Option<(i64, String, Vec<String>, String)>, AppError> {
    crate::db_run!(db, |pool| {
        let head: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT b.id, b.name, t.name FROM leases l JOIN buildings b ON b.id = l.building_id \
             JOIN tenants t ON t.id = l.tenant_id WHERE l.id = ?",
        )
        .bind(lease_id)
        .fetch_optional(pool)
        .await?;
        let Some((building_id, building, tenant)) = head else {
            return Ok(None);
        };
        let units: Vec<String> = sqlx::query_scalar(
            "SELECT u.name FROM lease_units lu JOIN units u ON u.id = lu.unit_id WHERE lu.lease_id = ? ORDER BY u.name",
        )
        .bind(lease_id)
        .fetch_all(pool)
        .await?;
        Ok(Some((building_id, building, units, tenant)))
    })
}

/// A management contract as an activity line names it: (building id, building, client).
pub async fn contract_subject(
    db: &Db,
    contract_id: i64,
) -> Result<Option<(i64, String, String)>, AppError> {
    Ok(crate::db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT b.id, b.name, c.name FROM management_contracts m JOIN buildings b ON b.id = m.building_id \
         JOIN clients c ON c.id = m.client_id WHERE m.id = ?"
    )
    .bind(contract_id)
    .fetch_optional(pool)
    .await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    pub at: DateTime<Utc>,
    pub entity: String,
    pub entity_id: i64,
    pub summary: String,
}

/// The newest activity lines the user may see (a client user: their buildings' only).
pub async fn recent_activity(
    db: &Db,
    scope: crate::server::db::scope::Scope,
    limit: i64,
) -> Result<Vec<ActivityRow>, AppError> {
    let mut w = Where::default();
    // A client user: lease lines of their buildings, contract lines of their own contracts
    // (as the lease and contract pages show them).
    if let crate::server::db::scope::Scope::ClientUser(user) = scope {
        w.push(
            "((a.entity = 'lease' AND b.client_id IN (SELECT client_id FROM client_users WHERE user_id = ?)) \
              OR (a.entity = 'contract' AND EXISTS (SELECT 1 FROM management_contracts mc \
                  WHERE mc.id = a.entity_id AND mc.client_id IN (SELECT client_id FROM client_users WHERE user_id = ?))))",
            [Arg::I(user), Arg::I(user)],
        );
    }
    let sql = format!(
        "SELECT a.at, a.entity, a.entity_id, a.summary FROM activity_feed a \
         LEFT JOIN buildings b ON b.id = a.building_id {} ORDER BY a.at DESC, a.event_id DESC LIMIT ?",
        w.sql()
    );
    Ok(crate::db_run!(db, |pool| crate::bind_args!(
        sqlx::query_as::<_, ActivityRow>(&sql),
        w.args()
    )
    .bind(limit)
    .fetch_all(pool)
    .await?))
}
