//! Billing SQL of the views (the month's list, totals, buildings, arrears), the settings and a
//! lease's other charges.

use super::*;

// ---------------------------------------------------------------------------------------------
// Views

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceListRow {
    pub id: i64,
    pub month: String,
    pub building_id: i64,
    pub building_name: String,
    pub tenant_name: String,
    pub lease_id: i64,
    pub due_date: NaiveDate,
    pub total: i64,
    pub paid: i64,
    pub status: String,
}

/// The filters of the billing view: month, building, status, days overdue, tenant search.
pub fn invoice_filters(
    scope: Scope,
    month: Option<YearMonth>,
    q: &crate::domain::list::ListQuery,
    today: NaiveDate,
    mine: Option<i64>,
) -> Where {
    // Every filter reads `invoices` alone (no join), so counts and totals stay on its indexes.
    let mut w = Where::default();
    scope.restrict(
        &mut w,
        "(SELECT b2.client_id FROM buildings b2 WHERE b2.id = i.building_id)",
    );
    if let Some(m) = month {
        w.push("i.month = ?", [Arg::S(m.to_string())]);
    }
    if let Some(b) = q.building_id {
        w.push("i.building_id = ?", [Arg::I(b)]);
    }
    if let Some(me) = mine {
        w.push(
            "EXISTS (SELECT 1 FROM building_managers bm2 WHERE bm2.building_id = i.building_id AND bm2.user_id = ?)",
            [Arg::I(me)],
        );
    }
    match q.status.as_str() {
        "open" => w.push("i.paid < i.total", []),
        s => {
            if let Some(st) = InvoiceStatus::parse(s) {
                w.push("i.status = ?", [Arg::S(st.as_str().to_string())]);
            }
        }
    }
    if let Some(d) = q.overdue_days.filter(|d| *d <= 3650) {
        w.push(
            "i.paid < i.total AND i.due_date < ?",
            [Arg::D(today - chrono::Duration::days(i64::from(d)))],
        );
    }
    if let Some(s) = crate::server::db::list::search_text(q) {
        w.push(
            "i.tenant_id IN (SELECT t2.id FROM tenants t2 WHERE t2.name LIKE ? ESCAPE '!')",
            [crate::server::db::list::like(s)],
        );
    }
    w
}

