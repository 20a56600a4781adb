//! Key/value site settings (company info, service texts).

use super::{Db, now_utc};
use crate::db_run;
use crate::server::error::AppError;

pub async fn all(db: &Db) -> Result<Vec<(String, String)>, AppError> {
    let sql = "SELECT setting_key, value FROM site_settings";
    Ok(db_run!(db, |pool| sqlx::query_as(sql)
        .fetch_all(pool)
        .await?))
}

/// Writes every pair in one transaction (insert or replace).
pub async fn put_all(db: &Db, pairs: &[(&str, &str)]) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(
        db,
        sqlite
            | pool
            | {
                let mut tx = pool.begin().await?;
                for (k, v) in pairs {
                    sqlx::query("INSERT INTO site_settings (setting_key, value, updated_at) VALUES (?, ?, ?) \
                             ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
                    .bind(k).bind(v).bind(now).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            },
        mysql
            | pool
            | {
                let mut tx = pool.begin().await?;
                for (k, v) in pairs {
                    sqlx::query("INSERT INTO site_settings (setting_key, value, updated_at) VALUES (?, ?, ?) \
                             ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at)")
                    .bind(k).bind(v).bind(now).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
    );
    Ok(())
}
