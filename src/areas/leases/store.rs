//! Every SQL statement of leases: create (refusing overlapping terms on a unit), the versioned
//! changes (correction, renewal, termination) with their history, the detail view, the list with
//! its filters, the deposit ledger, and the lookups a lease is checked against.

use super::{DepositLedger, LeaseStatus};
use crate::domain::ApiError;
use crate::domain::list::ListQuery;
use crate::server::db::list::{Arg, Paging, Where, ending_window, fetch_page, search_text};
use crate::server::db::scope::Scope;
use crate::server::db::versioned::{self, HistoryRow, Versioned};
use crate::server::db::{Db, InsertedId, now_utc, to_json};
use crate::server::error::AppError;
use crate::{audit_created, db_run, lock_row, versioned_change, write_event};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LeaseRow {
    pub id: i64,
    pub tenant_id: i64,
    pub building_id: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub vat_applies: bool,
    pub payment_day: i32,
    pub late_fee_rate_bp: i32,
    pub grace_days: i32,
    pub status: String,
    pub last_increase_on: Option<NaiveDate>,
    /// The reason recorded with the last increase when it went past the legal cap by the
    /// parties' agreement (empty: the last increase kept within it).
    pub increase_agreement: String,
    pub version: i32,
}

const LEASE_COLUMNS: &str = "id, tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, \
     vat_applies, payment_day, late_fee_rate_bp, grace_days, status, last_increase_on, increase_agreement, version";

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[derive(Debug, Clone)]
pub struct LeaseWrite {
    pub tenant_id: i64,
    pub building_id: i64,
    pub unit_ids: Vec<i64>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub vat_applies: bool,
    pub payment_day: i32,
    pub late_fee_rate_bp: i32,
    pub grace_days: i32,
    pub status: String,
}

