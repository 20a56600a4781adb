//! The one audit writer and the one domain-event writer. Both run inside the caller's
//! transaction, so an entry exists exactly when the change it describes was committed.

/// Writes one audit entry: `(tx, at, by, entity, entity id, action, before json, after json)`.
#[macro_export]
macro_rules! write_audit {
    ($tx:expr, $at:expr, $by:expr, $entity:expr, $id:expr, $action:expr, $before:expr, $after:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind($at)
        .bind($by)
        .bind($entity)
        .bind($id)
        .bind($action)
        .bind($before)
        .bind($after)
        .execute(&mut *$tx)
        .await?
    };
}

/// Writes the audit entry of a record just created: `(tx, at, by, entity, id, after json)`.
#[macro_export]
macro_rules! audit_created {
    ($tx:expr, $at:expr, $by:expr, $entity:expr, $id:expr, $after:expr) => {
        $crate::write_audit!(
            $tx,
            $at,
            $by,
            $entity,
            $id,
            "create",
            None::<String>,
            Some($after)
        )
    };
}

/// Writes the audit entry of a record just deleted: `(tx, at, by, entity, id, before json)`.
#[macro_export]
macro_rules! audit_deleted {
    ($tx:expr, $at:expr, $by:expr, $entity:expr, $id:expr, $before:expr) => {
        $crate::write_audit!(
            $tx,
            $at,
            $by,
            $entity,
            $id,
            "delete",
            Some($before),
            None::<String>
        )
    };
}

/// Writes one domain event for the work that follows a change (notifications):
/// `(tx, at, kind, entity, entity id, payload json)`.
#[macro_export]
macro_rules! write_event {
    ($tx:expr, $at:expr, $kind:expr, $entity:expr, $id:expr, $payload:expr) => {
        sqlx::query(
            "INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind($kind)
        .bind($entity)
        .bind($id)
        .bind($payload)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

/// How many audit entries a record has (the tests and the audit view count them).
pub async fn count(
    db: &super::Db,
    entity: &str,
    entity_id: i64,
) -> Result<i64, crate::server::error::AppError> {
    Ok(crate::db_run!(db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE entity = ? AND entity_id = ?"
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_one(pool)
    .await?))
}
