//! Utility charges on invoices. Utilities splits a building's bill and says what each lease owes
//! for a kind and month (`utility_charges.amount`); billing carries it onto invoices and keeps
//! how much of it they carry (`billed`):
//! - while the month is open, as the line `util:<lease>:<month>:<kind>` on that month's invoice
//!   (written by generation, or changed in place when the split changes);
//! - after the month closed, as adjustment lines `utiladj:<lease>:<month>:<kind>:…` on the
//!   lease's next open invoice, or on the next invoice generated.
//!
//! A line lowered below what was paid on it gives the difference back to the payments it came
//! from (the tenant's credit in the building, used by the next invoice).

use super::*;

/// The source key of a lease's utility line for a kind and month.
pub fn utility_source(lease: i64, month: &str, kind: &str) -> String {
    format!("util:{lease}:{month}:{kind}")
}

/// The prefix of the source keys of adjustment lines for a lease's kind and month.
pub fn utility_adjustment_prefix(lease: i64, month: &str, kind: &str) -> String {
    format!("utiladj:{lease}:{month}:{kind}:")
}

/// What a lease owes for a kind and month, as utilities' split says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtilityCharge {
    pub lease_id: i64,
    pub building_id: i64,
    pub month: YearMonth,
    pub kind: String,
    /// The kind's name on the bill ("전기").
    pub label: String,
    pub amount: i64,
    /// How the share was worked out, printed under the line.
    pub rule: String,
}

/// `FOR UPDATE` on MySQL (a locking read sees what other transactions committed last, not the
/// transaction's first snapshot); nothing on SQLite, whose write transaction holds the lock.
pub fn locking_read(db: &Db) -> &'static str {
    match db {
        Db::MySql(_) => " FOR UPDATE",
        Db::Sqlite(_) => "",
    }
}

