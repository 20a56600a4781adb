//! Every SQL statement of buildings and units: a building with its utility records and
//! managers (one transaction, as the old `bldutilcal_create` trigger did), its change, the
//! lists with their filters, units added in bulk, and what a building's page shows.

use super::BuildingInput;
use crate::domain::ApiError;
use crate::domain::list::{ListQuery, NamedRef};
use crate::domain::measure::contract_area;
use crate::server::db::list::{Arg, Paging, Where, fetch_page, search_text};
use crate::server::db::scope::Scope;
use crate::server::db::{Db, InsertedId, is_unique_violation, named, now_utc, to_json};
use crate::server::error::AppError;
use crate::{audit_created, db_run, lock_row, write_audit};
use chrono::NaiveDate;
use serde::Serialize;

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
    pub region_reason: String,
    pub main_use: String,
    pub floors_above: i32,
    pub floors_below: i32,
    pub land_area_m2: f64,
    pub building_area_m2: f64,
    pub total_area_m2: f64,
    pub approval_date: Option<NaiveDate>,
    pub client_id: Option<i64>,
}

const BUILDING_COLUMNS: &str = "id, name, road_address, lot_address, sigungu_cd, bjdong_cd, plat_gb_cd, bun, ji, region_class, region_reason, main_use, \
     floors_above, floors_below, land_area_m2, building_area_m2, total_area_m2, approval_date, client_id";

/// Binds a building's record in the column order of its insert and update.
macro_rules! bind_record {
    ($q:expr, $b:expr) => {
        $q.bind(&$b.name)
            .bind(&$b.road_address)
            .bind(&$b.lot_address)
            .bind(&$b.sigungu_cd)
            .bind(&$b.bjdong_cd)
            .bind(&$b.plat_gb_cd)
            .bind(&$b.bun)
            .bind(&$b.ji)
            .bind(&$b.region_class)
            .bind(&$b.region_reason)
            .bind(&$b.main_use)
            .bind($b.floors_above)
            .bind($b.floors_below)
            .bind($b.land_area_m2)
            .bind($b.building_area_m2)
            .bind($b.total_area_m2)
            .bind($b.approval_date)
            .bind($b.client_id)
    };
}

