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
            let admin_url = std::env::var("TEST_MYSQL_URL").unwrap();
            let name = format!("doongji_r_{}", unique());
            let admin = sqlx::MySqlPool::connect(&admin_url).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
            let mut url = url::Url::parse(&admin_url).unwrap();
            url.set_path(&format!("/{name}"));
            (url.to_string(), Some((admin_url, name)))
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
            let admin = sqlx::MySqlPool::connect(&admin_url).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS `{name}`"))
                .execute(&admin)
                .await;
            admin.close().await;
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
