//! Billing SQL after generation: reading an invoice with its lines and payments, recording and
//! reversing payments, waiving a late fee, closing and reopening a month, the overdue job.

use super::*;

/// Locks the lease of a payment or an invoice (`table` row `id`) first, as recording a payment
/// does: one writer at a time on a lease's lines.
macro_rules! lock_lease_of {
    ($tx:expr, $table:literal, $id:expr) => {{
        let lease: Option<i64> =
            sqlx::query_scalar(concat!("SELECT lease_id FROM ", $table, " WHERE id = ?"))
                .bind($id)
                .fetch_optional(&mut *$tx)
                .await?;
        if let Some(lease) = lease {
            lock_row!($tx, "leases", "version", lease);
        }
    }};
}

/// One invoice as shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceRecord {
    pub id: i64,
    pub month: String,
    pub lease_id: i64,
    pub building_id: i64,
    pub building_name: String,
    pub building_address: String,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub due_date: NaiveDate,
    pub total: i64,
    pub paid: i64,
    pub status: String,
    pub client_id: Option<i64>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closed_by: Option<String>,
    pub payment_account: Option<String>,
}

const INVOICE_SELECT: &str = "SELECT i.id, i.month, i.lease_id, i.building_id, b.name AS building_name, b.road_address AS building_address, \
     i.tenant_id, t.name AS tenant_name, i.due_date, i.total, i.paid, i.status, b.client_id, \
     bm.closed_at, cu.name AS closed_by, bs.payment_account \
     FROM invoices i JOIN buildings b ON b.id = i.building_id JOIN tenants t ON t.id = i.tenant_id \
     LEFT JOIN billing_months bm ON bm.building_id = i.building_id AND bm.month = i.month \
     LEFT JOIN users cu ON cu.id = bm.closed_by \
     LEFT JOIN billing_settings bs ON bs.building_id = i.building_id";

pub async fn invoice(db: &Db, id: i64) -> Result<Option<InvoiceRecord>, AppError> {
    let sql = format!("{INVOICE_SELECT} WHERE i.id = ?");
    Ok(db_run!(db, |pool| sqlx::query_as::<_, InvoiceRecord>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?))
}

/// The invoices of a building's month, in unit order, for the month's bills.
pub async fn invoice_ids_of_building_month(
    db: &Db,
    building: i64,
    month: YearMonth,
) -> Result<Vec<i64>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
        "SELECT i.id FROM invoices i WHERE i.building_id = ? AND i.month = ? \
         ORDER BY (SELECT MIN(u.name) FROM lease_units lu JOIN units u ON u.id = lu.unit_id WHERE lu.lease_id = i.lease_id), i.id"
    )
    .bind(building)
    .bind(month.to_string())
    .fetch_all(pool)
    .await?
    }))
}

pub async fn unit_names(db: &Db, lease_id: i64) -> Result<Vec<String>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_scalar::<_, String>(
        "SELECT u.name FROM lease_units lu JOIN units u ON u.id = lu.unit_id WHERE lu.lease_id = ? ORDER BY u.floor, u.name"
    )
    .bind(lease_id)
    .fetch_all(pool)
    .await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRecord {
    pub id: i64,
    pub invoice_id: i64,
    pub kind: String,
    pub label: String,
    pub rule: String,
    pub supply: i64,
    pub vat: i64,
    pub paid: i64,
    pub waived_at: Option<chrono::DateTime<chrono::Utc>>,
    pub waive_reason: Option<String>,
    pub waived_by: Option<String>,
}

pub async fn lines(db: &Db, invoice_id: i64) -> Result<Vec<LineRecord>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, LineRecord>(
        "SELECT il.id, il.invoice_id, il.kind, il.label, il.rule, il.supply, il.vat, il.paid, il.waived_at, il.waive_reason, \
         u.name AS waived_by FROM invoice_lines il LEFT JOIN users u ON u.id = il.waived_by \
         WHERE il.invoice_id = ? ORDER BY il.position"
    )
    .bind(invoice_id)
    .fetch_all(pool)
    .await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRecord {
    pub id: i64,
    pub lease_id: i64,
    pub tenant_id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub method: String,
    pub depositor: String,
    pub memo: String,
    pub unallocated: i64,
    pub by_name: Option<String>,
    pub reversed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub reverse_reason: Option<String>,
    pub applied: i64,
}

