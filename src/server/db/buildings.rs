//! Buildings. For now only what the public portfolio and its flag need; the buildings area of
//! the platform extends this.

use super::{Db, InsertedId, now_utc};
use crate::db_run;
use crate::server::error::AppError;

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

const COLUMNS: &str = "id, name, road_address, main_use, floors_above, floors_below, total_area_m2, photo, show_on_homepage, public_description";

pub async fn list_public(db: &Db) -> Result<Vec<PortfolioRow>, AppError> {
    let sql =
        format!("SELECT {COLUMNS} FROM buildings WHERE show_on_homepage = ? ORDER BY name, id");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PortfolioRow>(&sql)
        .bind(true)
        .fetch_all(pool)
        .await?))
}

pub async fn list_all(db: &Db) -> Result<Vec<PortfolioRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM buildings ORDER BY name, id");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, PortfolioRow>(&sql)
        .fetch_all(pool)
        .await?))
}

pub async fn set_public(
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

pub struct NewBuilding<'a> {
    pub name: &'a str,
    pub road_address: &'a str,
    pub main_use: &'a str,
    pub floors_above: i32,
    pub floors_below: i32,
    pub total_area_m2: f64,
    /// `RegionClass::as_str()`; sets the lease law threshold for its leases.
    pub region_class: &'a str,
}

/// Inserts a building with its utility records (electricity, water, gas) in one transaction,
/// as the old `bldutilcal_create` trigger did, plus its audit entry.
pub async fn insert(db: &Db, b: &NewBuilding<'_>, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after = serde_json::json!({"name": b.name, "road_address": b.road_address, "region_class": b.region_class}).to_string();
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id = sqlx::query(
            "INSERT INTO buildings (name, road_address, main_use, floors_above, floors_below, total_area_m2, region_class, \
             public_description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
        )
        .bind(b.name).bind(b.road_address).bind(b.main_use).bind(b.floors_above).bind(b.floors_below)
        .bind(b.total_area_m2).bind(b.region_class).bind(now).bind(now)
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
        sqlx::query("INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) VALUES (?, ?, 'building', ?, 'create', NULL, ?)")
            .bind(now).bind(by).bind(id).bind(&after).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn utility_kinds(db: &Db, building_id: i64) -> Result<Vec<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT kind FROM building_utilities WHERE building_id = ? ORDER BY kind"
    )
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}
