//! Every SQL statement of billing: what a month's generation reads (leases, charges, earlier
//! invoices with their payments), writing invoices with their lines and credits, payments and
//! their reversal, waiving a late fee, closing and reopening a month, settings, and the views.

use crate::domain::billing::{InvoiceStatus, Owed, YearMonth, allocate_payment};
use crate::server::db::list::{Arg, Paging, Where, fetch_page};
use crate::server::db::scope::Scope;
use crate::server::db::{Db, InsertedId, is_unique_violation, now_utc, to_json};
use crate::server::error::AppError;
use crate::{audit_created, bind_args, db_run, lock_row, write_audit};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// A lease whose term touches the month, with what its invoice needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BillableLease {
    pub id: i64,
    pub tenant_id: i64,
    pub building_id: i64,
    pub start_date: NaiveDate,
    /// The end date, or the termination date when ended early.
    pub end_date: NaiveDate,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub vat_applies: bool,
    pub payment_day: i32,
    pub late_fee_rate_bp: i32,
    pub grace_days: i32,
    pub version: i32,
    pub tenant_name: String,
    pub building_name: String,
    pub has_invoice: i64,
}

pub async fn billable_leases(
    db: &Db,
    month: YearMonth,
    building: Option<i64>,
) -> Result<Vec<BillableLease>, AppError> {
    let sql = format!(
        "SELECT l.id, l.tenant_id, l.building_id, l.start_date, COALESCE(l.terminated_on, l.end_date) AS end_date, \
         l.monthly_rent, l.management_fee, l.vat_applies, l.payment_day, l.late_fee_rate_bp, l.grace_days, l.version, \
         t.name AS tenant_name, b.name AS building_name, \
         (SELECT COUNT(*) FROM invoices i WHERE i.lease_id = l.id AND i.month = ?) AS has_invoice \
         FROM leases l JOIN tenants t ON t.id = l.tenant_id JOIN buildings b ON b.id = l.building_id \
         WHERE l.start_date <= ? AND COALESCE(l.terminated_on, l.end_date) >= ? {} ORDER BY l.id",
        if building.is_some() {
            "AND l.building_id = ?"
        } else {
            ""
        }
    );
    let m = month.to_string();
    Ok(db_run!(db, |pool| {
        let mut q = sqlx::query_as::<_, BillableLease>(&sql)
            .bind(&m)
            .bind(month.last_day())
            .bind(month.first_day());
        if let Some(b) = building {
            q = q.bind(b);
        }
        q.fetch_all(pool).await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChargeRow {
    pub id: i64,
    pub lease_id: i64,
    pub label: String,
    pub amount: i64,
    pub taxable: bool,
}

pub async fn all_charges(db: &Db) -> Result<Vec<ChargeRow>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as::<_, ChargeRow>(
        "SELECT id, lease_id, label, amount, taxable FROM lease_charges ORDER BY lease_id, id"
    )
    .fetch_all(pool)
    .await?))
}

pub async fn charges_of(db: &Db, lease_id: i64) -> Result<Vec<ChargeRow>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, ChargeRow>(
        "SELECT id, lease_id, label, amount, taxable FROM lease_charges WHERE lease_id = ? ORDER BY id"
    )
    .bind(lease_id)
    .fetch_all(pool)
    .await?
    }))
}

pub async fn closed_buildings(db: &Db, month: YearMonth) -> Result<HashSet<i64>, AppError> {
    let rows: Vec<i64> = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT building_id FROM billing_months WHERE month = ? AND closed_at IS NOT NULL"
    )
    .bind(month.to_string())
    .fetch_all(pool)
    .await?);
    Ok(rows.into_iter().collect())
}

/// Each building's step-up of the late-fee rate per month late (basis points).
pub async fn late_fee_steps(db: &Db) -> Result<HashMap<i64, u32>, AppError> {
    let rows: Vec<(i64, i32)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT building_id, late_fee_step_bp FROM billing_settings WHERE late_fee_step_bp > 0"
    )
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(b, s)| (b, s.max(0) as u32))
        .collect())
}

