//! Every SQL statement of expenses: the month's items of the buildings a user sees, one item,
//! creating, changing, paying and deleting (a mark, never a row gone) with the audit entry and
//! the pay-date event in the same transaction, and copying pinned items into the next month.

use super::{ExpenseInput, ExpenseRow};
use crate::domain::billing::YearMonth;
use crate::server::db::list::Where;
use crate::server::db::{Db, InsertedId, now_utc, to_json};
use crate::server::error::AppError;
use crate::{audit_created, bind_args, db_run, lock_row, write_audit, write_event};
use chrono::NaiveDate;

/// The event a pay date's setting or change writes (the notification issue reads it).
pub const PAY_DATE_EVENT: &str = "expense.pay_date";

const COLUMNS: &str = "e.id, e.building_id, b.name AS building_name, e.month, e.category, e.vendor, e.amount, e.vat, \
     e.pay_date, e.paid_on, e.pinned, e.source_id, e.memo, \
     (SELECT COUNT(*) FROM files f WHERE f.owner_kind = 'expense' AND f.owner_id = e.id) AS files";

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: i64,
    building_id: i64,
    building_name: String,
    month: String,
    category: String,
    vendor: String,
    amount: i64,
    vat: i64,
    pay_date: Option<NaiveDate>,
    paid_on: Option<NaiveDate>,
    pinned: bool,
    source_id: Option<i64>,
    memo: String,
    files: i64,
}

impl From<Row> for ExpenseRow {
    fn from(r: Row) -> Self {
        ExpenseRow {
            id: r.id,
            building_id: r.building_id,
            building_name: r.building_name,
            month: r.month,
            category: r.category,
            vendor: r.vendor,
            amount: r.amount,
            vat: r.vat,
            pay_date: r.pay_date,
            paid_on: r.paid_on,
            pinned: r.pinned,
            source_id: r.source_id,
            memo: r.memo,
            files: r.files,
        }
    }
}

/// At most `limit` items matching `w` (on `e` and `b`), by building, pay date and id.
pub async fn list(db: &Db, w: &Where, limit: u32) -> Result<Vec<ExpenseRow>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM expenses e JOIN buildings b ON b.id = e.building_id {} {} e.deleted_at IS NULL \
         ORDER BY b.name, e.building_id, e.pay_date IS NULL, e.pay_date, e.id LIMIT {limit}",
        w.sql(),
        if w.sql().is_empty() { "WHERE" } else { "AND" }
    );
    let rows: Vec<Row> = db_run!(db, |pool| bind_args!(
        sqlx::query_as::<_, Row>(&sql),
        w.args()
    )
    .fetch_all(pool)
    .await?);
    Ok(rows.into_iter().map(ExpenseRow::from).collect())
}

/// Per category, over every item matching `w` (not only those listed): (category, items,
/// total, paid).
pub async fn totals(db: &Db, w: &Where) -> Result<Vec<(String, i64, i64, i64)>, AppError> {
    let sql = format!(
        "SELECT e.category, COUNT(*), CAST(COALESCE(SUM(e.amount + e.vat), 0) AS SIGNED), \
         CAST(COALESCE(SUM(CASE WHEN e.paid_on IS NULL THEN 0 ELSE e.amount + e.vat END), 0) AS SIGNED) \
         FROM expenses e JOIN buildings b ON b.id = e.building_id {} {} e.deleted_at IS NULL GROUP BY e.category",
        w.sql(),
        if w.sql().is_empty() { "WHERE" } else { "AND" }
    );
    Ok(db_run!(db, |pool| bind_args!(
        sqlx::query_as::<_, (String, i64, i64, i64)>(&sql),
        w.args()
    )
    .fetch_all(pool)
    .await?))
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ExpenseRow>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM expenses e JOIN buildings b ON b.id = e.building_id WHERE e.id = ? AND e.deleted_at IS NULL"
    );
    let row: Option<Row> = db_run!(db, |pool| sqlx::query_as::<_, Row>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?);
    Ok(row.map(ExpenseRow::from))
}

/// Items copied from `id`: (id, month).
pub async fn copies_of(db: &Db, id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as::<_, (i64, String)>(
        "SELECT id, month FROM expenses WHERE source_id = ? AND deleted_at IS NULL ORDER BY month"
    )
    .bind(id)
    .fetch_all(pool)
    .await?))
}

fn snapshot(i: &ExpenseInput) -> serde_json::Value {
    serde_json::json!({
        "building_id": i.building_id,
        "month": i.month.to_string(),
        "category": i.category,
        "vendor": i.vendor,
        "amount": i.amount,
        "vat": i.vat,
        "pay_date": i.pay_date,
        "paid_on": i.paid_on,
        "pinned": i.pinned,
        "memo": i.memo,
    })
}

