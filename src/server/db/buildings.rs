//! Buildings. For now only what the public portfolio and its flag need; the buildings area of
//! the platform extends this.

use super::{Db, now_utc};
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

pub async fn utility_kinds(db: &Db, building_id: i64) -> Result<Vec<String>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, String>(
        "SELECT kind FROM building_utilities WHERE building_id = ? ORDER BY kind"
    )
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}
