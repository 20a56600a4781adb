//! Every SQL statement of management contracts: insert, the versioned change with its history,
//! the list with its filters, and the lookups a new contract is checked against.

use super::ContractStatus;
use crate::domain::list::ListQuery;
use crate::server::db::list::{Arg, Paging, Where, ending_window, fetch_page, search_text};
use crate::server::db::scope::Scope;
use crate::server::db::versioned::{self, HistoryRow, Versioned};
use crate::server::db::{Db, InsertedId, now_utc, to_json};
use crate::server::error::AppError;
use crate::{audit_created, db_run, versioned_change, write_event};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ContractRow {
    pub id: i64,
    pub building_id: i64,
    pub client_id: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scope: String,
    pub monthly_fee: i64,
    pub vat_applies: bool,
    pub status: String,
    pub version: i32,
}

const CONTRACT_COLUMNS: &str = "id, building_id, client_id, start_date, end_date, scope, monthly_fee, vat_applies, status, version";

pub struct ContractWrite<'a> {
    pub building_id: i64,
    pub client_id: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scope: &'a str,
    pub monthly_fee: i64,
    pub vat_applies: bool,
    pub status: &'a str,
}

pub async fn insert_contract(
    db: &Db,
    c: &ContractWrite<'_>,
    by: Option<i64>,
) -> Result<i64, AppError> {
    let now = now_utc();
    let select = format!("SELECT {CONTRACT_COLUMNS} FROM management_contracts WHERE id = ?");
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = sqlx::query(
            "INSERT INTO management_contracts (building_id, client_id, start_date, end_date, scope, monthly_fee, vat_applies, status, \
             version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        )
        .bind(c.building_id).bind(c.client_id).bind(c.start_date).bind(c.end_date).bind(c.scope)
        .bind(c.monthly_fee).bind(c.vat_applies).bind(c.status).bind(now).bind(now)
        .execute(&mut *tx).await?.inserted_id();
        let row = sqlx::query_as::<_, ContractRow>(&select)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = to_json(&row)?;
        audit_created!(tx, now, by, "contract", id, &after);
        write_event!(tx, now, "contract.created", "contract", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn find_contract(db: &Db, id: i64) -> Result<Option<ContractRow>, AppError> {
    let sql = format!("SELECT {CONTRACT_COLUMNS} FROM management_contracts WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, ContractRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

pub struct ContractChange<'a> {
    pub end_date: NaiveDate,
    pub scope: &'a str,
    pub monthly_fee: i64,
    pub vat_applies: bool,
    pub status: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContractListDbRow {
    pub id: i64,
    pub building_id: i64,
    pub building_name: String,
    pub client_id: i64,
    pub client_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scope: String,
    pub monthly_fee: i64,
    pub vat_applies: bool,
    pub status: String,
}

pub const CONTRACT_FROM: &str = "management_contracts mc JOIN buildings b ON b.id = mc.building_id JOIN clients c ON c.id = mc.client_id";

const VERSIONED: Versioned = Versioned {
    entity: "contract",
    select: "SELECT id, building_id, client_id, start_date, end_date, scope, monthly_fee, vat_applies, status, version \
             FROM management_contracts WHERE id = ?",
    lock: "UPDATE management_contracts SET version = version WHERE id = ?",
    history_insert: "INSERT INTO management_contract_history (contract_id, version, snapshot, change_kind, changed_by, changed_at) \
                     VALUES (?, ?, ?, ?, ?, ?)",
    history_select: "SELECT h.version, h.snapshot, h.change_kind, u.name AS changed_by_name, h.changed_at \
                     FROM management_contract_history h LEFT JOIN users u ON u.id = h.changed_by \
                     WHERE h.contract_id = ? ORDER BY h.version DESC",
};

/// Stores the current version in the history, then applies the change, in one transaction,
/// with its audit entry and a `contract.changed` event. A stale `expected_version` is refused.
pub async fn change_contract(
    db: &Db,
    id: i64,
    expected_version: i32,
    change: &ContractChange<'_>,
    by: Option<i64>,
) -> Result<(), AppError> {
    versioned_change!(
        db,
        &VERSIONED,
        ContractRow,
        id,
        expected_version,
        by,
        "contract.changed",
        |tx, current, now| {
            if change.end_date < current.start_date {
                return Err(AppError::field(
                    "end_date",
                    "종료일은 시작일 이후여야 합니다.",
                ));
            }
            sqlx::query("UPDATE management_contracts SET end_date = ?, scope = ?, monthly_fee = ?, vat_applies = ?, status = ?, \
                     version = version + 1, updated_at = ? WHERE id = ?")
            .bind(change.end_date).bind(change.scope).bind(change.monthly_fee).bind(change.vat_applies)
            .bind(change.status).bind(now).bind(id)
            .execute(&mut *tx).await?;
        }
    )
}

pub async fn contract_history(db: &Db, id: i64) -> Result<Vec<HistoryRow>, AppError> {
    versioned::history(db, &VERSIONED, id).await
}

/// Contracts filtered by the list query (search on building and client names, building, client,
/// status, ending within N days, manager), in the viewer's scope, sorted as asked.
pub async fn list_contracts(
    db: &Db,
    q: &ListQuery,
    scope: Scope,
    today: NaiveDate,
    paging: Paging,
) -> Result<(Vec<ContractListDbRow>, i64), AppError> {
    let mut w = Where::default();
    if let Some(s) = search_text(q) {
        w.search(&["b.name", "c.name"], s);
    }
    if let Some(b) = q.building_id {
        w.push("mc.building_id = ?", [Arg::I(b)]);
    }
    if let Some(c) = q.client_id {
        w.push("mc.client_id = ?", [Arg::I(c)]);
    }
    if let Some(s) = ContractStatus::parse(q.status.trim()) {
        w.push("mc.status = ?", [Arg::S(s.as_str().into())]);
    }
    if let Some((a, b)) = ending_window(q, today) {
        w.push("mc.end_date BETWEEN ? AND ?", [Arg::D(a), Arg::D(b)]);
    }
    if let Some(m) = q.manager_id {
        w.push(
            "EXISTS (SELECT 1 FROM building_managers bm WHERE bm.building_id = mc.building_id AND bm.user_id = ?)",
            [Arg::I(m)],
        );
    }
    scope.restrict(&mut w, "mc.client_id");
    let order = match q.sort.as_str() {
        "start" => "mc.start_date DESC, mc.id DESC",
        "fee" => "mc.monthly_fee DESC, mc.id",
        "building" => "b.name, mc.id",
        _ => "mc.end_date, mc.id",
    };
    page(db, &w, order, paging).await
}

/// One contract as its list row (names of building and client).
pub async fn contract_list_row(db: &Db, id: i64) -> Result<Option<ContractListDbRow>, AppError> {
    let mut w = Where::default();
    w.push("mc.id = ?", [Arg::I(id)]);
    Ok(page(db, &w, "mc.id", Paging::Page(1))
        .await?
        .0
        .into_iter()
        .next())
}

async fn page(
    db: &Db,
    w: &Where,
    order: &str,
    paging: Paging,
) -> Result<(Vec<ContractListDbRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT mc.id, mc.building_id, b.name AS building_name, mc.client_id, c.name AS client_name, mc.start_date, mc.end_date, \
         mc.scope, mc.monthly_fee, mc.vat_applies, mc.status FROM {CONTRACT_FROM} {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM {CONTRACT_FROM} {filter}");
    fetch_page(db, &rows_sql, &count_sql, w, paging).await
}

/// Whether the building exists, and its owner (client) if it has one.
pub async fn building_owner(db: &Db, building_id: i64) -> Result<Option<Option<i64>>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, Option<i64>>(
        "SELECT client_id FROM buildings WHERE id = ?"
    )
    .bind(building_id)
    .fetch_optional(pool)
    .await?))
}
