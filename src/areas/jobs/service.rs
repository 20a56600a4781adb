//! The jobs page's rules: the registered jobs with their settings and runs, and an admin's
//! changes (validated schedule, pause, run now).

use super::{JobDto, JobRunDto, RECENT_RUNS};
use crate::domain::ApiError;
use crate::server::auth::CurrentUser;
use crate::server::db::now_utc;
use crate::server::error::AppError;
use crate::server::jobs::runs;
use crate::server::jobs::schedule::Schedule;
use crate::server::state::AppState;
use crate::server::time::format_seoul_minutes;

pub async fn list(state: &AppState) -> Result<Vec<JobDto>, AppError> {
    let now = now_utc();
    let mut out = Vec::new();
    for job in state.scheduler.jobs() {
        let settings = runs::settings(&state.db, job.name, job.default_schedule, now).await?;
        let next_run = (!settings.paused)
            .then(|| Schedule::parse(&settings.schedule).ok())
            .flatten()
            .and_then(|s| s.next_after(now))
            .map(format_seoul_minutes);
        let recent = runs::recent(&state.db, job.name, RECENT_RUNS).await?;
        out.push(JobDto {
            name: job.name.to_string(),
            label: job.label_ko.to_string(),
            schedule: settings.schedule,
            default_schedule: job.default_schedule.to_string(),
            paused: settings.paused,
            next_run,
            runs: recent
                .into_iter()
                .map(|r| JobRunDto {
                    scheduled: format_seoul_minutes(r.slot),
                    trigger: r.trigger_kind,
                    status: r.status,
                    attempts: r.attempts,
                    started: format_seoul_minutes(r.started_at),
                    finished: r.finished_at.map(format_seoul_minutes),
                    seconds: r.finished_at.map(|f| (f - r.started_at).num_seconds()),
                    counts: serde_json::from_str(&r.counts).unwrap_or_default(),
                    error: r.error,
                })
                .collect(),
        });
    }
    Ok(out)
}

/// The registered job `name` (404 for a name this build does not have), with its settings
/// row written if this is the first time it is touched.
async fn known<'a>(
    state: &'a AppState,
    name: &str,
) -> Result<&'a crate::server::jobs::JobDef, AppError> {
    let job = state
        .scheduler
        .job(name)
        .ok_or(AppError::Api(ApiError::NotFound))?;
    runs::settings(&state.db, job.name, job.default_schedule, now_utc()).await?;
    Ok(job)
}

pub async fn save_schedule(
    state: &AppState,
    admin: &CurrentUser,
    name: &str,
    schedule: &str,
) -> Result<(), AppError> {
    let parsed = Schedule::parse(schedule).map_err(|m| AppError::field("schedule", m))?;
    let job = known(state, name).await?;
    runs::set_schedule(
        &state.db,
        job.name,
        parsed.as_str(),
        Some(admin.id.0),
        now_utc(),
    )
    .await?;
    Ok(())
}

pub async fn set_paused(
    state: &AppState,
    admin: &CurrentUser,
    name: &str,
    paused: bool,
) -> Result<(), AppError> {
    let job = known(state, name).await?;
    runs::set_paused(&state.db, job.name, paused, Some(admin.id.0), now_utc()).await?;
    Ok(())
}

/// Starts the job now; its Korean label, for the message.
pub async fn run_now(
    state: &AppState,
    admin: &CurrentUser,
    name: &str,
) -> Result<String, AppError> {
    let job = known(state, name).await?;
    state
        .scheduler
        .run_now(state, job.name, Some(admin.id.0))
        .await?;
    Ok(job.label_ko.to_string())
}
