//! Clients, building details and managers, management contracts (with history), the deposit
//! ledger, lease termination, attached files, the audit log, and the server-side lists with
//! their filters. Every change writes its audit entry (and, where others must hear of it, a
//! domain event) in the same transaction.

use super::{Db, InsertedId, now_utc};
use crate::domain::ApiError;
use crate::server::error::AppError;
use crate::{db_run, lock_row};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Writes one audit entry inside the caller's transaction.
macro_rules! audit {
    ($tx:expr, $now:expr, $by:expr, $entity:expr, $id:expr, $action:expr, $before:expr, $after:expr) => {
        sqlx::query("INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind($now).bind($by).bind($entity).bind($id).bind($action).bind($before).bind($after)
            .execute(&mut *$tx).await?
    };
}

macro_rules! event {
    ($tx:expr, $now:expr, $kind:expr, $entity:expr, $id:expr, $payload:expr) => {
        sqlx::query("INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind($kind).bind($entity).bind($id).bind($payload).bind($now)
            .execute(&mut *$tx).await?
    };
}

/// A bind value of a dynamically built list query.
#[derive(Debug, Clone)]
pub enum Arg {
    I(i64),
    S(String),
    D(NaiveDate),
}

macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.clone()),
                Arg::D(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// `WHERE` clauses and their values, built in step.
#[derive(Default, Debug)]
pub struct Where {
    clauses: Vec<String>,
    pub args: Vec<Arg>,
}

impl Where {
    pub fn push(&mut self, clause: &str, args: impl IntoIterator<Item = Arg>) {
        self.clauses.push(clause.to_string());
        self.args.extend(args);
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// `%text%` with `!` escaping `%`, `_` and itself (`LIKE ? ESCAPE '!'`, same on both backends).
pub fn like(s: &str) -> Arg {
    Arg::S(format!(
        "%{}%",
        s.replace('!', "!!").replace('%', "!%").replace('_', "!_")
    ))
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::internal(format!("json: {e}")))
}

/// Runs a row query and its count over the same filters.
macro_rules! page_query {
    ($db:expr, $row:ty, $rows_sql:expr, $count_sql:expr, $args:expr, $limit:expr, $offset:expr) => {
        db_run!($db, |pool| {
            let rows = bind_args!(sqlx::query_as::<_, $row>($rows_sql), $args)
                .bind($limit)
                .bind($offset)
                .fetch_all(pool)
                .await?;
            let total = bind_args!(sqlx::query_scalar::<_, i64>($count_sql), $args)
                .fetch_one(pool)
                .await?;
            Ok::<_, AppError>((rows, total))
        })
    };
}

// ---------------------------------------------------------------------------------------------
// Clients

#[derive(Debug, Clone, Serialize)]
pub struct ClientWrite<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub business_number: Option<&'a str>,
    pub representative: &'a str,
    pub contact_phone: &'a str,
    pub contact_email: &'a str,
}

pub async fn insert_client(db: &Db, c: &ClientWrite<'_>, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after = json(c)?;
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id = sqlx::query(
            "INSERT INTO clients (kind, name, business_number, representative, contact_phone, contact_email, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.kind).bind(c.name).bind(c.business_number).bind(c.representative).bind(c.contact_phone)
        .bind(c.contact_email).bind(now).bind(now)
        .execute(&mut *tx).await?.inserted_id();
        audit!(
            tx,
            now,
            by,
            "client",
            id,
            "create",
            None::<String>,
            Some(&after)
        );
        tx.commit().await?;
        Ok(id)
    })
}

/// Changes a client's record; the previous one goes to the audit log.
pub async fn update_client(
    db: &Db,
    id: i64,
    c: &ClientWrite<'_>,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let after = json(c)?;
    let select = "SELECT kind, name, business_number, representative, contact_phone, contact_email FROM clients WHERE id = ?";
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "clients", "name", id);
        type Before = (String, String, Option<String>, String, String, String);
        let Some(b) = sqlx::query_as::<_, Before>(select)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        let before = serde_json::json!({"kind": b.0, "name": b.1, "business_number": b.2,
            "representative": b.3, "contact_phone": b.4, "contact_email": b.5})
        .to_string();
        sqlx::query("UPDATE clients SET kind = ?, name = ?, business_number = ?, representative = ?, contact_phone = ?, contact_email = ?, updated_at = ? WHERE id = ?")
            .bind(c.kind).bind(c.name).bind(c.business_number).bind(c.representative).bind(c.contact_phone)
            .bind(c.contact_email).bind(now).bind(id)
            .execute(&mut *tx).await?;
        audit!(
            tx,
            now,
            by,
            "client",
            id,
            "update",
            Some(&before),
            Some(&after)
        );
        tx.commit().await?;
        Ok(())
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClientRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub buildings: i64,
    pub users: i64,
}

