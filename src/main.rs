//! Start-up only: settings → database → router → serve, and the command-line subcommands.

use clap::{Parser, Subcommand};
use doongji::server::commands;
use doongji::server::config::Settings;
use doongji::server::web;
use doongji::startup::{self, Application};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "doongji", version, about = "둥지 건물관리 플랫폼")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the homepage and the platform (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Fill an empty database with realistic demo data.
    SeedDemo {
        #[arg(long, default_value_t = 20)]
        buildings: usize,
        #[arg(long, default_value_t = 400)]
        leases: usize,
    },
    /// Create an admin account; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Back up every table (one consistent snapshot) to a file that restores into either
    /// backend.
    Backup {
        /// A file path, or s3://bucket/path/name (default: the backup store, BACKUP_TO, with
        /// the attached files, verified and listed on the platform).
        #[arg(long)]
        to: Option<String>,
    },
    /// Restore a backup into an empty database (SQLite or MySQL: the way to move between them).
    Restore { file: std::path::PathBuf },
    /// Create a month's rent invoices ("M월 청구 생성", as the monthly job does); running it
    /// again, or on two machines at once, creates nothing twice.
    GenerateInvoices {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// One building only (its id).
        #[arg(long)]
        building: Option<i64>,
    },
    /// Copy a month's pinned expense items into the next month (as the job on the 25th does);
    /// running it again, or on two machines at once, copies nothing twice.
    CopyPinnedExpenses {
        /// The month copied from, YYYY-MM.
        #[arg(long)]
        month: String,
    },
    /// Split every building's utility bills of a month among its units and leases again, and
    /// carry changed shares onto invoices ("다시 나누기" for every building).
    SplitUtilities {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("설정 오류: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&settings.log_filter)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings))
}

async fn run(command: Command, settings: Settings) -> ExitCode {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => match startup::connect(&settings).await {
            Ok((db, _)) => {
                println!("마이그레이션 완료 ({})", db.backend_name());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::SeedDemo { buildings, leases } => {
            let (db, _) = match startup::connect(&settings).await {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            let start = std::time::Instant::now();
            match doongji::server::db::seed::seed_demo(&db, buildings, leases).await {
                Ok(r) => {
                    println!(
                        "데모 데이터를 만들었습니다: 건물 {}개, 호실 {}개, 임차인 {}명, 임대 계약 {}건 ({:.1}초)",
                        r.buildings,
                        r.units,
                        r.tenants,
                        r.leases,
                        start.elapsed().as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("데모 데이터를 만들지 못했습니다: {}", e.into_api());
                    ExitCode::from(2)
                }
            }
        }
        Command::Backup { to } => backup(&settings, to).await,
        Command::GenerateInvoices { month, building } => {
            generate_invoices(&settings, &month, building).await
        }
        Command::CopyPinnedExpenses { month } => copy_pinned_expenses(&settings, &month).await,
        Command::SplitUtilities { month } => split_utilities(&settings, &month).await,
        Command::Restore { file } => restore(&settings, &file).await,
        Command::CreateAdmin { email, name } => {
            let (db, _) = match startup::connect(&settings).await {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "비밀번호를 입력하고 Enter 를 누르세요 (10자 이상, 두 종류 이상의 문자):"
                );
            }
            let mut line = String::new();
            if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
                eprintln!("표준 입력을 읽을 수 없습니다: {e}");
                return ExitCode::FAILURE;
            }
            match commands::create_admin(&db, &email, &name, &line).await {
                Ok(id) => {
                    println!("관리자 계정을 만들었습니다: {email} (id {id})");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("관리자 계정을 만들지 못했습니다: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// The database as it is: no migration, no demo posts (unlike `startup::connect`), for backup
/// and restore.
async fn connect_as_is(settings: &Settings) -> Result<doongji::server::db::Db, ExitCode> {
    doongji::server::db::Db::connect(
        settings.database_url.expose(),
        settings.database_max_connections,
    )
    .await
    .map_err(|e| {
        eprintln!("데이터베이스에 연결할 수 없습니다: {e}");
        ExitCode::FAILURE
    })
}

async fn backup(settings: &Settings, to: Option<String>) -> ExitCode {
    use doongji::server::backups::{self, BackupStore};
    use doongji::server::config::BackupTarget;
    // A backup before an upgrade must not upgrade.
    let db = match connect_as_is(settings).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let start = std::time::Instant::now();
    let now = chrono::Utc::now();
    let say = |what: &str, manifest: &doongji::server::backup::Manifest, size: u64| {
        let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
        println!(
            "백업을 만들었습니다: {what} (표 {}개, {}행, {:.1} MB, {:.1}초)",
            manifest.tables.len(),
            rows,
            size as f64 / 1_048_576.0,
            start.elapsed().as_secs_f64()
        );
    };
    // A file path: one file, nothing else.
    if let Some(path) = to.as_deref().filter(|t| !t.contains("://")) {
        let path = std::path::Path::new(path);
        return match commands::backup_to_file(&db, path).await {
            Ok((manifest, size)) => {
                say(&path.display().to_string(), &manifest, size);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("백업하지 못했습니다: {e}");
                ExitCode::from(2)
            }
        };
    }
    // The backup store (BACKUP_TO), or an s3:// address: verified, with the attached files.
    let (target, name) = match to.as_deref() {
        None => (settings.backup.target.clone(), backups::backup_name(now)),
        Some(url) => {
            let Some((bucket, key)) = url
                .strip_prefix("s3://")
                .and_then(|rest| rest.split_once('/'))
                .filter(|(b, k)| !b.is_empty() && !k.is_empty() && !k.ends_with('/'))
            else {
                eprintln!("--to 는 파일 경로 또는 s3://버킷/경로/파일이름 이어야 합니다: {url}");
                return ExitCode::from(2);
            };
            let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
            (
                BackupTarget::S3 {
                    bucket: bucket.to_string(),
                    prefix: prefix.to_string(),
                    access: settings.s3.clone(),
                },
                name.to_string(),
            )
        }
    };
    let opened = BackupStore::open(&target).and_then(|store| {
        doongji::server::files::FileStore::from_settings(settings).map(|files| (store, files))
    });
    let (store, files) = match opened {
        Ok(x) => x,
        Err(e) => {
            eprintln!("백업 저장소를 열 수 없습니다: {e}");
            return ExitCode::FAILURE;
        }
    };
    match backups::make(&db, Some(&files), &store, &name).await {
        Ok(made) => {
            if let Err(e) = backups::record(&db, &made, now).await {
                // An older schema has no list of backups; the backup itself is complete.
                eprintln!("백업 목록에 기록하지 못했습니다 (백업 파일은 완성됨): {e}");
            }
            say(
                &format!("{}/{}", store.location.trim_end_matches('/'), made.name),
                &made.manifest,
                made.size_bytes,
            );
            println!(
                "첨부 파일 {}개 (새로 복사 {}개) · 검증: {}",
                made.files, made.files_copied, made.verify_message
            );
            if made.verified {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("백업하지 못했습니다: {e}");
            ExitCode::from(2)
        }
    }
}

async fn restore(settings: &Settings, file: &std::path::Path) -> ExitCode {
    // Migrated, but not seeded: the demo posts would make the database not empty.
    let db = match connect_as_is(settings).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    if let Err(e) = db.migrate().await {
        eprintln!("데이터베이스를 준비하지 못했습니다: {e}");
        return ExitCode::FAILURE;
    }
    let start = std::time::Instant::now();
    match commands::restore_from_file(&db, file).await {
        Ok(manifest) => {
            let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
            println!(
                "복원했습니다: {} ({} 백업, 표 {}개, {}행, {:.1}초)",
                file.display(),
                manifest.backend,
                manifest.tables.len(),
                rows,
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("복원하지 못했습니다: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(settings: Settings) -> ExitCode {
    let addr = settings.bind_addr;
    let public = settings.public_url.clone();
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("시작할 수 없습니다: {e}");
            return ExitCode::FAILURE;
        }
    };
    let state = app.state();
    tracing::info!(
        %addr,
        database = state.db.backend_name(),
        sessions = state.sessions.kind(),
        "doongji {} listening",
        web::health::VERSION
    );
    match doongji::server::db::users::count_active_admins(&state.db).await {
        Ok(0) => println!(
            "관리자 계정이 없습니다. 다음 명령으로 첫 관리자를 만드세요:\n  \
             echo '<비밀번호>' | doongji create-admin --email admin@example.com --name 관리자\n\
             (cargo 로 실행 중이면: cargo run --features ssr -- create-admin ...)"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not count admins"),
    }
    println!("둥지 플랫폼: {public}");
    if let Err(e) = app.run_until(shutdown_signal()).await {
        eprintln!("서버 오류: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn generate_invoices(settings: &Settings, month: &str, building: Option<i64>) -> ExitCode {
    let Some(month) = doongji::domain::billing::YearMonth::parse(month) else {
        eprintln!("청구 월을 YYYY-MM으로 입력해 주세요: {month}");
        return ExitCode::from(2);
    };
    let (db, _) = match startup::connect(settings).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match doongji::areas::billing::service::generate_month(&db, month, building).await {
        Ok(r) => {
            println!("{} ({:.2}초)", r.summary_ko(), r.millis as f64 / 1000.0);
            for (_, who, why) in r.refused.iter().take(20) {
                println!("  제외: {who}: {why}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("청구를 만들지 못했습니다: {}", e.into_api());
            ExitCode::FAILURE
        }
    }
}

async fn split_utilities(settings: &Settings, month: &str) -> ExitCode {
    let Some(month) = doongji::domain::billing::YearMonth::parse(month) else {
        eprintln!("나눌 달을 YYYY-MM으로 입력해 주세요: {month}");
        return ExitCode::from(2);
    };
    let (db, _) = match startup::connect(settings).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match doongji::areas::utilities::service::split_month(&db, month).await {
        Ok((buildings, r)) => {
            println!(
                "건물 {buildings}곳: {} ({:.2}초)",
                r.summary_ko(),
                r.millis as f64 / 1000.0
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("공과금을 나누지 못했습니다: {}", e.into_api());
            ExitCode::FAILURE
        }
    }
}

async fn copy_pinned_expenses(settings: &Settings, month: &str) -> ExitCode {
    let Some(month) = doongji::domain::billing::YearMonth::parse(month) else {
        eprintln!("복사할 달을 YYYY-MM으로 입력해 주세요: {month}");
        return ExitCode::from(2);
    };
    let (db, _) = match startup::connect(settings).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match doongji::areas::expenses::service::copy_pinned(&db, month).await {
        Ok(r) => {
            println!("{}", r.summary_ko());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("고정 지출을 복사하지 못했습니다: {}", e.into_api());
            ExitCode::FAILURE
        }
    }
}
