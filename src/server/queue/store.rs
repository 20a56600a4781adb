//! The queue's SQL. On SQLite (one writer at a time) a fan-out or a claim is one
//! `UPDATE … RETURNING` over the oldest ready rows; on MySQL/MariaDB the rows are picked with
//! `SELECT … FOR UPDATE SKIP LOCKED` and updated in the same transaction, so instances claiming
//! at once never wait on, nor take, each other's rows. Each claim carries a token (the instance
//! and a sequence number) that the item's end must match: an item freed by the reaper and
//! claimed again elsewhere cannot be finished by its old holder.

use super::{ConsumerDef, Event, MAX_ATTEMPTS, backoff};
use crate::db_run;
use crate::server::db::Db;
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

/// Events fanned out per transaction.
pub const FAN_OUT_BATCH: i64 = 500;

/// "?, ?, ?" for `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn at_plus(now: DateTime<Utc>, d: std::time::Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::seconds(60))
}

/// Fans out up to [`FAN_OUT_BATCH`] events not yet fanned out: one pending work item per
/// (consumer that wants the kind, event), and the events marked, in one transaction. Returns
/// how many events it took. Events no consumer wants are only marked.
pub async fn fan_out(
    db: &Db,
    consumers: &[ConsumerDef],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let events: Vec<(i64, String)> = db_run!(
        db,
        sqlite | pool | {
            let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
            let events: Vec<(i64, String)> = sqlx::query_as(
                "UPDATE domain_events SET processed_at = ? WHERE id IN \
                 (SELECT id FROM domain_events WHERE processed_at IS NULL ORDER BY id LIMIT ?) \
                 RETURNING id, kind",
            )
            .bind(now)
            .bind(FAN_OUT_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            for chunk in items_for(&events, consumers).chunks(100) {
                let sql = insert_items_sql("INSERT OR IGNORE", chunk.len());
                let mut q = sqlx::query(&sql);
                for (consumer, event) in chunk {
                    q = q.bind(*consumer).bind(*event).bind(now).bind(now).bind(now);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            events
        },
        mysql | pool | {
            let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
            let events: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, kind FROM domain_events WHERE processed_at IS NULL ORDER BY id LIMIT ? \
                 FOR UPDATE SKIP LOCKED",
            )
            .bind(FAN_OUT_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            if !events.is_empty() {
                for chunk in items_for(&events, consumers).chunks(100) {
                    let sql = insert_items_sql("INSERT IGNORE", chunk.len());
                    let mut q = sqlx::query(&sql);
                    for (consumer, event) in chunk {
                        q = q.bind(*consumer).bind(*event).bind(now).bind(now).bind(now);
                    }
                    q.execute(&mut *tx).await?;
                }
                let sql = format!(
                    "UPDATE domain_events SET processed_at = ? WHERE id IN ({})",
                    marks(events.len())
                );
                let mut q = sqlx::query(&sql).bind(now);
                for (id, _) in &events {
                    q = q.bind(id);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            events
        }
    );
    Ok(events.len())
}

/// `INSERT [OR] IGNORE` of `n` pending work items (consumer, event id, then now three times).
fn insert_items_sql(insert_ignore: &str, n: usize) -> String {
    format!(
        "{insert_ignore} INTO work_items (consumer, event_id, status, attempts, run_after, last_error, created_at, updated_at) VALUES {}",
        vec!["(?, ?, 'pending', 0, ?, '', ?, ?)"; n].join(", ")
    )
}

fn items_for<'a>(events: &[(i64, String)], consumers: &'a [ConsumerDef]) -> Vec<(&'a str, i64)> {
    let mut items = Vec::new();
    for (id, kind) in events {
        for c in consumers.iter().filter(|c| c.wants(kind)) {
            items.push((c.name, *id));
        }
    }
    items
}

/// A work item claimed by this instance.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub consumer: String,
    /// This attempt's number (1 for the first).
    pub attempts: i64,
    pub event: Event,
}

type EventRow = (
    i64,
    String,
    i64,
    i64,
    String,
    String,
    i64,
    String,
    DateTime<Utc>,
);

/// Claims up to `limit` ready items (pending, or failed and past their backoff), oldest first,
/// for `token` until `until`.
pub async fn claim(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claimed>, AppError> {
    const EVENTS: &str = "SELECT w.id, w.consumer, w.attempts, e.id, e.kind, e.entity, e.entity_id, e.payload, e.created_at \
         FROM work_items w JOIN domain_events e ON e.id = w.event_id WHERE w.claimed_by = ? AND w.status = 'running' ORDER BY w.id";
    let rows: Vec<EventRow> = db_run!(
        db,
        sqlite
            | pool
            | {
                let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
                let n = sqlx::query(
                "UPDATE work_items SET status = 'running', claimed_by = ?, claim_until = ?, attempts = attempts + 1, updated_at = ? \
                 WHERE id IN (SELECT id FROM work_items WHERE status IN ('pending', 'failed') AND run_after <= ? ORDER BY id LIMIT ?)",
            )
            .bind(token)
            .bind(until)
            .bind(now)
            .bind(now)
            .bind(limit)
            .execute(&mut *tx)
            .await?
            .rows_affected();
                let rows = if n == 0 {
                    Vec::new()
                } else {
                    sqlx::query_as(EVENTS)
                        .bind(token)
                        .fetch_all(&mut *tx)
                        .await?
                };
                tx.commit().await?;
                rows
            },
        mysql
            | pool
            | {
                let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
                // One status at a time, in the index's own order (status, run_after, id): InnoDB
                // then reads and locks only the rows it returns, and other instances skip just
                // those. (`status IN (…) ORDER BY id` would sort all ready rows, locking them all.)
                let mut ids: Vec<i64> = Vec::new();
                for status in ["pending", "failed"] {
                    let room = limit - ids.len() as i64;
                    if room <= 0 {
                        break;
                    }
                    let more: Vec<i64> = sqlx::query_scalar(
                        "SELECT id FROM work_items WHERE status = ? AND run_after <= ? \
                     ORDER BY run_after, id LIMIT ? FOR UPDATE SKIP LOCKED",
                    )
                    .bind(status)
                    .bind(now)
                    .bind(room)
                    .fetch_all(&mut *tx)
                    .await?;
                    ids.extend(more);
                }
                let rows = if ids.is_empty() {
                    Vec::new()
                } else {
                    let sql = format!(
                        "UPDATE work_items SET status = 'running', claimed_by = ?, claim_until = ?, attempts = attempts + 1, updated_at = ? \
                     WHERE id IN ({})",
                        marks(ids.len())
                    );
                    let mut q = sqlx::query(&sql).bind(token).bind(until).bind(now);
                    for id in &ids {
                        q = q.bind(id);
                    }
                    q.execute(&mut *tx).await?;
                    sqlx::query_as(EVENTS)
                        .bind(token)
                        .fetch_all(&mut *tx)
                        .await?
                };
                tx.commit().await?;
                rows
            }
    );
    Ok(rows
        .into_iter()
        .map(
            |(id, consumer, attempts, eid, kind, entity, entity_id, payload, created_at)| Claimed {
                id,
                consumer,
                attempts,
                event: Event {
                    id: eid,
                    kind,
                    entity,
                    entity_id,
                    payload,
                    created_at,
                },
            },
        )
        .collect())
}

/// Keeps the items still held under `token` for longer (a slow batch).
pub async fn renew(db: &Db, token: &str, until: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query(
        "UPDATE work_items SET claim_until = ? WHERE claimed_by = ? AND status = 'running'"
    )
    .bind(until)
    .bind(token)
    .execute(pool)
    .await?
    .rows_affected()))
}

/// Marks handled the items `ids` still held under `token`; returns how many it marked.
pub async fn complete(
    db: &Db,
    token: &str,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE work_items SET status = 'done', done_at = ?, updated_at = ?, claimed_by = NULL, claim_until = NULL \
         WHERE claimed_by = ? AND status = 'running' AND id IN ({})",
        marks(ids.len())
    );
    Ok(db_run!(db, |pool| {
        let mut q = sqlx::query(&sql).bind(now).bind(now).bind(token);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(pool).await?.rows_affected()
    }))
}

/// Records a failed attempt of item `id` (held under `token`, attempt `attempts`): retried after
/// the backoff, or dead after [`MAX_ATTEMPTS`]. Returns whether it is now dead.
pub async fn fail(
    db: &Db,
    token: &str,
    id: i64,
    attempts: i64,
    error: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let dead = attempts >= MAX_ATTEMPTS;
    let status = if dead { "dead" } else { "failed" };
    let run_after = at_plus(now, backoff(attempts));
    let error: String = error.chars().take(2000).collect();
    db_run!(db, |pool| {
        sqlx::query(
        "UPDATE work_items SET status = ?, run_after = ?, last_error = ?, updated_at = ?, claimed_by = NULL, claim_until = NULL \
         WHERE id = ? AND claimed_by = ? AND status = 'running'"
    )
    .bind(status)
    .bind(run_after)
    .bind(&error)
    .bind(now)
    .bind(id)
    .bind(token)
    .execute(pool)
    .await?;
    });
    Ok(dead)
}

/// The reaper: items whose holder's claim has passed (its instance died or hung) count as a
/// failed attempt and are ready again at once (or dead after [`MAX_ATTEMPTS`]). Returns how many
/// it freed.
pub async fn reap(db: &Db, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query(
        "UPDATE work_items SET status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'failed' END, \
         run_after = ?, last_error = ?, updated_at = ?, claimed_by = NULL, claim_until = NULL \
         WHERE status = 'running' AND claim_until < ?"
    )
    .bind(MAX_ATTEMPTS)
    .bind(now)
    .bind("처리하던 서버가 응답 없이 멈춰 다시 처리합니다.")
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected()))
}