pub async fn invoice_page(
    db: &Db,
    w: &Where,
    sort: &str,
    paging: Paging,
) -> Result<crate::domain::list::ListPage<InvoiceListRow>, AppError> {
    let order = match sort {
        "tenant" => "t.name, i.id",
        "unpaid" => "(i.total - i.paid) DESC, i.id",
        "name" => "b.name, t.name, i.id",
        // Due date first: read in the order of the (month, due_date) index.
        _ => "i.due_date, i.id",
    };
    let from = "FROM invoices i JOIN buildings b ON b.id = i.building_id JOIN tenants t ON t.id = i.tenant_id";
    let rows_sql = format!(
        "SELECT i.id, i.month, i.building_id, b.name AS building_name, t.name AS tenant_name, i.lease_id, i.due_date, \
         i.total, i.paid, i.status {from} {} ORDER BY {order} LIMIT ? OFFSET ?",
        w.sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM invoices i {}", w.sql());
    let (rows, total) = fetch_page(db, &rows_sql, &count_sql, w, paging).await?;
    Ok(paging.page_of(rows, total))
}

/// Billed and collected per month for months `from..=to` under the same filters (month filter
/// left out).
pub async fn month_totals(
    db: &Db,
    w: &Where,
    from: YearMonth,
    to: YearMonth,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    let sql = format!(
        "SELECT i.month, CAST(COALESCE(SUM(i.total), 0) AS SIGNED), CAST(COALESCE(SUM(i.paid), 0) AS SIGNED) \
         FROM invoices i {} {} i.month >= ? AND i.month <= ? \
         GROUP BY i.month ORDER BY i.month",
        w.sql(),
        if w.sql().is_empty() { "WHERE" } else { "AND" }
    );
    Ok(db_run!(db, |pool| {
        let q = bind_args!(sqlx::query_as::<_, (String, i64, i64)>(&sql), w.args());
        q.bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(pool)
            .await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BuildingMonthRow {
    pub building_id: i64,
    pub building_name: String,
    pub invoices: i64,
    pub billed: i64,
    pub collected: i64,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closed_by: Option<String>,
}

/// Per building: the month's invoices and whether the month is closed.
pub async fn building_months(db: &Db, w: &Where) -> Result<Vec<BuildingMonthRow>, AppError> {
    let sql = format!(
        "SELECT g.building_id, b.name AS building_name, g.invoices, g.billed, g.collected, bm.closed_at, u.name AS closed_by \
         FROM (SELECT i.building_id, i.month, COUNT(*) AS invoices, CAST(SUM(i.total) AS SIGNED) AS billed, \
               CAST(SUM(i.paid) AS SIGNED) AS collected FROM invoices i {} GROUP BY i.building_id, i.month) g \
         JOIN buildings b ON b.id = g.building_id \
         LEFT JOIN billing_months bm ON bm.building_id = g.building_id AND bm.month = g.month \
         LEFT JOIN users u ON u.id = bm.closed_by ORDER BY b.name",
        w.sql()
    );
    Ok(db_run!(db, |pool| bind_args!(
        sqlx::query_as::<_, BuildingMonthRow>(&sql),
        w.args()
    )
    .fetch_all(pool)
    .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnpaidRow {
    pub invoice_id: i64,
    pub lease_id: i64,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub building_id: i64,
    pub building_name: String,
    pub month: String,
    pub due_date: NaiveDate,
    pub owed: i64,
    pub late_fee_rate_bp: i32,
    pub grace_days: i32,
    pub monthly_rent: i64,
    pub vat_applies: bool,
}

/// Every invoice past its due date with something owed.
pub async fn unpaid_past_due(db: &Db, w: &Where) -> Result<Vec<UnpaidRow>, AppError> {
    let sql = format!(
        "SELECT i.id AS invoice_id, i.lease_id, i.tenant_id, t.name AS tenant_name, i.building_id, b.name AS building_name, \
         i.month, i.due_date, i.total - i.paid AS owed, l.late_fee_rate_bp, l.grace_days, l.monthly_rent, l.vat_applies \
         FROM invoices i JOIN buildings b ON b.id = i.building_id JOIN tenants t ON t.id = i.tenant_id \
         JOIN leases l ON l.id = i.lease_id {} ORDER BY b.name, t.name, i.lease_id, i.month",
        w.sql()
    );
    Ok(db_run!(db, |pool| bind_args!(
        sqlx::query_as::<_, UnpaidRow>(&sql),
        w.args()
    )
    .fetch_all(pool)
    .await?))
}

/// Unit names per lease, for lists.
pub async fn units_by_lease(db: &Db, lease_ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in lease_ids.chunks(400) {
        if chunk.is_empty() {
            continue;
        }
        let ids = chunk
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT lu.lease_id, u.name FROM lease_units lu JOIN units u ON u.id = lu.unit_id \
             WHERE lu.lease_id IN ({ids}) ORDER BY lu.lease_id, u.floor, u.name"
        );
        let rows: Vec<(i64, String)> =
            db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
        for (l, n) in rows {
            out.entry(l).or_default().push(n);
        }
    }
    Ok(out.into_iter().map(|(k, v)| (k, v.join(", "))).collect())
}

pub async fn invoices_of_lease(db: &Db, lease_id: i64) -> Result<Vec<InvoiceListRow>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, InvoiceListRow>(
        "SELECT i.id, i.month, i.building_id, b.name AS building_name, t.name AS tenant_name, i.lease_id, i.due_date, \
         i.total, i.paid, i.status FROM invoices i JOIN buildings b ON b.id = i.building_id JOIN tenants t ON t.id = i.tenant_id \
         WHERE i.lease_id = ? ORDER BY i.month DESC LIMIT 36"
    )
    .bind(lease_id)
    .fetch_all(pool)
    .await?
    }))
}

// ---------------------------------------------------------------------------------------------
// Settings and charges

pub async fn settings(db: &Db, building: i64) -> Result<Option<(String, i32, String)>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, (String, i32, String)>(
            "SELECT COALESCE(bs.payment_account, ''), COALESCE(bs.late_fee_step_bp, 0), b.name \
         FROM buildings b LEFT JOIN billing_settings bs ON bs.building_id = b.id WHERE b.id = ?",
        )
        .bind(building)
        .fetch_optional(pool)
        .await?
    }))
}

