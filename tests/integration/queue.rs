//! The work queue on the outbox: a lease written through the platform reaches the dashboard's
//! activity once; a failing consumer backs off, dies after its last attempt and runs again when
//! an admin retries it; two workers share the items without handling one twice; the reaper frees
//! the items of an instance that died, and the dead instance cannot finish them any more.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::jobs::QueueDto;
use doongji::domain::Role;
use doongji::server::db::now_utc;
use doongji::server::queue::worker::Queue;
use doongji::server::queue::{ConsumerDef, MAX_ATTEMPTS, store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An app whose own worker and scheduler do not run: the test drives its own queues.
fn without_worker() -> Options {
    Options {
        extra: vec![("BACKGROUND_WORK", "off".into())],
        ..Options::default()
    }
}

async fn exec(app: &TestApp, sql: &str) {
    doongji::db_run!(&app.state.db, |pool| {
        sqlx::query(sql).execute(pool).await.unwrap();
    });
}

/// `n` events of kind `test.ping`, written as the stores write them.
async fn ping_events(app: &TestApp, n: usize) {
    let now = now_utc();
    for i in 0..n {
        doongji::db_run!(&app.state.db, |pool| {
            sqlx::query(
            "INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES ('test.ping', 'test', ?, '{}', ?)"
        )
        .bind(i as i64)
        .bind(now)
        .execute(pool)
        .await
        .unwrap();
        });
    }
}

/// A consumer of `test.` events that records how often it handled each event.
fn counting() -> (ConsumerDef, Arc<Mutex<HashMap<i64, usize>>>) {
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let s = seen.clone();
    let c = ConsumerDef::new("test.count", "시험 처리기", &["test."], move |_, e| {
        let s = s.clone();
        async move {
            *s.lock().unwrap().entry(e.id).or_insert(0) += 1;
            Ok(())
        }
    });
    (c, seen)
}

backend_test!(
    async fn a_new_lease_reaches_the_dashboard_once(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "활동빌딩").await;
        let lease = leased(app, &staff, &f).await;
        // The app's own worker is woken by the change; the line appears within seconds.
        let mut lines: Vec<doongji::areas::audit::ActivityDto> = Vec::new();
        for _ in 0..100 {
            lines = ok(app.call(&staff, "activity/recent", &[]).await).await;
            if !lines.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let line = lines
            .iter()
            .find(|l| l.href.as_deref() == Some(&format!("/platform/leases/{lease}")))
            .unwrap_or_else(|| panic!("no activity line for the lease: {lines:?}"));
        assert!(
            line.summary.starts_with("활동빌딩 101호 임대 계약 등록 — "),
            "{}",
            line.summary
        );
        let page = app.page_text(&staff, "/platform").await;
        assert!(page.contains("활동빌딩 101호 임대 계약 등록"), "{page}");

        // Handling the same event again writes nothing more.
        let event = scalar(
            app,
            &format!("SELECT id FROM domain_events WHERE entity = 'lease' AND entity_id = {lease}"),
        )
        .await;
        let consumer = doongji::areas::audit::service::activity_consumer();
        let e = doongji::server::queue::Event {
            id: event,
            kind: "lease.created".into(),
            entity: "lease".into(),
            entity_id: lease,
            payload: "{}".into(),
            created_at: now_utc(),
        };
        (consumer.handle)(app.state.clone(), e).await.unwrap();
        assert_eq!(
            scalar(
                app,
                &format!("SELECT COUNT(*) FROM activity_feed WHERE event_id = {event}")
            )
            .await,
            1
        );

        // A client user sees only their own buildings' lines.
        let (stranger, _) = app.signed_in(Role::Client).await;
        let theirs: Vec<doongji::areas::audit::ActivityDto> =
            ok(app.call(&stranger, "activity/recent", &[]).await).await;
        assert!(theirs.is_empty(), "{theirs:?}");
        let (_, owner) = owned(app, &staff, &f, "활동고객").await;
        let mine: Vec<doongji::areas::audit::ActivityDto> =
            ok(app.call(&owner, "activity/recent", &[]).await).await;
        assert!(
            mine.iter().any(|l| l.summary.contains("활동빌딩 101호")),
            "{mine:?}"
        );
    }
);

backend_test!(
    #[options(without_worker())]
    async fn a_failing_item_backs_off_dies_and_runs_again_when_an_admin_retries(app: &TestApp) {
        let broken = Arc::new(AtomicBool::new(true));
        let b = broken.clone();
        let flaky = ConsumerDef::new("test.flaky", "시험 알림", &["test."], move |_, _| {
            let b = b.clone();
            async move {
                if b.load(Ordering::SeqCst) {
                    Err(doongji::server::error::AppError::conflict(
                        "메시지 업체가 응답하지 않습니다.",
                    ))
                } else {
                    Ok(())
                }
            }
        });
        let queue = Queue::new(
            vec![flaky],
            "test-a",
            Duration::from_secs(60),
            Duration::from_secs(1),
        );
        ping_events(app, 1).await;
        let pass = queue.pass(&app.state).await.unwrap();
        assert_eq!((pass.fanned_out, pass.failed, pass.handled), (1, 1, 0));
        // Backing off: not ready again for ten seconds.
        let pass = queue.pass(&app.state).await.unwrap();
        assert_eq!((pass.failed, pass.handled), (0, 0));
        let wait = scalar(
            app,
            "SELECT attempts FROM work_items WHERE consumer = 'test.flaky'",
        )
        .await;
        assert_eq!(wait, 1);
        // Every later attempt fails too, until the last leaves it dead.
        for attempt in 2..=MAX_ATTEMPTS {
            exec(
                app,
                "UPDATE work_items SET run_after = '2000-01-01 00:00:00'",
            )
            .await;
            let pass = queue.pass(&app.state).await.unwrap();
            if attempt < MAX_ATTEMPTS {
                assert_eq!(pass.failed, 1, "attempt {attempt}");
            } else {
                assert_eq!(pass.dead, 1);
            }
        }
        exec(
            app,
            "UPDATE work_items SET run_after = '2000-01-01 00:00:00'",
        )
        .await;
        assert_eq!(queue.pass(&app.state).await.unwrap(), Default::default());

        // The admin's page shows it, with the reason; a manager may not retry it.
        let (admin, _) = app.signed_in(Role::Admin).await;
        let (manager, _) = app.signed_in(Role::Manager).await;
        let item = scalar(
            app,
            "SELECT id FROM work_items WHERE consumer = 'test.flaky'",
        )
        .await;
        let res = app
            .call(&manager, "queue/retry", &[("id", &item.to_string())])
            .await;
        assert_eq!(res.status(), 403);
        // The app's own queue does not know this consumer: it shows under its name, marked.
        let overview: QueueDto = ok(app.call(&admin, "queue/overview", &[]).await).await;
        let counts = overview
            .consumers
            .iter()
            .find(|c| c.name == "test.flaky")
            .unwrap();
        assert_eq!((counts.dead, counts.pending), (1, 0));
        let problem = overview.problems.iter().find(|p| p.id == item).unwrap();
        assert_eq!(problem.status_ko(), "중단됨");
        assert_eq!(problem.attempts, MAX_ATTEMPTS);
        assert_eq!(problem.error, "메시지 업체가 응답하지 않습니다.");

        broken.store(false, Ordering::SeqCst);
        let res = app
            .call(&admin, "queue/retry", &[("id", &item.to_string())])
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        assert_eq!(
            doongji::server::db::audit::count(&app.state.db, "work_item", item)
                .await
                .unwrap(),
            1
        );
        // A second retry of an item no longer failed is refused, in words.
        let again = err(
            app.call(&admin, "queue/retry", &[("id", &item.to_string())])
                .await,
            409,
        )
        .await;
        assert!(again.to_string().contains("이미 처리되었거나"), "{again}");
        let pass = queue.pass(&app.state).await.unwrap();
        assert_eq!(pass.handled, 1);
        let status: String = doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar(
            "SELECT status FROM work_items WHERE id = ?"
        )
        .bind(item)
        .fetch_one(pool)
        .await
        .unwrap());
        assert_eq!(status, "done");
    }
);