const CLIENT_SELECT: &str = "SELECT c.id, c.kind, c.name, c.business_number, c.representative, c.contact_phone, c.contact_email, \
     (SELECT COUNT(*) FROM buildings b WHERE b.client_id = c.id) AS buildings, \
     (SELECT COUNT(*) FROM client_users cu WHERE cu.client_id = c.id) AS users FROM clients c";

pub async fn list_clients(
    db: &Db,
    w: &Where,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClientRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!("{CLIENT_SELECT} {filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let count_sql = format!("SELECT COUNT(*) FROM clients c {filter}");
    page_query!(db, ClientRow, &rows_sql, &count_sql, &w.args, limit, offset)
}

pub async fn find_client(db: &Db, id: i64) -> Result<Option<ClientRow>, AppError> {
    let sql = format!("{CLIENT_SELECT} WHERE c.id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, ClientRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// `(id, name, detail)` rows for links and choices; `sql` takes one id parameter.
pub async fn named_refs(
    db: &Db,
    sql: &str,
    id: i64,
) -> Result<Vec<crate::domain::records::NamedRef>, AppError> {
    let rows = db_run!(db, |pool| sqlx::query_as::<_, (i64, String, String)>(sql)
        .bind(id)
        .fetch_all(pool)
        .await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, detail)| crate::domain::records::NamedRef { id, name, detail })
        .collect())
}

/// Active staff (admins and managers) by name, for manager choices and filters.
pub async fn staff_refs(db: &Db) -> Result<Vec<crate::domain::records::NamedRef>, AppError> {
    named_refs(
        db,
        "SELECT id, name, email FROM users WHERE id > ? AND role IN ('admin', 'manager') AND active = TRUE ORDER BY name",
        0,
    )
    .await
}

/// Links a user of role client to a client; the caller checked the role.
pub async fn link_client_user(
    db: &Db,
    client_id: i64,
    user_id: i64,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let after = format!("{{\"client_id\":{client_id},\"user_id\":{user_id},\"linked\":true}}");
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM client_users WHERE client_id = ? AND user_id = ?",
        )
        .bind(client_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        if exists == 0 {
            sqlx::query("INSERT INTO client_users (client_id, user_id) VALUES (?, ?)")
                .bind(client_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                now,
                by,
                "client",
                client_id,
                "update",
                None::<String>,
                Some(&after)
            );
        }
        tx.commit().await?;
        Ok(())
    })
}

pub async fn unlink_client_user(
    db: &Db,
    client_id: i64,
    user_id: i64,
    by: Option<i64>,
) -> Result<bool, AppError> {
    let now = now_utc();
    let before = format!("{{\"client_id\":{client_id},\"user_id\":{user_id},\"linked\":true}}");
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let n = sqlx::query("DELETE FROM client_users WHERE client_id = ? AND user_id = ?")
            .bind(client_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            audit!(
                tx,
                now,
                by,
                "client",
                client_id,
                "update",
                Some(&before),
                None::<String>
            );
        }
        tx.commit().await?;
        Ok(n > 0)
    })
}

/// Whether a client user belongs to a client.
pub async fn client_user_of(db: &Db, user_id: i64, client_id: i64) -> Result<bool, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM client_users WHERE user_id = ? AND client_id = ?"
    )
    .bind(user_id)
    .bind(client_id)
    .fetch_one(pool)
    .await?)
        > 0)
}

pub async fn exists(db: &Db, table: &'static str, id: i64) -> Result<bool, AppError> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(&sql)
        .bind(id)
        .fetch_one(pool)
        .await?)
        > 0)
}

// ---------------------------------------------------------------------------------------------
// Buildings

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct BuildingRow {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub lot_address: String,
    pub sigungu_cd: String,
    pub bjdong_cd: String,
    pub plat_gb_cd: String,
    pub bun: String,
    pub ji: String,
    pub region_class: String,
    pub main_use: String,
    pub floors_above: i32,
    pub floors_below: i32,
    pub land_area_m2: f64,
    pub building_area_m2: f64,
    pub total_area_m2: f64,
    pub approval_date: Option<NaiveDate>,
    pub client_id: Option<i64>,
}

