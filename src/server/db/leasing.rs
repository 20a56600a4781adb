//! Tenants, units and leases. Every change runs in one transaction with what the old database
//! did in triggers: the previous version of a lease goes to its history, an audit entry and a
//! domain event are written, and overlapping terms on a unit are refused.

use super::{Db, InsertedId, now_utc};
use crate::domain::ApiError;
use crate::server::error::AppError;
use crate::{db_run, lock_row};
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
    pub version: i32,
}

const LEASE_COLUMNS: &str = "id, tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, \
     vat_applies, payment_day, late_fee_rate_bp, grace_days, status, last_increase_on, version";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub version: i32,
    pub snapshot: String,
    pub change_kind: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

/// One audit entry and one domain event, written by the caller's transaction.
pub struct Trail<'a> {
    pub user_id: Option<i64>,
    pub entity: &'a str,
    pub action: &'a str,
    pub event: &'a str,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::internal(format!("json: {e}")))
}

pub struct NewTenant<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub business_number: Option<&'a str>,
    pub representative: &'a str,
    pub contact_name: &'a str,
    pub mobile: &'a str,
    pub email: &'a str,
}

pub async fn insert_tenant(db: &Db, t: &NewTenant<'_>, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after = serde_json::json!({"kind": t.kind, "name": t.name, "business_number": t.business_number, "mobile": t.mobile}).to_string();
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id = sqlx::query(
            "INSERT INTO tenants (kind, name, business_number, representative, contact_name, mobile, email, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(t.kind).bind(t.name).bind(t.business_number).bind(t.representative).bind(t.contact_name)
        .bind(t.mobile).bind(t.email).bind(now).bind(now)
        .execute(&mut *tx).await?.inserted_id();
        sqlx::query("INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) VALUES (?, ?, 'tenant', ?, 'create', NULL, ?)")
            .bind(now).bind(by).bind(id).bind(&after).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    })
}