/// The payments of a lease, with what each paid on `invoice` (0 for none).
pub async fn payments_of_lease(
    db: &Db,
    lease_id: i64,
    invoice: i64,
) -> Result<Vec<PaymentRecord>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, PaymentRecord>(
        "SELECT p.id, p.lease_id, p.tenant_id, p.paid_on, p.amount, p.method, p.depositor, p.memo, p.unallocated, \
         u.name AS by_name, p.reversed_at, p.reverse_reason, \
         CAST(COALESCE((SELECT SUM(a.amount) FROM payment_allocations a WHERE a.payment_id = p.id AND a.invoice_id = ?), 0) AS SIGNED) AS applied \
         FROM payments p LEFT JOIN users u ON u.id = p.created_by WHERE p.lease_id = ? ORDER BY p.paid_on DESC, p.id DESC"
    )
    .bind(invoice)
    .bind(lease_id)
    .fetch_all(pool)
    .await?
    }))
}

/// What the lease still owes on invoices before `month`.
pub async fn arrears_before(db: &Db, lease_id: i64, month: &str) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(total - paid), 0) AS SIGNED) FROM invoices WHERE lease_id = ? AND month < ? AND paid < total"
    )
    .bind(lease_id)
    .bind(month)
    .fetch_one(pool)
    .await?
    }))
}

/// The tenant's credit in one building (credit is used only there).
pub async fn credit_of_tenant(db: &Db, tenant_id: i64, building_id: i64) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(unallocated), 0) AS SIGNED) FROM payments WHERE tenant_id = ? AND reversed_at IS NULL \
         AND lease_id IN (SELECT id FROM leases WHERE building_id = ?)"
    )
    .bind(tenant_id)
    .bind(building_id)
    .fetch_one(pool)
    .await?
    }))
}

/// The lease's tenant and building, to check a payment against.
pub async fn lease_owner(db: &Db, lease_id: i64) -> Result<Option<(i64, i64)>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as::<_, (i64, i64)>(
        "SELECT tenant_id, building_id FROM leases WHERE id = ?"
    )
    .bind(lease_id)
    .fetch_optional(pool)
    .await?))
}

/// Records a payment and pays the lease's lines with it in the written order (late fees, then
/// the oldest lines); the rest stays as the tenant's credit. Gives the payment id and the
/// amount left as credit.
pub async fn record_payment(
    db: &Db,
    p: &crate::areas::billing::PaymentInput,
    tenant_id: i64,
    by: i64,
    today: NaiveDate,
) -> Result<(i64, i64), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "leases", "version", p.lease_id);
        let rows: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT il.id, il.invoice_id, il.kind, i.month, il.position, il.supply + il.vat - il.paid \
             FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id \
             WHERE i.lease_id = ? AND il.waived_at IS NULL AND il.supply + il.vat > il.paid",
        )
        .bind(p.lease_id)
        .fetch_all(&mut *tx)
        .await?;
        let owed: Vec<Owed> = rows
            .iter()
            .map(|(id, _, kind, month, pos, owed)| Owed {
                line_id: *id,
                late_fee: kind == "late_fee",
                month: YearMonth::parse(month).unwrap_or(YearMonth {
                    year: 2000,
                    month: 1,
                }),
                position: *pos,
                owed: *owed,
            })
            .collect();
        let (paid, left) = allocate_payment(p.amount, &owed);
        let payment = sqlx::query(
            "INSERT INTO payments (lease_id, tenant_id, paid_on, amount, method, depositor, memo, unallocated, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(p.lease_id)
        .bind(tenant_id)
        .bind(p.paid_on)
        .bind(p.amount)
        .bind(p.method.as_str())
        .bind(&p.depositor)
        .bind(&p.memo)
        .bind(left)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .inserted_id();
        let mut touched: Vec<i64> = Vec::new();
        for (line, amount) in &paid {
            let invoice = rows
                .iter()
                .find(|r| r.0 == *line)
                .map(|r| r.1)
                .unwrap_or_default();
            sqlx::query(
                "INSERT INTO payment_allocations (payment_id, line_id, invoice_id, amount) VALUES (?, ?, ?, ?)",
            )
            .bind(payment)
            .bind(line)
            .bind(invoice)
            .bind(amount)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE invoice_lines SET paid = paid + ? WHERE id = ?")
                .bind(amount)
                .bind(line)
                .execute(&mut *tx)
                .await?;
            if !touched.contains(&invoice) {
                touched.push(invoice);
            }
        }
        for invoice in touched {
            refresh_invoice!(tx, invoice, today, Some(p.paid_on));
        }
        let after = to_json(&serde_json::json!({
            "lease_id": p.lease_id, "paid_on": p.paid_on, "amount": p.amount, "method": p.method.as_str(),
            "depositor": p.depositor, "memo": p.memo, "allocated": paid, "credit": left,
        }))?;
        audit_created!(tx, now, Some(by), "payment", payment, after);
        tx.commit().await?;
        Ok((payment, left))
    })
}