const BUILDING_COLUMNS: &str = "id, name, road_address, lot_address, sigungu_cd, bjdong_cd, plat_gb_cd, bun, ji, region_class, main_use, \
     floors_above, floors_below, land_area_m2, building_area_m2, total_area_m2, approval_date, client_id";

pub async fn find_building(db: &Db, id: i64) -> Result<Option<BuildingRow>, AppError> {
    let sql = format!("SELECT {BUILDING_COLUMNS} FROM buildings WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, BuildingRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// Inserts a building with its utility records (electricity, water, gas) and managers in one
/// transaction, as the old `bldutilcal_create` trigger did, plus its audit entry.
pub async fn insert_building(
    db: &Db,
    b: &crate::domain::records::BuildingInput,
    by: Option<i64>,
) -> Result<i64, AppError> {
    let now = now_utc();
    let after = json(b)?;
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id = sqlx::query(
            "INSERT INTO buildings (name, road_address, lot_address, sigungu_cd, bjdong_cd, plat_gb_cd, bun, ji, region_class, main_use, \
             floors_above, floors_below, land_area_m2, building_area_m2, total_area_m2, approval_date, client_id, \
             public_description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
        )
        .bind(&b.name).bind(&b.road_address).bind(&b.lot_address).bind(&b.sigungu_cd).bind(&b.bjdong_cd)
        .bind(&b.plat_gb_cd).bind(&b.bun).bind(&b.ji).bind(&b.region_class).bind(&b.main_use)
        .bind(b.floors_above).bind(b.floors_below).bind(b.land_area_m2).bind(b.building_area_m2).bind(b.total_area_m2)
        .bind(b.approval_date).bind(b.client_id).bind(now).bind(now)
        .execute(&mut *tx).await?.inserted_id();
        for kind in ["electricity", "water", "gas"] {
            sqlx::query(
                "INSERT INTO building_utilities (building_id, kind, created_at) VALUES (?, ?, ?)",
            )
            .bind(id)
            .bind(kind)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for m in &b.manager_ids {
            sqlx::query("INSERT INTO building_managers (building_id, user_id) VALUES (?, ?)")
                .bind(id)
                .bind(m)
                .execute(&mut *tx)
                .await?;
        }
        audit!(
            tx,
            now,
            by,
            "building",
            id,
            "create",
            None::<String>,
            Some(&after)
        );
        tx.commit().await?;
        Ok(id)
    })
}

/// Changes a building's record and its managers; the previous record goes to the audit log.
pub async fn update_building(
    db: &Db,
    id: i64,
    b: &crate::domain::records::BuildingInput,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let select = format!("SELECT {BUILDING_COLUMNS} FROM buildings WHERE id = ?");
    let after = json(b)?;
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "buildings", "name", id);
        let Some(before) = sqlx::query_as::<_, BuildingRow>(&select)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        let before = json(&before)?;
        sqlx::query(
            "UPDATE buildings SET name = ?, road_address = ?, lot_address = ?, sigungu_cd = ?, bjdong_cd = ?, plat_gb_cd = ?, bun = ?, ji = ?, \
             region_class = ?, main_use = ?, floors_above = ?, floors_below = ?, land_area_m2 = ?, building_area_m2 = ?, total_area_m2 = ?, \
             approval_date = ?, client_id = ?, updated_at = ? WHERE id = ?",
        )
        .bind(&b.name).bind(&b.road_address).bind(&b.lot_address).bind(&b.sigungu_cd).bind(&b.bjdong_cd)
        .bind(&b.plat_gb_cd).bind(&b.bun).bind(&b.ji).bind(&b.region_class).bind(&b.main_use)
        .bind(b.floors_above).bind(b.floors_below).bind(b.land_area_m2).bind(b.building_area_m2).bind(b.total_area_m2)
        .bind(b.approval_date).bind(b.client_id).bind(now).bind(id)
        .execute(&mut *tx).await?;
        sqlx::query("DELETE FROM building_managers WHERE building_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for m in &b.manager_ids {
            sqlx::query("INSERT INTO building_managers (building_id, user_id) VALUES (?, ?)")
                .bind(id)
                .bind(m)
                .execute(&mut *tx)
                .await?;
        }
        audit!(
            tx,
            now,
            by,
            "building",
            id,
            "update",
            Some(&before),
            Some(&after)
        );
        tx.commit().await?;
        Ok(())
    })
}