/// Takes `amount` back from what was paid on a line, newest allocation first, returning it to
/// the payments it came from (their unallocated credit), inside the transaction.
#[macro_export]
macro_rules! release_line_paid {
    ($tx:expr, $line:expr, $amount:expr) => {{
        let allocations: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, payment_id, amount FROM payment_allocations WHERE line_id = ? ORDER BY id DESC",
        )
        .bind($line)
        .fetch_all(&mut *$tx)
        .await?;
        let mut left: i64 = $amount;
        for (id, payment, amount) in allocations {
            if left <= 0 {
                break;
            }
            let take = amount.min(left);
            if take == amount {
                sqlx::query("DELETE FROM payment_allocations WHERE id = ?")
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
            } else {
                sqlx::query("UPDATE payment_allocations SET amount = amount - ? WHERE id = ?")
                    .bind(take)
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
            }
            sqlx::query("UPDATE payments SET unallocated = unallocated + ? WHERE id = ?")
                .bind(take)
                .bind(payment)
                .execute(&mut *$tx)
                .await?;
            left -= take;
        }
        sqlx::query("UPDATE invoice_lines SET paid = paid - ? WHERE id = ?")
            .bind($amount - left)
            .bind($line)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Sets what a lease owes for a kind and month (`$c`: `&UtilityCharge`) and carries the change
/// onto its invoices, inside the caller's transaction (which holds the lease's lock). `$locking`
/// is [`locking_read`]. Evaluates to the ids of the invoices whose lines changed.
#[macro_export]
macro_rules! sync_utility_charge {
    ($tx:expr, $locking:expr, $c:expr, $today:expr, $now:expr) => {{
        let c: &$crate::areas::billing::store::UtilityCharge = $c;
        let m = c.month.to_string();
        let mut touched: Vec<i64> = Vec::new();
        let was: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT billed FROM utility_charges WHERE lease_id = ? AND month = ? AND kind = ?{}",
            $locking
        ))
        .bind(c.lease_id)
        .bind(&m)
        .bind(&c.kind)
        .fetch_optional(&mut *$tx)
        .await?;
        if was.is_some() {
            sqlx::query(
                "UPDATE utility_charges SET amount = ?, label = ?, rule = ?, updated_at = ? WHERE lease_id = ? AND month = ? AND kind = ?",
            )
            .bind(c.amount)
            .bind(&c.label)
            .bind(&c.rule)
            .bind($now)
            .bind(c.lease_id)
            .bind(&m)
            .bind(&c.kind)
            .execute(&mut *$tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO utility_charges (lease_id, month, kind, building_id, label, rule, amount, billed, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            )
            .bind(c.lease_id)
            .bind(&m)
            .bind(&c.kind)
            .bind(c.building_id)
            .bind(&c.label)
            .bind(&c.rule)
            .bind(c.amount)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
        let billed = was.unwrap_or(0);
        let mut carried = billed;
        let closed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM billing_months WHERE building_id = ? AND month = ? AND closed_at IS NOT NULL",
        )
        .bind(c.building_id)
        .bind(&m)
        .fetch_one(&mut *$tx)
        .await?;
        let invoice: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM invoices WHERE lease_id = ? AND month = ?{}",
            $locking
        ))
        .bind(c.lease_id)
        .bind(&m)
        .fetch_optional(&mut *$tx)
        .await?;
        let prefix = $crate::areas::billing::store::utility_adjustment_prefix(c.lease_id, &m, &c.kind);
        if let (Some(invoice), 0) = (invoice, closed) {
            // The month is open: its own line carries the amount, less adjustments made while
            // it was closed if it was reopened since (what is billed beyond the line).
            let source = $crate::areas::billing::store::utility_source(c.lease_id, &m, &c.kind);
            let line: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT id, supply, paid FROM invoice_lines WHERE source = ?",
            )
            .bind(&source)
            .fetch_optional(&mut *$tx)
            .await?;
            let adjusted = billed - line.map(|l| l.1).unwrap_or(0);
            let target = c.amount - adjusted;
            match line {
                Some((id, supply, paid)) if supply != target || target <= 0 => {
                    if paid > target.max(0) {
                        $crate::release_line_paid!($tx, id, paid - target.max(0));
                    }
                    if target <= 0 {
                        sqlx::query("DELETE FROM invoice_lines WHERE id = ?")
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                    } else {
                        sqlx::query("UPDATE invoice_lines SET supply = ?, label = ?, rule = ? WHERE id = ?")
                            .bind(target)
                            .bind(&c.label)
                            .bind(&c.rule)
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                    }
                    touched.push(invoice);
                }
                None if target > 0 => {
                    sqlx::query(
                        "INSERT INTO invoice_lines (invoice_id, position, kind, label, rule, supply, vat, paid, source, created_at) \
                         SELECT ?, COALESCE(MAX(position), 0) + 1, 'utility', ?, ?, ?, 0, 0, ?, ? FROM invoice_lines WHERE invoice_id = ?",
                    )
                    .bind(invoice)
                    .bind(&c.label)
                    .bind(&c.rule)
                    .bind(target)
                    .bind(&source)
                    .bind($now)
                    .bind(invoice)
                    .execute(&mut *$tx)
                    .await?;
                    touched.push(invoice);
                }
                _ => {}
            }
            carried = adjusted + target.max(0);
        } else if closed > 0 && c.amount != billed {
            // Closed: the difference goes on the lease's next open invoice, if there is one
            // (otherwise the next invoice generated carries it).
            let diff = c.amount - billed;
            let next: Option<(i64, i64, i64)> = sqlx::query_as(&format!(
                "SELECT i.id, i.total, i.paid FROM invoices i WHERE i.lease_id = ? AND i.month > ? \
                 AND NOT EXISTS (SELECT 1 FROM billing_months bm WHERE bm.building_id = i.building_id AND bm.month = i.month AND bm.closed_at IS NOT NULL) \
                 ORDER BY i.month LIMIT 1{}",
                $locking
            ))
            .bind(c.lease_id)
            .bind(&m)
            .fetch_optional(&mut *$tx)
            .await?;
            // A reduction the invoice cannot take (its total would fall below what was paid
            // on it) waits for the next invoice, where it settles as a refund.
            if let Some((next, total, paid)) = next.filter(|(_, t, p)| t + diff >= *p) {
                let _ = (total, paid);
                let open_line: Option<(i64, i64)> = sqlx::query_as(
                    "SELECT id, supply FROM invoice_lines WHERE invoice_id = ? AND source LIKE ? AND paid = 0 ORDER BY id DESC LIMIT 1",
                )
                .bind(next)
                .bind(format!("{prefix}%"))
                .fetch_optional(&mut *$tx)
                .await?;
                let before = format!("{} {} ", c.month, c.label);
                let rule = format!(
                    "{}월 마감 후 {} 배분이 바뀌어 차액을 조정합니다: 청구 {} → {}",
                    c.month.month,
                    c.label,
                    $crate::domain::money::format_won(billed),
                    $crate::domain::money::format_won(c.amount)
                );
                match open_line {
                    Some((id, supply)) if supply + diff == 0 => {
                        sqlx::query("DELETE FROM invoice_lines WHERE id = ?")
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                    }
                    Some((id, supply)) => {
                        sqlx::query("UPDATE invoice_lines SET supply = ?, rule = ? WHERE id = ?")
                            .bind(supply + diff)
                            .bind(&rule)
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                    }
                    None => {
                        let n: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = ? AND source LIKE ?",
                        )
                        .bind(next)
                        .bind(format!("{prefix}%"))
                        .fetch_one(&mut *$tx)
                        .await?;
                        sqlx::query(
                            "INSERT INTO invoice_lines (invoice_id, position, kind, label, rule, supply, vat, paid, source, refers_to, created_at) \
                             SELECT ?, COALESCE(MAX(position), 0) + 1, 'adjustment', ?, ?, ?, 0, 0, ?, ?, ? FROM invoice_lines WHERE invoice_id = ?",
                        )
                        .bind(next)
                        .bind(format!("조정: {}사용분", before))
                        .bind(&rule)
                        .bind(diff)
                        .bind(format!("{prefix}{next}:{}", n + 1))
                        .bind(invoice)
                        .bind($now)
                        .bind(next)
                        .execute(&mut *$tx)
                        .await?;
                    }
                }
                touched.push(next);
                carried = c.amount;
            }
        }
        if carried != billed {
            sqlx::query(
                "UPDATE utility_charges SET billed = ? WHERE lease_id = ? AND month = ? AND kind = ?",
            )
            .bind(carried)
            .bind(c.lease_id)
            .bind(&m)
            .bind(&c.kind)
            .execute(&mut *$tx)
            .await?;
        }
        for invoice in &touched {
            $crate::refresh_invoice!($tx, *invoice, $today, Some($today));
        }
        touched
    }};
}

/// What a batch's leases owe for utilities that their new invoices should carry: (lease, month,
/// kind, label, amount, billed) for the invoice's own month, and for earlier months whose amount
/// changed after it was billed. Read and locked inside the batch's transaction.
#[macro_export]
macro_rules! utility_due_for_batch {
    ($tx:expr, $locking:expr, $leases:expr, $month:expr) => {{
        let ids = $leases
            .iter()
            .map(|l: &i64| l.to_string())
            .collect::<Vec<_>>()
            .join(",");
        if ids.is_empty() {
            Vec::new()
        } else {
            let rows: Vec<(i64, String, String, String, String, i64, i64)> = sqlx::query_as(&format!(
                "SELECT lease_id, month, kind, label, rule, amount, billed FROM utility_charges \
                 WHERE lease_id IN ({ids}) AND (month = ? OR (month < ? AND amount <> billed)) \
                 ORDER BY lease_id, month, kind{}",
                $locking
            ))
            .bind($month)
            .bind($month)
            .fetch_all(&mut *$tx)
            .await?;
            rows
        }
    }};
}
