//! Backups kept in the backup store (README "Backup and restore"): the nightly job and
//! `doongji backup` write a backup (`server/backup.rs`) under a dated name, read it back to verify
//! it, copy attached files kept on local disk beside it (`files/<key>`; files in S3 stay there and
//! are listed by key in the `files` table of the backup), record it in `backups`, and apply the
//! retention (the newest backup of each of the last N days and of each of the last M months).
//! `/readyz` reports degraded when the newest verified backup is older than 26 hours.

use crate::db_run;
use crate::server::backup::{self, BackupError, Manifest};
use crate::server::config::{BackupSettings, BackupTarget};
use crate::server::db::Db;
use crate::server::error::AppError;
use crate::server::files::{FileStore, Objects};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::collections::BTreeSet;

/// A backup older than this marks `/readyz` degraded.
pub const STALE_AFTER_HOURS: i64 = 26;
/// The nightly job's name (the readiness check and the backups page look it up).
pub const JOB: &str = "backup.nightly";

/// The backup store: a local folder or an S3 prefix.
#[derive(Clone)]
pub struct BackupStore {
    objects: Objects,
    pub location: String,
}

impl BackupStore {
    pub fn open(target: &BackupTarget) -> Result<Self, String> {
        let objects = match target {
            BackupTarget::Local { dir } => Objects::local(dir, "백업")?,
            BackupTarget::S3 {
                bucket,
                prefix,
                access,
            } => Objects::s3(bucket, prefix, access, "백업")?,
        };
        Ok(BackupStore {
            objects,
            location: target.describe(),
        })
    }
}

impl std::ops::Deref for BackupStore {
    type Target = Objects;
    fn deref(&self) -> &Objects {
        &self.objects
    }
}

/// `doongji-20261130-235500.backup`: the time in Seoul.
pub fn backup_name(at: DateTime<Utc>) -> String {
    format!(
        "doongji-{}.backup",
        at.with_timezone(&crate::server::time::seoul())
            .format("%Y%m%d-%H%M%S")
    )
}

/// The Seoul time a backup name carries.
pub fn name_time(name: &str) -> Option<NaiveDateTime> {
    let stamp = name.strip_prefix("doongji-")?.strip_suffix(".backup")?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}

/// The backups retention removes: all but the newest of each of the newest `daily` days and
/// the newest of each of the newest `monthly` months. Names that carry no time are kept.
pub fn to_delete(names: &[String], daily: u32, monthly: u32) -> Vec<String> {
    let mut dated: Vec<(NaiveDateTime, &String)> = names
        .iter()
        .filter_map(|n| name_time(n).map(|t| (t, n)))
        .collect();
    dated.sort_by(|a, b| b.cmp(a)); // newest first
    let mut keep = BTreeSet::new();
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut months: Vec<(i32, u32)> = Vec::new();
    for (t, name) in &dated {
        use chrono::Datelike;
        let day = t.date();
        if !days.contains(&day) && days.len() < daily as usize {
            days.push(day);
            keep.insert(*name);
        }
        let month = (day.year(), day.month());
        if !months.contains(&month) && months.len() < monthly as usize {
            months.push(month);
            keep.insert(*name);
        }
    }
    dated
        .iter()
        .filter(|(_, n)| !keep.contains(n))
        .map(|(_, n)| (*n).clone())
        .collect()
}

/// What making one backup did.
#[derive(Debug, Clone)]
pub struct Made {
    pub name: String,
    pub location: String,
    pub size_bytes: u64,
    pub manifest: Manifest,
    /// Attached files the database lists.
    pub files: u64,
    /// Of those, copied into the backup store this time (new since the last backup).
    pub files_copied: u64,
    pub verified: bool,
    pub verify_message: String,
}