/// Units of one building: `(floor, name, exclusive m², common m²)`. A name already used in the
/// building is refused.
pub async fn insert_units(
    db: &Db,
    building_id: i64,
    units: &[(i32, String, f64, f64)],
    by: Option<i64>,
) -> Result<Vec<i64>, AppError> {
    let now = now_utc();
    // An async block keeps `?` inside, so a duplicate name can become a field error below.
    let result: Result<Vec<i64>, sqlx::Error> = db_run!(db, |pool| {
        async {
        let mut tx = pool.begin().await?;
        let mut ids = Vec::with_capacity(units.len());
        for (floor, name, exclusive, common) in units {
            let id = sqlx::query("INSERT INTO units (building_id, floor, name, exclusive_area_m2, common_area_m2, contract_area_m2, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(building_id).bind(floor).bind(name).bind(exclusive).bind(common)
                .bind(crate::domain::records::contract_area(*exclusive, *common)).bind(now)
                .execute(&mut *tx).await?.inserted_id();
            sqlx::query("INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) VALUES (?, ?, 'unit', ?, 'create', NULL, ?)")
                .bind(now).bind(by).bind(id).bind(format!("{{\"building_id\":{building_id},\"name\":{:?}}}", name))
                .execute(&mut *tx).await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }
    .await
    });
    result.map_err(|e| {
        if super::users::is_unique_violation(&e) {
            AppError::field("units", "이 건물에 이미 같은 이름의 호실이 있습니다.")
        } else {
            e.into()
        }
    })
}

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
    let after = json(&serde_json::json!({
        "tenant_id": l.tenant_id, "building_id": l.building_id, "unit_ids": l.unit_ids,
        "start_date": l.start_date, "end_date": l.end_date, "deposit": l.deposit, "monthly_rent": l.monthly_rent,
        "management_fee": l.management_fee, "vat_applies": l.vat_applies, "payment_day": l.payment_day,
    }))?;
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
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
        let id = sqlx::query(
            "INSERT INTO leases (tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, vat_applies, \
             payment_day, late_fee_rate_bp, grace_days, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        )
        .bind(l.tenant_id).bind(l.building_id).bind(l.start_date).bind(l.end_date).bind(l.deposit).bind(l.monthly_rent)
        .bind(l.management_fee).bind(l.vat_applies).bind(l.payment_day).bind(l.late_fee_rate_bp).bind(l.grace_days)
        .bind(&l.status).bind(now).bind(now)
        .execute(&mut *tx).await?.inserted_id();
        for unit in &l.unit_ids {
            sqlx::query("INSERT INTO lease_units (lease_id, unit_id) VALUES (?, ?)")
                .bind(id)
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) VALUES (?, ?, 'lease', ?, 'create', NULL, ?)")
            .bind(now).bind(by).bind(id).bind(&after).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES ('lease.created', 'lease', ?, ?, ?)")
            .bind(id).bind(&after).bind(now).execute(&mut *tx).await?;
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

pub async fn lease_history(db: &Db, id: i64) -> Result<Vec<HistoryRow>, AppError> {
    let sql = "SELECT h.version, h.snapshot, h.change_kind, u.name AS changed_by_name, h.changed_at \
               FROM lease_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.lease_id = ? ORDER BY h.version DESC";
    Ok(db_run!(db, |pool| sqlx::query_as::<_, HistoryRow>(sql)
        .bind(id)
        .fetch_all(pool)
        .await?))
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
}

/// Stores the current version in the history, then applies the change, in one transaction.
/// `expected_version` guards against two people editing at once.
pub async fn change_lease(
    db: &Db,
    id: i64,
    expected_version: i32,
    change: &LeaseChange,
    trail: &Trail<'_>,
) -> Result<(), AppError> {
    let now = now_utc();
    let select = format!("SELECT {LEASE_COLUMNS} FROM leases WHERE id = ?");
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "leases", "version", id);
        let Some(current) = sqlx::query_as::<_, LeaseRow>(&select)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        if current.version != expected_version {
            return Err(AppError::conflict(
                "다른 사용자가 먼저 이 계약을 바꿨습니다. 새로 불러온 뒤 다시 시도해 주세요.",
            ));
        }
        // A longer term must not run into another lease of the same units (locked first,
        // as in create_lease).
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
        let before = json(&current)?;
        sqlx::query("INSERT INTO lease_history (lease_id, version, snapshot, change_kind, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(id).bind(current.version).bind(&before).bind(trail.event).bind(trail.user_id).bind(now)
            .execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE leases SET end_date = ?, deposit = ?, monthly_rent = ?, management_fee = ?, payment_day = ?, status = ?, \
             last_increase_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
        )
        .bind(change.end_date).bind(change.deposit).bind(change.monthly_rent).bind(change.management_fee)
        .bind(change.payment_day).bind(&change.status).bind(change.last_increase_on).bind(now).bind(id)
        .execute(&mut *tx).await?;
        let updated = sqlx::query_as::<_, LeaseRow>(&select)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = json(&updated)?;
        sqlx::query("INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(now).bind(trail.user_id).bind(trail.entity).bind(id).bind(trail.action).bind(&before).bind(&after)
            .execute(&mut *tx).await?;
        sqlx::query("INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES (?, 'lease', ?, ?, ?)")
            .bind(trail.event).bind(id).bind(&after).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    })
}

pub async fn building_region(db: &Db, building_id: i64) -> Result<Option<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT region_class FROM buildings WHERE id = ?"
    )
    .bind(building_id)
    .fetch_optional(pool)
    .await?))
}

pub async fn tenant_exists(db: &Db, id: i64) -> Result<bool, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM tenants WHERE id = ?"
    )
    .bind(id)
    .fetch_one(pool)
    .await?)
        > 0)
}

/// Counts for tests and the audit view: entries of an entity, and events of a kind.
pub async fn audit_count(db: &Db, entity: &str, entity_id: i64) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE entity = ? AND entity_id = ?"
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_one(pool)
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

/// Whether a client user may see a building: it belongs to one of the user's clients.
pub async fn client_user_sees_building(
    db: &Db,
    user_id: i64,
    building_id: i64,
) -> Result<bool, AppError> {
    let sql = "SELECT COUNT(*) FROM buildings b JOIN client_users cu ON cu.client_id = b.client_id WHERE b.id = ? AND cu.user_id = ?";
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(building_id)
        .bind(user_id)
        .fetch_one(pool)
        .await?)
        > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub floor: i32,
    pub name: String,
    pub exclusive_area_m2: f64,
    pub common_area_m2: f64,
    pub contract_area_m2: f64,
}

