//! Every SQL statement of clients: insert and change (with their audit entries), the list with
//! its filters, linked users, and the names of a client's users and buildings.

use crate::domain::ApiError;
use crate::domain::list::{ListQuery, NamedRef};
use crate::server::db::list::{Paging, Where, fetch_page, search_text};
use crate::server::db::scope::Scope;
use crate::server::db::{Db, InsertedId, named, now_utc, to_json};
use crate::server::error::AppError;
use crate::{audit_created, db_run, lock_row, write_audit};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ClientWrite {
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_phone: String,
    pub contact_email: String,
}

pub async fn insert_client(db: &Db, c: &ClientWrite, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after = to_json(c)?;
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = sqlx::query(
            "INSERT INTO clients (kind, name, business_number, representative, contact_phone, contact_email, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.kind).bind(&c.name).bind(&c.business_number).bind(&c.representative).bind(&c.contact_phone)
        .bind(&c.contact_email).bind(now).bind(now)
        .execute(&mut *tx).await?.inserted_id();
        audit_created!(tx, now, by, "client", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

/// Changes a client's record; the previous one goes to the audit log.
pub async fn update_client(
    db: &Db,
    id: i64,
    c: &ClientWrite,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let after = to_json(c)?;
    let select = "SELECT kind, name, business_number, representative, contact_phone, contact_email FROM clients WHERE id = ?";
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
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
            .bind(&c.kind).bind(&c.name).bind(&c.business_number).bind(&c.representative).bind(&c.contact_phone)
            .bind(&c.contact_email).bind(now).bind(id)
            .execute(&mut *tx).await?;
        write_audit!(
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

pub async fn find_client(db: &Db, id: i64) -> Result<Option<ClientRow>, AppError> {
    let sql = format!("{CLIENT_SELECT} WHERE c.id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, ClientRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
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
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
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
            write_audit!(
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
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let n = sqlx::query("DELETE FROM client_users WHERE client_id = ? AND user_id = ?")
            .bind(client_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            write_audit!(
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

/// Clients filtered by the list query (name or business number), in the viewer's scope.
pub async fn list_clients(
    db: &Db,
    q: &ListQuery,
    scope: Scope,
    paging: Paging,
) -> Result<(Vec<ClientRow>, i64), AppError> {
    let mut w = Where::default();
    if let Some(s) = search_text(q) {
        w.search(&["c.name", "c.business_number"], s);
    }
    scope.restrict(&mut w, "c.id");
    let order = match q.sort.as_str() {
        "recent" => "c.id DESC",
        _ => "c.name, c.id",
    };
    let filter = w.sql();
    let rows_sql = format!("{CLIENT_SELECT} {filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let count_sql = format!("SELECT COUNT(*) FROM clients c {filter}");
    fetch_page(db, &rows_sql, &count_sql, &w, paging).await
}

/// The users linked to a client, by name.
pub async fn users_of_client(db: &Db, id: i64) -> Result<Vec<NamedRef>, AppError> {
    let rows: Vec<(i64, String, String)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM client_users cu JOIN users u ON u.id = cu.user_id WHERE cu.client_id = ? ORDER BY u.name"
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    });
    Ok(named(rows))
}

/// A client's buildings, by name.
pub async fn buildings_of_client(db: &Db, id: i64) -> Result<Vec<NamedRef>, AppError> {
    let rows: Vec<(i64, String, String)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id, name, road_address FROM buildings WHERE client_id = ? ORDER BY name"
    )
    .bind(id)
    .fetch_all(pool)
    .await?);
    Ok(named(rows))
}

/// Every client by name (with the business number), for the building form's owner choice.
pub async fn client_choices(db: &Db) -> Result<Vec<NamedRef>, AppError> {
    let rows: Vec<(i64, String, String)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id, name, COALESCE(business_number, '') FROM clients ORDER BY name LIMIT 2000"
    )
    .fetch_all(pool)
    .await?);
    Ok(named(rows))
}