/// Live management contracts of the building held by a client other than `owner`.
pub async fn live_contracts_of_other_clients(
    db: &Db,
    building_id: i64,
    owner: Option<i64>,
) -> Result<i64, AppError> {
    let sql = "SELECT COUNT(*) FROM management_contracts WHERE building_id = ? AND status IN ('scheduled', 'active') \
               AND (? IS NULL OR client_id <> ?)";
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(building_id)
        .bind(owner)
        .bind(owner)
        .fetch_one(pool)
        .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BuildingListRow {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub region_class: String,
    pub client_name: Option<String>,
    pub managers: Option<String>,
    pub units: i64,
    pub active_leases: i64,
}

/// One page of buildings: the page's ids first, then names and counts for those rows only.
pub async fn list_buildings(
    db: &Db,
    w: &Where,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<BuildingListRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT b.id, b.name, b.road_address, b.region_class, c.name AS client_name, \
         (SELECT GROUP_CONCAT(u.name) FROM building_managers bm JOIN users u ON u.id = bm.user_id WHERE bm.building_id = b.id) AS managers, \
         (SELECT COUNT(*) FROM units un WHERE un.building_id = b.id) AS units, \
         (SELECT COUNT(*) FROM leases l WHERE l.building_id = b.id AND l.status NOT IN ('ended', 'terminated')) AS active_leases \
         FROM (SELECT b.id FROM buildings b {filter} ORDER BY {order} LIMIT ? OFFSET ?) page \
         JOIN buildings b ON b.id = page.id LEFT JOIN clients c ON c.id = b.client_id ORDER BY {order}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM buildings b {filter}");
    page_query!(
        db,
        BuildingListRow,
        &rows_sql,
        &count_sql,
        &w.args,
        limit,
        offset
    )
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitListRow {
    pub id: i64,
    pub floor: i32,
    pub name: String,
    pub exclusive_area_m2: f64,
    pub common_area_m2: f64,
    pub contract_area_m2: f64,
    pub tenant_name: Option<String>,
}

pub const UNIT_OCCUPIED: &str = "EXISTS (SELECT 1 FROM lease_units lu JOIN leases l ON l.id = lu.lease_id \
     WHERE lu.unit_id = un.id AND l.status IN ('active', 'ending'))";

pub async fn list_units(
    db: &Db,
    w: &Where,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UnitListRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT un.id, un.floor, un.name, un.exclusive_area_m2, un.common_area_m2, un.contract_area_m2, \
         (SELECT t.name FROM lease_units lu JOIN leases l ON l.id = lu.lease_id JOIN tenants t ON t.id = l.tenant_id \
          WHERE lu.unit_id = un.id AND l.status IN ('active', 'ending') ORDER BY l.start_date DESC LIMIT 1) AS tenant_name \
         FROM units un {filter} ORDER BY un.floor, un.name LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM units un {filter}");
    page_query!(
        db,
        UnitListRow,
        &rows_sql,
        &count_sql,
        &w.args,
        limit,
        offset
    )
}

// ---------------------------------------------------------------------------------------------
// Management contracts

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
        let mut tx = pool.begin().await?;
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
        let after = json(&row)?;
        audit!(
            tx,
            now,
            by,
            "contract",
            id,
            "create",
            None::<String>,
            Some(&after)
        );
        event!(tx, now, "contract.created", "contract", id, &after);
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

/// Stores the current version in the history, then applies the change, in one transaction,
/// with its audit entry and a `contract.changed` event. A stale `expected_version` is refused.
pub async fn change_contract(
    db: &Db,
    id: i64,
    expected_version: i32,
    change: &ContractChange<'_>,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let select = format!("SELECT {CONTRACT_COLUMNS} FROM management_contracts WHERE id = ?");
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "management_contracts", "version", id);
        let Some(current) = sqlx::query_as::<_, ContractRow>(&select)
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
        if change.end_date < current.start_date {
            return Err(AppError::field(
                "end_date",
                "종료일은 시작일 이후여야 합니다.",
            ));
        }
        let before = json(&current)?;
        sqlx::query("INSERT INTO management_contract_history (contract_id, version, snapshot, change_kind, changed_by, changed_at) VALUES (?, ?, ?, 'contract.changed', ?, ?)")
            .bind(id).bind(current.version).bind(&before).bind(by).bind(now).execute(&mut *tx).await?;
        sqlx::query("UPDATE management_contracts SET end_date = ?, scope = ?, monthly_fee = ?, vat_applies = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?")
            .bind(change.end_date).bind(change.scope).bind(change.monthly_fee).bind(change.vat_applies).bind(change.status).bind(now).bind(id)
            .execute(&mut *tx).await?;
        let updated = sqlx::query_as::<_, ContractRow>(&select)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = json(&updated)?;
        audit!(
            tx,
            now,
            by,
            "contract",
            id,
            "update",
            Some(&before),
            Some(&after)
        );
        event!(tx, now, "contract.changed", "contract", id, &after);
        tx.commit().await?;
        Ok(())
    })
}

