//! Fires each registered job once per scheduled time across every running instance.
//!
//! On each tick an instance, for every job that is not paused, looks at the latest scheduled
//! time at or before now. If no run row holds (job, that time) it inserts one; the insert is
//! unique on the key, so exactly one instance gets it and runs the job, renewing a lease on the
//! row while it works. A run whose lease has passed (its instance crashed) is taken over by the
//! next instance that ticks, up to [`MAX_ATTEMPTS`]. Only the latest scheduled time is ever
//! looked at, so a firing missed while every instance was down runs once at the next start
//! (or is recorded as skipped, per job), never once per missed time.

use super::runs::{self, Ending, NewRun};
use super::schedule::Schedule;
use super::{JobDef, JobReport, Missed};
use crate::server::db::now_utc;
use crate::server::state::AppState;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;

/// A run is given up as failed after this many starts (the first and two takeovers).
pub const MAX_ATTEMPTS: i64 = 3;

#[derive(Clone)]
pub struct Scheduler {
    jobs: Arc<Vec<JobDef>>,
    /// This instance, in the rows it holds.
    holder: String,
    /// How long a run's row stays ours without renewal.
    lease: Duration,
    /// How often to look for due work.
    tick: Duration,
}

/// What looking at one job did.
enum Fired {
    Nothing,
    Skipped(DateTime<Utc>),
    Started(DateTime<Utc>, &'static str, tokio::task::JoinHandle<()>),
}

/// What one tick started, for tests and logs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TickOutcome {
    /// (job, slot, trigger) of each run this instance started.
    pub started: Vec<(String, DateTime<Utc>, String)>,
    /// Missed firings recorded as skipped.
    pub skipped: Vec<(String, DateTime<Utc>)>,
}

impl Scheduler {
    pub fn new(
        jobs: Vec<JobDef>,
        holder: impl Into<String>,
        lease: Duration,
        tick: Duration,
    ) -> Self {
        Scheduler {
            jobs: Arc::new(jobs),
            holder: holder.into(),
            lease,
            tick,
        }
    }

    pub fn jobs(&self) -> &[JobDef] {
        &self.jobs
    }

    pub fn job(&self, name: &str) -> Option<&JobDef> {
        self.jobs.iter().find(|j| j.name == name)
    }