/// Inserts a lease (`LeaseWrite`) and its units inside the caller's transaction; gives its id.
/// The spreadsheet import saves its leases with it too.
macro_rules! insert_lease_row {
    ($tx:expr, $l:expr, $now:expr) => {{
        let l: &$crate::areas::leases::store::LeaseWrite = $l;
        let id = $crate::server::db::InsertedId::inserted_id(
            &sqlx::query(
                "INSERT INTO leases (tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, \
                 vat_applies, payment_day, late_fee_rate_bp, grace_days, status, version, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            )
            .bind(l.tenant_id)
            .bind(l.building_id)
            .bind(l.start_date)
            .bind(l.end_date)
            .bind(l.deposit)
            .bind(l.monthly_rent)
            .bind(l.management_fee)
            .bind(l.vat_applies)
            .bind(l.payment_day)
            .bind(l.late_fee_rate_bp)
            .bind(l.grace_days)
            .bind(&l.status)
            .bind($now)
            .bind($now)
            .execute(&mut *$tx)
            .await?,
        );
        for unit in &l.unit_ids {
            sqlx::query("INSERT INTO lease_units (lease_id, unit_id) VALUES (?, ?)")
                .bind(id)
                .bind(unit)
                .execute(&mut *$tx)
                .await?;
        }
        id
    }};
}
pub(crate) use insert_lease_row;

/// Creates a lease on its units, refusing a unit already in a lease whose term overlaps.
pub async fn create_lease(db: &Db, l: &LeaseWrite, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let units = placeholders(l.unit_ids.len());
    // Touching the units first takes their row locks (MySQL) or the write lock (SQLite), so
    // two leases for one unit cannot pass the overlap check at the same time.
    let lock_sql = format!(
        "UPDATE units SET building_id = building_id WHERE building_id = ? AND id IN ({units})"
    );
    let count_sql = format!("SELECT COUNT(*) FROM units WHERE building_id = ? AND id IN ({units})");
    let overlap_sql = format!(
        "SELECT DISTINCT u.name FROM leases l JOIN lease_units lu ON lu.lease_id = l.id JOIN units u ON u.id = lu.unit_id \
         WHERE lu.unit_id IN ({units}) AND l.status NOT IN ('ended', 'terminated') AND l.start_date <= ? AND ? <= l.end_date \
         ORDER BY u.name"
    );
    let after = to_json(&serde_json::json!({
        "tenant_id": l.tenant_id, "building_id": l.building_id, "unit_ids": l.unit_ids,
        "start_date": l.start_date, "end_date": l.end_date, "deposit": l.deposit, "monthly_rent": l.monthly_rent,
        "management_fee": l.management_fee, "vat_applies": l.vat_applies, "payment_day": l.payment_day,
    }))?;
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let mut lock = sqlx::query(&lock_sql).bind(l.building_id);
        for id in &l.unit_ids {
            lock = lock.bind(id);
        }
        lock.execute(&mut *tx).await?;
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(l.building_id);
        for id in &l.unit_ids {
            count = count.bind(id);
        }
        if count.fetch_one(&mut *tx).await? != l.unit_ids.len() as i64 {
            return Err(AppError::field(
                "unit_ids",
                "선택한 호실이 이 건물에 없습니다.",
            ));
        }
        let mut q = sqlx::query_scalar::<_, String>(&overlap_sql);
        for id in &l.unit_ids {
            q = q.bind(id);
        }
        let taken = q
            .bind(l.end_date)
            .bind(l.start_date)
            .fetch_all(&mut *tx)
            .await?;
        if !taken.is_empty() {
            return Err(AppError::conflict(format!(
                "{} 호실은 이 기간에 이미 다른 임대 계약이 있습니다.",
                taken.join(", ")
            )));
        }
        let id = insert_lease_row!(tx, l, now);
        audit_created!(tx, now, by, "lease", id, &after);
        write_event!(tx, now, "lease.created", "lease", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn find_lease(
    db: &Db,
    id: i64,
) -> Result<Option<(LeaseRow, String, Vec<i64>)>, AppError> {
    let sql = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE id = ?");
    db_run!(db, |pool| {
        let Some(row) = sqlx::query_as::<_, LeaseRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
        else {
            return Ok(None);
        };
        let tenant: String = sqlx::query_scalar("SELECT name FROM tenants WHERE id = ?")
            .bind(row.tenant_id)
            .fetch_one(pool)
            .await?;
        let units: Vec<i64> = sqlx::query_scalar(
            "SELECT unit_id FROM lease_units WHERE lease_id = ? ORDER BY unit_id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        Ok(Some((row, tenant, units)))
    })
}

/// New values for a lease's terms (an edit or a renewal).
pub struct LeaseChange {
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub payment_day: i32,
    pub status: String,
    pub last_increase_on: Option<NaiveDate>,
    pub increase_agreement: String,
}

pub async fn building_region(db: &Db, building_id: i64) -> Result<Option<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT region_class FROM buildings WHERE id = ?"
    )
    .bind(building_id)
    .fetch_optional(pool)
    .await?))
}

pub async fn event_kinds(db: &Db, entity_id: i64) -> Result<Vec<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT kind FROM domain_events WHERE entity = 'lease' AND entity_id = ? ORDER BY id"
    )
    .bind(entity_id)
    .fetch_all(pool)
    .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BuildingLeaseRow {
    pub id: i64,
    pub tenant_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub monthly_rent: i64,
    pub status: String,
}