/// (lease, paid on, amount, method, reversed at) of a payment.
type PaymentState = (
    i64,
    NaiveDate,
    i64,
    String,
    Option<chrono::DateTime<chrono::Utc>>,
);

/// Reverses a payment: what it paid is owed again, its credit is gone, and the audit log keeps
/// both the payment and the reason. Gives the lease id.
pub async fn reverse_payment(
    db: &Db,
    id: i64,
    reason: &str,
    by: i64,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_lease_of!(tx, "payments", id);
        lock_row!(tx, "payments", "unallocated", id);
        let Some((lease_id, paid_on, amount, method, reversed)): Option<PaymentState> =
            sqlx::query_as(
                "SELECT lease_id, paid_on, amount, method, reversed_at FROM payments WHERE id = ?",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(AppError::Api(crate::domain::ApiError::NotFound));
        };
        if reversed.is_some() {
            return Err(AppError::conflict("이미 취소된 수납입니다."));
        }
        if method == "refund" {
            return Err(AppError::conflict(
                "정정 환급은 취소할 수 없습니다 (계약을 다시 정정하면 다음 청구에 조정됩니다).",
            ));
        }
        let allocations: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT line_id, invoice_id, amount FROM payment_allocations WHERE payment_id = ?",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let mut touched: Vec<i64> = Vec::new();
        for (line, invoice, a) in &allocations {
            sqlx::query("UPDATE invoice_lines SET paid = paid - ? WHERE id = ?")
                .bind(a)
                .bind(line)
                .execute(&mut *tx)
                .await?;
            if !touched.contains(invoice) {
                touched.push(*invoice);
            }
        }
        sqlx::query("DELETE FROM payment_allocations WHERE payment_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE payments SET reversed_at = ?, reversed_by = ?, reverse_reason = ?, unallocated = 0 WHERE id = ?",
        )
        .bind(now)
        .bind(by)
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for invoice in touched {
            // Paid in full no longer: the day it was paid goes.
            sqlx::query("UPDATE invoices SET paid_on = NULL WHERE id = ?")
                .bind(invoice)
                .execute(&mut *tx)
                .await?;
            refresh_invoice!(tx, invoice, today, None::<NaiveDate>);
        }
        let before = to_json(&serde_json::json!({
            "lease_id": lease_id, "paid_on": paid_on, "amount": amount, "method": method,
            "allocated": allocations.iter().map(|(l, _, a)| (l, a)).collect::<Vec<_>>(),
        }))?;
        let after = to_json(&serde_json::json!({ "reversed": true, "reason": reason }))?;
        write_audit!(
            tx,
            now,
            Some(by),
            "payment",
            id,
            "update",
            Some(before),
            Some(after)
        );
        tx.commit().await?;
        Ok(lease_id)
    })
}

/// A line with its invoice's month state, for waiving.
pub async fn line_context(
    db: &Db,
    line_id: i64,
) -> Result<Option<(i64, String, i64, i64, bool, i64)>, AppError> {
    // (invoice id, kind, paid, building id, month closed?, lease id)
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, (i64, String, i64, i64, bool, i64)>(
        "SELECT il.invoice_id, il.kind, il.paid, i.building_id, \
         EXISTS (SELECT 1 FROM billing_months bm WHERE bm.building_id = i.building_id AND bm.month = i.month AND bm.closed_at IS NOT NULL), \
         i.lease_id FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE il.id = ?"
    )
    .bind(line_id)
    .fetch_optional(pool)
    .await?
    }))
}