pub async fn save_settings(
    db: &Db,
    building: i64,
    account: &str,
    step_bp: u32,
    by: i64,
) -> Result<(), AppError> {
    let now = now_utc();
    let after =
        to_json(&serde_json::json!({ "payment_account": account, "late_fee_step_bp": step_bp }))?;
    let sql = match db {
        Db::Sqlite(_) => {
            "INSERT INTO billing_settings (building_id, payment_account, late_fee_step_bp, updated_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (building_id) DO UPDATE SET payment_account = excluded.payment_account, \
             late_fee_step_bp = excluded.late_fee_step_bp, updated_at = excluded.updated_at"
        }
        Db::MySql(_) => {
            "INSERT INTO billing_settings (building_id, payment_account, late_fee_step_bp, updated_at) VALUES (?, ?, ?, ?) \
             ON DUPLICATE KEY UPDATE payment_account = VALUES(payment_account), \
             late_fee_step_bp = VALUES(late_fee_step_bp), updated_at = VALUES(updated_at)"
        }
    };
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        sqlx::query(sql)
            .bind(building)
            .bind(account)
            .bind(step_bp)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        write_audit!(
            tx,
            now,
            Some(by),
            "billing_settings",
            building,
            "update",
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
    });
    Ok(())
}

pub async fn add_charge(
    db: &Db,
    lease_id: i64,
    label: &str,
    amount: i64,
    taxable: bool,
    by: i64,
) -> Result<i64, AppError> {
    let now = now_utc();
    let after = to_json(
        &serde_json::json!({ "lease_id": lease_id, "label": label, "amount": amount, "taxable": taxable }),
    )?;
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = sqlx::query(
            "INSERT INTO lease_charges (lease_id, label, amount, taxable, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(lease_id)
        .bind(label)
        .bind(amount)
        .bind(taxable)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .inserted_id();
        audit_created!(tx, now, Some(by), "lease_charge", id, after);
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn charge_lease(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT lease_id FROM lease_charges WHERE id = ?"
    )
    .bind(id)
    .fetch_optional(pool)
    .await?))
}

pub async fn remove_charge(db: &Db, id: i64, by: i64) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let row: Option<(i64, String, i64, bool)> = sqlx::query_as(
            "SELECT lease_id, label, amount, taxable FROM lease_charges WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(AppError::Api(crate::domain::ApiError::NotFound));
        };
        sqlx::query("DELETE FROM lease_charges WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let before = to_json(
            &serde_json::json!({ "lease_id": row.0, "label": row.1, "amount": row.2, "taxable": row.3 }),
        )?;
        crate::audit_deleted!(tx, now, Some(by), "lease_charge", id, before);
        tx.commit().await?;
        Ok(())
    })
}

/// A generation run by hand, in the audit log.
pub async fn audit_run(db: &Db, by: i64, building: i64, report: &str) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        write_audit!(
            tx,
            now,
            Some(by),
            "invoice_run",
            building,
            "create",
            None::<String>,
            Some(report.to_string())
        );
        tx.commit().await?;
    });
    Ok(())
}

/// (invoices, billed, collected) of a building's month.
pub async fn building_month_income(
    db: &Db,
    building: i64,
    month: YearMonth,
) -> Result<(i64, i64, i64), AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT COUNT(*), CAST(COALESCE(SUM(total), 0) AS SIGNED), CAST(COALESCE(SUM(paid), 0) AS SIGNED) \
         FROM invoices WHERE building_id = ? AND month = ?"
    )
    .bind(building)
    .bind(month.to_string())
    .fetch_one(pool)
    .await?
    }))
}