pub async fn contract_history(
    db: &Db,
    id: i64,
) -> Result<Vec<super::leasing::HistoryRow>, AppError> {
    let sql = "SELECT h.version, h.snapshot, h.change_kind, u.name AS changed_by_name, h.changed_at \
               FROM management_contract_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.contract_id = ? ORDER BY h.version DESC";
    Ok(db_run!(db, |pool| sqlx::query_as::<
        _,
        super::leasing::HistoryRow,
    >(sql)
    .bind(id)
    .fetch_all(pool)
    .await?))
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

pub async fn list_contracts(
    db: &Db,
    w: &Where,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ContractListDbRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT mc.id, mc.building_id, b.name AS building_name, mc.client_id, c.name AS client_name, mc.start_date, mc.end_date, \
         mc.scope, mc.monthly_fee, mc.vat_applies, mc.status FROM {CONTRACT_FROM} {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM {CONTRACT_FROM} {filter}");
    page_query!(
        db,
        ContractListDbRow,
        &rows_sql,
        &count_sql,
        &w.args,
        limit,
        offset
    )
}

// ---------------------------------------------------------------------------------------------
// Tenants

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantListRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_name: String,
    pub mobile: String,
    pub email: String,
    pub leases: i64,
}

const TENANT_SELECT: &str = "SELECT t.id, t.kind, t.name, t.business_number, t.representative, t.contact_name, t.mobile, t.email, \
     (SELECT COUNT(*) FROM leases l WHERE l.tenant_id = t.id) AS leases FROM tenants t";

pub async fn list_tenants(
    db: &Db,
    w: &Where,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<TenantListRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!("{TENANT_SELECT} {filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let count_sql = format!("SELECT COUNT(*) FROM tenants t {filter}");
    page_query!(
        db,
        TenantListRow,
        &rows_sql,
        &count_sql,
        &w.args,
        limit,
        offset
    )
}

pub async fn find_tenant(db: &Db, id: i64) -> Result<Option<TenantListRow>, AppError> {
    let sql = format!("{TENANT_SELECT} WHERE t.id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, TenantListRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// Changes a tenant's record; the previous one goes to the audit log.
pub async fn update_tenant(
    db: &Db,
    id: i64,
    t: &super::leasing::NewTenant<'_>,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let select = "SELECT kind, name, business_number, representative, contact_name, mobile, email FROM tenants WHERE id = ?";
    let after = serde_json::json!({"kind": t.kind, "name": t.name, "business_number": t.business_number,
        "representative": t.representative, "contact_name": t.contact_name, "mobile": t.mobile, "email": t.email}).to_string();
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "tenants", "name", id);
        type Before = (
            String,
            String,
            Option<String>,
            String,
            String,
            String,
            String,
        );
        let Some(b) = sqlx::query_as::<_, Before>(select)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        let before = serde_json::json!({"kind": b.0, "name": b.1, "business_number": b.2,
            "representative": b.3, "contact_name": b.4, "mobile": b.5, "email": b.6})
        .to_string();
        sqlx::query("UPDATE tenants SET kind = ?, name = ?, business_number = ?, representative = ?, contact_name = ?, mobile = ?, email = ?, updated_at = ? WHERE id = ?")
            .bind(t.kind).bind(t.name).bind(t.business_number).bind(t.representative).bind(t.contact_name)
            .bind(t.mobile).bind(t.email).bind(now).bind(id)
            .execute(&mut *tx).await?;
        audit!(
            tx,
            now,
            by,
            "tenant",
            id,
            "update",
            Some(&before),
            Some(&after)
        );
        tx.commit().await?;
        Ok(())
    })
}

/// Deletes a tenant that has no leases and no files (files are never orphaned silently: the
/// user deletes them first, one by one, each with its audit entry).
pub async fn delete_tenant(db: &Db, id: i64, by: Option<i64>) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "tenants", "name", id);
        let Some(name) = sqlx::query_scalar::<_, String>("SELECT name FROM tenants WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        let leases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leases WHERE tenant_id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if leases > 0 {
            return Err(AppError::conflict(format!(
                "임대 계약 {leases}건이 있는 임차인은 삭제할 수 없습니다."
            )));
        }
        let files: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM files WHERE owner_kind = 'tenant' AND owner_id = ?",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if files > 0 {
            return Err(AppError::conflict(format!(
                "첨부 파일 {files}개가 있습니다. 파일을 먼저 삭제하거나 내려받아 두세요."
            )));
        }
        sqlx::query("DELETE FROM tenants WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let before = serde_json::json!({"name": name}).to_string();
        audit!(
            tx,
            now,
            by,
            "tenant",
            id,
            "delete",
            Some(&before),
            None::<String>
        );
        tx.commit().await?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Deposit ledger and termination

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
        let mut tx = pool.begin().await?;
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
        let ledger = crate::domain::records::DepositLedger {
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
        audit!(
            tx,
            now,
            by,
            "deposit",
            id,
            "create",
            None::<String>,
            Some(&after)
        );
        tx.commit().await?;
        Ok(id)
    })
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
    let now = now_utc();
    let select = "SELECT id, tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, vat_applies, payment_day, \
                  late_fee_rate_bp, grace_days, status, last_increase_on, version FROM leases WHERE id = ?";
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        lock_row!(tx, "leases", "version", id);
        let Some(current) = sqlx::query_as::<_, super::leasing::LeaseRow>(select)
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
        let before = json(&current)?;
        sqlx::query("INSERT INTO lease_history (lease_id, version, snapshot, change_kind, changed_by, changed_at) VALUES (?, ?, ?, 'lease.ended', ?, ?)")
            .bind(id).bind(current.version).bind(&before).bind(by).bind(now).execute(&mut *tx).await?;
        sqlx::query("UPDATE leases SET status = 'terminated', end_date = ?, terminated_on = ?, termination_reason = ?, version = version + 1, updated_at = ? WHERE id = ?")
            .bind(on).bind(on).bind(reason).bind(now).bind(id).execute(&mut *tx).await?;
        let updated = sqlx::query_as::<_, super::leasing::LeaseRow>(select)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = json(&updated)?;
        audit!(
            tx,
            now,
            by,
            "lease",
            id,
            "update",
            Some(&before),
            Some(&after)
        );
        event!(tx, now, "lease.ended", "lease", id, &after);
        tx.commit().await?;
        Ok(())
    })
}