/// Makes `ids` the building's managers, inside the caller's transaction.
macro_rules! set_managers {
    ($tx:expr, $id:expr, $ids:expr) => {
        sqlx::query("DELETE FROM building_managers WHERE building_id = ?")
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        for m in $ids {
            sqlx::query("INSERT INTO building_managers (building_id, user_id) VALUES (?, ?)")
                .bind($id)
                .bind(m)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

pub async fn find_building(db: &Db, id: i64) -> Result<Option<BuildingRow>, AppError> {
    let sql = format!("SELECT {BUILDING_COLUMNS} FROM buildings WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, BuildingRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// Inserts a building with its utility records (electricity, water, gas) and managers in one
/// transaction, as the old `bldutilcal_create` trigger did, plus its audit entry.
pub async fn insert_building(db: &Db, b: &BuildingInput, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after = to_json(b)?;
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = bind_record!(sqlx::query(
            "INSERT INTO buildings (name, road_address, lot_address, sigungu_cd, bjdong_cd, plat_gb_cd, bun, ji, region_class, region_reason, main_use, \
             floors_above, floors_below, land_area_m2, building_area_m2, total_area_m2, approval_date, client_id, \
             public_description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
        ), b)
        .bind(now).bind(now)
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
        set_managers!(tx, id, &b.manager_ids);
        audit_created!(tx, now, by, "building", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

/// Changes a building's record and its managers; the previous record goes to the audit log.
pub async fn update_building(
    db: &Db,
    id: i64,
    b: &BuildingInput,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let select = format!("SELECT {BUILDING_COLUMNS} FROM buildings WHERE id = ?");
    let after = to_json(b)?;
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "buildings", "name", id);
        let Some(before) = sqlx::query_as::<_, BuildingRow>(&select)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(ApiError::NotFound.into());
        };
        let before = to_json(&before)?;
        bind_record!(sqlx::query(
            "UPDATE buildings SET name = ?, road_address = ?, lot_address = ?, sigungu_cd = ?, bjdong_cd = ?, plat_gb_cd = ?, bun = ?, ji = ?, \
             region_class = ?, region_reason = ?, main_use = ?, floors_above = ?, floors_below = ?, land_area_m2 = ?, building_area_m2 = ?, total_area_m2 = ?, \
             approval_date = ?, client_id = ?, updated_at = ? WHERE id = ?",
        ), b)
        .bind(now).bind(id)
        .execute(&mut *tx).await?;
        set_managers!(tx, id, &b.manager_ids);
        write_audit!(
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

const UNIT_OCCUPIED: &str = "EXISTS (SELECT 1 FROM lease_units lu JOIN leases l ON l.id = lu.lease_id \
     WHERE lu.unit_id = un.id AND l.status IN ('active', 'ending'))";

/// One page of buildings (search on name and addresses, client, manager) in the viewer's
/// scope: the page's ids first, then names and counts for those rows only.
pub async fn list_buildings(
    db: &Db,
    q: &ListQuery,
    scope: Scope,
    paging: Paging,
) -> Result<(Vec<BuildingListRow>, i64), AppError> {
    let mut w = Where::default();
    if let Some(s) = search_text(q) {
        w.search(&["b.name", "b.road_address", "b.lot_address"], s);
    }
    if let Some(c) = q.client_id {
        w.push("b.client_id = ?", [Arg::I(c)]);
    }
    if let Some(m) = q.manager_id {
        w.push(
            "EXISTS (SELECT 1 FROM building_managers bm WHERE bm.building_id = b.id AND bm.user_id = ?)",
            [Arg::I(m)],
        );
    }
    scope.restrict(&mut w, "b.client_id");
    let order = match q.sort.as_str() {
        "recent" => "b.id DESC",
        "address" => "b.road_address, b.id",
        _ => "b.name, b.id",
    };
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
    fetch_page(db, &rows_sql, &count_sql, &w, paging).await
}

/// The units of one building (search on the name; `status` `vacant` or `occupied` filters on a
/// live lease), by floor and name.
pub async fn list_units(
    db: &Db,
    building_id: i64,
    q: &ListQuery,
    paging: Paging,
) -> Result<(Vec<UnitListRow>, i64), AppError> {
    let mut w = Where::default();
    w.push("un.building_id = ?", [Arg::I(building_id)]);
    if let Some(s) = search_text(q) {
        w.search(&["un.name"], s);
    }
    match q.status.as_str() {
        "vacant" => w.push(&format!("NOT {UNIT_OCCUPIED}"), []),
        "occupied" => w.push(UNIT_OCCUPIED, []),
        _ => {}
    }
    let filter = w.sql();
    let rows_sql = format!(
        "SELECT un.id, un.floor, un.name, un.exclusive_area_m2, un.common_area_m2, un.contract_area_m2, \
         (SELECT t.name FROM lease_units lu JOIN leases l ON l.id = lu.lease_id JOIN tenants t ON t.id = l.tenant_id \
          WHERE lu.unit_id = un.id AND l.status IN ('active', 'ending') ORDER BY l.start_date DESC LIMIT 1) AS tenant_name \
         FROM units un {filter} ORDER BY un.floor, un.name LIMIT ? OFFSET ?"
    );
    let count_sql = format!("SELECT COUNT(*) FROM units un {filter}");
    fetch_page(db, &rows_sql, &count_sql, &w, paging).await
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
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let mut ids = Vec::with_capacity(units.len());
        for (floor, name, exclusive, common) in units {
            let id = sqlx::query("INSERT INTO units (building_id, floor, name, exclusive_area_m2, common_area_m2, contract_area_m2, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(building_id).bind(floor).bind(name).bind(exclusive).bind(common)
                .bind(contract_area(*exclusive, *common)).bind(now)
                .execute(&mut *tx).await?.inserted_id();
            let after = format!("{{\"building_id\":{building_id},\"name\":{:?}}}", name);
            audit_created!(tx, now, by, "unit", id, &after);
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }
    .await
    });
    result.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("units", "이 건물에 이미 같은 이름의 호실이 있습니다.")
        } else {
            e.into()
        }
    })
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

pub async fn client_name(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT name FROM clients WHERE id = ?"
    )
    .bind(id)
    .fetch_optional(pool)
    .await?))
}

/// A building's managers, by name.
pub async fn managers_of(db: &Db, building_id: i64) -> Result<Vec<NamedRef>, AppError> {
    let rows: Vec<(i64, String, String)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM building_managers bm JOIN users u ON u.id = bm.user_id \
         WHERE bm.building_id = ? ORDER BY u.name"
    )
    .bind(building_id)
    .fetch_all(pool)
    .await?
    });
    Ok(named(rows))
}

/// The kinds of utility records a building has (electricity, gas, water).
pub async fn utility_kinds(db: &Db, building_id: i64) -> Result<Vec<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT kind FROM building_utilities WHERE building_id = ? ORDER BY kind"
    )
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}