pub async fn building_units(db: &Db, building_id: i64) -> Result<Vec<UnitRow>, AppError> {
    let sql = "SELECT id, floor, name, exclusive_area_m2, common_area_m2, contract_area_m2 FROM units WHERE building_id = ? ORDER BY floor, name";
    Ok(db_run!(db, |pool| sqlx::query_as::<_, UnitRow>(sql)
        .bind(building_id)
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

pub async fn building_name(
    db: &Db,
    building_id: i64,
) -> Result<Option<(String, String, String)>, AppError> {
    let sql = "SELECT name, road_address, region_class FROM buildings WHERE id = ?";
    Ok(db_run!(db, |pool| sqlx::query_as::<
        _,
        (String, String, String),
    >(sql)
    .bind(building_id)
    .fetch_optional(pool)
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

pub struct LeaseFilter<'a> {
    pub search: Option<&'a str>,
    pub building_id: Option<i64>,
    pub status: Option<&'a str>,
    pub ending_between: Option<(NaiveDate, NaiveDate)>,
    pub client_user: Option<i64>,
    pub manager_id: Option<i64>,
    pub tenant_id: Option<i64>,
    /// A fixed ORDER BY clause chosen from a list (never user text).
    pub order_by: &'static str,
    pub limit: i64,
    pub offset: i64,
}

/// One page of leases and the total count, filtered on the server; one query for the rows
/// (units gathered in the same statement) and one for the count.
pub async fn list_leases(
    db: &Db,
    f: &LeaseFilter<'_>,
) -> Result<(Vec<LeaseListDbRow>, i64), AppError> {
    let mut clauses: Vec<&str> = Vec::new();
    if f.search.is_some() {
        // `!` escapes % and _ alike on SQLite and MySQL (their default escapes differ).
        clauses.push("t.name LIKE ? ESCAPE '!'");
    }
    if f.building_id.is_some() {
        clauses.push("l.building_id = ?");
    }
    if f.status.is_some() {
        clauses.push("l.status = ?");
    }
    if f.ending_between.is_some() {
        clauses.push("l.end_date BETWEEN ? AND ?");
    }
    if f.client_user.is_some() {
        clauses.push("b.client_id IN (SELECT client_id FROM client_users WHERE user_id = ?)");
    }
    if f.manager_id.is_some() {
        clauses.push("EXISTS (SELECT 1 FROM building_managers bm WHERE bm.building_id = l.building_id AND bm.user_id = ?)");
    }
    if f.tenant_id.is_some() {
        clauses.push("l.tenant_id = ?");
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    // Join only what a filter or the sort needs, pick the page of ids first, and only then
    // gather names and units for those 50 rows: SQLite would otherwise evaluate the units
    // subquery for every matching lease before sorting.
    let needs_tenant = f.search.is_some() || f.order_by.contains("t.");
    let joins = format!(
        "{}{}",
        if needs_tenant {
            " JOIN tenants t ON t.id = l.tenant_id"
        } else {
            ""
        },
        if f.client_user.is_some() {
            " JOIN buildings b ON b.id = l.building_id"
        } else {
            ""
        }
    );
    let rows_sql = format!(
        "SELECT l.id, t.name AS tenant_name, b.name AS building_name, \
         (SELECT GROUP_CONCAT(u.name) FROM lease_units lu JOIN units u ON u.id = lu.unit_id WHERE lu.lease_id = l.id) AS units, \
         l.start_date, l.end_date, l.deposit, l.monthly_rent, l.status \
         FROM (SELECT l.id FROM leases l{joins} {filter} ORDER BY {order} LIMIT ? OFFSET ?) page \
         JOIN leases l ON l.id = page.id JOIN tenants t ON t.id = l.tenant_id JOIN buildings b ON b.id = l.building_id \
         ORDER BY {order}",
        order = f.order_by
    );
    let count_sql = format!("SELECT COUNT(*) FROM leases l{joins} {filter}");
    let like = f.search.map(|s| {
        format!(
            "%{}%",
            s.replace('!', "!!").replace('%', "!%").replace('_', "!_")
        )
    });
    macro_rules! bind_filters {
        ($q:expr) => {{
            let mut q = $q;
            if let Some(s) = &like {
                q = q.bind(s.clone());
            }
            if let Some(b) = f.building_id {
                q = q.bind(b);
            }
            if let Some(s) = f.status {
                q = q.bind(s);
            }
            if let Some((a, b)) = f.ending_between {
                q = q.bind(a).bind(b);
            }
            if let Some(u) = f.client_user {
                q = q.bind(u);
            }
            if let Some(m) = f.manager_id {
                q = q.bind(m);
            }
            if let Some(t) = f.tenant_id {
                q = q.bind(t);
            }
            q
        }};
    }
    db_run!(db, |pool| {
        let rows = bind_filters!(sqlx::query_as::<_, LeaseListDbRow>(&rows_sql))
            .bind(f.limit)
            .bind(f.offset)
            .fetch_all(pool)
            .await?;
        let total = bind_filters!(sqlx::query_scalar::<_, i64>(&count_sql))
            .fetch_one(pool)
            .await?;
        Ok((rows, total))
    })
}
