//! Scheduled jobs: two instances fire a due job once, a run whose holder died is taken over, a
//! firing missed while everything was down runs once (or is skipped, per job), a paused job
//! does not fire.

use crate::helpers::*;
use chrono::DurationRound;
use doongji::server::db::now_utc;
use doongji::server::jobs::runs::{self, NewRun};
use doongji::server::jobs::scheduler::Scheduler;
use doongji::server::jobs::{JobDef, JobReport, Missed};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const LEASE: Duration = Duration::from_secs(60);
const TICK: Duration = Duration::from_secs(20);

/// A job that counts its runs; the first `hang` runs never finish (a holder that dies mid-run).
fn counting_job(
    name: &'static str,
    schedule: &'static str,
    missed: Missed,
    hang: usize,
) -> (JobDef, Arc<AtomicUsize>) {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let job = JobDef::new(name, "시험 작업", schedule, missed, move |_state| {
        let counter = counter.clone();
        async move {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            if n < hang {
                std::future::pending::<()>().await;
            }
            Ok(JobReport::count("처리", 1))
        }
    });
    (job, runs)
}

/// Registers `job` as known since `since`, so its scheduled times after that count as due.
async fn known_since(app: &TestApp, job: &JobDef, since: chrono::DateTime<chrono::Utc>) {
    runs::settings(&app.state.db, job.name, job.default_schedule, since)
        .await
        .unwrap();
}

async fn settle(handles: Vec<tokio::task::JoinHandle<()>>) {
    for h in handles {
        tokio::time::timeout(Duration::from_secs(10), h)
            .await
            .expect("the run ends")
            .expect("the run does not panic");
    }
}

backend_test!(
    async fn two_instances_fire_a_due_job_once(app: &TestApp) {
        let (job, count) = counting_job("test.minutely", "* * * * *", Missed::CatchUpOnce, 0);
        let now = now_utc();
        // Known for an hour, so this minute's firing is due.
        known_since(app, &job, now - chrono::Duration::hours(1)).await;
        let a = Scheduler::new(vec![job.clone()], "instance-a", LEASE, TICK);
        let b = Scheduler::new(vec![job.clone()], "instance-b", LEASE, TICK);
        let (ra, rb) = tokio::join!(a.tick(&app.state, now), b.tick(&app.state, now));
        let ((oa, ha), (ob, hb)) = (ra.unwrap(), rb.unwrap());
        assert_eq!(
            oa.started.len() + ob.started.len(),
            1,
            "one instance starts it: {oa:?} {ob:?} on {}",
            app.backend.name
        );
        settle(ha).await;
        settle(hb).await;
        assert_eq!(count.load(Ordering::SeqCst), 1);

        // Ticking again for the same minute does nothing. (Not `now` plus a few seconds: that
        // can be the next minute, whose firing is rightly due.)
        let (again, h) = a.tick(&app.state, now).await.unwrap();
        settle(h).await;
        assert!(again.started.is_empty());
        assert_eq!(count.load(Ordering::SeqCst), 1);

        let recorded = runs::recent(&app.state.db, job.name, 10).await.unwrap();
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].status, "succeeded");
        assert_eq!(recorded[0].trigger_kind, "schedule");
        assert!(
            recorded[0].counts.contains("처리"),
            "{}",
            recorded[0].counts
        );
    }
);

backend_test!(
    async fn a_run_whose_holder_died_is_taken_over(app: &TestApp) {
        // The first start hangs (its instance is then killed); the takeover finishes.
        // Yearly, so no new firing comes due while the test moves the clock on.
        let (job, count) = counting_job("test.takeover", "0 0 1 1 *", Missed::CatchUpOnce, 1);
        let now = now_utc();
        known_since(app, &job, now - chrono::Duration::days(400)).await;
        let a = Scheduler::new(vec![job.clone()], "instance-a", LEASE, TICK);
        let (started, handles) = a.tick(&app.state, now).await.unwrap();
        assert_eq!(started.started.len(), 1);
        tokio::time::sleep(Duration::from_millis(200)).await;
        for h in handles {
            h.abort(); // instance A dies mid-run: its lease is no longer renewed
        }

        let b = Scheduler::new(vec![job.clone()], "instance-b", LEASE, TICK);
        // Before the lease runs out, the run is still A's.
        let (early, h) = b
            .tick(&app.state, now + chrono::Duration::seconds(30))
            .await
            .unwrap();
        assert!(early.started.is_empty(), "{early:?}");
        settle(h).await;
        // After it, B takes over and finishes.
        let later = now + chrono::Duration::seconds(61);
        let (taken, h) = b.tick(&app.state, later).await.unwrap();
        assert_eq!(
            taken
                .started
                .iter()
                .map(|s| s.2.as_str())
                .collect::<Vec<_>>(),
            vec!["takeover"],
            "on {}",
            app.backend.name
        );
        settle(h).await;
        assert_eq!(count.load(Ordering::SeqCst), 2);
        let recorded = runs::recent(&app.state.db, job.name, 10).await.unwrap();
        assert_eq!(recorded.len(), 1, "still one run for that time");
        assert_eq!(recorded[0].status, "succeeded");
        assert_eq!(recorded[0].attempts, 2);
    }
);

