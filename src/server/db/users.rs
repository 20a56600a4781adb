//! Users: the first repository of the `Db` pattern.

use super::{Db, InsertedId, is_unique_violation, now_utc};
use crate::db_run;
use crate::domain::{Role, UserDto, UserId};
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

/// A user as stored, with the password hash; stays on the server.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl UserRow {
    pub fn role(&self) -> Result<Role, AppError> {
        self.role
            .parse()
            .map_err(|e: String| AppError::internal(format!("user {} has bad role: {e}", self.id)))
    }

    pub fn to_dto(&self) -> Result<UserDto, AppError> {
        Ok(UserDto {
            id: UserId(self.id),
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role()?,
            active: self.active,
            created_at: crate::server::time::format_seoul_minutes(self.created_at),
        })
    }
}

const COLUMNS: &str = "id, email, name, role, password_hash, active, created_at";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

pub async fn insert(db: &Db, user: &NewUser<'_>) -> Result<UserId, AppError> {
    let now = now_utc();
    let sql = "INSERT INTO users (email, name, role, password_hash, active, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?)";
    let result = db_run!(db, |pool| sqlx::query(sql)
        .bind(user.email)
        .bind(user.name)
        .bind(user.role.as_str())
        .bind(user.password_hash)
        .bind(true)
        .bind(now)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.inserted_id()));
    match result {
        Ok(id) => Ok(UserId(id)),
        Err(e) if is_unique_violation(&e) => {
            Err(AppError::field("email", "이미 등록된 이메일입니다."))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, UserRow>(&sql)
        .bind(email)
        .fetch_optional(pool)
        .await?))
}

pub async fn find_by_id(db: &Db, id: UserId) -> Result<Option<UserRow>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, UserRow>(&sql)
        .bind(id.0)
        .fetch_optional(pool)
        .await?))
}

/// All users, staff first, then by name.
pub async fn list(db: &Db) -> Result<Vec<UserRow>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, name, id"
    );
    Ok(db_run!(db, |pool| sqlx::query_as::<_, UserRow>(&sql)
        .fetch_all(pool)
        .await?))
}

pub async fn count_active_admins(db: &Db) -> Result<i64, AppError> {
    let sql = "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = ?";
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .bind(true)
        .fetch_one(pool)
        .await?))
}

pub async fn set_active(db: &Db, id: UserId, active: bool) -> Result<bool, AppError> {
    let sql = "UPDATE users SET active = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(active)
        .bind(now)
        .bind(id.0)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}

pub async fn set_role(db: &Db, id: UserId, role: Role) -> Result<bool, AppError> {
    let sql = "UPDATE users SET role = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(role.as_str())
        .bind(now)
        .bind(id.0)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}

pub async fn set_password_hash(db: &Db, id: UserId, hash: &str) -> Result<bool, AppError> {
    let sql = "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?";
    let now = now_utc();
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(hash)
        .bind(now)
        .bind(id.0)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Active staff (admins and managers) by name, for assignee and manager choices.
pub async fn active_staff(db: &Db) -> Result<Vec<crate::domain::list::NamedRef>, AppError> {
    let sql = "SELECT id, name, email FROM users WHERE role IN ('admin', 'manager') AND active = ? ORDER BY name";
    let rows: Vec<(i64, String, String)> = db_run!(db, |pool| sqlx::query_as(sql)
        .bind(true)
        .fetch_all(pool)
        .await?);
    Ok(super::named(rows))
}

/// Whether the user exists and is staff (admin or manager); with `active`, also not disabled.
pub async fn is_staff(db: &Db, id: i64, active: bool) -> Result<bool, AppError> {
    let Some(u) = find_by_id(db, UserId(id)).await? else {
        return Ok(false);
    };
    Ok(u.role()?.is_staff() && (u.active || !active))
}
