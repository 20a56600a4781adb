//! Scheduled jobs (SPEC §4): each is registered in code with a Korean label, a default schedule
//! (cron in Asia/Seoul) and what to do about a firing missed while every instance was down.
//! `scheduler` fires each once per scheduled time across instances (README "Scheduled jobs");
//! `runs` holds their SQL; `schedule` parses and steps cron schedules.

pub mod runs;
pub mod schedule;
pub mod scheduler;

use crate::server::error::AppError;
use crate::server::state::AppState;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a firing missed while no instance was running does at the next start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    /// The latest missed firing runs once (never one per missed time).
    CatchUpOnce,
    /// Missed firings are recorded as skipped; the next scheduled time runs.
    Skip,
}

/// What a run did, for its record: (Korean label, count) pairs such as ("삭제한 세션", 12).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    pub counts: Vec<(String, i64)>,
}

impl JobReport {
    pub fn count(label: &str, n: i64) -> Self {
        JobReport {
            counts: vec![(label.to_string(), n)],
        }
    }
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<JobReport, AppError>> + Send>>;
/// A job's work. It must be idempotent: a run taken over after a crash runs it again.
pub type JobFn = Arc<dyn Fn(AppState) -> JobFuture + Send + Sync>;

#[derive(Clone)]
pub struct JobDef {
    /// Stable identifier (URLs, rows): `sessions.cleanup`.
    pub name: &'static str,
    pub label_ko: &'static str,
    /// Cron in Asia/Seoul, five fields (minute hour day month weekday).
    pub default_schedule: &'static str,
    pub missed: Missed,
    pub run: JobFn,
}

impl JobDef {
    pub fn new<F, Fut>(
        name: &'static str,
        label_ko: &'static str,
        default_schedule: &'static str,
        missed: Missed,
        run: F,
    ) -> Self
    where
        F: Fn(AppState) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<JobReport, AppError>> + Send + 'static,
    {
        JobDef {
            name,
            label_ko,
            default_schedule,
            missed,
            run: Arc::new(move |state| Box::pin(run(state))),
        }
    }
}

impl std::fmt::Debug for JobDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobDef")
            .field("name", &self.name)
            .field("default_schedule", &self.default_schedule)
            .field("missed", &self.missed)
            .finish()
    }
}