/// Makes a backup named `name` in `store`: writes it, copies attached files kept on local
/// disk beside it, and reads both back to verify. [`record`] then lists it on the platform.
pub async fn make(
    db: &Db,
    files: Option<&FileStore>,
    store: &BackupStore,
    name: &str,
) -> Result<Made, BackupError> {
    let (manifest, bytes) = backup::write(db, Vec::new()).await?;
    let size_bytes = bytes.len() as u64;
    store.put(name, bytes).await?;

    // Attached files: the database lists every one with its key and size. Files on local disk
    // are copied under `files/<key>` (once: the copy of an earlier night is kept); files in S3
    // stay where they are.
    let listed: Vec<(String, i64)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT storage_key, size_bytes FROM files ORDER BY id"
    )
    .fetch_all(pool)
    .await?);
    let mut files_copied = 0;
    let mut problems = Vec::new();
    let local_files = files.filter(|f| f.backend == "local");
    if let Some(fs) = local_files {
        let have = store.list("files").await?;
        for (key, size) in &listed {
            let copy = format!("files/{key}");
            if have.get(&copy) == Some(&(*size as u64)) {
                continue;
            }
            match fs.get(key).await? {
                Some(bytes) => {
                    store.put(&copy, bytes).await?;
                    files_copied += 1;
                }
                None => problems.push(format!("첨부 파일 {key}이(가) 저장소에 없습니다")),
            }
        }
    }

    // Verify: read the backup back (its checksums per table) and the file copies' sizes.
    let verified_tables = match store.get(name).await? {
        None => Err("백업 파일을 다시 읽을 수 없습니다".to_string()),
        Some(bytes) => match backup::read(std::io::Cursor::new(bytes)) {
            Ok((read, _)) if read == manifest => Ok(()),
            Ok(_) => Err("다시 읽은 백업의 내용 목록이 다릅니다".to_string()),
            Err(e) => Err(format!("다시 읽은 백업이 올바르지 않습니다: {e}")),
        },
    };
    if let Err(reason) = verified_tables {
        problems.insert(0, reason);
    }
    if local_files.is_some() {
        let have = store.list("files").await?;
        let missing = listed
            .iter()
            .filter(|(key, size)| have.get(&format!("files/{key}")) != Some(&(*size as u64)))
            .count();
        if missing > 0 && problems.is_empty() {
            problems.push(format!("첨부 파일 {missing}개의 사본이 맞지 않습니다"));
        }
    }
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    let (verified, verify_message) = if problems.is_empty() {
        let files = crate::domain::money::group_thousands(listed.len() as i64);
        let files = if local_files.is_some() {
            format!("첨부 파일 {files}개 확인")
        } else {
            format!("첨부 파일 {files}개는 S3에 두고 키 목록만 포함")
        };
        (
            true,
            format!(
                "표 {}개 · {}행 · {files}",
                manifest.tables.len(),
                crate::domain::money::group_thousands(rows as i64),
            ),
        )
    } else {
        (false, problems.join("; "))
    };
    let made = Made {
        name: name.to_string(),
        location: store.location.clone(),
        size_bytes,
        manifest,
        files: listed.len() as u64,
        files_copied,
        verified,
        verify_message,
    };
    Ok(made)
}

/// Lists a backup made at `now` on the platform (`backups`).
pub async fn record(db: &Db, m: &Made, now: DateTime<Utc>) -> Result<(), AppError> {
    let rows: u64 = m.manifest.tables.iter().map(|t| t.rows).sum();
    let sql = "INSERT INTO backups (name, location, created_at, size_bytes, tables_count, rows_count, files_count, files_copied, verified, verify_message) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    db_run!(db, |pool| {
        sqlx::query(sql)
            .bind(&m.name)
            .bind(&m.location)
            .bind(now)
            .bind(m.size_bytes as i64)
            .bind(m.manifest.tables.len() as i64)
            .bind(rows as i64)
            .bind(m.files as i64)
            .bind(m.files_copied as i64)
            .bind(m.verified)
            .bind(&m.verify_message)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Applies the retention to the backups in `store`; returns the names it deleted.
pub async fn prune(
    db: &Db,
    store: &BackupStore,
    settings: &BackupSettings,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let names: Vec<String> = store
        .list("")
        .await?
        .into_keys()
        .filter(|n| !n.contains('/') && name_time(n).is_some())
        .collect();
    // A backup that failed its verification never takes a day's or a month's place: it is
    // removed, and the retention chooses among the others.
    let failed: Vec<String> = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT name FROM backups WHERE verified = FALSE AND deleted_at IS NULL"
    )
    .fetch_all(pool)
    .await?);
    let (failed, good): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| failed.contains(n));
    let mut gone = to_delete(&good, settings.keep_daily, settings.keep_monthly);
    gone.extend(failed);
    for name in &gone {
        store.delete(name).await?;
        db_run!(db, |pool| {
            sqlx::query("UPDATE backups SET deleted_at = ? WHERE name = ? AND deleted_at IS NULL")
                .bind(now)
                .bind(name)
                .execute(pool)
                .await?;
        });
    }
    Ok(gone)
}