/// A lease with what its detail page shows beside it.
pub struct LeaseView {
    pub row: super::leasing::LeaseRow,
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
    row: super::leasing::LeaseRow,
    tenant_name: String,
    building_name: String,
    terminated_on: Option<NaiveDate>,
    termination_reason: String,
}

pub async fn lease_view(db: &Db, id: i64) -> Result<Option<LeaseView>, AppError> {
    let sql = "SELECT l.id, l.tenant_id, l.building_id, l.start_date, l.end_date, l.deposit, l.monthly_rent, l.management_fee, \
               l.vat_applies, l.payment_day, l.late_fee_rate_bp, l.grace_days, l.status, l.last_increase_on, l.version, \
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

// ---------------------------------------------------------------------------------------------
// Files

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

const FILE_SELECT: &str = "SELECT f.id, f.owner_kind, f.owner_id, f.name, f.content_type, f.size_bytes, f.storage_key, \
     u.name AS uploaded_by_name, f.created_at FROM files f LEFT JOIN users u ON u.id = f.uploaded_by";

pub async fn files_of(db: &Db, owner_kind: &str, owner_id: i64) -> Result<Vec<FileRow>, AppError> {
    let sql = format!("{FILE_SELECT} WHERE f.owner_kind = ? AND f.owner_id = ? ORDER BY f.id");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, FileRow>(&sql)
        .bind(owner_kind)
        .bind(owner_id)
        .fetch_all(pool)
        .await?))
}