backend_test!(
    async fn a_run_abandoned_too_often_is_marked_failed(app: &TestApp) {
        let (job, count) = counting_job("test.hopeless", "0 * * * *", Missed::CatchUpOnce, 0);
        let now = now_utc();
        let slot = now - chrono::Duration::minutes(10);
        runs::claim(
            &app.state.db,
            &NewRun {
                job: job.name,
                slot,
                trigger: "schedule",
                status: "running",
                holder: "dead",
                lease_until: now - chrono::Duration::seconds(1),
                now: slot,
                requested_by: None,
            },
        )
        .await
        .unwrap();
        let b = Scheduler::new(vec![job.clone()], "instance-b", LEASE, TICK);
        for attempt in 0..3 {
            let at = now + chrono::Duration::seconds(70 * attempt);
            let (_, h) = b.tick(&app.state, at).await.unwrap();
            for h in h {
                h.abort();
            }
            // Make B's lease look lapsed, as if B had died too.
            if let doongji::server::db::Db::Sqlite(p) = &app.state.db {
                sqlx::query("UPDATE job_runs SET lease_until = ? WHERE job = ?")
                    .bind(at - chrono::Duration::seconds(1))
                    .bind(job.name)
                    .execute(p)
                    .await
                    .unwrap();
            } else if let doongji::server::db::Db::MySql(p) = &app.state.db {
                sqlx::query("UPDATE job_runs SET lease_until = ? WHERE job = ?")
                    .bind(at - chrono::Duration::seconds(1))
                    .bind(job.name)
                    .execute(p)
                    .await
                    .unwrap();
            }
        }
        let recorded = runs::recent(&app.state.db, job.name, 10).await.unwrap();
        let run = recorded.iter().find(|r| r.slot == slot).expect("the run");
        assert_eq!(run.status, "failed", "on {}", app.backend.name);
        assert!(run.error.contains("중단"), "{}", run.error);
        let _ = count;
    }
);