/// An earlier invoice that a new month may add a late fee or an adjustment for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PriorRow {
    pub id: i64,
    pub lease_id: i64,
    pub month: String,
    pub due_date: NaiveDate,
    pub lease_version: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PriorLineRow {
    pub id: i64,
    pub invoice_id: i64,
    pub kind: String,
    pub supply: i64,
    pub vat: i64,
    pub paid: i64,
    pub waived: bool,
    pub refers_to: Option<i64>,
    pub through_date: Option<NaiveDate>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AllocationRow {
    pub line_id: i64,
    pub invoice_id: i64,
    pub amount: i64,
    pub paid_on: NaiveDate,
}

/// Earlier invoices (before `month`) still owed, or billed under an older version of their lease,
/// with their lines, the lines of other invoices that refer to them (late fees, adjustments) and
/// the payments made on them.
pub async fn priors(
    db: &Db,
    month: YearMonth,
    building: Option<i64>,
) -> Result<(Vec<PriorRow>, Vec<PriorLineRow>, Vec<AllocationRow>), AppError> {
    let sql = format!(
        "SELECT i.id, i.lease_id, i.month, i.due_date, i.lease_version FROM invoices i JOIN leases l ON l.id = i.lease_id \
         WHERE i.month < ? AND (i.paid < i.total OR i.lease_version < l.version \
         OR (i.paid_on IS NOT NULL AND i.paid_on > i.due_date AND i.paid_on >= ?)) {} ORDER BY i.lease_id, i.month",
        if building.is_some() {
            "AND i.building_id = ?"
        } else {
            ""
        }
    );
    let m = month.to_string();
    let rows: Vec<PriorRow> = db_run!(db, |pool| {
        // Paid in full, but late and recently: its last late days may not be charged yet.
        let mut q = sqlx::query_as::<_, PriorRow>(&sql)
            .bind(&m)
            .bind(month.prev().prev().first_day());
        if let Some(b) = building {
            q = q.bind(b);
        }
        q.fetch_all(pool).await?
    });
    let mut lines = Vec::new();
    let mut allocations = Vec::new();
    for chunk in rows.chunks(400) {
        let ids = chunk
            .iter()
            .map(|r| r.id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let lines_sql = format!(
            "SELECT id, invoice_id, kind, supply, vat, paid, waived_at IS NOT NULL AS waived, refers_to, through_date, source \
             FROM invoice_lines WHERE invoice_id IN ({ids}) OR refers_to IN ({ids})"
        );
        let alloc_sql = format!(
            "SELECT a.line_id, a.invoice_id, a.amount, p.paid_on FROM payment_allocations a \
             JOIN payments p ON p.id = a.payment_id WHERE a.invoice_id IN ({ids})"
        );
        let (l, a) = db_run!(db, |pool| (
            sqlx::query_as::<_, PriorLineRow>(&lines_sql)
                .fetch_all(pool)
                .await?,
            sqlx::query_as::<_, AllocationRow>(&alloc_sql)
                .fetch_all(pool)
                .await?
        ));
        lines.extend(l);
        allocations.extend(a);
    }
    Ok((rows, lines, allocations))
}

/// The kinds of change each lease went through from a version on: (lease, version, kind).
pub async fn history_kinds(
    db: &Db,
    lease_ids: &[i64],
) -> Result<Vec<(i64, i32, String)>, AppError> {
    let mut out = Vec::new();
    for chunk in lease_ids.chunks(400) {
        let ids = chunk
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT lease_id, version, change_kind FROM lease_history WHERE lease_id IN ({ids})"
        );
        let rows: Vec<(i64, i32, String)> =
            db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
        out.extend(rows);
    }
    Ok(out)
}

pub async fn tenants_with_credit(db: &Db) -> Result<HashSet<i64>, AppError> {
    let rows: Vec<i64> = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT DISTINCT tenant_id FROM payments WHERE reversed_at IS NULL AND unallocated > 0"
    )
    .fetch_all(pool)
    .await?);
    Ok(rows.into_iter().collect())
}

/// A line to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLine {
    pub kind: &'static str,
    pub label: String,
    pub rule: String,
    pub supply: i64,
    pub vat: i64,
    pub source: Option<String>,
    pub refers_to: Option<i64>,
    pub through: Option<NaiveDate>,
}

/// An invoice to write.
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub lease_id: i64,
    pub building_id: i64,
    pub tenant_id: i64,
    pub month: YearMonth,
    pub lease_version: i32,
    pub due_date: NaiveDate,
    pub grace_days: u32,
    pub lines: Vec<NewLine>,
    pub tenant_has_credit: bool,
}

/// What writing a batch did.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub created: i64,
    pub skipped: i64,
    /// Leases left out: their building's month was closed while the run went on.
    pub closed: Vec<i64>,
}

