//! The jobs' SQL: settings (schedule, pause) and runs. A run row is claimed by inserting it with
//! `INSERT OR IGNORE` (SQLite) / `INSERT IGNORE` (MySQL) on the primary key (job, slot), and
//! taken over with one conditional `UPDATE` once its holder's lease has passed: no database
//! lock is held between statements, so nothing can leak through the pool.

use crate::db_run;
use crate::server::db::Db;
use crate::server::error::AppError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSettings {
    pub schedule: String,
    pub paused: bool,
    pub first_seen_at: DateTime<Utc>,
}

/// The job's settings, written with its default schedule the first time it is seen.
pub async fn settings(
    db: &Db,
    name: &str,
    default_schedule: &str,
    now: DateTime<Utc>,
) -> Result<JobSettings, AppError> {
    db_run!(
        db,
        sqlite
            | pool
            | {
                sqlx::query("INSERT OR IGNORE INTO job_settings (name, schedule, paused, first_seen_at, updated_at) VALUES (?, ?, 0, ?, ?)")
                .bind(name).bind(default_schedule).bind(now).bind(now)
                .execute(pool).await?;
            },
        mysql
            | pool
            | {
                sqlx::query("INSERT IGNORE INTO job_settings (name, schedule, paused, first_seen_at, updated_at) VALUES (?, ?, FALSE, ?, ?)")
                .bind(name).bind(default_schedule).bind(now).bind(now)
                .execute(pool).await?;
            }
    );
    let (schedule, paused, first_seen_at): (String, bool, DateTime<Utc>) = db_run!(db, |pool| {
        sqlx::query_as("SELECT schedule, paused, first_seen_at FROM job_settings WHERE name = ?")
            .bind(name)
            .fetch_one(pool)
            .await?
    });
    Ok(JobSettings {
        schedule,
        paused,
        first_seen_at,
    })
}

/// Pauses or resumes a job (an admin's change).
pub async fn set_paused(
    db: &Db,
    name: &str,
    paused: bool,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    change_settings(db, name, "paused", &paused.to_string(), by, now).await
}

/// Gives a job a new schedule (already validated).
pub async fn set_schedule(
    db: &Db,
    name: &str,
    schedule: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    change_settings(db, name, "schedule", schedule, by, now).await
}

/// One setting of a job changed, with its audit entry, in one transaction.
async fn change_settings(
    db: &Db,
    name: &str,
    field: &str,
    value: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    // Scheduled times before a new schedule or a resume were never due: `first_seen_at`
    // moves to now, so they are not taken for missed firings.
    let sql = match field {
        "paused" => {
            "UPDATE job_settings SET paused = ?, first_seen_at = ?, updated_at = ?, updated_by = ? WHERE name = ?"
        }
        _ => {
            "UPDATE job_settings SET schedule = ?, first_seen_at = ?, updated_at = ?, updated_by = ? WHERE name = ?"
        }
    };
    let before_sql = match field {
        "paused" => {
            "SELECT CASE WHEN paused THEN 'true' ELSE 'false' END FROM job_settings WHERE name = ?"
        }
        _ => "SELECT schedule FROM job_settings WHERE name = ?",
    };
    let snapshot = |v: &str| serde_json::json!({ "job": name, field: v }).to_string();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        // Write first: a SQLite transaction that reads and then writes fails when another
        // connection wrote in between (the scheduler's own settings row, say).
        sqlx::query("UPDATE job_settings SET name = name WHERE name = ?")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let before: Option<String> = sqlx::query_scalar(before_sql)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(before) = before else {
            return Ok(false);
        };
        let query = sqlx::query(sql);
        let query = if field == "paused" {
            query.bind(value == "true")
        } else {
            query.bind(value)
        };
        query
            .bind(now)
            .bind(now)
            .bind(by)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        crate::write_audit!(
            tx,
            now,
            by,
            "job",
            0_i64,
            "update",
            snapshot(&before),
            snapshot(value)
        );
        tx.commit().await?;
        Ok(true)
    })
}

/// Whether a run of `job` is going on now.
pub async fn is_running(db: &Db, job: &str) -> Result<bool, AppError> {
    let n: i64 = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM job_runs WHERE job = ? AND status = 'running'"
    )
    .bind(job)
    .fetch_one(pool)
    .await?);
    Ok(n > 0)
}

/// A new run, if no run holds this (job, slot) yet: `true` when this caller inserted it and
/// so must run it.
pub struct NewRun<'a> {
    pub job: &'a str,
    pub slot: DateTime<Utc>,
    pub trigger: &'a str,
    pub status: &'a str,
    pub holder: &'a str,
    pub lease_until: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub requested_by: Option<i64>,
}