backend_test!(
    #[options(without_worker())]
    async fn two_workers_share_the_items_and_handle_each_once(app: &TestApp) {
        let (consumer, seen) = counting();
        let a = Queue::new(
            vec![consumer.clone()],
            "test-a",
            Duration::from_secs(60),
            Duration::from_secs(1),
        );
        let b = Queue::new(
            vec![consumer],
            "test-b",
            Duration::from_secs(60),
            Duration::from_secs(1),
        );
        ping_events(app, 240).await;
        let (ra, rb) = tokio::join!(a.drain(&app.state), b.drain(&app.state));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.handled + rb.handled, 240, "{ra:?} {rb:?}");
        {
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), 240);
            assert!(seen.values().all(|n| *n == 1), "handled twice: {seen:?}");
        }
        assert_eq!(
            scalar(
                app,
                "SELECT COUNT(*) FROM work_items WHERE status <> 'done'"
            )
            .await,
            0
        );
        assert_eq!(
            scalar(
                app,
                "SELECT COUNT(*) FROM domain_events WHERE processed_at IS NULL"
            )
            .await,
            0
        );
    }
);

backend_test!(
    #[options(without_worker())]
    async fn the_reaper_frees_a_dead_instances_items_and_fences_it_out(app: &TestApp) {
        let (consumer, seen) = counting();
        let queue = Queue::new(
            vec![consumer.clone()],
            "test-b",
            Duration::from_secs(60),
            Duration::from_secs(1),
        );
        ping_events(app, 5).await;
        let now = now_utc();
        store::fan_out(&app.state.db, &[consumer], now)
            .await
            .unwrap();
        // An instance claims everything and dies: its claim ran out a second ago.
        let claimed = store::claim(
            &app.state.db,
            "dead-instance#0",
            now,
            now - chrono::Duration::seconds(1),
            50,
        )
        .await
        .unwrap();
        assert_eq!(claimed.len(), 5);
        // Nobody else takes them while they are claimed...
        assert_eq!(queue.pass(&app.state).await.unwrap().handled, 0);
        // ... until the reaper frees them.
        assert_eq!(store::reap(&app.state.db, now_utc()).await.unwrap(), 5);
        let reason: String = doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar(
            "SELECT last_error FROM work_items ORDER BY id LIMIT 1"
        )
        .fetch_one(pool)
        .await
        .unwrap());
        assert!(reason.contains("다시 처리합니다"), "{reason}");
        let drained = queue.drain(&app.state).await.unwrap();
        assert_eq!(drained.handled, 5);
        assert_eq!(seen.lock().unwrap().len(), 5);
        assert_eq!(
            scalar(app, "SELECT MIN(attempts) FROM work_items").await,
            2,
            "the dead instance's attempt counts"
        );
        // The dead instance comes back and tries to finish: its claim is no longer valid.
        let ids: Vec<i64> = claimed.iter().map(|c| c.id).collect();
        assert_eq!(
            store::complete(&app.state.db, "dead-instance#0", &ids, now_utc())
                .await
                .unwrap(),
            0
        );
    }
);