/// Whether any item is ready now or any event waits to be fanned out (the worker's "more to do").
pub async fn has_ready(db: &Db, now: DateTime<Utc>) -> Result<bool, AppError> {
    let n: i64 = db_run!(db, |pool| {
        sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM domain_events WHERE processed_at IS NULL LIMIT 1) a) \
              + (SELECT COUNT(*) FROM (SELECT 1 FROM work_items WHERE status IN ('pending', 'failed') AND run_after <= ? LIMIT 1) b)"
    )
    .bind(now)
    .fetch_one(pool)
    .await?
    });
    Ok(n > 0)
}

/// Counts per (consumer, status), for the admin page.
pub async fn counts(db: &Db) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT consumer, status, COUNT(*) FROM work_items GROUP BY consumer, status ORDER BY consumer, status"
    )
    .fetch_all(pool)
    .await?
    }))
}

/// Events written but not yet fanned out.
pub async fn undispatched(db: &Db) -> Result<i64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM domain_events WHERE processed_at IS NULL"
    )
    .fetch_one(pool)
    .await?))
}

/// A work item as the admin page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub consumer: String,
    pub status: String,
    pub attempts: i64,
    pub run_after: DateTime<Utc>,
    pub last_error: String,
    pub updated_at: DateTime<Utc>,
    pub kind: String,
    pub entity: String,
    pub entity_id: i64,
    pub event_at: DateTime<Utc>,
}

