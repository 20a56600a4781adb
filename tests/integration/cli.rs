//! The real binary: `migrate`, `create-admin` (password on stdin) and settings validation.

use std::io::Write;
use std::process::{Command, Stdio};

fn doongji(db_url: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_doongji"))
        .args(args)
        .env_clear()
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run doongji");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn temp_db() -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("doongji-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("cli.db").display());
    (dir, url)
}

#[test]
fn migrate_then_create_admin_from_stdin() {
    let (dir, url) = temp_db();
    let out = doongji(&url, &["migrate"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("마이그레이션 완료"));

    let out = doongji(
        &url,
        &[
            "create-admin",
            "--email",
            "boss@doongji.kr",
            "--name",
            "대표",
        ],
        Some("short\n"),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("10자 이상"),
        "a weak password is refused with its reason: {err}"
    );

    let out = doongji(
        &url,
        &[
            "create-admin",
            "--email",
            "boss@doongji.kr",
            "--name",
            "대표",
        ],
        Some("\n"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("비밀번호를 입력"));

    let out = doongji(
        &url,
        &[
            "create-admin",
            "--email",
            "boss@doongji.kr",
            "--name",
            "대표",
        ],
        Some("nest-Keeper-2026\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("boss@doongji.kr"));

    let out = doongji(
        &url,
        &[
            "create-admin",
            "--email",
            "boss@doongji.kr",
            "--name",
            "대표",
        ],
        Some("nest-Keeper-2026\n"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("이미 등록"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_setting_stops_the_start_and_names_the_setting() {
    let out = Command::new(env!("CARGO_BIN_EXE_doongji"))
        .arg("migrate")
        .env_clear()
        .env("SESSION_TTL_HOURS", "forever")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SESSION_TTL_HOURS"));

    let out = Command::new(env!("CARGO_BIN_EXE_doongji"))
        .arg("migrate")
        .env_clear()
        .env("DATABASE_URL", "postgres://db/doongji")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL"));
}

#[test]
fn mysql_migrate_when_configured() {
    let Ok(admin_url) = std::env::var("TEST_MYSQL_URL") else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let name = format!(
        "doongji_cli_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    rt.block_on(async {
        let pool = sqlx::MySqlPool::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE `{name}`"))
            .execute(&pool)
            .await
            .unwrap();
    });
    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&format!("/{name}"));
    let out = doongji(url.as_str(), &["migrate"], None);
    let ok = out.status.success();
    let out2 = doongji(url.as_str(), &["migrate"], None);
    rt.block_on(async {
        let pool = sqlx::MySqlPool::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("DROP DATABASE `{name}`"))
            .execute(&pool)
            .await
            .unwrap();
    });
    assert!(ok, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out2.status.success(), "migrating twice is harmless");
}

/// `doongji backup` without `--to` writes a verified backup into the backup store and lists it;
/// with `--to s3://…` it goes to S3 (moto under the test command); a bad address is refused.
#[tokio::test]
async fn backup_goes_to_the_store_or_to_s3() {
    let (dir, url) = temp_db();
    assert!(doongji(&url, &["migrate"], None).status.success());
    let run = |args: &[&str], extra: &[(&str, String)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_doongji"));
        c.args(args)
            .env_clear()
            .env("DATABASE_URL", &url)
            .env("FILES_DIR", dir.join("files"))
            .env("BACKUP_TO", dir.join("store"))
            .env("RUST_LOG", "warn");
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let out = run(&["backup"], &[]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("검증: 표 "), "{said}");
    let names: Vec<String> = std::fs::read_dir(dir.join("store"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        doongji::server::backups::name_time(&names[0]).is_some(),
        "{names:?}"
    );
    let db = doongji::server::db::Db::connect(&url, 1).await.unwrap();
    let listed = doongji::server::backups::recent(&db, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].verified, "{}", listed[0].verify_message);
    db.close().await;

    let out = run(&["backup", "--to", "ftp://somewhere/x.backup"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("s3://버킷/경로/파일이름"));

    if let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") {
        let bucket = format!("doongji-backup-{}", uuid::Uuid::new_v4().simple());
        let created = reqwest::Client::new()
            .put(format!("{endpoint}/{bucket}"))
            .send()
            .await
            .unwrap();
        assert!(created.status().is_success());
        let s3 = [
            ("S3_ENDPOINT", endpoint.clone()),
            ("S3_REGION", "us-east-1".to_string()),
            ("S3_ACCESS_KEY_ID", "test".to_string()),
            ("S3_SECRET_ACCESS_KEY", "test".to_string()),
        ];
        let to = format!("s3://{bucket}/nightly/move.backup");
        let out = run(&["backup", "--to", &to], &s3);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let store = doongji::server::backups::BackupStore::open(
            &doongji::server::config::BackupTarget::S3 {
                bucket: bucket.clone(),
                prefix: "nightly".into(),
                access: doongji::server::config::S3Access {
                    region: "us-east-1".into(),
                    endpoint: Some(endpoint.clone()),
                    access_key_id: Some("test".into()),
                    secret_access_key: Some(doongji::server::config::Secret::new(
                        "test".to_string(),
                    )),
                },
            },
        )
        .unwrap();
        let bytes = store
            .get("move.backup")
            .await
            .unwrap()
            .expect("the backup in S3");
        assert!(doongji::server::backup::read(&bytes[..]).is_ok());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
