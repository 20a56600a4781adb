//! The versioned-record helper: a change of a record that keeps its previous versions (leases,
//! management contracts, and every later record with a history). In one transaction it locks the
//! row, loads it, refuses a stale version, stores the current version in the history, lets the
//! caller check and apply the change, reloads the row, and writes the audit entry and the domain
//! event. It also turns the stored versions into field changes people can read.

use crate::domain::history::{FieldChange, HistoryEntry};
use crate::server::error::AppError;
use crate::server::time::format_seoul_minutes;

/// The SQL of one versioned table, written by its store.
pub struct Versioned {
    /// `entity` in the audit log and the domain events (`lease`, `contract`).
    pub entity: &'static str,
    /// The row by id, with a `version` column (its type implements `Serialize`).
    pub select: &'static str,
    /// A no-op update of the row by id: takes its write lock before it is read.
    pub lock: &'static str,
    /// Inserts `(record id, version, snapshot, change kind, changed by, changed at)`.
    pub history_insert: &'static str,
    /// `(version, snapshot, change_kind, changed_by_name, changed_at)` by record id, newest first.
    pub history_select: &'static str,
}

/// One stored version as read back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub version: i32,
    pub snapshot: String,
    pub change_kind: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

pub const STALE: &str =
    "다른 사용자가 먼저 이 계약을 바꿨습니다. 새로 불러온 뒤 다시 시도해 주세요.";

/// Runs a versioned change: `versioned_change!(db, &SPEC, RowType, id, expected_version, by,
/// "lease.changed", |tx, current, now| { checks and the UPDATE that bumps `version` and sets
/// `updated_at = now` })`; `now` is the change's one timestamp (history, audit, the row). The block
/// may `return Err(..)` to refuse; nothing is then written. The audit action is `update`, the
/// event kind and the history's change kind are the given kind.
#[macro_export]
macro_rules! versioned_change {
    ($db:expr, $spec:expr, $row:ty, $id:expr, $version:expr, $by:expr, $kind:expr,
     |$tx:ident, $current:ident, $now:ident| $apply:block) => {{
        let spec: &$crate::server::db::versioned::Versioned = $spec;
        let now = $crate::server::db::now_utc();
        let id: i64 = $id;
        let kind: &str = $kind;
        let by: Option<i64> = $by;
        $crate::db_run!($db, |pool| {
            let mut $tx = $crate::server::db::BeginWrite::begin_write(pool).await?;
            sqlx::query(spec.lock).bind(id).execute(&mut *$tx).await?;
            let Some($current) = sqlx::query_as::<_, $row>(spec.select)
                .bind(id)
                .fetch_optional(&mut *$tx)
                .await?
            else {
                return Err($crate::domain::ApiError::NotFound.into());
            };
            if $current.version != $version {
                return Err($crate::server::error::AppError::conflict(
                    $crate::server::db::versioned::STALE,
                ));
            }
            let before = $crate::server::db::to_json(&$current)?;
            sqlx::query(spec.history_insert)
                .bind(id)
                .bind($current.version)
                .bind(&before)
                .bind(kind)
                .bind(by)
                .bind(now)
                .execute(&mut *$tx)
                .await?;
            let $now = now;
            $apply
            let updated = sqlx::query_as::<_, $row>(spec.select)
                .bind(id)
                .fetch_one(&mut *$tx)
                .await?;
            let after = $crate::server::db::to_json(&updated)?;
            $crate::write_audit!($tx, now, by, spec.entity, id, "update", Some(&before), Some(&after));
            $crate::write_event!($tx, now, kind, spec.entity, id, &after);
            $tx.commit().await?;
            Ok::<(), $crate::server::error::AppError>(())
        })
    }};
}

/// The stored versions of a record, newest first.
pub async fn history(
    db: &super::Db,
    spec: &Versioned,
    id: i64,
) -> Result<Vec<HistoryRow>, AppError> {
    Ok(crate::db_run!(db, |pool| sqlx::query_as::<_, HistoryRow>(
        spec.history_select
    )
    .bind(id)
    .fetch_all(pool)
    .await?))
}

/// History entries (newest first) as field changes, each version against the one after it;
/// `fields` names the fields people care about, `show` prints a value.
pub fn history_entries(
    current: serde_json::Value,
    rows: Vec<HistoryRow>,
    fields: &[(&str, &str)],
    show: impl Fn(&str, &serde_json::Value) -> String,
) -> Result<Vec<HistoryEntry>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut newer = current;
    for h in rows {
        let older: serde_json::Value =
            serde_json::from_str(&h.snapshot).map_err(|e| AppError::internal(e.to_string()))?;
        let changes = fields
            .iter()
            .filter(|(f, _)| older.get(f) != newer.get(f))
            .map(|(f, label)| FieldChange {
                field: label.to_string(),
                before: show(f, older.get(f).unwrap_or(&serde_json::Value::Null)),
                after: show(f, newer.get(f).unwrap_or(&serde_json::Value::Null)),
            })
            .collect();
        out.push(HistoryEntry {
            version: i64::from(h.version),
            change_kind: h.change_kind,
            changed_by: h.changed_by_name,
            changed_at: format_seoul_minutes(h.changed_at),
            changes,
        });
        newer = older;
    }
    Ok(out)
}
