//! Scheduled jobs as admins see them (`/platform/admin/jobs`): each job's schedule, pause, next
//! time and last runs, and "지금 실행". The jobs themselves and the scheduler that fires them
//! once across instances live in `server/jobs` (README "Scheduled jobs"). The work queue's page
//! (`/platform/admin/queue`) lives here too; the queue itself is `server/queue` (README "Work
//! queue").

pub mod api;
pub mod backups_page;
pub mod pages;
pub mod queue_page;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// How many past runs the page shows per job.
pub const RECENT_RUNS: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDto {
    pub name: String,
    pub label: String,
    pub schedule: String,
    pub default_schedule: String,
    pub paused: bool,
    /// The next scheduled time in Seoul (`2026-12-01 09:00`); none while paused.
    pub next_run: Option<String>,
    pub runs: Vec<JobRunDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRunDto {
    /// The scheduled time (or when it was asked for), in Seoul.
    pub scheduled: String,
    pub trigger: String,
    pub status: String,
    pub attempts: i64,
    pub started: String,
    pub finished: Option<String>,
    pub seconds: Option<i64>,
    pub counts: Vec<(String, i64)>,
    pub error: String,
}

impl JobRunDto {
    pub fn status_ko(&self) -> &'static str {
        match self.status.as_str() {
            "succeeded" => "성공",
            "failed" => "실패",
            "running" => "실행 중",
            "skipped" => "건너뜀",
            _ => "알 수 없음",
        }
    }

    pub fn trigger_ko(&self) -> &'static str {
        match self.trigger.as_str() {
            "schedule" => "예약",
            "catch_up" => "놓친 예약",
            "manual" => "수동",
            _ => "기타",
        }
    }

    /// "삭제한 세션 12건 · …", or "-".
    pub fn counts_ko(&self) -> String {
        if self.counts.is_empty() {
            return "-".to_string();
        }
        self.counts
            .iter()
            .map(|(label, n)| format!("{label} {}건", crate::domain::money::group_thousands(*n)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The work queue as admins see it (`/platform/admin/queue`): per consumer, how many items wait,
/// run, failed (to be retried), are dead or done; and the items that need a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueDto {
    /// Events written but not yet handed to the consumers.
    pub undispatched: i64,
    pub consumers: Vec<ConsumerCounts>,
    /// Failed and dead items, newest first.
    pub problems: Vec<WorkItemDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerCounts {
    pub name: String,
    pub label: String,
    pub pending: i64,
    pub running: i64,
    pub failed: i64,
    pub dead: i64,
    pub done: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItemDto {
    pub id: i64,
    pub consumer: String,
    pub status: String,
    pub attempts: i64,
    /// Seoul time of the next attempt (failed items).
    pub next_attempt: String,
    pub error: String,
    pub event: String,
    pub event_at: String,
}

impl WorkItemDto {
    pub fn status_ko(&self) -> &'static str {
        match self.status.as_str() {
            "failed" => "재시도 대기",
            "dead" => "중단됨",
            "running" => "처리 중",
            "pending" => "대기",
            "done" => "완료",
            _ => "알 수 없음",
        }
    }
}

/// Failed and dead items the queue page lists.
pub const QUEUE_PROBLEMS: i64 = 100;

/// The backups page (`/platform/admin/backups`): where backups go, and the newest ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupsDto {
    /// The backup store (`data/backups`, `s3://bucket/prefix`).
    pub location: String,
    pub keep_daily: u32,
    pub keep_monthly: u32,
    /// The nightly job's next time in Seoul; none while paused.
    pub next_run: Option<String>,
    /// "최근 백업 2026-11-30 23:55 (검증됨)" or why readiness is degraded.
    pub freshness: String,
    pub stale: bool,
    pub backups: Vec<BackupDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupDto {
    pub name: String,
    pub created: String,
    /// `1.2 MB`.
    pub size: String,
    pub rows: i64,
    pub files: i64,
    pub files_copied: i64,
    pub verified: bool,
    pub verify_message: String,
    pub deleted: bool,
}

/// Backups the page lists.
pub const RECENT_BACKUPS: i64 = 30;

/// `812 KB`, `1.2 MB`, `3.4 GB`.
pub fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 * 1024.0 {
        format!(
            "{} KB",
            ((b / 1024.0).ceil() as i64).max(if bytes > 0 { 1 } else { 0 })
        )
    } else if b < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1_048_576.0)
    } else {
        format!("{:.1} GB", b / 1_073_741_824.0)
    }
}

#[cfg(test)]
mod size_tests {
    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(super::human_size(0), "0 KB");
        assert_eq!(super::human_size(1), "1 KB");
        assert_eq!(super::human_size(831_000), "812 KB");
        assert_eq!(super::human_size(1_153_434), "1.1 MB");
        assert_eq!(super::human_size(3_650_722_201), "3.4 GB");
    }
}