backend_test!(
    async fn a_missed_firing_catches_up_once_or_is_skipped(app: &TestApp) {
        let (hourly, count) = counting_job("test.hourly", "0 * * * *", Missed::CatchUpOnce, 0);
        let (skipper, skipped_runs) = counting_job("test.skipper", "30 * * * *", Missed::Skip, 0);
        let now = now_utc();
        // Registered three days ago; every instance was down since: 72 firings missed.
        for job in [&hourly, &skipper] {
            known_since(app, job, now - chrono::Duration::days(3)).await;
        }
        let s = Scheduler::new(
            vec![hourly.clone(), skipper.clone()],
            "instance-a",
            LEASE,
            TICK,
        );
        // The next start: ten minutes past an hour, so the hourly firing is ten minutes late
        // and the half-hourly one forty.
        let at = (now + chrono::Duration::hours(2))
            .duration_trunc(chrono::TimeDelta::hours(1))
            .unwrap()
            + chrono::Duration::minutes(10);
        let (outcome, h) = s.tick(&app.state, at).await.unwrap();
        settle(h).await;
        let started: Vec<_> = outcome
            .started
            .iter()
            .map(|(j, _, t)| (j.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            started,
            vec![("test.hourly", "catch_up")],
            "on {}",
            app.backend.name
        );
        assert_eq!(outcome.skipped.len(), 1);
        assert_eq!(outcome.skipped[0].0, "test.skipper");

        let (again, h) = s
            .tick(&app.state, at + chrono::Duration::seconds(1))
            .await
            .unwrap();
        settle(h).await;
        assert!(
            again.started.is_empty() && again.skipped.is_empty(),
            "{again:?}"
        );
        assert_eq!(
            count.load(Ordering::SeqCst),
            1,
            "once, not once per missed hour"
        );
        assert_eq!(
            runs::recent(&app.state.db, "test.hourly", 100)
                .await
                .unwrap()
                .len(),
            1
        );
        let skipper_rows = runs::recent(&app.state.db, "test.skipper", 100)
            .await
            .unwrap();
        assert_eq!(skipper_rows.len(), 1);
        assert_eq!(skipper_rows[0].status, "skipped");
        assert_eq!(skipped_runs.load(Ordering::SeqCst), 0);
    }
);

backend_test!(
    async fn a_paused_job_does_not_fire(app: &TestApp) {
        let (job, count) = counting_job("test.paused", "* * * * *", Missed::CatchUpOnce, 0);
        let now = now_utc();
        known_since(app, &job, now - chrono::Duration::hours(1)).await;
        runs::set_paused(&app.state.db, job.name, true, None, now)
            .await
            .unwrap();
        let s = Scheduler::new(vec![job.clone()], "instance-a", LEASE, TICK);
        let (outcome, h) = s.tick(&app.state, now).await.unwrap();
        settle(h).await;
        assert!(outcome.started.is_empty(), "on {}", app.backend.name);
        assert_eq!(count.load(Ordering::SeqCst), 0);

        // Resumed: the time that passed while paused was never due, so nothing runs for it;
        // the next scheduled time after the resume does.
        let resumed = now_utc();
        runs::set_paused(&app.state.db, job.name, false, None, resumed)
            .await
            .unwrap();
        let (outcome, h) = s.tick(&app.state, resumed).await.unwrap();
        settle(h).await;
        assert!(
            outcome.started.is_empty() && outcome.skipped.is_empty(),
            "{outcome:?}"
        );
        let next = resumed + chrono::Duration::seconds(61);
        let (outcome, h) = s.tick(&app.state, next).await.unwrap();
        settle(h).await;
        assert_eq!(outcome.started.len(), 1, "{outcome:?}");
        assert_eq!(outcome.started[0].2, "schedule");
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
);

/// The jobs page's list, as the admin's browser gets it.
async fn job_list(app: &TestApp, admin: &reqwest::Client) -> Vec<doongji::areas::jobs::JobDto> {
    ok(app.call(admin, "jobs/list", &[]).await).await
}

backend_test!(
    async fn an_admin_runs_a_job_by_hand_and_reads_its_record(app: &TestApp) {
        let (admin, _) = app.signed_in(doongji::domain::Role::Admin).await;
        let jobs = job_list(app, &admin).await;
        let cleanup = jobs
            .iter()
            .find(|j| j.name == "sessions.cleanup")
            .expect("the session cleanup job is registered");
        assert_eq!(cleanup.label, "만료된 로그인 세션 정리");
        assert!(cleanup.next_run.is_some(), "{cleanup:?}");

        let res = app
            .call(&admin, "jobs/run", &[("name", "sessions.cleanup")])
            .await;
        assert_eq!(res.status(), 200, "{}", app.backend.name);
        let mut run = None;
        for _ in 0..50 {
            let jobs = job_list(app, &admin).await;
            let job = jobs
                .into_iter()
                .find(|j| j.name == "sessions.cleanup")
                .unwrap();
            if let Some(r) = job.runs.first()
                && r.status != "running"
            {
                run = Some(r.clone());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let run = run.expect("the run ends");
        assert_eq!(
            (run.trigger.as_str(), run.status.as_str()),
            ("manual", "succeeded")
        );
        assert!(run.counts_ko().contains("삭제한 세션"), "{run:?}");

        let unknown = app.call(&admin, "jobs/run", &[("name", "nope")]).await;
        assert_eq!(unknown.status(), 404);
    }
);

backend_test!(
    async fn a_schedule_is_validated_saved_audited_and_a_job_paused(app: &TestApp) {
        let (admin, _) = app.signed_in(doongji::domain::Role::Admin).await;
        let e = err(
            app.call(
                &admin,
                "jobs/schedule",
                &[("name", "sessions.cleanup"), ("schedule", "0 9 * *")],
            )
            .await,
            422,
        )
        .await;
        assert!(
            e.field_message("schedule")
                .is_some_and(|m| m.contains("다섯 칸")),
            "{e:?}"
        );

        let res = app
            .call(
                &admin,
                "jobs/schedule",
                &[("name", "sessions.cleanup"), ("schedule", " 15  4 * * * ")],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", app.backend.name);
        let job = job_list(app, &admin)
            .await
            .into_iter()
            .find(|j| j.name == "sessions.cleanup")
            .unwrap();
        assert_eq!(job.schedule, "15 4 * * *");
        assert!(
            job.next_run
                .as_deref()
                .is_some_and(|t| t.ends_with("04:15")),
            "{job:?}"
        );
        let audited: i64 = doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'job' AND after_json LIKE '%15 4%'"
        )
        .fetch_one(pool)
        .await
        .unwrap());
        assert_eq!(audited, 1);

        let res = app
            .call(
                &admin,
                "jobs/pause",
                &[("name", "sessions.cleanup"), ("paused", "true")],
            )
            .await;
        assert_eq!(res.status(), 200);
        let job = job_list(app, &admin)
            .await
            .into_iter()
            .find(|j| j.name == "sessions.cleanup")
            .unwrap();
        assert!(job.paused && job.next_run.is_none(), "{job:?}");
    }
);