/// Waives a late-fee line with the reason (its invoice's month must be open).
pub async fn waive_line(
    db: &Db,
    line_id: i64,
    invoice: i64,
    reason: &str,
    by: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_lease_of!(tx, "invoices", invoice);
        let changed = sqlx::query(
            "UPDATE invoice_lines SET waived_at = ?, waived_by = ?, waive_reason = ? \
             WHERE id = ? AND waived_at IS NULL AND paid = 0 AND kind = 'late_fee' \
             AND NOT EXISTS (SELECT 1 FROM billing_months bm JOIN invoices i ON i.building_id = bm.building_id AND i.month = bm.month \
                             WHERE i.id = ? AND bm.closed_at IS NOT NULL)",
        )
        .bind(now)
        .bind(by)
        .bind(reason)
        .bind(line_id)
        .bind(invoice)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::conflict(
                "이 연체료는 면제할 수 없습니다 (이미 면제·수납되었거나 마감된 달입니다).",
            ));
        }
        refresh_invoice!(tx, invoice, today, Some(today));
        let after =
            to_json(&serde_json::json!({ "line_id": line_id, "waived": true, "reason": reason }))?;
        write_audit!(
            tx,
            now,
            Some(by),
            "invoice",
            invoice,
            "update",
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(())
    })
}

pub async fn month_invoice_count(
    db: &Db,
    building: i64,
    month: YearMonth,
) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM invoices WHERE building_id = ? AND month = ?"
    )
    .bind(building)
    .bind(month.to_string())
    .fetch_one(pool)
    .await?))
}

/// Closes a building's month; refuses one already closed.
pub async fn close_month(
    db: &Db,
    building: i64,
    month: YearMonth,
    by: i64,
) -> Result<(), AppError> {
    let now = now_utc();
    let m = month.to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let closed: Option<Option<chrono::DateTime<chrono::Utc>>> = sqlx::query_scalar(
            "SELECT closed_at FROM billing_months WHERE building_id = ? AND month = ?",
        )
        .bind(building)
        .bind(&m)
        .fetch_optional(&mut *tx)
        .await?;
        match closed {
            Some(Some(_)) => return Err(AppError::conflict("이미 마감된 달입니다.")),
            Some(None) => {
                sqlx::query(
                    "UPDATE billing_months SET closed_at = ?, closed_by = ? WHERE building_id = ? AND month = ?",
                )
                .bind(now)
                .bind(by)
                .bind(building)
                .bind(&m)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                let r = sqlx::query(
                    "INSERT INTO billing_months (building_id, month, closed_at, closed_by) VALUES (?, ?, ?, ?)",
                )
                .bind(building)
                .bind(&m)
                .bind(now)
                .bind(by)
                .execute(&mut *tx)
                .await;
                match r {
                    Err(e) if is_unique_violation(&e) => {
                        return Err(AppError::conflict("이미 마감된 달입니다."));
                    }
                    other => {
                        other?;
                    }
                }
            }
        }
        let after = to_json(&serde_json::json!({ "month": m, "closed": true }))?;
        write_audit!(
            tx,
            now,
            Some(by),
            "billing_month",
            building,
            "update",
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(())
    })
}

/// Reopens a closed month, with the reason in the audit log.
pub async fn reopen_month(
    db: &Db,
    building: i64,
    month: YearMonth,
    reason: &str,
    by: i64,
) -> Result<(), AppError> {
    let now = now_utc();
    let m = month.to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let changed = sqlx::query(
            "UPDATE billing_months SET closed_at = NULL, closed_by = NULL WHERE building_id = ? AND month = ? AND closed_at IS NOT NULL",
        )
        .bind(building)
        .bind(&m)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::conflict("마감되지 않은 달입니다."));
        }
        let before = to_json(&serde_json::json!({ "month": m, "closed": true }))?;
        let after = to_json(&serde_json::json!({ "month": m, "closed": false, "reason": reason }))?;
        write_audit!(
            tx,
            now,
            Some(by),
            "billing_month",
            building,
            "update",
            Some(before),
            Some(after)
        );
        tx.commit().await?;
        Ok(())
    })
}

/// Marks invoices past their due date and grace days as overdue; gives how many changed.
pub async fn mark_overdue(db: &Db, today: NaiveDate) -> Result<u64, AppError> {
    Ok(db_run!(db,
        sqlite |pool| sqlx::query(
            "UPDATE invoices SET status = 'overdue' WHERE status IN ('unpaid', 'partial') AND paid < total \
             AND date(due_date, '+' || (SELECT grace_days FROM leases l WHERE l.id = invoices.lease_id) || ' days') < ?",
        )
        .bind(today)
        .execute(pool)
        .await?
        .rows_affected(),
        mysql |pool| sqlx::query(
            "UPDATE invoices i JOIN leases l ON l.id = i.lease_id SET i.status = 'overdue' \
             WHERE i.status IN ('unpaid', 'partial') AND i.paid < i.total AND DATE_ADD(i.due_date, INTERVAL l.grace_days DAY) < ?",
        )
        .bind(today)
        .execute(pool)
        .await?
        .rows_affected()
    ))
}
