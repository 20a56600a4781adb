//! Every SQL statement of tenants: insert, change and delete (each with its audit entry), one
//! tenant, and the list with its filters.

use crate::domain::ApiError;
use crate::domain::list::ListQuery;
use crate::server::db::list::{Arg, Paging, Where, fetch_page_with, search_text};
use crate::server::db::scope::Scope;
use crate::server::db::{Db, now_utc};
use crate::server::error::AppError;
use crate::{audit_created, audit_deleted, bind_args, db_run, lock_row, write_audit};

/// A tenant's record as stored: trimmed, business number formatted, mobile as digits.
pub struct NewTenant {
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_name: String,
    pub mobile: String,
    pub email: String,
}

/// Inserts a tenant (`NewTenant`) inside the caller's transaction; gives its id. The
/// spreadsheet import creates its tenants with it too.
macro_rules! insert_tenant_row {
    ($tx:expr, $t:expr, $now:expr) => {{
        let t: &$crate::areas::tenants::store::NewTenant = $t;
        $crate::server::db::InsertedId::inserted_id(
            &sqlx::query(
                "INSERT INTO tenants (kind, name, business_number, representative, contact_name, mobile, email, \
                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&t.kind)
            .bind(&t.name)
            .bind(&t.business_number)
            .bind(&t.representative)
            .bind(&t.contact_name)
            .bind(&t.mobile)
            .bind(&t.email)
            .bind($now)
            .bind($now)
            .execute(&mut *$tx)
            .await?,
        )
    }};
}
pub(crate) use insert_tenant_row;

pub async fn insert_tenant(db: &Db, t: &NewTenant, by: Option<i64>) -> Result<i64, AppError> {
    let now = now_utc();
    let after = serde_json::json!({"kind": t.kind, "name": t.name, "business_number": t.business_number, "mobile": t.mobile}).to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = insert_tenant_row!(tx, t, now);
        audit_created!(tx, now, by, "tenant", id, &after);
        tx.commit().await?;
        Ok(id)
    })
}

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

/// The tenant columns with the number of its leases the viewer may see (a client user counts
/// only the leases in their buildings), and the values the count binds.
fn tenant_select(scope: Scope) -> (String, Vec<Arg>) {
    let (visible, args) = match scope {
        Scope::All => ("", vec![]),
        Scope::ClientUser(user) => (
            " AND l.building_id IN (SELECT b.id FROM buildings b \
             JOIN client_users cu ON cu.client_id = b.client_id WHERE cu.user_id = ?)",
            vec![Arg::I(user)],
        ),
    };
    (
        format!(
            "SELECT t.id, t.kind, t.name, t.business_number, t.representative, t.contact_name, t.mobile, t.email, \
             (SELECT COUNT(*) FROM leases l WHERE l.tenant_id = t.id{visible}) AS leases FROM tenants t"
        ),
        args,
    )
}

/// One tenant, its lease count in the viewer's scope.
pub async fn find_tenant(
    db: &Db,
    id: i64,
    scope: Scope,
) -> Result<Option<TenantListRow>, AppError> {
    let (select, args) = tenant_select(scope);
    let sql = format!("{select} WHERE t.id = ?");
    Ok(db_run!(db, |pool| bind_args!(
        sqlx::query_as::<_, TenantListRow>(&sql),
        &args
    )
    .bind(id)
    .fetch_optional(pool)
    .await?))
}

/// Changes a tenant's record; the previous one goes to the audit log.
pub async fn update_tenant(
    db: &Db,
    id: i64,
    t: &NewTenant,
    by: Option<i64>,
) -> Result<(), AppError> {
    let now = now_utc();
    let select = "SELECT kind, name, business_number, representative, contact_name, mobile, email FROM tenants WHERE id = ?";
    let after = serde_json::json!({"kind": t.kind, "name": t.name, "business_number": t.business_number,
        "representative": t.representative, "contact_name": t.contact_name, "mobile": t.mobile, "email": t.email}).to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
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
            .bind(&t.kind).bind(&t.name).bind(&t.business_number).bind(&t.representative).bind(&t.contact_name)
            .bind(&t.mobile).bind(&t.email).bind(now).bind(id)
            .execute(&mut *tx).await?;
        write_audit!(
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
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
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
        audit_deleted!(tx, now, by, "tenant", id, &before);
        tx.commit().await?;
        Ok(())
    })
}

/// Tenants filtered by the list query (a name, or a number: mobile or business number; the
/// building they lease in), in the viewer's scope.
pub async fn list_tenants(
    db: &Db,
    q: &ListQuery,
    scope: Scope,
    paging: Paging,
) -> Result<(Vec<TenantListRow>, i64), AppError> {
    let mut w = Where::default();
    if let Some(s) = search_text(q) {
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() >= 4 {
            // A number: the mobile number (stored as digits) or the business number.
            w.push(
                "(t.name LIKE ? ESCAPE '!' OR t.mobile LIKE ? ESCAPE '!' OR t.business_number LIKE ? ESCAPE '!')",
                [crate::server::db::list::like(s), crate::server::db::list::like(&digits), crate::server::db::list::like(s)],
            );
        } else {
            w.search(&["t.name"], s);
        }
    }
    if let Some(b) = q.building_id {
        w.push(
            "EXISTS (SELECT 1 FROM leases l WHERE l.tenant_id = t.id AND l.building_id = ?)",
            [Arg::I(b)],
        );
    }
    scope.restrict_tenants(&mut w);
    let order = match q.sort.as_str() {
        "recent" => "t.id DESC",
        _ => "t.name, t.id",
    };
    let filter = w.sql();
    let (select, leading) = tenant_select(scope);
    let rows_sql = format!("{select} {filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let count_sql = format!("SELECT COUNT(*) FROM tenants t {filter}");
    fetch_page_with(db, &rows_sql, &leading, &count_sql, &w, paging).await
}