/// Pays `lines` (id, owed, late fee?, position) of one invoice from the tenant's credit, oldest
/// payment first, inside the transaction: allocations, lines, payments.
macro_rules! use_credit {
    ($tx:expr, $tenant:expr, $building:expr, $invoice:expr, $lines:expr) => {{
        // Credit stays in the building it was paid in (its owner's money).
        let credits: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, unallocated FROM payments WHERE tenant_id = ? AND reversed_at IS NULL AND unallocated > 0 \
             AND lease_id IN (SELECT id FROM leases WHERE building_id = ?) ORDER BY paid_on, id",
        )
        .bind($tenant)
        .bind($building)
        .fetch_all(&mut *$tx)
        .await?;
        let mut owed: Vec<Owed> = $lines;
        for (payment, credit) in credits {
            let (paid, left) = allocate_payment(credit, &owed);
            if paid.is_empty() {
                break;
            }
            // Take the credit first, only if it is still there (another writer may have used
            // or reversed it since it was read).
            let used = credit - left;
            let taken = sqlx::query(
                "UPDATE payments SET unallocated = unallocated - ? WHERE id = ? AND reversed_at IS NULL AND unallocated >= ?",
            )
            .bind(used)
            .bind(payment)
            .bind(used)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            if taken == 0 {
                continue;
            }
            for (line, amount) in &paid {
                sqlx::query(
                    "INSERT INTO payment_allocations (payment_id, line_id, invoice_id, amount) VALUES (?, ?, ?, ?)",
                )
                .bind(payment)
                .bind(line)
                .bind($invoice)
                .bind(amount)
                .execute(&mut *$tx)
                .await?;
                sqlx::query("UPDATE invoice_lines SET paid = paid + ? WHERE id = ?")
                    .bind(amount)
                    .bind(line)
                    .execute(&mut *$tx)
                    .await?;
                if let Some(o) = owed.iter_mut().find(|o| o.line_id == *line) {
                    o.owed -= amount;
                }
            }
        }
    }};
}

