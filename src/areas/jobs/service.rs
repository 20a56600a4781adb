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
        let next_run = next_run(&settings, now);
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

/// A job's next scheduled time in Seoul; none while paused.
fn next_run(settings: &runs::JobSettings, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    (!settings.paused)
        .then(|| Schedule::parse(&settings.schedule).ok())
        .flatten()
        .and_then(|s| s.next_after(now))
        .map(format_seoul_minutes)
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

/// The queue page: counts per registered consumer (and any left from an older build), events not
/// yet fanned out, and the failed and dead items.
pub async fn queue(state: &AppState) -> Result<super::QueueDto, AppError> {
    use crate::server::queue::store;
    let mut consumers: Vec<super::ConsumerCounts> = state
        .queue
        .consumers()
        .iter()
        .map(|c| super::ConsumerCounts {
            name: c.name.to_string(),
            label: c.label_ko.to_string(),
            pending: 0,
            running: 0,
            failed: 0,
            dead: 0,
            done: 0,
        })
        .collect();
    for (name, status, n) in store::counts(&state.db).await? {
        let i = match consumers.iter().position(|c| c.name == name) {
            Some(i) => i,
            None => {
                consumers.push(super::ConsumerCounts {
                    label: format!("{name} (이 버전에 없는 처리기)"),
                    name: name.clone(),
                    pending: 0,
                    running: 0,
                    failed: 0,
                    dead: 0,
                    done: 0,
                });
                consumers.len() - 1
            }
        };
        let c = &mut consumers[i];
        match status.as_str() {
            "pending" => c.pending += n,
            "running" => c.running += n,
            "failed" => c.failed += n,
            "dead" => c.dead += n,
            _ => c.done += n,
        }
    }
    let problems = store::items(&state.db, &["failed", "dead"], super::QUEUE_PROBLEMS)
        .await?
        .into_iter()
        .map(|r| super::WorkItemDto {
            id: r.id,
            consumer: state
                .queue
                .consumer(&r.consumer)
                .map(|c| c.label_ko.to_string())
                .unwrap_or(r.consumer),
            status: r.status,
            attempts: r.attempts,
            next_attempt: format_seoul_minutes(r.run_after),
            error: r.last_error,
            event: format!(
                "{} ({} #{})",
                r.kind,
                crate::areas::audit::entity_label(&r.entity),
                r.entity_id
            ),
            event_at: format_seoul_minutes(r.event_at),
        })
        .collect();
    Ok(super::QueueDto {
        undispatched: store::undispatched(&state.db).await?,
        consumers,
        problems,
    })
}

/// An admin's retry of one failed or dead item, or of every dead one; the worker looks at once.
pub async fn retry(
    state: &AppState,
    admin: &CurrentUser,
    id: Option<i64>,
) -> Result<u64, AppError> {
    let n = crate::server::queue::store::retry(&state.db, id, Some(admin.id.0), now_utc()).await?;
    if n == 0 && id.is_some() {
        return Err(AppError::conflict(
            "이 항목은 이미 처리되었거나 다시 시도 중입니다. 새로 고침해 확인해 주세요.",
        ));
    }
    tracing::info!(
        user_id = admin.id.0,
        ?id,
        items = n,
        "queue items retried by hand"
    );
    state.queue.announce(state);
    Ok(n)
}

/// The backups page: the store, the retention, the nightly job's next time, how fresh the
/// newest verified backup is, and the newest backups.
pub async fn backups(state: &AppState) -> Result<super::BackupsDto, AppError> {
    use crate::server::backups::{self, Freshness};
    let now = now_utc();
    let job = known(state, backups::JOB).await?;
    let settings = runs::settings(&state.db, job.name, job.default_schedule, now).await?;
    let next_run = next_run(&settings, now);
    let (freshness, stale) = match backups::freshness(&state.db, now).await? {
        Freshness::Fresh(at) => (
            format!("최근 검증된 백업: {}", format_seoul_minutes(at)),
            false,
        ),
        Freshness::NotYetDue => (
            "아직 백업이 없습니다. 첫 백업은 예약 시각에 만들어집니다.".to_string(),
            false,
        ),
        Freshness::Stale(Some(at)) => (
            format!(
                "검증된 백업이 {}시간 넘게 없습니다 (마지막: {}). 서버 상태가 ‘degraded’로 표시됩니다.",
                backups::STALE_AFTER_HOURS,
                format_seoul_minutes(at)
            ),
            true,
        ),
        Freshness::Stale(None) => (
            format!(
                "검증된 백업이 한 번도 없습니다. 서버 상태가 ‘degraded’로 표시됩니다 ({}시간 기준).",
                backups::STALE_AFTER_HOURS
            ),
            true,
        ),
    };
    let list = backups::recent(&state.db, super::RECENT_BACKUPS)
        .await?
        .into_iter()
        .map(|b| super::BackupDto {
            name: b.name,
            created: format_seoul_minutes(b.created_at),
            size: super::human_size(b.size_bytes),
            rows: b.rows_count,
            files: b.files_count,
            files_copied: b.files_copied,
            verified: b.verified,
            verify_message: b.verify_message,
            deleted: b.deleted_at.is_some(),
        })
        .collect();
    let s = &state.settings.backup;
    Ok(super::BackupsDto {
        location: s.target.describe(),
        keep_daily: s.keep_daily,
        keep_monthly: s.keep_monthly,
        next_run,
        freshness,
        stale,
        backups: list,
    })
}