    fn lease_from(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(60))
    }

    /// Ticks until the process ends.
    pub async fn run_forever(self, state: AppState) {
        let mut tick = tokio::time::interval(self.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = self.tick(&state, now_utc()).await {
                tracing::warn!(error = %e, "job scheduler tick failed");
            }
        }
    }

    /// One look for due work at `now`: claims and starts what is due, takes over what was
    /// abandoned. The runs go on in the background; the returned handles end with them.
    pub async fn tick(
        &self,
        state: &AppState,
        now: DateTime<Utc>,
    ) -> Result<(TickOutcome, Vec<tokio::task::JoinHandle<()>>), crate::server::error::AppError>
    {
        let mut outcome = TickOutcome::default();
        let mut handles = Vec::new();
        for job in self.jobs.iter() {
            // One job's trouble (its row, its schedule) does not stop the others.
            match self.fire_if_due(state, job, now).await {
                Ok(Fired::Started(slot, trigger, handle)) => {
                    outcome
                        .started
                        .push((job.name.to_string(), slot, trigger.to_string()));
                    handles.push(handle);
                }
                Ok(Fired::Skipped(slot)) => outcome.skipped.push((job.name.to_string(), slot)),
                Ok(Fired::Nothing) => {}
                Err(e) => tracing::warn!(job = job.name, error = %e, "could not fire a job"),
            }
        }
        for (name, slot) in runs::abandoned(&state.db, now).await? {
            let Some(job) = self.job(&name).cloned() else {
                continue; // a job this build no longer has
            };
            let Some(attempts) = runs::take_over(
                &state.db,
                &name,
                slot,
                &self.holder,
                self.lease_from(now),
                now,
            )
            .await?
            else {
                continue; // another instance took it first
            };
            if attempts > MAX_ATTEMPTS {
                let error =
                    format!("작업이 {MAX_ATTEMPTS}번 시작되었지만 끝나지 않아 중단했습니다.");
                let ending = Ending {
                    status: "failed",
                    counts_json: "[]",
                    error: &error,
                    at: now,
                };
                runs::finish(&state.db, &name, slot, &self.holder, attempts, &ending).await?;
                tracing::warn!(job = %name, %slot, "run abandoned too often; marked failed");
                continue;
            }
            tracing::info!(job = %name, %slot, attempts, "abandoned run taken over");
            outcome
                .started
                .push((name.clone(), slot, "takeover".to_string()));
            handles.push(self.spawn_run(state.clone(), job, slot, attempts));
        }
        Ok((outcome, handles))
    }

    /// Starts `name` now at an admin's request ("지금 실행"), unless a run of it is going on.
    /// Returns the run's key time.
    pub async fn run_now(
        &self,
        state: &AppState,
        name: &str,
        by: Option<i64>,
    ) -> Result<DateTime<Utc>, crate::server::error::AppError> {
        use crate::domain::ApiError;
        use crate::server::error::AppError;
        let job = self
            .job(name)
            .cloned()
            .ok_or(AppError::Api(ApiError::NotFound))?;
        if runs::is_running(&state.db, name).await? {
            return Err(AppError::conflict(
                "이 작업이 지금 실행 중입니다. 끝난 뒤에 다시 실행해 주세요.",
            ));
        }
        let now = now_utc();
        let claimed = runs::claim(
            &state.db,
            &NewRun {
                job: name,
                slot: now,
                trigger: "manual",
                status: "running",
                holder: &self.holder,
                lease_until: self.lease_from(now),
                now,
                requested_by: by,
            },
        )
        .await?;
        if !claimed {
            return Err(AppError::conflict(
                "방금 같은 작업이 시작되었습니다. 잠시 후 결과를 확인해 주세요.",
            ));
        }
        tracing::info!(job = name, user_id = ?by, "job started by hand");
        self.spawn_run(state.clone(), job, now, 1);
        Ok(now)
    }

    /// Claims and starts `job` when its latest scheduled time has no run yet.
    async fn fire_if_due(
        &self,
        state: &AppState,
        job: &JobDef,
        now: DateTime<Utc>,
    ) -> Result<Fired, crate::server::error::AppError> {
        let settings = runs::settings(&state.db, job.name, job.default_schedule, now).await?;
        if settings.paused {
            return Ok(Fired::Nothing);
        }
        let schedule = match Schedule::parse(&settings.schedule) {
            Ok(s) => s,
            Err(reason) => {
                tracing::warn!(job = job.name, schedule = %settings.schedule, %reason, "unreadable schedule; using the default");
                match Schedule::parse(job.default_schedule) {
                    Ok(s) => s,
                    Err(_) => return Ok(Fired::Nothing),
                }
            }
        };
        let Some(slot) = schedule.latest_at_or_before(now) else {
            return Ok(Fired::Nothing);
        };
        // Not after the job existed, or its schedule was last changed or it was resumed: never
        // due, so nothing was missed.
        if slot <= settings.first_seen_at {
            return Ok(Fired::Nothing);
        }
        // One run of a job at a time: a firing due while the last one still runs waits for it
        // (and then runs once, late, as a catch-up).
        if runs::is_running(&state.db, job.name).await? {
            return Ok(Fired::Nothing);
        }
        // On time when it is noticed within a few ticks of its scheduled time.
        let grace = chrono::Duration::from_std(self.tick * 3).unwrap_or_default()
            + chrono::Duration::seconds(60);
        let missed = now - slot > grace;
        let (trigger, status) = match (missed, job.missed) {
            (false, _) => ("schedule", "running"),
            (true, Missed::CatchUpOnce) => ("catch_up", "running"),
            (true, Missed::Skip) => ("schedule", "skipped"),
        };
        let claimed = runs::claim(
            &state.db,
            &NewRun {
                job: job.name,
                slot,
                trigger,
                status,
                holder: &self.holder,
                lease_until: self.lease_from(now),
                now,
                requested_by: None,
            },
        )
        .await?;
        if !claimed {
            return Ok(Fired::Nothing);
        }
        if status == "skipped" {
            tracing::info!(job = job.name, %slot, "missed firing skipped");
            return Ok(Fired::Skipped(slot));
        }
        let handle = self.spawn_run(state.clone(), job.clone(), slot, 1);
        Ok(Fired::Started(slot, trigger, handle))
    }

    /// Runs `job` for `slot` (claimed by this instance as start number `attempt`), renewing
    /// the lease meanwhile, and records the result. The job runs in a task of its own, so a
    /// job that keeps a thread busy does not hold up the renewals; `attempt` tells this start
    /// from a later takeover of the same row.
    fn spawn_run(
        &self,
        state: AppState,
        job: JobDef,
        slot: DateTime<Utc>,
        attempt: i64,
    ) -> tokio::task::JoinHandle<()> {
        use tracing::Instrument;
        let me = self.clone();
        let span = tracing::info_span!("job", job = job.name, %slot, attempt);
        tokio::spawn(async move {
            let mut work = tokio::spawn((job.run)(state.clone()));
            let mut renew = tokio::time::interval(me.lease / 3);
            renew.tick().await; // the first tick is immediate
            let result = loop {
                tokio::select! {
                    r = &mut work => break Some(r),
                    _ = renew.tick() => {
                        match runs::renew(&state.db, job.name, slot, &me.holder, attempt, me.lease_from(now_utc())).await {
                            Ok(true) => {}
                            Ok(false) => break None, // taken over: the other start finishes it
                            Err(e) => tracing::warn!(error = %e, "could not renew a job's lease"),
                        }
                    }
                }
            };
            let Some(result) = result else {
                work.abort();
                tracing::warn!(job = job.name, %slot, "lease lost; leaving the run to its new holder");
                return;
            };
            let result = result.unwrap_or_else(|e| {
                Err(crate::server::error::AppError::internal(format!("작업이 중단되었습니다: {e}")))
            });
            let (status, counts, error) = match result {
                Ok(report) => ("succeeded", counts_json(&report), String::new()),
                Err(e) => {
                    tracing::warn!(job = job.name, error = %e, "job failed");
                    // Shown to admins only, on the jobs page: the Korean message, or the
                    // technical cause marked as such.
                    let shown = match e {
                        crate::server::error::AppError::Api(api) => api.to_string(),
                        other => format!("서버 오류 (기술 정보: {other})"),
                    };
                    ("failed", "[]".to_string(), shown)
                }
            };
            let ending = Ending {
                status,
                counts_json: &counts,
                error: &error,
                at: now_utc(),
            };
            match runs::finish(&state.db, job.name, slot, &me.holder, attempt, &ending).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(job = job.name, %slot, "the run was taken over before it ended; its end is not recorded here"),
                Err(e) => tracing::warn!(error = %e, "could not record a job's end"),
            }
        }.instrument(span))
    }
}

fn counts_json(report: &JobReport) -> String {
    serde_json::to_string(&report.counts).unwrap_or_else(|_| "[]".to_string())
}