/// One backup as the platform lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BackupRow {
    pub name: String,
    pub location: String,
    pub created_at: DateTime<Utc>,
    pub size_bytes: i64,
    pub tables_count: i64,
    pub rows_count: i64,
    pub files_count: i64,
    pub files_copied: i64,
    pub verified: bool,
    pub verify_message: String,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The newest backups, newest first (deleted ones included, marked).
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<BackupRow>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, BackupRow>(
        "SELECT name, location, created_at, size_bytes, tables_count, rows_count, files_count, files_copied, verified, verify_message, deleted_at \
         FROM backups ORDER BY created_at DESC, name DESC LIMIT ?"
    )
    .bind(limit)
    .fetch_all(pool)
    .await?
    }))
}

/// How recent the newest verified backup is, for `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Verified backup at this time, within [`STALE_AFTER_HOURS`].
    Fresh(DateTime<Utc>),
    /// The newest verified backup is older (or there is none although the nightly job has been
    /// known longer than that).
    Stale(Option<DateTime<Utc>>),
    /// No backup yet, and the nightly job was first seen less than that ago.
    NotYetDue,
}

pub async fn freshness(db: &Db, now: DateTime<Utc>) -> Result<Freshness, AppError> {
    let newest: Option<DateTime<Utc>> = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT MAX(created_at) FROM backups WHERE verified = TRUE"
    )
    .fetch_one(pool)
    .await?);
    let limit = chrono::Duration::hours(STALE_AFTER_HOURS);
    if let Some(at) = newest {
        return Ok(if now - at <= limit {
            Freshness::Fresh(at)
        } else {
            Freshness::Stale(Some(at))
        });
    }
    let since: Option<DateTime<Utc>> = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT first_seen_at FROM job_settings WHERE name = ?"
    )
    .bind(JOB)
    .fetch_optional(pool)
    .await?);
    Ok(match since {
        Some(since) if now - since > limit => Freshness::Stale(None),
        _ => Freshness::NotYetDue,
    })
}

/// The nightly job: a backup into the configured store, then the retention (only after a
/// verified backup, so a failing night never removes the good ones).
pub async fn nightly(
    state: &crate::server::state::AppState,
) -> Result<crate::server::jobs::JobReport, AppError> {
    let settings = &state.settings.backup;
    let store = BackupStore::open(&settings.target).map_err(AppError::internal)?;
    let now = crate::server::db::now_utc();
    let made = make(&state.db, Some(&state.files), &store, &backup_name(now))
        .await
        .map_err(|e| match e {
            BackupError::App(app) => app,
            other => AppError::internal(other.to_string()),
        })?;
    record(&state.db, &made, now).await?;
    if !made.verified {
        return Err(AppError::conflict(format!(
            "백업 {}의 검증에 실패했습니다: {}",
            made.name, made.verify_message
        )));
    }
    let gone = prune(&state.db, &store, settings, now).await?;
    let rows: u64 = made.manifest.tables.iter().map(|t| t.rows).sum();
    Ok(crate::server::jobs::JobReport {
        counts: vec![
            ("백업 크기(KB)".to_string(), (made.size_bytes / 1024) as i64),
            ("백업한 행".to_string(), rows as i64),
            (
                "새로 복사한 첨부 파일".to_string(),
                made.files_copied as i64,
            ),
            ("정리한 오래된 백업".to_string(), gone.len() as i64),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_carry_the_seoul_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T14:55:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(backup_name(at), "doongji-20261130-235500.backup");
        assert_eq!(
            name_time("doongji-20261130-235500.backup")
                .unwrap()
                .to_string(),
            "2026-11-30 23:55:00"
        );
        assert_eq!(name_time("notes.txt"), None);
    }

    #[test]
    fn retention_keeps_the_newest_per_day_and_per_month() {
        let all = names(&[
            "doongji-20261130-235500.backup",
            "doongji-20261130-101500.backup", // a hand-made one the same day
            "doongji-20261129-235500.backup",
            "doongji-20261128-235500.backup",
            "doongji-20261031-235500.backup",
            "doongji-20261030-235500.backup",
            "doongji-20260930-235500.backup",
            "doongji-20250131-235500.backup",
        ]);
        let mut gone = to_delete(&all, 2, 3);
        gone.sort();
        assert_eq!(
            gone,
            names(&[
                "doongji-20250131-235500.backup",
                "doongji-20261030-235500.backup",
                "doongji-20261128-235500.backup",
                "doongji-20261130-101500.backup",
            ])
        );
        // Keeping more than there is deletes nothing; no monthly copies keep days only.
        assert!(to_delete(&all[2..], 7, 12).is_empty());
        assert_eq!(to_delete(&all, 1, 0).len(), all.len() - 1);
    }
}