/// The queue's throughput with a no-op handler (`benches/queue_throughput.sh` runs it in a
/// release build): `BENCH_EVENTS` events (default 20,000) fanned out and handled by one worker,
/// then by two workers side by side, in events per second.
async fn throughput(app: &TestApp) {
    let n: usize = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let noop = ConsumerDef::new("bench.noop", "측정", &["test."], |_, _| async { Ok(()) });
    for workers in [1usize, 2] {
        exec(app, "DELETE FROM work_items").await;
        exec(app, "DELETE FROM domain_events").await;
        let now = now_utc();
        for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
            let sql = format!(
                "INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES {}",
                vec!["('test.ping', 'test', ?, '{}', ?)"; chunk.len()].join(", ")
            );
            doongji::db_run!(&app.state.db, |pool| {
                let mut q = sqlx::query(&sql);
                for i in chunk {
                    q = q.bind(*i as i64).bind(now);
                }
                q.execute(pool).await.unwrap();
            });
        }
        let queues: Vec<Queue> = (0..workers)
            .map(|i| {
                Queue::new(
                    vec![noop.clone()],
                    format!("bench-{i}"),
                    Duration::from_secs(60),
                    Duration::from_secs(1),
                )
            })
            .collect();
        let start = std::time::Instant::now();
        let tasks: Vec<_> = queues
            .into_iter()
            .map(|q| {
                let state = app.state.clone();
                tokio::spawn(async move { q.drain(&state).await.unwrap().handled })
            })
            .collect();
        let mut handled = 0;
        for t in tasks {
            handled += t.await.unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(handled, n);
        println!(
            "queue throughput ({}, {workers} worker{}): {n} events in {secs:.2} s = {:.0} events/s",
            app.backend.name,
            if workers == 1 { "" } else { "s" },
            n as f64 / secs
        );
    }
}

backend_test!(
    #[options(without_worker())]
    async fn queue_throughput_bench(app: &TestApp) {
        if std::env::var("BENCH_EVENTS").is_err() {
            return; // only when asked: benches/queue_throughput.sh
        }
        throughput(app).await;
    }
);