fn pay_date_payload(
    id: i64,
    building: i64,
    month: &str,
    before: Option<NaiveDate>,
    after: Option<NaiveDate>,
    how: &str,
) -> Result<String, AppError> {
    to_json(&serde_json::json!({
        "expense_id": id,
        "building_id": building,
        "month": month,
        "before": before,
        "after": after,
        "by": how,
    }))
}

pub async fn create(db: &Db, i: &ExpenseInput, by: i64) -> Result<i64, AppError> {
    let now = now_utc();
    let after = to_json(&snapshot(i))?;
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        let id = sqlx::query(
            "INSERT INTO expenses (building_id, month, category, vendor, amount, vat, pay_date, paid_on, pinned, memo, created_by, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(i.building_id)
        .bind(i.month.to_string())
        .bind(&i.category)
        .bind(&i.vendor)
        .bind(i.amount)
        .bind(i.vat)
        .bind(i.pay_date)
        .bind(i.paid_on)
        .bind(i.pinned)
        .bind(&i.memo)
        .bind(by)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .inserted_id();
        audit_created!(tx, now, Some(by), "expense", id, after);
        if i.pay_date.is_some() {
            let payload = pay_date_payload(
                id,
                i.building_id,
                &i.month.to_string(),
                None,
                i.pay_date,
                "user",
            )?;
            write_event!(tx, now, PAY_DATE_EVENT, "expense", id, payload);
        }
        tx.commit().await?;
        Ok(id)
    })
}

type Stored = (
    i64,
    String,
    String,
    String,
    i64,
    i64,
    Option<NaiveDate>,
    Option<NaiveDate>,
    bool,
    String,
);

const STORED: &str = "SELECT building_id, month, category, vendor, amount, vat, pay_date, paid_on, pinned, memo \
     FROM expenses WHERE id = ? AND deleted_at IS NULL";

fn stored_json(s: &Stored) -> serde_json::Value {
    serde_json::json!({
        "building_id": s.0,
        "month": s.1,
        "category": s.2,
        "vendor": s.3,
        "amount": s.4,
        "vat": s.5,
        "pay_date": s.6,
        "paid_on": s.7,
        "pinned": s.8,
        "memo": s.9,
    })
}

/// Changes an item (its building stays); a changed pay date writes the event.
pub async fn update(db: &Db, id: i64, i: &ExpenseInput, by: i64) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "expenses", "updated_at", id);
        let Some(before): Option<Stored> = sqlx::query_as(STORED)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(AppError::Api(crate::domain::ApiError::NotFound));
        };
        sqlx::query(
            "UPDATE expenses SET month = ?, category = ?, vendor = ?, amount = ?, vat = ?, pay_date = ?, paid_on = ?, \
             pinned = ?, memo = ?, updated_at = ? WHERE id = ?",
        )
        .bind(i.month.to_string())
        .bind(&i.category)
        .bind(&i.vendor)
        .bind(i.amount)
        .bind(i.vat)
        .bind(i.pay_date)
        .bind(i.paid_on)
        .bind(i.pinned)
        .bind(&i.memo)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if crate::server::db::is_unique_violation(&e) {
                AppError::field("month", "같은 고정 항목에서 복사한 항목이 그 달에 이미 있습니다.")
            } else {
                e.into()
            }
        })?;
        let b = to_json(&stored_json(&before))?;
        let a = to_json(&snapshot(i))?;
        write_audit!(tx, now, Some(by), "expense", id, "update", Some(b), Some(a));
        if before.6 != i.pay_date {
            let payload = pay_date_payload(
                id,
                before.0,
                &i.month.to_string(),
                before.6,
                i.pay_date,
                "user",
            )?;
            write_event!(tx, now, PAY_DATE_EVENT, "expense", id, payload);
        }
        tx.commit().await?;
        Ok(())
    })
}

/// Marks an item paid on a day, or not paid (`None`).
pub async fn set_paid(
    db: &Db,
    id: i64,
    paid_on: Option<NaiveDate>,
    by: i64,
) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "expenses", "updated_at", id);
        let before: Option<Option<NaiveDate>> =
            sqlx::query_scalar("SELECT paid_on FROM expenses WHERE id = ? AND deleted_at IS NULL")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else {
            return Err(AppError::Api(crate::domain::ApiError::NotFound));
        };
        sqlx::query("UPDATE expenses SET paid_on = ?, updated_at = ? WHERE id = ?")
            .bind(paid_on)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let b = to_json(&serde_json::json!({ "paid_on": before }))?;
        let a = to_json(&serde_json::json!({ "paid_on": paid_on }))?;
        write_audit!(tx, now, Some(by), "expense", id, "update", Some(b), Some(a));
        tx.commit().await?;
        Ok(())
    })
}

