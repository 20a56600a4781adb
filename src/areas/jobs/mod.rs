//! Scheduled jobs as admins see them (`/platform/admin/jobs`): each job's schedule, pause, next
//! time and last runs, and "지금 실행". The jobs themselves and the scheduler that fires them
//! once across instances live in `server/jobs` (README "Scheduled jobs").

pub mod api;
pub mod pages;
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