pub async fn building_leases(db: &Db, building_id: i64) -> Result<Vec<BuildingLeaseRow>, AppError> {
    let sql = "SELECT l.id, t.name AS tenant_name, l.start_date, l.end_date, l.monthly_rent, l.status \
               FROM leases l JOIN tenants t ON t.id = l.tenant_id WHERE l.building_id = ? ORDER BY l.start_date DESC, l.id DESC";
    Ok(db_run!(db, |pool| sqlx::query_as::<_, BuildingLeaseRow>(
        sql
    )
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeaseListDbRow {
    pub id: i64,
    pub tenant_name: String,
    pub building_name: String,
    pub units: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub status: String,
}

const VERSIONED: Versioned = Versioned {
    entity: "lease",
    select: "SELECT id, tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, \
             vat_applies, payment_day, late_fee_rate_bp, grace_days, status, last_increase_on, increase_agreement, version FROM leases WHERE id = ?",
    lock: "UPDATE leases SET version = version WHERE id = ?",
    history_insert: "INSERT INTO lease_history (lease_id, version, snapshot, change_kind, changed_by, changed_at) \
                     VALUES (?, ?, ?, ?, ?, ?)",
    history_select: "SELECT h.version, h.snapshot, h.change_kind, u.name AS changed_by_name, h.changed_at \
                     FROM lease_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.lease_id = ? ORDER BY h.version DESC",
};

pub async fn lease_history(db: &Db, id: i64) -> Result<Vec<HistoryRow>, AppError> {
    versioned::history(db, &VERSIONED, id).await
}

/// Stores the current version in the history, then applies new terms (`kind`:
/// `lease.changed` for a correction, `lease.renewed` for a renewal), in one transaction.
/// A longer term must not run into another lease of the same units.
pub async fn change_lease(
    db: &Db,
    id: i64,
    expected_version: i32,
    change: &LeaseChange,
    kind: &str,
    by: Option<i64>,
) -> Result<(), AppError> {
    versioned_change!(
        db,
        &VERSIONED,
        LeaseRow,
        id,
        expected_version,
        by,
        kind,
        |tx, current, now| {
            // The units are locked first, as in create_lease.
            sqlx::query("UPDATE units SET building_id = building_id WHERE id IN (SELECT unit_id FROM lease_units WHERE lease_id = ?)")
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let taken: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT u.name FROM lease_units mine JOIN lease_units lu ON lu.unit_id = mine.unit_id \
             JOIN leases l ON l.id = lu.lease_id JOIN units u ON u.id = lu.unit_id \
             WHERE mine.lease_id = ? AND l.id <> ? AND l.status NOT IN ('ended', 'terminated') \
             AND l.start_date <= ? AND ? <= l.end_date ORDER BY u.name",
        )
        .bind(id)
        .bind(id)
        .bind(change.end_date)
        .bind(current.start_date)
        .fetch_all(&mut *tx)
        .await?;
            if !taken.is_empty() {
                return Err(AppError::conflict(format!(
                    "{} 호실은 이 기간에 이미 다른 임대 계약이 있습니다.",
                    taken.join(", ")
                )));
            }
            sqlx::query(
            "UPDATE leases SET end_date = ?, deposit = ?, monthly_rent = ?, management_fee = ?, payment_day = ?, status = ?, \
             last_increase_on = ?, increase_agreement = ?, version = version + 1, updated_at = ? WHERE id = ?",
        )
        .bind(change.end_date).bind(change.deposit).bind(change.monthly_rent).bind(change.management_fee)
        .bind(change.payment_day).bind(&change.status).bind(change.last_increase_on).bind(&change.increase_agreement).bind(now).bind(id)
        .execute(&mut *tx).await?;
        }
    )
}

/// Ends a lease early: the previous version to the history, status `terminated`, the date and
/// reason kept, its audit entry and a `lease.ended` event, in one transaction.
pub async fn terminate_lease(
    db: &Db,
    id: i64,
    expected_version: i32,
    on: NaiveDate,
    reason: &str,
    by: Option<i64>,
) -> Result<(), AppError> {
    versioned_change!(
        db,
        &VERSIONED,
        LeaseRow,
        id,
        expected_version,
        by,
        "lease.ended",
        |tx, current, now| {
            if current.status == "terminated" || current.status == "ended" {
                return Err(AppError::conflict("이미 끝난 계약입니다."));
            }
            if on < current.start_date || on > current.end_date {
                return Err(AppError::field(
                    "terminated_on",
                    format!(
                        "해지일은 계약 기간({} ~ {}) 안이어야 합니다.",
                        current.start_date, current.end_date
                    ),
                ));
            }
            sqlx::query("UPDATE leases SET status = 'terminated', end_date = ?, terminated_on = ?, termination_reason = ?, \
                     version = version + 1, updated_at = ? WHERE id = ?")
            .bind(on).bind(on).bind(reason).bind(now).bind(id).execute(&mut *tx).await?;
        }
    )
}

/// A lease with what its detail page shows beside it.
pub struct LeaseView {
    pub row: LeaseRow,
    pub tenant_name: String,
    pub building_name: String,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: String,
    /// `(unit id, unit name)` in id order.
    pub units: Vec<(i64, String)>,
}

#[derive(sqlx::FromRow)]
struct LeaseViewRow {
    #[sqlx(flatten)]
    row: LeaseRow,
    tenant_name: String,
    building_name: String,
    terminated_on: Option<NaiveDate>,
    termination_reason: String,
}

pub async fn lease_view(db: &Db, id: i64) -> Result<Option<LeaseView>, AppError> {
    let sql = "SELECT l.id, l.tenant_id, l.building_id, l.start_date, l.end_date, l.deposit, l.monthly_rent, l.management_fee, \
               l.vat_applies, l.payment_day, l.late_fee_rate_bp, l.grace_days, l.status, l.last_increase_on, l.increase_agreement, l.version, \
               t.name AS tenant_name, b.name AS building_name, l.terminated_on, l.termination_reason \
               FROM leases l JOIN tenants t ON t.id = l.tenant_id JOIN buildings b ON b.id = l.building_id WHERE l.id = ?";
    db_run!(db, |pool| {
        let Some(v) = sqlx::query_as::<_, LeaseViewRow>(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
        else {
            return Ok(None);
        };
        let units: Vec<(i64, String)> = sqlx::query_as(
            "SELECT u.id, u.name FROM lease_units lu JOIN units u ON u.id = lu.unit_id WHERE lu.lease_id = ? ORDER BY u.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        Ok(Some(LeaseView {
            row: v.row,
            tenant_name: v.tenant_name,
            building_name: v.building_name,
            terminated_on: v.terminated_on,
            termination_reason: v.termination_reason,
            units,
        }))
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepositRow {
    pub id: i64,
    pub kind: String,
    pub amount: i64,
    pub on_date: NaiveDate,
    pub note: String,
    pub by_name: Option<String>,
}

pub async fn deposit_entries(db: &Db, lease_id: i64) -> Result<Vec<DepositRow>, AppError> {
    let sql = "SELECT d.id, d.kind, d.amount, d.on_date, d.note, u.name AS by_name FROM deposit_entries d \
               LEFT JOIN users u ON u.id = d.created_by WHERE d.lease_id = ? ORDER BY d.on_date, d.id";
    Ok(db_run!(db, |pool| sqlx::query_as::<_, DepositRow>(sql)
        .bind(lease_id)
        .fetch_all(pool)
        .await?))
}

/// Adds a ledger entry after checking it against the entries under the lease's row lock.
pub async fn add_deposit_entry(
    db: &Db,
    lease_id: i64,
    kind: &str,
    amount: i64,
    on_date: NaiveDate,
    note: &str,
    by: Option<i64>,
) -> Result<i64, AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "leases", "version", lease_id);
        let Some(agreed) = sqlx::query_scalar::<_, i64>("SELECT deposit FROM leases WHERE id = ?")
            .bind(lease_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT kind, amount FROM deposit_entries WHERE lease_id = ?")
                .bind(lease_id)
                .fetch_all(&mut *tx)
                .await?;
        let ledger = DepositLedger {
            entries: Vec::new(),
            received: rows
                .iter()
                .filter(|(k, _)| k == "received")
                .map(|(_, a)| a)
                .sum(),
            returned: rows
                .iter()
                .filter(|(k, _)| k == "returned")
                .map(|(_, a)| a)
                .sum(),
        };
        ledger
            .check(kind, amount, agreed)
            .map_err(|m| AppError::field("amount", m))?;
        let id = sqlx::query("INSERT INTO deposit_entries (lease_id, kind, amount, on_date, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(lease_id).bind(kind).bind(amount).bind(on_date).bind(note).bind(by).bind(now)
            .execute(&mut *tx).await?.inserted_id();
        let after = serde_json::json!({"lease_id": lease_id, "kind": kind, "amount": amount, "on_date": on_date, "note": note}).to_string();
        audit_created!(tx, now, by, "deposit", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

/// One page of leases and the total count, filtered on the server (search on the tenant's name,
/// building, status — the running ones unless another or `all` is asked — ending within N days,
/// manager, tenant) in the viewer's scope, soonest end first unless sorted otherwise. The page of
/// ids is picked first with only the joins a filter or the sort needs, and only then are names
/// and units gathered for those rows: SQLite would otherwise evaluate the units subquery for
/// every matching lease before sorting.
pub async fn list_leases(
    db: &Db,
    q: &ListQuery,
    tenant_id: Option<i64>,
    scope: Scope,
    today: NaiveDate,
    paging: Paging,
) -> Result<(Vec<LeaseListDbRow>, i64), AppError> {
    let mut w = Where::default();
    let search = search_text(q);
    if let Some(s) = search {
        w.search(&["t.name"], s);
    }
    if let Some(b) = q.building_id {
        w.push("l.building_id = ?", [Arg::I(b)]);
    }
    // No status chosen: the leases running now (진행 중, 만료 예정); `all` shows every status.
    match q.status.trim() {
        "" => w.push(
            "l.status IN (?, ?)",
            [
                Arg::S(LeaseStatus::Active.as_str().into()),
                Arg::S(LeaseStatus::Ending.as_str().into()),
            ],
        ),
        s => {
            if let Some(s) = LeaseStatus::parse(s) {
                w.push("l.status = ?", [Arg::S(s.as_str().into())]);
            }
        }
    }
    if let Some((a, b)) = ending_window(q, today) {
        w.push("l.end_date BETWEEN ? AND ?", [Arg::D(a), Arg::D(b)]);
    }
    scope.restrict(&mut w, "b.client_id");
    if let Some(m) = q.manager_id {
        w.push(
            "EXISTS (SELECT 1 FROM building_managers bm WHERE bm.building_id = l.building_id AND bm.user_id = ?)",
            [Arg::I(m)],
        );
    }
    if let Some(t) = tenant_id {
        w.push("l.tenant_id = ?", [Arg::I(t)]);
    }
    let order = match q.sort.as_str() {
        "start" => "l.start_date DESC, l.id DESC",
        "rent" => "l.monthly_rent DESC, l.id DESC",
        "tenant" => "t.name, l.id",
        _ => "l.end_date, l.id",
    };
    let needs_tenant = search.is_some() || order.contains("t.");
    let joins = format!(
        "{}{}",
        if needs_tenant {
            " JOIN tenants t ON t.id = l.tenant_id"
        } else {
            ""
        },
        if scope != Scope::All {
            " JOIN buildings b ON b.id = l.building_id"
        } else {
            ""
        }
    );
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT l.id, t.name AS tenant_name, b.name AS building_name, \
         (SELECT GROUP_CONCAT(u.name) FROM lease_units lu JOIN units u ON u.id = lu.unit_id WHERE lu.lease_id = l.id) AS units, \
         l.start_date, l.end_date, l.deposit, l.monthly_rent, l.status \
         FROM (SELECT l.id FROM leases l{joins} {filter} ORDER BY {order} LIMIT ? OFFSET ?) page \
         JOIN leases l ON l.id = page.id JOIN tenants t ON t.id = l.tenant_id JOIN buildings b ON b.id = l.building_id \
         ORDER BY {order}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM leases l{joins} {filter}");
    fetch_page(db, &rows_sql, &count_sql, &w, paging).await
}