/// Deletes an item: marked, with who and why in the audit log; lists leave it out.
pub async fn delete(db: &Db, id: i64, reason: &str, by: i64) -> Result<(), AppError> {
    let now = now_utc();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "expenses", "updated_at", id);
        let Some(before): Option<Stored> = sqlx::query_as(STORED)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(AppError::Api(crate::domain::ApiError::NotFound));
        };
        sqlx::query("UPDATE expenses SET deleted_at = ?, deleted_by = ? WHERE id = ?")
            .bind(now)
            .bind(by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut b = stored_json(&before);
        b["reason"] = serde_json::Value::String(reason.to_string());
        let b = to_json(&b)?;
        crate::audit_deleted!(tx, now, Some(by), "expense", id, b);
        tx.commit().await?;
        Ok(())
    })
}

/// The building of an item (deleted ones too), for visibility checks.
pub async fn building_of(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT building_id FROM expenses WHERE id = ? AND deleted_at IS NULL"
    )
    .bind(id)
    .fetch_optional(pool)
    .await?))
}

/// A pinned item as the copy reads it: id, building, category, vendor, amount, VAT, pay date,
/// memo.
type PinnedRow = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    Option<NaiveDate>,
    String,
);

/// Copies `from`'s pinned items into `to` (unpaid, the pay date a month on, still pinned), once
/// per (item, month) by the unique key whoever runs it and however often; the copies get their
/// audit entry and their pay-date event in the same transaction. Gives (copied, already there).
pub async fn copy_pinned(db: &Db, from: YearMonth, to: YearMonth) -> Result<(i64, i64), AppError> {
    let now = now_utc();
    let pinned: Vec<PinnedRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, building_id, category, vendor, amount, vat, pay_date, memo FROM expenses \
             WHERE month = ? AND pinned = ? AND deleted_at IS NULL ORDER BY id",
        )
        .bind(from.to_string())
        .bind(true)
        .fetch_all(pool)
        .await?
    });
    let (mut copied, mut already) = (0i64, 0i64);
    // In batches: one transaction per 500 items.
    for chunk in pinned.chunks(500) {
        let (c, a) = db_run!(db, |pool| {
            let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
            let (mut c, mut a) = (0i64, 0i64);
            for (source, building, category, vendor, amount, vat, pay_date, memo) in chunk {
                // Unpinned or deleted since it was read: not copied.
                let still: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM expenses WHERE id = ? AND pinned = ? AND deleted_at IS NULL",
                )
                .bind(source)
                .bind(true)
                .fetch_optional(&mut *tx)
                .await?;
                if still.is_none() {
                    continue;
                }
                let pay = pay_date.and_then(super::next_pay_date);
                let inserted = sqlx::query(
                    "INSERT INTO expenses (building_id, month, category, vendor, amount, vat, pay_date, paid_on, pinned, source_id, memo, created_by, created_at, updated_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?, ?)",
                )
                .bind(building)
                .bind(to.to_string())
                .bind(category)
                .bind(vendor)
                .bind(amount)
                .bind(vat)
                .bind(pay)
                .bind(true)
                .bind(source)
                .bind(memo)
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await;
                // The key (source, month) decides: a copy already made, by this run before or by
                // another instance, fails only this statement.
                let id = match inserted {
                    Ok(r) => r.inserted_id(),
                    Err(e) if crate::server::db::is_unique_violation(&e) => {
                        a += 1;
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                };
                c += 1;
                let after = to_json(&serde_json::json!({
                    "building_id": building, "month": to.to_string(), "category": category, "vendor": vendor,
                    "amount": amount, "vat": vat, "pay_date": pay, "pinned": true, "copied_from": source,
                }))?;
                audit_created!(tx, now, None::<i64>, "expense", id, after);
                if pay.is_some() {
                    let payload =
                        pay_date_payload(id, *building, &to.to_string(), None, pay, "pinned_copy")?;
                    write_event!(tx, now, PAY_DATE_EVENT, "expense", id, payload);
                }
            }
            tx.commit().await?;
            Ok::<_, AppError>((c, a))
        })?;
        copied += c;
        already += a;
    }
    Ok((copied, already))
}

/// A building's name and its owner's (client's) name, empty when it has none.
pub async fn building_names(db: &Db, building: i64) -> Result<Option<(String, String)>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, (String, String)>(
        "SELECT b.name, COALESCE(c.name, '') FROM buildings b LEFT JOIN clients c ON c.id = b.client_id WHERE b.id = ?"
    )
    .bind(building)
    .fetch_optional(pool)
    .await?
    }))
}