pub async fn claim(db: &Db, run: &NewRun<'_>) -> Result<bool, AppError> {
    const COLUMNS: &str = "(job, slot, trigger_kind, status, holder, lease_until, attempts, started_at, finished_at, counts, error, requested_by) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, '[]', '', ?)";
    let finished = (run.status != "running").then_some(run.now);
    let inserted = db_run!(
        db,
        sqlite | pool | {
            sqlx::query(&format!("INSERT OR IGNORE INTO job_runs {COLUMNS}"))
                .bind(run.job)
                .bind(run.slot)
                .bind(run.trigger)
                .bind(run.status)
                .bind(run.holder)
                .bind(run.lease_until)
                .bind(run.now)
                .bind(finished)
                .bind(run.requested_by)
                .execute(pool)
                .await?
                .rows_affected()
        },
        mysql | pool | {
            sqlx::query(&format!("INSERT IGNORE INTO job_runs {COLUMNS}"))
                .bind(run.job)
                .bind(run.slot)
                .bind(run.trigger)
                .bind(run.status)
                .bind(run.holder)
                .bind(run.lease_until)
                .bind(run.now)
                .bind(finished)
                .bind(run.requested_by)
                .execute(pool)
                .await?
                .rows_affected()
        }
    );
    Ok(inserted == 1)
}

/// Runs whose holder stopped renewing its lease (a crashed or stopped instance).
pub async fn abandoned(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, AppError> {
    let sql = "SELECT job, slot FROM job_runs WHERE status = 'running' AND lease_until < ? ORDER BY slot LIMIT 50";
    Ok(db_run!(db, |pool| sqlx::query_as(sql)
        .bind(now)
        .fetch_all(pool)
        .await?))
}

/// Takes over an abandoned run: `Some(attempts)` (this one included) when this caller got it.
pub async fn take_over(
    db: &Db,
    job: &str,
    slot: DateTime<Utc>,
    holder: &str,
    lease_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let sql = "UPDATE job_runs SET holder = ?, lease_until = ?, attempts = attempts + 1 \
               WHERE job = ? AND slot = ? AND status = 'running' AND lease_until < ?";
    let taken = db_run!(db, |pool| sqlx::query(sql)
        .bind(holder)
        .bind(lease_until)
        .bind(job)
        .bind(slot)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected());
    if taken != 1 {
        return Ok(None);
    }
    let attempts: i64 = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT attempts FROM job_runs WHERE job = ? AND slot = ?"
    )
    .bind(job)
    .bind(slot)
    .fetch_one(pool)
    .await?);
    Ok(Some(attempts))
}

/// Keeps the lease while the run goes on; `false` when another instance has taken it.
pub async fn renew(
    db: &Db,
    job: &str,
    slot: DateTime<Utc>,
    holder: &str,
    attempt: i64,
    lease_until: DateTime<Utc>,
) -> Result<bool, AppError> {
    let sql = "UPDATE job_runs SET lease_until = ? \
               WHERE job = ? AND slot = ? AND holder = ? AND attempts = ? AND status = 'running'";
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(lease_until)
        .bind(job)
        .bind(slot)
        .bind(holder)
        .bind(attempt)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// How a run ended, for its row.
pub struct Ending<'a> {
    pub status: &'a str,
    pub counts_json: &'a str,
    pub error: &'a str,
    pub at: DateTime<Utc>,
}

/// Records how a run ended (only by its holder).
pub async fn finish(
    db: &Db,
    job: &str,
    slot: DateTime<Utc>,
    holder: &str,
    attempt: i64,
    ending: &Ending<'_>,
) -> Result<bool, AppError> {
    let sql = "UPDATE job_runs SET status = ?, finished_at = ?, counts = ?, error = ? \
               WHERE job = ? AND slot = ? AND holder = ? AND attempts = ? AND status = 'running'";
    let n = db_run!(db, |pool| sqlx::query(sql)
        .bind(ending.status)
        .bind(ending.at)
        .bind(ending.counts_json)
        .bind(ending.error)
        .bind(job)
        .bind(slot)
        .bind(holder)
        .bind(attempt)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// One recorded run, newest first in [`recent`].
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RunRow {
    pub job: String,
    pub slot: DateTime<Utc>,
    pub trigger_kind: String,
    pub status: String,
    pub attempts: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub counts: String,
    pub error: String,
}

pub async fn recent(db: &Db, job: &str, limit: i64) -> Result<Vec<RunRow>, AppError> {
    let sql = "SELECT job, slot, trigger_kind, status, CAST(attempts AS SIGNED) AS attempts, started_at, finished_at, counts, error \
               FROM job_runs WHERE job = ? ORDER BY slot DESC LIMIT ?";
    let sql_sqlite = "SELECT job, slot, trigger_kind, status, attempts, started_at, finished_at, counts, error \
               FROM job_runs WHERE job = ? ORDER BY slot DESC LIMIT ?";
    Ok(db_run!(
        db,
        sqlite
            | pool
            | sqlx::query_as::<_, RunRow>(sql_sqlite)
                .bind(job)
                .bind(limit)
                .fetch_all(pool)
                .await?,
        mysql
            | pool
            | sqlx::query_as::<_, RunRow>(sql)
                .bind(job)
                .bind(limit)
                .fetch_all(pool)
                .await?
    ))
}
