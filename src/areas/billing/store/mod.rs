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
#[macro_export]
macro_rules! refresh_invoice {
    ($tx:expr, $invoice:expr, $today:expr, $paid_on:expr) => {{
        let (total, paid, due, grace, was_paid_on): (
            i64,
            i64,
            chrono::NaiveDate,
            i32,
            Option<chrono::NaiveDate>,
        ) = sqlx::query_as(
            "SELECT CAST(COALESCE((SELECT SUM(supply + vat) FROM invoice_lines WHERE invoice_id = i.id AND waived_at IS NULL), 0) AS SIGNED), \
             CAST(COALESCE((SELECT SUM(paid) FROM invoice_lines WHERE invoice_id = i.id), 0) AS SIGNED), i.due_date, l.grace_days, i.paid_on \
             FROM invoices i JOIN leases l ON l.id = i.lease_id WHERE i.id = ?",
        )
        .bind($invoice)
        .fetch_one(&mut *$tx)
        .await?;
        let status = $crate::domain::billing::InvoiceStatus::of(
            total,
            paid,
            due,
            grace.max(0) as u32,
            $today,
        );
        let paid_on: Option<chrono::NaiveDate> =
            if status == $crate::domain::billing::InvoiceStatus::Paid {
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

/// A utility amount a new invoice should carry.
struct UtilityDue {
    month: String,
    kind: String,
    label: String,
    rule: String,
    amount: i64,
    billed: i64,
}

/// A new invoice's utility lines: the month's shares, and the differences of earlier months'
/// shares changed after they were billed (adjustments).
fn utility_lines(lease: i64, month: YearMonth, due: &[UtilityDue]) -> Vec<NewLine> {
    let this = month.to_string();
    due.iter()
        .filter_map(|d| {
            if d.month == this {
                (d.amount != 0).then(|| NewLine {
                    kind: "utility",
                    label: d.label.clone(),
                    rule: d.rule.clone(),
                    supply: d.amount,
                    vat: 0,
                    source: Some(utility_source(lease, &d.month, &d.kind)),
                    refers_to: None,
                    through: None,
                })
            } else {
                let diff = d.amount - d.billed;
                (diff != 0).then(|| NewLine {
                    kind: "adjustment",
                    label: format!("조정: {} {} 사용분", d.month, d.label),
                    rule: format!(
                        "{} 마감 후 {} 배분이 바뀌어 차액을 조정합니다: 청구 {} → {}",
                        d.month,
                        d.label,
                        crate::domain::money::format_won(d.billed),
                        crate::domain::money::format_won(d.amount)
                    ),
                    supply: diff,
                    vat: 0,
                    source: Some(format!(
                        "{}g{this}",
                        utility_adjustment_prefix(lease, &d.month, &d.kind)
                    )),
                    refers_to: None,
                    through: None,
                })
            }
        })
        .collect()
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
    let locking = locking_read(db);
    let month = batch
        .first()
        .map(|i| i.month.to_string())
        .unwrap_or_default();
    let lease_ids: Vec<i64> = batch.iter().map(|i| i.lease_id).collect();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        // Utility shares of the month, and changes to earlier months' shares after they were
        // billed, read and locked with the invoices they go on.
        let mut utility: HashMap<i64, Vec<UtilityDue>> = HashMap::new();
        for (lease, month, kind, label, rule, amount, billed) in
            crate::utility_due_for_batch!(tx, locking, lease_ids, &month)
        {
            utility.entry(lease).or_default().push(UtilityDue {
                month,
                kind,
                label,
                rule,
                amount,
                billed,
            });
        }
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
            let due = utility.remove(&inv.lease_id).unwrap_or_default();
            let mut lines = inv.lines.clone();
            lines.extend(utility_lines(inv.lease_id, inv.month, &due));
            let total: i64 = lines.iter().map(|l| l.supply + l.vat).sum();
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
            for d in &due {
                sqlx::query(
                    "UPDATE utility_charges SET billed = ? WHERE lease_id = ? AND month = ? AND kind = ?",
                )
                .bind(d.amount)
                .bind(inv.lease_id)
                .bind(&d.month)
                .bind(&d.kind)
                .execute(&mut *tx)
                .await?;
            }
            let values = vec!["(?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"; lines.len()].join(", ");
            let sql = format!(
                "INSERT INTO invoice_lines (invoice_id, position, kind, label, rule, supply, vat, paid, source, refers_to, through_date, created_at) \
                 VALUES {values}"
            );
            let mut q = sqlx::query(&sql);
            for (i, l) in lines.iter().enumerate() {
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
            if !lines.is_empty() {
                q.execute(&mut *tx).await?;
            }
            let refunds: i64 = -lines.iter().map(|l| (l.supply + l.vat).min(0)).sum::<i64>();
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

mod payments;
mod utility;
mod views;
pub use payments::*;
pub use utility::*;
pub use views::*;
