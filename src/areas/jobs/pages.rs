//! `/platform/admin/jobs` (예약 작업): every scheduled job with its schedule, pause, next time,
//! "지금 실행" and its last runs.

use super::JobDto;
use super::api::{RunJobNow, SaveJobSchedule, SetJobPaused, list_jobs};
use crate::app::ui::{
    BUTTON, CARD, ErrorBox, FieldError, INPUT, LOADING, TABLE, TD, TH, action_error, field_error,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn JobsPage() -> impl IntoView {
    let jobs = Resource::new(|| (), |_| list_jobs());
    let save = ServerAction::<SaveJobSchedule>::new();
    let pause = ServerAction::<SetJobPaused>::new();
    let run = ServerAction::<RunJobNow>::new();
    view! {
        <Title text="예약 작업 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"예약 작업"</h1>
        <p class="mt-1 text-sm text-slate-600">
            "시각은 모두 한국 시간입니다. 서버가 여러 대여도 예약 시각마다 한 번만 실행되고, 서버가 모두 꺼져 있던 동안 놓친 실행은 다음 시작 때 한 번만 실행되거나 건너뜁니다."
        </p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(list) => list
                        .into_iter()
                        .map(|job| view! { <JobCard job save pause run /> })
                        .collect_view()
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobCard(
    job: JobDto,
    save: ServerAction<SaveJobSchedule>,
    pause: ServerAction<SetJobPaused>,
    run: ServerAction<RunJobNow>,
) -> impl IntoView {
    let save_value = save.value();
    let status = match (&job.next_run, job.paused) {
        (_, true) => "일시 중지됨".to_string(),
        (Some(next), false) => format!("다음 실행 {next}"),
        (None, false) => "다음 실행 시각 없음".to_string(),
    };
    let empty = job.runs.is_empty();
    let (heading, labelled_by) = (format!("job-{}", job.name), format!("job-{}", job.name));
    let (for_save, for_pause, for_run) = (job.name.clone(), job.name.clone(), job.name.clone());
    view! {
        <section class=CARD data-job=job.name.clone() aria-labelledby=labelled_by>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id=heading class="text-lg font-semibold">{job.label.clone()}</h2>
                <p class="text-sm text-slate-600" data-testid="job-next">{status}</p>
            </div>
            <div class="mt-4 flex flex-wrap items-end gap-4">
                <ActionForm action=save attr:class="flex flex-wrap items-end gap-2">
                    <input type="hidden" name="name" value=for_save />
                    <label class="block text-sm">{format!("일정 (분 시 일 월 요일, 기본 {})", job.default_schedule)}
                        <input name="schedule" value=job.schedule.clone() class=INPUT required />
                        <FieldError message=field_error(save_value, "schedule") />
                    </label>
                    <button type="submit" class=BUTTON>"일정 저장"</button>
                    {action_error(move || save_value.get())}
                </ActionForm>
                <ActionForm action=pause>
                    <input type="hidden" name="name" value=for_pause />
                    <input type="hidden" name="paused" value=(!job.paused).to_string() />
                    <button type="submit" class="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">
                        {if job.paused { "다시 시작" } else { "일시 중지" }}
                    </button>
                    {action_error(move || pause.value().get())}
                </ActionForm>
                <ActionForm action=run>
                    <input type="hidden" name="name" value=for_run />
                    <button type="submit" class=BUTTON data-busy-label="시작하는 중…">"지금 실행"</button>
                    {action_error(move || run.value().get())}
                </ActionForm>
            </div>
            <h3 class="mt-5 text-sm font-semibold text-slate-700">"최근 실행"</h3>
            {empty.then(|| view! { <p class="mt-1 text-sm text-slate-500">"아직 실행 기록이 없습니다."</p> })}
            <table class=TABLE data-testid="job-runs">
                <thead class="bg-slate-50 text-left text-slate-500">
                    <tr><th class=TH>"예정 시각"</th><th class=TH>"구분"</th><th class=TH>"시작"</th><th class=TH>"끝"</th><th class=TH>"결과"</th><th class=TH>"처리"</th><th class=TH>"오류"</th></tr>
                </thead>
                <tbody>
                    {job.runs.into_iter().map(|r| {
                        let failed = r.status == "failed";
                        view! {
                            <tr class="border-t border-slate-100 align-top">
                                <td class=TD>{r.scheduled.clone()}</td>
                                <td class=TD>{r.trigger_ko()}{(r.attempts > 1).then(|| format!(" (시도 {}회)", r.attempts))}</td>
                                <td class=TD>{r.started.clone()}</td>
                                <td class=TD>{match (&r.finished, r.seconds) {
                                    (Some(f), Some(s)) => format!("{f} ({s}초)"),
                                    (Some(f), None) => f.clone(),
                                    _ => "-".to_string(),
                                }}</td>
                                <td class=if failed { "px-3 py-1.5 font-semibold text-red-700" } else { TD }>{r.status_ko()}</td>
                                <td class=TD>{r.counts_ko()}</td>
                                <td class="px-3 py-1.5 text-xs text-red-700">{r.error.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
