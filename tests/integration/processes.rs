//! Real server processes (the built binary) on one database: two instances fire each due job
//! once and share the queue without handling an item twice; a process killed with SIGKILL in
//! the middle of the queue's work loses no event and doubles none after a restart. On SQLite
//! always, and on MySQL/MariaDB when TEST_MYSQL_URL is set.

use crate::helpers::unique;
use doongji::server::db::{Db, now_utc};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh database for this test: a SQLite file, or a new MySQL database (dropped after).
struct Database {
    url: String,
    dir: PathBuf,
    mysql: Option<(String, String)>,
}

impl Database {
    async fn new(mysql: bool) -> Option<Database> {
        let scratch = match mysql {
            true => Some(crate::helpers::scratch_mysql("p").await?),
            false => None,
        };
        let dir = std::env::temp_dir().join(format!("doongji-proc-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        Some(match scratch {
            Some(m) => Database {
                url: m.url,
                dir,
                mysql: Some((m.admin_url, m.name)),
            },
            None => Database {
                url: format!("sqlite://{}?mode=rwc", dir.join("proc.db").display()),
                dir,
                mysql: None,
            },
        })
    }

    async fn connect(&self) -> Db {
        Db::connect(&self.url, 4).await.unwrap()
    }

    async fn drop_all(self) {
        if let Some((admin_url, name)) = &self.mysql {
            crate::helpers::drop_mysql(admin_url, name).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_doongji"));
        c.args(args)
            .env_clear()
            .env("DATABASE_URL", &self.url)
            .env("FILES_DIR", self.dir.join("files"))
            .env("BACKUP_TO", self.dir.join("backups"))
            .env("QUEUE_CLAIM_SECONDS", "3")
            .env("RUST_LOG", "warn");
        c
    }

    fn migrate(&self) {
        let out = self.command(&["migrate"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `doongji serve` on a free port; its log goes to `<dir>/<name>.log`.
    fn serve(&self, name: &str) -> Child {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(self.dir.join(format!("{name}.log"))).unwrap();
        self.command(&["serve"])
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap()
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    doongji::db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap())
}

/// `n` lease events as the stores write them (for leases that are not there: the activity line
/// then names the lease by number).
async fn lease_events(db: &Db, n: usize) {
    let now = now_utc();
    for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
        let sql = format!(
            "INSERT INTO domain_events (kind, entity, entity_id, payload, created_at) VALUES {}",
            vec!["('lease.created', 'lease', ?, '{}', ?)"; chunk.len()].join(", ")
        );
        doongji::db_run!(db, |pool| {
            let mut q = sqlx::query(&sql);
            for i in chunk {
                q = q.bind(*i as i64 + 1_000_000).bind(now);
            }
            q.execute(pool).await.unwrap();
        });
    }
}

async fn wait_until(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

async fn killed_mid_work(mysql: bool) {
    let Some(database) = Database::new(mysql).await else {
        eprintln!("skipped: TEST_MYSQL_URL not set");
        return;
    };
    database.migrate();
    let db = database.connect().await;
    const N: i64 = 3000;
    lease_events(&db, N as usize).await;

    let first = database.serve("first");
    wait_until("the first lines", Duration::from_secs(60), async || {
        count(&db, "SELECT COUNT(*) FROM activity_feed").await > 0
    })
    .await;
    // SIGKILL: no shutdown, no clean-up, claims left as they are.
    stop(first);
    let at_kill = count(&db, "SELECT COUNT(*) FROM activity_feed").await;
    let claimed_at_kill = count(
        &db,
        "SELECT COUNT(*) FROM work_items WHERE status = 'running'",
    )
    .await;
    assert!(at_kill < N, "the work was done before the kill ({at_kill})");

    let second = database.serve("second");
    wait_until("all the work", Duration::from_secs(120), async || {
        count(&db, "SELECT COUNT(*) FROM work_items WHERE status = 'done'").await == N
    })
    .await;
    stop(second);

    assert_eq!(count(&db, "SELECT COUNT(*) FROM activity_feed").await, N);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM domain_events WHERE processed_at IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM work_items WHERE status <> 'done'"
        )
        .await,
        0
    );
    let retried = count(&db, "SELECT COUNT(*) FROM work_items WHERE attempts > 1").await;
    eprintln!(
        "killed with {at_kill} of {N} handled and {claimed_at_kill} claimed; {retried} handled again after the restart"
    );
    // What the killed process held was taken over (and written once).
    assert!(retried >= claimed_at_kill, "{retried} < {claimed_at_kill}");
    database.drop_all().await;
}

async fn two_processes(mysql: bool) {
    let Some(database) = Database::new(mysql).await else {
        eprintln!("skipped: TEST_MYSQL_URL not set");
        return;
    };
    database.migrate();
    let db = database.connect().await;
    // Every minute, and known for an hour: this minute's firing is due as both start.
    let hour_ago = now_utc() - chrono::Duration::hours(1);
    for job in ["sessions.cleanup", "queue.cleanup"] {
        doongji::db_run!(&db, |pool| {
            sqlx::query(
            "INSERT INTO job_settings (name, schedule, paused, first_seen_at, updated_at) VALUES (?, '* * * * *', FALSE, ?, ?)"
        )
        .bind(job)
        .bind(hour_ago)
        .bind(hour_ago)
        .execute(pool)
        .await
        .unwrap();
        });
    }
    const N: i64 = 1500;
    lease_events(&db, N as usize).await;
    let a = database.serve("a");
    let b = database.serve("b");
    wait_until("the queue's work", Duration::from_secs(120), async || {
        count(&db, "SELECT COUNT(*) FROM work_items WHERE status = 'done'").await == N
    })
    .await;
    wait_until("both jobs' runs", Duration::from_secs(30), async || {
        count(
            &db,
            "SELECT COUNT(*) FROM job_runs WHERE status = 'succeeded'",
        )
        .await
            >= 2
    })
    .await;
    // Both instances have ticked by now (each ticks as it starts).
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop(a);
    stop(b);

    // Each job ran once per scheduled minute, by one of the two, on its first attempt.
    let runs: Vec<(String, String, i64)> = doongji::db_run!(&db, |pool| sqlx::query_as(
        "SELECT job, holder, attempts FROM job_runs ORDER BY job, slot"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    let per_job_slot = count(
        &db,
        "SELECT COUNT(*) FROM (SELECT job, slot FROM job_runs GROUP BY job, slot) s",
    )
    .await;
    assert_eq!(per_job_slot as usize, runs.len());
    assert!(
        runs.iter().all(|(_, _, attempts)| *attempts == 1),
        "{runs:?}"
    );
    for job in ["sessions.cleanup", "queue.cleanup"] {
        assert!(
            runs.iter().any(|(j, _, _)| j == job),
            "{job} did not run: {runs:?}"
        );
    }
    // The queue's items were shared: each handled once (one attempt), written once.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM activity_feed").await, N);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM work_items WHERE attempts <> 1").await,
        0
    );
    let holders = count(&db, "SELECT COUNT(DISTINCT holder) FROM job_runs").await;
    eprintln!(
        "two processes: {} runs by {holders} instance(s); {N} items each handled once",
        runs.len()
    );
    database.drop_all().await;
}

#[tokio::test]
async fn a_process_killed_mid_work_loses_and_doubles_nothing_sqlite() {
    killed_mid_work(false).await;
}

#[tokio::test]
async fn a_process_killed_mid_work_loses_and_doubles_nothing_mysql() {
    killed_mid_work(true).await;
}

#[tokio::test]
async fn two_processes_fire_each_job_once_and_share_the_queue_sqlite() {
    two_processes(false).await;
}

#[tokio::test]
async fn two_processes_fire_each_job_once_and_share_the_queue_mysql() {
    two_processes(true).await;
}

/// `doongji generate-invoices` started twice at once on one database (as two machines' monthly
/// jobs would): every lease of the month gets one invoice, and the two runs' counts add up.
async fn two_processes_generate_a_month_once(mysql: bool) {
    let Some(database) = Database::new(mysql).await else {
        eprintln!("skipped: TEST_MYSQL_URL not set");
        return;
    };
    database.migrate();
    let out = database
        .command(&["seed-demo", "--buildings", "6", "--leases", "600"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let month = doongji::domain::billing::YearMonth::of(doongji::server::time::today_seoul());
    let m = month.to_string();
    let runs: Vec<Child> = (0..2)
        .map(|_| {
            database
                .command(&["generate-invoices", "--month", &m])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut created = 0;
    for run in runs {
        let out = run.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let n: i64 = text
            .split("새로 만듦 ")
            .nth(1)
            .and_then(|s| s.split('건').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no count in {text:?}"));
        created += n;
    }
    let db = database.connect().await;
    let invoices = count(&db, "SELECT COUNT(*) FROM invoices").await;
    let billable = count(
        &db,
        &format!(
            "SELECT COUNT(*) FROM leases WHERE start_date <= '{}' AND COALESCE(terminated_on, end_date) >= '{}'",
            month.last_day(),
            month.first_day()
        ),
    )
    .await;
    assert!(invoices > 0);
    assert_eq!(invoices, billable);
    assert_eq!(
        created, invoices,
        "the two runs together created each invoice once"
    );
    eprintln!(
        "two processes: {invoices} invoices for {billable} leases, created once between them"
    );
    database.drop_all().await;
}

#[tokio::test]
async fn two_processes_generate_a_month_once_sqlite() {
    two_processes_generate_a_month_once(false).await;
}

#[tokio::test]
async fn two_processes_generate_a_month_once_mysql() {
    two_processes_generate_a_month_once(true).await;
}

/// `doongji copy-pinned-expenses` started twice at once on one database (two machines' jobs on
/// the 25th): each pinned item is copied into the next month once, and the runs' counts add up.
async fn two_processes_copy_pinned_expenses_once(mysql: bool) {
    let Some(database) = Database::new(mysql).await else {
        eprintln!("skipped: TEST_MYSQL_URL not set");
        return;
    };
    database.migrate();
    let out = database
        .command(&["seed-demo", "--buildings", "6", "--leases", "60"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = database.connect().await;
    // 400 pinned items (and 100 that are not) over the demo buildings, in November.
    let now = doongji::server::db::now_utc();
    for i in 0..500i64 {
        doongji::db_run!(&db, |pool| {
            sqlx::query(
            "INSERT INTO expenses (building_id, month, category, vendor, amount, vat, pay_date, pinned, memo, created_at, updated_at) \
             VALUES ((SELECT MIN(id) FROM buildings) + ?, '2026-11', 'cleaning', ?, ?, 0, '2026-11-25', ?, '', ?, ?)"
        )
        .bind(i % 6)
        .bind(format!("업체{i}"))
        .bind(10_000 + i)
        .bind(i < 400)
        .bind(now)
        .bind(now)
        .execute(pool)
        .await
        .unwrap();
        });
    }
    let runs: Vec<Child> = (0..2)
        .map(|_| {
            database
                .command(&["copy-pinned-expenses", "--month", "2026-11"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut copied = 0;
    for run in runs {
        let out = run.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let n: i64 = text
            .split("고정 지출 ")
            .nth(1)
            .and_then(|s| s.split('건').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no count in {text:?}"));
        copied += n;
    }
    let december = count(&db, "SELECT COUNT(*) FROM expenses WHERE month = '2026-12'").await;
    let sources = count(
        &db,
        "SELECT COUNT(DISTINCT source_id) FROM expenses WHERE month = '2026-12'",
    )
    .await;
    assert_eq!((december, sources, copied), (400, 400, 400));
    let events = count(
        &db,
        "SELECT COUNT(*) FROM domain_events WHERE kind = 'expense.pay_date'",
    )
    .await;
    assert_eq!(events, 400, "one pay-date event per copy");
    database.drop_all().await;
}

#[tokio::test]
async fn two_processes_copy_pinned_expenses_once_sqlite() {
    two_processes_copy_pinned_expenses_once(false).await;
}

#[tokio::test]
async fn two_processes_copy_pinned_expenses_once_mysql() {
    two_processes_copy_pinned_expenses_once(true).await;
}