/// Sets an invoice's total, paid amount, status and the day it was paid in full from its
/// lines, inside the transaction.
macro_rules! refresh_invoice {
    ($tx:expr, $invoice:expr, $today:expr, $paid_on:expr) => {{
        let (total, paid, due, grace, was_paid_on): (i64, i64, NaiveDate, i32, Option<NaiveDate>) = sqlx::query_as(
            "SELECT CAST(COALESCE((SELECT SUM(supply + vat) FROM invoice_lines WHERE invoice_id = i.id AND waived_at IS NULL), 0) AS SIGNED), \
             CAST(COALESCE((SELECT SUM(paid) FROM invoice_lines WHERE invoice_id = i.id), 0) AS SIGNED), i.due_date, l.grace_days, i.paid_on \
             FROM invoices i JOIN leases l ON l.id = i.lease_id WHERE i.id = ?",
        )
        .bind($invoice)
        .fetch_one(&mut *$tx)
        .await?;
        let status = InvoiceStatus::of(total, paid, due, grace.max(0) as u32, $today);
        let paid_on: Option<NaiveDate> = if status == InvoiceStatus::Paid {
            was_paid_on.or($paid_on)
        } else {
            None
        };
        sqlx::query("UPDATE invoices SET total = ?, paid = ?, status = ?, paid_on = ? WHERE id = ?")
            .bind(total)
            .bind(paid)
            .bind(status.as_str())
            .bind(paid_on)
            .bind($invoice)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Writes invoices in one transaction; an invoice that already exists for its lease and month
/// (another run got there first) is skipped with its lines. Negative lines (refunds) first pay
/// the invoice's own lines; then the tenant's credit pays what is left.
pub async fn write_invoices(
    db: &Db,
    batch: &[NewInvoice],
    today: NaiveDate,
) -> Result<Written, AppError> {
    let now = now_utc();
    let mut written = Written::default();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        // A building's month closed since the run read it (month end during the 1st's job):
        // looked at again inside the transaction, and its invoices left out.
        let mut closed_now: HashMap<i64, bool> = HashMap::new();
        for inv in batch {
            let closed = match closed_now.get(&inv.building_id) {
                Some(c) => *c,
                None => {
                    let row: Option<i64> = sqlx::query_scalar(
                        "SELECT 1 FROM billing_months WHERE building_id = ? AND month = ? AND closed_at IS NOT NULL",
                    )
                    .bind(inv.building_id)
                    .bind(inv.month.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
                    closed_now.insert(inv.building_id, row.is_some());
                    row.is_some()
                }
            };
            if closed {
                written.closed.push(inv.lease_id);
                continue;
            }
            let total: i64 = inv.lines.iter().map(|l| l.supply + l.vat).sum();
            let status = InvoiceStatus::of(total, 0, inv.due_date, inv.grace_days, today);
            let inserted = sqlx::query(
                "INSERT INTO invoices (lease_id, building_id, tenant_id, month, lease_version, due_date, total, paid, status, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            )
            .bind(inv.lease_id)
            .bind(inv.building_id)
            .bind(inv.tenant_id)
            .bind(inv.month.to_string())
            .bind(inv.lease_version)
            .bind(inv.due_date)
            .bind(total)
            .bind(status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await;
            let invoice = match inserted {
                Ok(r) => r.inserted_id(),
                Err(e) if is_unique_violation(&e) => {
                    written.skipped += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            written.created += 1;
            let values = vec!["(?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"; inv.lines.len()].join(", ");
            let sql = format!(
                "INSERT INTO invoice_lines (invoice_id, position, kind, label, rule, supply, vat, paid, source, refers_to, through_date, created_at) \
                 VALUES {values}"
            );
            let mut q = sqlx::query(&sql);
            for (i, l) in inv.lines.iter().enumerate() {
                q = q
                    .bind(invoice)
                    .bind(i as i64 + 1)
                    .bind(l.kind)
                    .bind(&l.label)
                    .bind(&l.rule)
                    .bind(l.supply)
                    .bind(l.vat)
                    .bind(&l.source)
                    .bind(l.refers_to)
                    .bind(l.through)
                    .bind(now);
            }
            if !inv.lines.is_empty() {
                q.execute(&mut *tx).await?;
            }
            let refunds: i64 = -inv
                .lines
                .iter()
                .map(|l| (l.supply + l.vat).min(0))
                .sum::<i64>();
            if refunds > 0 || inv.tenant_has_credit {
                let ids: Vec<(i64, String, i64, i64)> = sqlx::query_as(
                    "SELECT id, kind, position, supply + vat FROM invoice_lines WHERE invoice_id = ? ORDER BY position",
                )
                .bind(invoice)
                .fetch_all(&mut *tx)
                .await?;
                let mut owed: Vec<Owed> = ids
                    .iter()
                    .filter(|(_, _, _, a)| *a > 0)
                    .map(|(id, kind, pos, a)| Owed {
                        line_id: *id,
                        late_fee: kind == "late_fee",
                        month: inv.month,
                        position: *pos,
                        owed: *a,
                    })
                    .collect();
                if refunds > 0 {
                    // A refund line settles the invoice's own charges first.
                    let (paid, left) = allocate_payment(refunds, &owed);
                    // What the invoice's own charges cannot take becomes the tenant's credit
                    // (a 정정 환급 payment, used by the next invoice in the building); the
                    // refund lines count as settled in full either way.
                    if left > 0 {
                        sqlx::query(
                            "INSERT INTO payments (lease_id, tenant_id, paid_on, amount, method, depositor, memo, unallocated, created_by, created_at) \
                             VALUES (?, ?, ?, ?, 'refund', '', ?, ?, NULL, ?)",
                        )
                        .bind(inv.lease_id)
                        .bind(inv.tenant_id)
                        .bind(today)
                        .bind(left)
                        .bind(format!("{} 청구의 조정 환급 중 청구액을 넘는 금액", inv.month))
                        .bind(left)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    let mut offset = refunds;
                    for (line, amount) in &paid {
                        sqlx::query("UPDATE invoice_lines SET paid = paid + ? WHERE id = ?")
                            .bind(amount)
                            .bind(line)
                            .execute(&mut *tx)
                            .await?;
                        if let Some(o) = owed.iter_mut().find(|o| o.line_id == *line) {
                            o.owed -= amount;
                        }
                    }
                    for (id, _, _, a) in ids.iter().filter(|(_, _, _, a)| *a < 0) {
                        let take = offset.min(-a);
                        offset -= take;
                        sqlx::query("UPDATE invoice_lines SET paid = ? WHERE id = ?")
                            .bind(-take)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                if inv.tenant_has_credit {
                    use_credit!(tx, inv.tenant_id, inv.building_id, invoice, owed);
                }
                refresh_invoice!(tx, invoice, today, Some(today));
            }
        }
        tx.commit().await?;
    });
    Ok(written)
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
        // The lease first, as a payment locks it: one writer at a time on a lease's lines.
        let lease: Option<i64> = sqlx::query_scalar("SELECT lease_id FROM payments WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(lease) = lease {
            lock_row!(tx, "leases", "version", lease);
        }
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
        // The lease first, as a payment locks it: a payment cannot pay this line meanwhile.
        let lease: Option<i64> = sqlx::query_scalar("SELECT lease_id FROM invoices WHERE id = ?")
            .bind(invoice)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(lease) = lease {
            lock_row!(tx, "leases", "version", lease);
        }
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
