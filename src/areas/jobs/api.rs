//! Server functions of the jobs page: admins only.

use super::JobDto;
use crate::domain::ApiError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, flash, require_role, state},
};

#[server(endpoint = "jobs/list")]
pub async fn list_jobs() -> Result<Vec<JobDto>, ApiError> {
    require_role(&[Role::Admin])?;
    service::list(&state()?).await.map_err(fail)
}

/// A job's new schedule (cron in Seoul, five fields).
#[server(endpoint = "jobs/schedule")]
pub async fn save_job_schedule(name: String, schedule: String) -> Result<(), ApiError> {
    let admin = require_role(&[Role::Admin])?;
    service::save_schedule(&state()?, &admin, &name, &schedule)
        .await
        .map_err(fail)?;
    flash("일정을 저장했습니다.");
    Ok(())
}

#[server(endpoint = "jobs/pause")]
pub async fn set_job_paused(name: String, paused: bool) -> Result<(), ApiError> {
    let admin = require_role(&[Role::Admin])?;
    service::set_paused(&state()?, &admin, &name, paused)
        .await
        .map_err(fail)?;
    flash(if paused {
        "작업을 일시 중지했습니다."
    } else {
        "작업을 다시 시작했습니다."
    });
    Ok(())
}

/// "지금 실행": starts the job in the background; its run appears in the list.
#[server(endpoint = "jobs/run")]
pub async fn run_job_now(name: String) -> Result<(), ApiError> {
    let admin = require_role(&[Role::Admin])?;
    let label = service::run_now(&state()?, &admin, &name)
        .await
        .map_err(fail)?;
    flash(&format!(
        "‘{label}’ 작업을 시작했습니다. 결과는 실행 기록에 나타납니다."
    ));
    Ok(())
}

#[server(endpoint = "queue/overview")]
pub async fn queue_overview() -> Result<super::QueueDto, ApiError> {
    require_role(&[Role::Admin])?;
    service::queue(&state()?).await.map_err(fail)
}

/// "다시 시도": one failed or dead item (`id`), or every dead item when `id` is empty.
#[server(endpoint = "queue/retry")]
pub async fn retry_work(#[server(default)] id: Option<i64>) -> Result<(), ApiError> {
    let admin = require_role(&[Role::Admin])?;
    let n = service::retry(&state()?, &admin, id).await.map_err(fail)?;
    flash(&if n == 0 {
        "다시 시도할 중단된 항목이 없습니다.".to_string()
    } else {
        format!("{n}건을 다시 처리하도록 했습니다.")
    });
    Ok(())
}

#[server(endpoint = "backups/list")]
pub async fn list_backups() -> Result<super::BackupsDto, ApiError> {
    require_role(&[Role::Admin])?;
    service::backups(&state()?).await.map_err(fail)
}

/// "지금 백업": the nightly backup job, started now.
#[server(endpoint = "backups/run")]
pub async fn backup_now() -> Result<(), ApiError> {
    let admin = require_role(&[Role::Admin])?;
    service::run_now(&state()?, &admin, crate::server::backups::JOB)
        .await
        .map_err(fail)?;
    flash("백업을 시작했습니다. 끝나면 아래 목록에 나타납니다 (새로 고침).");
    Ok(())
}
