//! Backups that restore into either backend (README "Backup and restore"). Every table is read
//! in one consistent snapshot (a SQLite read transaction; a MySQL `REPEATABLE READ` transaction
//! started `WITH CONSISTENT SNAPSHOT`) and written as brotli-compressed JSON lines: a header, then
//! per table its sorted column names and one JSON array per row, then a manifest with each
//! table's row count and SHA-256. Values are written the same way from both backends (times as
//! RFC 3339 in UTC, booleans as 0/1), so a SQLite backup restores into MySQL and back, and the
//! checksums of a restored database equal the backup's.

use crate::server::db::{Db, migration_steps};
use crate::server::error::AppError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{Column, Row, TypeInfo, ValueRef};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

pub const FORMAT: &str = "doongji-backup/1";
/// Rows per INSERT statement on restore.
const BATCH: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSummary {
    pub name: String,
    pub rows: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// The last migration applied where the backup was taken.
    pub schema_version: i64,
    pub backend: String,
    pub created_at: String,
    pub tables: Vec<TableSummary>,
}

/// One table as read: column names (sorted) and rows in that column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// Row count and SHA-256 over the rows' JSON, sorted (the order rows come back in differs
    /// between backends; the content does not).
    pub fn summary(&self) -> TableSummary {
        let mut lines: Vec<String> = self
            .rows
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        lines.sort_unstable();
        let mut hash = Sha256::new();
        for column in &self.columns {
            hash.update(column.as_bytes());
            hash.update(b"\t");
        }
        hash.update(b"\n");
        for line in &lines {
            hash.update(line.as_bytes());
            hash.update(b"\n");
        }
        TableSummary {
            name: self.name.clone(),
            rows: self.rows.len() as u64,
            sha256: format!("{:x}", hash.finalize()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A Korean reason the backup cannot be used or made.
    #[error("{0}")]
    Refused(String),
    #[error("데이터베이스 오류: {0}")]
    Database(#[from] sqlx::Error),
    #[error("파일을 읽거나 쓸 수 없습니다: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    App(#[from] AppError),
}

fn refused(reason: impl Into<String>) -> BackupError {
    BackupError::Refused(reason.into())
}

/// The schema version this binary migrates to.
fn schema_version(db: &Db) -> i64 {
    migration_steps(db.backend_name())
        .last()
        .map(|(v, _)| *v)
        .unwrap_or(0)
}

/// The last migration applied to `db` (0 for a database never migrated).
async fn applied_version(db: &Db) -> Result<i64, BackupError> {
    let v: Option<i64> = crate::db_run!(db, |pool| sqlx::query_scalar(
        "SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE"
    )
    .fetch_one(pool)
    .await?);
    Ok(v.unwrap_or(0))
}

/// Every table (but the migrations' own) in one consistent snapshot, sorted by name.
pub async fn snapshot(db: &Db) -> Result<Vec<Table>, BackupError> {
    let mut tables = match db {
        Db::Sqlite(pool) => {
            let mut tx = pool.begin().await?;
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut out = Vec::new();
            for name in names {
                let mut columns: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
                        .bind(&name)
                        .fetch_all(&mut *tx)
                        .await?;
                columns.sort();
                let rows = sqlx::query(&select_sql(&name, &columns, '"'))
                    .fetch_all(&mut *tx)
                    .await?;
                let rows = rows
                    .iter()
                    .map(|r| (0..r.len()).map(|i| sqlite_value(r, i)).collect())
                    .collect::<Result<Vec<Vec<Value>>, _>>()?;
                out.push(Table {
                    name,
                    columns,
                    rows,
                });
            }
            tx.commit().await?;
            out
        }
        Db::MySql(pool) => {
            let mut conn = pool.acquire().await?;
            // Transaction control as plain text (a query without arguments goes unprepared):
            // MySQL refuses it as a prepared statement. Not `raw_sql`, whose future cannot be
            // proven `Send` for the scheduler's tasks.
            use sqlx::Executor;
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .await?;
            conn.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
                .await?;
            let read = read_mysql(&mut conn).await;
            let end = conn.execute("COMMIT").await;
            let out = read?;
            end?;
            out
        }
    };
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(tables)
}

/// Every table of the MySQL database, read on `conn` (inside its snapshot transaction).
async fn read_mysql(conn: &mut sqlx::MySqlConnection) -> Result<Vec<Table>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for name in names {
        let mut columns: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(column_name AS CHAR) FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = ?",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
        columns.sort();
        let rows = sqlx::query(&select_sql(&name, &columns, '`'))
            .fetch_all(&mut *conn)
            .await?;
        let rows = rows
            .iter()
            .map(|r| (0..r.len()).map(|i| mysql_value(r, i)).collect())
            .collect::<Result<Vec<Vec<Value>>, _>>()?;
        out.push(Table {
            name,
            columns,
            rows,
        });
    }
    Ok(out)
}

fn select_sql(table: &str, columns: &[String], quote: char) -> String {
    let list = columns
        .iter()
        .map(|c| format!("{quote}{c}{quote}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("SELECT {list} FROM {quote}{table}{quote}")
}

fn sqlite_value(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_ascii_uppercase();
    Ok(match kind.as_str() {
        "INTEGER" | "INT" | "BIGINT" | "BOOLEAN" => Value::from(row.try_get::<i64, _>(i)?),
        "REAL" | "DOUBLE" | "FLOAT" => Value::from(row.try_get::<f64, _>(i)?),
        "BLOB" => bytes_value(&row.try_get::<Vec<u8>, _>(i)?),
        _ => Value::from(row.try_get::<String, _>(i)?),
    })
}

fn mysql_value(row: &sqlx::mysql::MySqlRow, i: usize) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = row.column(i).type_info().name().to_ascii_uppercase();
    Ok(match kind.as_str() {
        "BOOLEAN" => Value::from(i64::from(row.try_get::<bool, _>(i)?)),
        k if k.contains("INT") => Value::from(row.try_get::<i64, _>(i)?),
        "DOUBLE" | "FLOAT" | "DECIMAL" => Value::from(row.try_get::<f64, _>(i)?),
        "DATETIME" | "TIMESTAMP" => Value::from(
            row.try_get::<chrono::DateTime<chrono::Utc>, _>(i)?
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        ),
        "DATE" => Value::from(row.try_get::<chrono::NaiveDate, _>(i)?.to_string()),
        "BLOB" | "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB" | "BINARY" | "VARBINARY" => {
            bytes_value(&row.try_get::<Vec<u8>, _>(i)?)
        }
        _ => Value::from(row.try_get::<String, _>(i)?),
    })
}

fn bytes_value(bytes: &[u8]) -> Value {
    use base64::Engine;
    serde_json::json!({ "base64": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

/// Writes a backup of `db` to `out`, finished; returns its manifest and `out` (for the caller
/// to flush and sync).
pub async fn write<W: Write>(db: &Db, out: W) -> Result<(Manifest, W), BackupError> {
    let tables = snapshot(db).await?;
    let manifest = Manifest {
        format: FORMAT.to_string(),
        schema_version: applied_version(db).await?,
        backend: db.backend_name().to_string(),
        created_at: crate::server::db::now_utc().to_rfc3339(),
        tables: tables.iter().map(Table::summary).collect(),
    };
    let mut w = brotli::CompressorWriter::new(out, 64 * 1024, 5, 22);
    let line = |w: &mut dyn Write, v: &Value| -> std::io::Result<()> {
        serde_json::to_writer(&mut *w, v)?;
        w.write_all(b"\n")
    };
    line(
        &mut w,
        &serde_json::json!({ "format": FORMAT, "schema_version": manifest.schema_version }),
    )?;
    for t in &tables {
        line(
            &mut w,
            &serde_json::json!({ "table": t.name, "columns": t.columns }),
        )?;
        for r in &t.rows {
            line(&mut w, &Value::Array(r.clone()))?;
        }
    }
    line(&mut w, &serde_json::json!({ "manifest": manifest }))?;
    w.flush()?;
    // Ends the brotli stream; a failed write shows when the caller flushes what it got back.
    let out = w.into_inner();
    Ok((manifest, out))
}

/// Reads a backup and checks it whole: format, every table's rows against the manifest's count
/// and checksum. Nothing is written anywhere.
pub fn read(input: impl std::io::Read) -> Result<(Manifest, Vec<Table>), BackupError> {
    let damaged = |why: &str| {
        refused(format!(
            "백업 파일이 손상되었거나 둥지 백업이 아닙니다 ({why})."
        ))
    };
    let reader = std::io::BufReader::new(brotli::Decompressor::new(input, 64 * 1024));
    let mut lines = reader.lines();
    let header: Value = match lines.next() {
        Some(Ok(l)) => serde_json::from_str(&l).map_err(|_| damaged("머리글"))?,
        _ => return Err(damaged("머리글")),
    };
    if header.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(damaged("형식"));
    }
    let mut tables: Vec<Table> = Vec::new();
    let mut manifest: Option<Manifest> = None;
    for line in lines {
        let line = line.map_err(|_| damaged("압축"))?;
        let v: Value = serde_json::from_str(&line).map_err(|_| damaged("내용"))?;
        match v {
            Value::Array(row) => {
                let t = tables.last_mut().ok_or_else(|| damaged("표 없이 행"))?;
                if row.len() != t.columns.len() {
                    return Err(damaged(&format!("표 {}의 열 수", t.name)));
                }
                t.rows.push(row);
            }
            Value::Object(o) if o.contains_key("manifest") => {
                manifest = Some(
                    serde_json::from_value(o["manifest"].clone()).map_err(|_| damaged("목록"))?,
                );
            }
            Value::Object(o) => {
                let name = o
                    .get("table")
                    .and_then(Value::as_str)
                    .ok_or_else(|| damaged("표"))?;
                let columns: Vec<String> =
                    serde_json::from_value(o.get("columns").cloned().unwrap_or(Value::Null))
                        .map_err(|_| damaged("열"))?;
                tables.push(Table {
                    name: name.to_string(),
                    columns,
                    rows: Vec::new(),
                });
            }
            _ => return Err(damaged("내용")),
        }
    }
    let manifest = manifest.ok_or_else(|| damaged("목록이 없음: 끝까지 쓰이지 않은 파일"))?;
    if header.get("schema_version").and_then(Value::as_i64) != Some(manifest.schema_version) {
        return Err(damaged("스키마 버전"));
    }
    if manifest.tables.len() != tables.len() {
        return Err(damaged("표 수"));
    }
    for (expected, t) in manifest.tables.iter().zip(&tables) {
        let got = t.summary();
        if got.name != expected.name || got.rows != expected.rows {
            return Err(damaged(&format!("표 {}의 행 수", expected.name)));
        }
        if got.sha256 != expected.sha256 {
            return Err(damaged(&format!("표 {}의 검사값", expected.name)));
        }
    }
    Ok((manifest, tables))
}

/// Restores a checked backup into `db`, which must be migrated to the same schema and empty.
/// All rows go in one transaction with foreign keys checked at the end (SQLite) or the load
/// trusted as a whole (MySQL, as its own dump tools do).
pub async fn restore(db: &Db, manifest: &Manifest, tables: &[Table]) -> Result<(), BackupError> {
    let ours = schema_version(db);
    if manifest.schema_version != ours {
        return Err(refused(format!(
            "백업의 스키마 버전({})이 이 프로그램의 버전({ours})과 다릅니다. 같은 버전의 둥지로 복원해 주세요.",
            manifest.schema_version
        )));
    }
    let existing = snapshot_columns(db).await?;
    for t in tables {
        let Some(columns) = existing.get(&t.name) else {
            return Err(refused(format!(
                "이 데이터베이스에는 표 {}가 없습니다.",
                t.name
            )));
        };
        let names: Vec<&String> = columns.keys().collect();
        if names != t.columns.iter().collect::<Vec<_>>() {
            return Err(refused(format!("표 {}의 열이 백업과 다릅니다.", t.name)));
        }
    }
    for name in existing.keys() {
        let n: i64 = crate::db_run!(db, |pool| sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {name}"
        ))
        .fetch_one(pool)
        .await?);
        if n > 0 {
            return Err(refused(format!(
                "빈 데이터베이스에만 복원할 수 있습니다 (표 {name}에 {n}행이 있습니다)."
            )));
        }
    }
    match db {
        Db::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            // Never back into the pool with foreign keys off, whatever happens below.
            conn.close_on_drop();
            sqlx::raw_sql("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await?;
            let load = async {
                sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await?;
                for t in tables {
                    for chunk in t.rows.chunks(BATCH) {
                        let sql = insert_sql(&t.name, &t.columns, chunk.len(), '"');
                        let mut q = sqlx::query(&sql);
                        for row in chunk {
                            for v in row {
                                q = bind_sqlite(q, v);
                            }
                        }
                        q.execute(&mut *conn).await?;
                    }
                }
                let broken: Vec<(String,)> =
                    sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                        .fetch_all(&mut *conn)
                        .await?;
                if let Some((table,)) = broken.first() {
                    return Err(refused(format!(
                        "백업의 표 {table}에 없는 기록을 가리키는 행이 있습니다."
                    )));
                }
                sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
                Ok::<(), BackupError>(())
            }
            .await;
            if load.is_err() {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            }
            load
        }
        Db::MySql(pool) => {
            let mut conn = pool.acquire().await?;
            // Never back into the pool with foreign key checks off, whatever happens below.
            conn.close_on_drop();
            sqlx::raw_sql("SET FOREIGN_KEY_CHECKS = 0")
                .execute(&mut *conn)
                .await?;
            let load = async {
                sqlx::raw_sql("START TRANSACTION")
                    .execute(&mut *conn)
                    .await?;
                for t in tables {
                    let kinds = &existing[&t.name];
                    for chunk in t.rows.chunks(BATCH) {
                        let sql = insert_sql(&t.name, &t.columns, chunk.len(), '`');
                        let mut q = sqlx::query(&sql);
                        for row in chunk {
                            for (v, column) in row.iter().zip(&t.columns) {
                                q = bind_mysql(q, v, &kinds[column])?;
                            }
                        }
                        q.execute(&mut *conn).await?;
                    }
                }
                sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
                Ok::<(), BackupError>(())
            }
            .await;
            if load.is_err() {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            }
            load
        }
    }
}

/// Every table of `db` (but the migrations') with its columns' types, columns sorted.
async fn snapshot_columns(
    db: &Db,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, BackupError> {
    let rows: Vec<(String, String, String)> = crate::db_run!(db,
        sqlite |pool| sqlx::query_as(
            "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'"
        ).fetch_all(pool).await?,
        mysql |pool| sqlx::query_as(
            "SELECT CAST(table_name AS CHAR), CAST(column_name AS CHAR), CAST(data_type AS CHAR) \
             FROM information_schema.columns WHERE table_schema = DATABASE() \
             AND table_name <> '_sqlx_migrations'"
        ).fetch_all(pool).await?
    );
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (table, column, kind) in rows {
        out.entry(table)
            .or_default()
            .insert(column, kind.to_ascii_lowercase());
    }
    Ok(out)
}

fn insert_sql(table: &str, columns: &[String], rows: usize, quote: char) -> String {
    let list = columns
        .iter()
        .map(|c| format!("{quote}{c}{quote}"))
        .collect::<Vec<_>>()
        .join(", ");
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    format!(
        "INSERT INTO {quote}{table}{quote} ({list}) VALUES {}",
        vec![one; rows].join(", ")
    )
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;
type MySqlQuery<'q> = sqlx::query::Query<'q, sqlx::MySql, sqlx::mysql::MySqlArguments>;

fn bind_sqlite<'q>(q: SqliteQuery<'q>, v: &'q Value) -> SqliteQuery<'q> {
    match v {
        Value::Null => q.bind(None::<String>),
        Value::Bool(b) => q.bind(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => q.bind(i),
            None => q.bind(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => q.bind(s.as_str()),
        Value::Object(o) => q.bind(decode_bytes(o)),
        Value::Array(_) => q.bind(v.to_string()),
    }
}

fn bind_mysql<'q>(
    q: MySqlQuery<'q>,
    v: &'q Value,
    kind: &str,
) -> Result<MySqlQuery<'q>, BackupError> {
    Ok(match v {
        Value::Null => q.bind(None::<String>),
        Value::Bool(b) => q.bind(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => q.bind(i),
            None => q.bind(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) if matches!(kind, "datetime" | "timestamp") => {
            let at = chrono::DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&chrono::Utc))
                .or_else(|_| {
                    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
                        .map(|n| n.and_utc())
                })
                .map_err(|_| refused(format!("시각을 읽을 수 없습니다: {s}")))?;
            q.bind(at)
        }
        Value::String(s) => q.bind(s.as_str()),
        Value::Object(o) => q.bind(decode_bytes(o)),
        Value::Array(_) => q.bind(v.to_string()),
    })
}

fn decode_bytes(o: &serde_json::Map<String, Value>) -> Vec<u8> {
    use base64::Engine;
    o.get("base64")
        .and_then(Value::as_str)
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
        .unwrap_or_default()
}
