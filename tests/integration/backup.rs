//! Backups: a backup of a seeded database restores into an empty SQLite and (when configured)
//! an empty MySQL with the same rows and checksums per table; a damaged or cut-off file and a
//! database that is not empty are refused with a clear message.

use crate::helpers::*;
use doongji::server::backup::{self, Table};
use doongji::server::commands;
use doongji::server::db::Db;

/// A migrated, empty database of `kind` ("sqlite" or "mysql"), and how to remove it.
struct Empty {
    db: Db,
    name: &'static str,
    mysql: Option<(String, String)>,
    dir: std::path::PathBuf,
}

impl Empty {
    async fn new(kind: &'static str) -> Empty {
        let dir = std::env::temp_dir().join(format!("doongji-restore-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let (url, mysql) = if kind == "mysql" {
            let m = scratch_mysql("r").await.expect("TEST_MYSQL_URL");
            (m.url, Some((m.admin_url, m.name)))
        } else {
            (
                format!("sqlite://{}?mode=rwc", dir.join("r.db").display()),
                None,
            )
        };
        let db = Db::connect(&url, 3).await.unwrap();
        db.migrate().await.unwrap();
        Empty {
            db,
            name: kind,
            mysql,
            dir,
        }
    }

    async fn remove(self) {
        self.db.close().await;
        if let Some((admin_url, name)) = self.mysql {
            drop_mysql(&admin_url, &name).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn targets() -> Vec<&'static str> {
    let mut t = vec!["sqlite"];
    if std::env::var("TEST_MYSQL_URL").is_ok() {
        t.push("mysql");
    }
    t
}

backend_test!(
    async fn a_backup_restores_into_either_backend_with_the_same_checksums(app: &TestApp) {
        doongji::server::db::seed::seed_demo(&app.state.db, 2, 30)
            .await
            .unwrap();
        // A signed-in user too: accounts, a session (in the database without Redis), an audit.
        let (staff, _) = app.signed_in(doongji::domain::Role::Manager).await;
        let _ = app.call(&staff, "buildings/list", &[]).await;
        let dir = std::env::temp_dir().join(format!("doongji-backup-{}", unique()));
        let path = dir.join("nightly.backup");
        let (manifest, size) = commands::backup_to_file(&app.state.db, &path)
            .await
            .unwrap();
        assert!(size > 0 && !dir.join("nightly.partial").exists());
        let leases = manifest.tables.iter().find(|t| t.name == "leases").unwrap();
        assert_eq!(leases.rows, 30, "{}", app.backend.name);
        assert!(
            manifest
                .tables
                .iter()
                .any(|t| t.name == "users" && t.rows > 0)
        );

        for kind in targets() {
            let target = Empty::new(kind).await;
            commands::restore_from_file(&target.db, &path)
                .await
                .unwrap_or_else(|e| panic!("{} → {}: {e}", app.backend.name, target.name));
            let again: Vec<_> = backup::snapshot(&target.db)
                .await
                .unwrap()
                .iter()
                .map(Table::summary)
                .collect();
            assert_eq!(
                again, manifest.tables,
                "rows and checksums per table, {} → {}",
                app.backend.name, target.name
            );
            let e = commands::restore_from_file(&target.db, &path)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("빈 데이터베이스에만"), "{e}");
            target.remove().await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
);

#[tokio::test]
async fn a_damaged_or_cut_off_backup_is_refused() {
    let source = Empty::new("sqlite").await;
    doongji::server::db::seed::seed_demo(&source.db, 1, 10)
        .await
        .unwrap();
    let path = source.dir.join("b.backup");
    commands::backup_to_file(&source.db, &path).await.unwrap();
    let good = std::fs::read(&path).unwrap();
    assert!(backup::read(&good[..]).is_ok());

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    for b in &mut flipped[middle..middle + 8] {
        *b ^= 0x5a;
    }
    let cut = &good[..good.len() * 2 / 3];
    for (what, bytes) in [
        ("flipped", &flipped[..]),
        ("cut off", cut),
        ("not a backup", b"hello"),
    ] {
        let e = backup::read(bytes).expect_err(what);
        assert!(e.to_string().contains("손상"), "{what}: {e}");
    }

    // Nothing was written by a refused restore.
    let target = Empty::new("sqlite").await;
    let bad = source.dir.join("bad.backup");
    std::fs::write(&bad, &flipped).unwrap();
    assert!(commands::restore_from_file(&target.db, &bad).await.is_err());
    let users: i64 = doongji::db_run!(&target.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(users, 0);
    target.remove().await;
    source.remove().await;
}

fn keep_two_days_one_month() -> Options {
    Options {
        extra: vec![
            ("BACKUP_KEEP_DAILY", "2".into()),
            ("BACKUP_KEEP_MONTHLY", "1".into()),
        ],
        ..Options::default()
    }
}

backend_test!(
    /// The nightly job (started with "지금 백업"): a verified backup in the store with the
    /// attached files copied beside it, listed on the platform; the retention removes what is
    /// past it; `/readyz` turns degraded once the newest verified backup is over 26 hours old.
    #[options(keep_two_days_one_month())]
    async fn the_nightly_backup_is_verified_listed_kept_and_watched(app: &TestApp) {
        use crate::fixtures::*;
        use doongji::areas::jobs::BackupsDto;
        use doongji::domain::Role;
        let (admin, _) = app.signed_in(Role::Admin).await;
        let f = fixture(app, &admin, "백업빌딩").await;
        let res = upload(
            app,
            &admin,
            "building",
            f.building,
            "도면.pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let key: String = doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar(
            "SELECT storage_key FROM files"
        )
        .fetch_one(pool)
        .await
        .unwrap());

        // Earlier backups: yesterday's stays (two days kept), the day before's and last year's
        // go (one month kept: this one).
        let dir = app.backups_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let seoul = doongji::server::time::seoul();
        let day = |n: i64| {
            (chrono::Utc::now().with_timezone(&seoul) - chrono::Duration::days(n))
                .format("doongji-%Y%m%d-235500.backup")
                .to_string()
        };
        let (yesterday, before) = (day(1), day(2));
        let last_year = day(400);
        for name in [&yesterday, &before, &last_year] {
            std::fs::write(dir.join(name), b"old").unwrap();
        }
        // A later one of yesterday that failed its verification takes no day's place (the
        // verified one of that day stays) and goes too.
        let failed = day(1).replace("-235500", "-235900");
        std::fs::write(dir.join(&failed), b"bad").unwrap();
        doongji::db_run!(&app.state.db, |pool| {
            sqlx::query(
                "INSERT INTO backups (name, location, created_at, size_bytes, tables_count, rows_count, files_count, files_copied, verified, verify_message) \
                 VALUES (?, 'test', ?, 3, 0, 0, 0, 0, FALSE, '다시 읽은 백업이 올바르지 않습니다')",
            )
            .bind(&failed)
            .bind(doongji::server::db::now_utc() - chrono::Duration::hours(30))
            .execute(pool)
            .await
            .unwrap();
        });

        let before_any: BackupsDto = ok(app.call(&admin, "backups/list", &[]).await).await;
        assert!(!before_any.backups[0].verified);
        assert!(!before_any.stale, "{}", before_any.freshness);
        let res = app.call(&admin, "backups/run", &[]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let mut listed = before_any;
        for _ in 0..300 {
            listed = ok(app.call(&admin, "backups/list", &[]).await).await;
            if listed.backups.len() > 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let b = listed.backups.first().expect("a backup is listed");
        assert!(b.verified, "{}", b.verify_message);
        assert!(
            b.verify_message.contains("첨부 파일 1개 확인"),
            "{}",
            b.verify_message
        );
        assert_eq!((b.files, b.files_copied), (1, 1));
        assert!(
            listed.freshness.starts_with("최근 검증된 백업"),
            "{}",
            listed.freshness
        );

        // In the store: the backup (which restores: it reads back whole), the file's copy.
        let bytes = std::fs::read(dir.join(&b.name)).unwrap();
        let (manifest, _) = backup::read(&bytes[..]).unwrap();
        assert!(
            manifest
                .tables
                .iter()
                .any(|t| t.name == "files" && t.rows == 1)
        );
        assert_eq!(std::fs::read(dir.join("files").join(&key)).unwrap(), PDF);
        // The retention, after the backup was verified.
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec![yesterday.clone(), b.name.clone()], "{left:?}");

        // Its run is on the jobs page with what it did.
        let jobs: Vec<doongji::areas::jobs::JobDto> =
            ok(app.call(&admin, "jobs/list", &[]).await).await;
        let job = jobs.iter().find(|j| j.name == "backup.nightly").unwrap();
        let run = job.runs.first().unwrap();
        let mut ran = run.clone();
        for _ in 0..100 {
            if ran.status != "running" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let jobs: Vec<doongji::areas::jobs::JobDto> =
                ok(app.call(&admin, "jobs/list", &[]).await).await;
            ran = jobs
                .into_iter()
                .find(|j| j.name == "backup.nightly")
                .unwrap()
                .runs[0]
                .clone();
        }
        assert_eq!(ran.status, "succeeded", "{}", ran.error);
        assert!(
            ran.counts_ko().contains("정리한 오래된 백업 3건"),
            "{}",
            ran.counts_ko()
        );

        let ready = reqwest::get(app.url("/readyz")).await.unwrap();
        assert_eq!(ready.status(), 200);
        let body = ready.text().await.unwrap();
        assert!(
            body.starts_with("ready\n") && body.contains("backup: ok"),
            "{body}"
        );

        // A day and more later with no new backup: degraded, still serving.
        doongji::db_run!(&app.state.db, |pool| {
            sqlx::query("UPDATE backups SET created_at = ?")
                .bind(doongji::server::db::now_utc() - chrono::Duration::hours(27))
                .execute(pool)
                .await
                .unwrap();
        });
        let ready = reqwest::get(app.url("/readyz")).await.unwrap();
        assert_eq!(ready.status(), 200);
        let body = ready.text().await.unwrap();
        assert!(body.starts_with("ready (degraded)\n"), "{body}");
        assert!(body.contains("backup: degraded (last verified "), "{body}");
        let stale: BackupsDto = ok(app.call(&admin, "backups/list", &[]).await).await;
        assert!(
            stale.stale && stale.freshness.contains("26시간"),
            "{}",
            stale.freshness
        );
        let page = app.page_text(&admin, "/platform/admin/backups").await;
        assert!(page.contains(&b.name) && page.contains("검증됨"), "{page}");
    }
);