pub async fn find_file(db: &Db, id: i64) -> Result<Option<FileRow>, AppError> {
    let sql = format!("{FILE_SELECT} WHERE f.id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, FileRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

pub struct NewFile<'a> {
    pub owner_kind: &'a str,
    pub owner_id: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
}

pub async fn insert_file(db: &Db, f: &NewFile<'_>, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after =
        serde_json::json!({"owner_kind": f.owner_kind, "owner_id": f.owner_id, "name": f.name,
        "content_type": f.content_type, "size_bytes": f.size_bytes})
        .to_string();
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id = sqlx::query("INSERT INTO files (owner_kind, owner_id, name, content_type, size_bytes, storage_key, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(f.owner_kind).bind(f.owner_id).bind(f.name).bind(f.content_type).bind(f.size_bytes).bind(f.storage_key).bind(by).bind(now)
            .execute(&mut *tx).await?.inserted_id();
        audit!(
            tx,
            now,
            by,
            "file",
            id,
            "create",
            None::<String>,
            Some(&after)
        );
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn delete_file_row(db: &Db, f: &FileRow, by: Option<i64>) -> Result<(), AppError> {
    let now = now_utc();
    let before =
        serde_json::json!({"owner_kind": f.owner_kind, "owner_id": f.owner_id, "name": f.name,
        "storage_key": f.storage_key})
        .to_string();
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM files WHERE id = ?")
            .bind(f.id)
            .execute(&mut *tx)
            .await?;
        audit!(
            tx,
            now,
            by,
            "file",
            f.id,
            "delete",
            Some(&before),
            None::<String>
        );
        tx.commit().await?;
        Ok(())
    })
}

/// The building an owner record hangs off (for the client check); `None` if the record is gone.
pub async fn owner_building(
    db: &Db,
    owner_kind: &str,
    owner_id: i64,
) -> Result<Option<Vec<i64>>, AppError> {
    let sql = match owner_kind {
        "building" => "SELECT id FROM buildings WHERE id = ?",
        "contract" => "SELECT building_id FROM management_contracts WHERE id = ?",
        "lease" => "SELECT building_id FROM leases WHERE id = ?",
        "tenant" => "SELECT t.id FROM tenants t WHERE t.id = ?",
        _ => return Ok(None),
    };
    let found: Option<i64> = db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(owner_id)
        .fetch_optional(pool)
        .await?);
    let Some(found) = found else { return Ok(None) };
    if owner_kind != "tenant" {
        return Ok(Some(vec![found]));
    }
    // A tenant hangs off every building it leases in.
    Ok(Some(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT DISTINCT building_id FROM leases WHERE tenant_id = ?"
    )
    .bind(owner_id)
    .fetch_all(pool)
    .await?)))
}

// ---------------------------------------------------------------------------------------------
// Audit log

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