/// The newest items in `statuses` (failed, dead, running), newest first.
pub async fn items(db: &Db, statuses: &[&str], limit: i64) -> Result<Vec<ItemRow>, AppError> {
    let sql = format!(
        "SELECT w.id, w.consumer, w.status, w.attempts, w.run_after, w.last_error, w.updated_at, \
         e.kind, e.entity, e.entity_id, e.created_at AS event_at \
         FROM work_items w JOIN domain_events e ON e.id = w.event_id \
         WHERE w.status IN ({}) ORDER BY w.id DESC LIMIT ?",
        marks(statuses.len())
    );
    Ok(db_run!(db, |pool| {
        let mut q = sqlx::query_as::<_, ItemRow>(&sql);
        for s in statuses {
            q = q.bind(*s);
        }
        q.bind(limit).fetch_all(pool).await?
    }))
}

/// An admin's retry: failed or dead items (`id`, or every dead one when `None`) become pending
/// now with a fresh count of attempts, with one audit entry each. Returns how many.
pub async fn retry(
    db: &Db,
    id: Option<i64>,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let (pick, bind): (&str, Option<i64>) = match id {
        Some(id) => (
            "SELECT id, consumer, status, last_error FROM work_items WHERE id = ? AND status IN ('failed', 'dead')",
            Some(id),
        ),
        None => (
            "SELECT id, consumer, status, last_error FROM work_items WHERE status = 'dead' ORDER BY id",
            None,
        ),
    };
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        // Write first, so the read below cannot go stale under a concurrent writer.
        sqlx::query("UPDATE work_items SET id = id WHERE status = 'dead' OR id = ?")
            .bind(id.unwrap_or(0))
            .execute(&mut *tx)
            .await?;
        let mut q = sqlx::query_as::<_, (i64, String, String, String)>(pick);
        if let Some(b) = bind {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&mut *tx).await?;
        for (item, consumer, status, last_error) in &rows {
            sqlx::query(
                "UPDATE work_items SET status = 'pending', attempts = 0, run_after = ?, updated_at = ? WHERE id = ?",
            )
            .bind(now)
            .bind(now)
            .bind(item)
            .execute(&mut *tx)
            .await?;
            let before = serde_json::json!({"consumer": consumer, "status": status, "last_error": last_error}).to_string();
            let after = serde_json::json!({"consumer": consumer, "status": "pending"}).to_string();
            crate::write_audit!(
                tx,
                now,
                by,
                "work_item",
                *item,
                "update",
                Some(before),
                Some(after)
            );
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    })
}

/// Deletes handled items older than `before` (the cleanup job). Returns how many.
pub async fn delete_done_before(db: &Db, before: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(db_run!(db, |pool| sqlx::query(
        "DELETE FROM work_items WHERE status = 'done' AND done_at < ?"
    )
    .bind(before)
    .execute(pool)
    .await?
    .rows_affected()))
}

/// Runs `f` again when the database chose it as a deadlock's victim or its lock wait ran out
/// (MySQL/MariaDB: instances fanning out and claiming at once take gap locks on
/// `work_items`' keys), or SQLite stayed busy: the transaction was rolled back whole, so trying
/// again is safe. Up to five tries, a few milliseconds apart.
pub async fn again_on_conflict<T, F, Fut>(mut f: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let mut tries = 0u64;
    loop {
        match f().await {
            Err(e) if tries < 4 && is_conflict(&e) => {
                tries += 1;
                tracing::debug!(error = %e, tries, "queue statement retried after a lock conflict");
                tokio::time::sleep(std::time::Duration::from_millis(5 * tries)).await;
            }
            other => return other,
        }
    }
}

fn is_conflict(e: &AppError) -> bool {
    let AppError::Database(sqlx::Error::Database(d)) = e else {
        return false;
    };
    if let Some(m) = d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(m.number(), 1213 | 1205);
    }
    // SQLite: SQLITE_BUSY and its extended codes, past the busy timeout.
    matches!(d.code().as_deref(), Some("5" | "261" | "517"))
}