pub async fn list_audit(
    db: &Db,
    w: &Where,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64), AppError> {
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT a.id, a.at, u.name AS user_name, a.entity, a.entity_id, a.action, a.before_json, a.after_json \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id {filter} ORDER BY a.id DESC LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM audit_log a {filter}");
    page_query!(db, AuditRow, &rows_sql, &count_sql, &w.args, limit, offset)
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet import

/// `(unit id, start, end)` of every live lease on the building's units.
pub async fn live_unit_terms(
    db: &Db,
    building_id: i64,
) -> Result<Vec<(i64, NaiveDate, NaiveDate)>, AppError> {
    let sql = "SELECT lu.unit_id, l.start_date, l.end_date FROM leases l JOIN lease_units lu ON lu.lease_id = l.id \
               WHERE l.building_id = ? AND l.status NOT IN ('ended', 'terminated')";
    Ok(db_run!(db, |pool| sqlx::query_as::<
        _,
        (i64, NaiveDate, NaiveDate),
    >(sql)
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}

/// A tenant named in an import; `key` is its business number (digits) or name and mobile.
pub struct ImportTenant {
    pub key: String,
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_name: String,
    pub mobile: String,
    pub email: String,
}

pub struct ImportLease {
    pub row: u32,
    /// Index into the import's tenants.
    pub tenant: usize,
    pub status: String,
    pub lease: crate::domain::leasing::LeaseInput,
}

/// Saves an import in one transaction: tenants not yet known are created (a known business
/// number, or name and mobile, reuses the tenant), then every lease with its units, audit entry
/// and `lease.created` event. Overlaps are checked again under the units' locks; any failure
/// saves nothing. Returns `(leases, new tenants)`.
pub async fn import_leases(
    db: &Db,
    building_id: i64,
    tenants: &[ImportTenant],
    leases: &[ImportLease],
    by: Option<i64>,
) -> Result<(u32, u32), AppError> {
    let now = now_utc();
    let overlap_sql = "SELECT COUNT(*) FROM leases l JOIN lease_units lu ON lu.lease_id = l.id \
         WHERE lu.unit_id = ? AND l.status NOT IN ('ended', 'terminated') AND l.start_date <= ? AND ? <= l.end_date";
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE units SET building_id = building_id WHERE building_id = ?")
            .bind(building_id)
            .execute(&mut *tx)
            .await?;
        let known: Vec<(i64, Option<String>, String, String)> =
            sqlx::query_as("SELECT id, business_number, name, mobile FROM tenants")
                .fetch_all(&mut *tx)
                .await?;
        let mut by_key: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for (id, bn, name, mobile) in known {
            let digits: String = bn
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect();
            if digits.is_empty() {
                by_key.entry(format!("p:{name}:{mobile}")).or_insert(id);
            } else {
                by_key.entry(format!("b:{digits}")).or_insert(id);
            }
        }
        let mut ids = Vec::with_capacity(tenants.len());
        let mut created_tenants = 0u32;
        for t in tenants {
            if let Some(id) = by_key.get(&t.key) {
                ids.push(*id);
                continue;
            }
            let id = sqlx::query(
                "INSERT INTO tenants (kind, name, business_number, representative, contact_name, mobile, email, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&t.kind).bind(&t.name).bind(&t.business_number).bind(&t.representative).bind(&t.contact_name)
            .bind(&t.mobile).bind(&t.email).bind(now).bind(now)
            .execute(&mut *tx).await?.inserted_id();
            let after = serde_json::json!({"kind": t.kind, "name": t.name, "business_number": t.business_number, "mobile": t.mobile, "source": "import"}).to_string();
            audit!(
                tx,
                now,
                by,
                "tenant",
                id,
                "create",
                None::<String>,
                Some(&after)
            );
            created_tenants += 1;
            ids.push(id);
        }
        for l in leases {
            let x = &l.lease;
            for unit in &x.unit_ids {
                let n: i64 = sqlx::query_scalar(overlap_sql)
                    .bind(unit)
                    .bind(x.end_date)
                    .bind(x.start_date)
                    .fetch_one(&mut *tx)
                    .await?;
                if n > 0 {
                    return Err(AppError::conflict(format!(
                        "{}행: 다른 사용자가 방금 같은 호실에 계약을 등록했습니다. 다시 가져와 주세요.",
                        l.row
                    )));
                }
            }
            let tenant_id = ids[l.tenant];
            let id = sqlx::query(
                "INSERT INTO leases (tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, vat_applies, \
                 payment_day, late_fee_rate_bp, grace_days, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            )
            .bind(tenant_id).bind(building_id).bind(x.start_date).bind(x.end_date).bind(x.deposit).bind(x.monthly_rent)
            .bind(x.management_fee).bind(x.vat_applies).bind(x.payment_day as i32).bind(x.late_fee_rate_bp as i32)
            .bind(x.grace_days as i32).bind(&l.status).bind(now).bind(now)
            .execute(&mut *tx).await?.inserted_id();
            for unit in &x.unit_ids {
                sqlx::query("INSERT INTO lease_units (lease_id, unit_id) VALUES (?, ?)")
                    .bind(id)
                    .bind(unit)
                    .execute(&mut *tx)
                    .await?;
            }
            let after = serde_json::json!({
                "tenant_id": tenant_id, "building_id": building_id, "unit_ids": x.unit_ids,
                "start_date": x.start_date, "end_date": x.end_date, "deposit": x.deposit, "monthly_rent": x.monthly_rent,
                "management_fee": x.management_fee, "vat_applies": x.vat_applies, "payment_day": x.payment_day, "source": "import",
            }).to_string();
            audit!(
                tx,
                now,
                by,
                "lease",
                id,
                "create",
                None::<String>,
                Some(&after)
            );
            event!(tx, now, "lease.created", "lease", id, &after);
        }
        tx.commit().await?;
        Ok((leases.len() as u32, created_tenants))
    })
}
