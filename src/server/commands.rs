//! Command-line subcommands besides serving: `migrate` and `create-admin`.

use crate::domain::validation::{
    normalize_email, validate_email, validate_name, validate_password,
};
use crate::domain::{Role, UserId};
use crate::server::auth::password;
use crate::server::db::{self, Db};
use crate::server::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    App(#[from] AppError),
}

/// Creates an active admin. The password comes from standard input (one line), never from
/// the command line, so it stays out of shell history and process lists.
pub async fn create_admin(
    db: &Db,
    email: &str,
    name: &str,
    password_line: &str,
) -> Result<UserId, CommandError> {
    let email = normalize_email(email);
    validate_email(&email).map_err(|e| CommandError::Invalid(format!("이메일: {e}")))?;
    validate_name(name).map_err(|e| CommandError::Invalid(format!("이름: {e}")))?;
    let password = password_line.trim_end_matches(['\r', '\n']);
    validate_password(password, &email, name)
        .map_err(|e| CommandError::Invalid(format!("비밀번호: {e}")))?;
    let hash = password::hash(password.to_string()).await?;
    let id = db::users::insert(
        db,
        &db::users::NewUser {
            email: &email,
            name: name.trim(),
            role: Role::Admin,
            password_hash: &hash,
        },
    )
    .await
    .map_err(|e| match e {
        AppError::Api(crate::domain::ApiError::Validation(_)) => {
            CommandError::Invalid(format!("이메일: {email} 은(는) 이미 등록되어 있습니다."))
        }
        other => CommandError::App(other),
    })?;
    Ok(id)
}

/// `doongji backup`: a backup of every table to `path`, written beside it first and renamed
/// when complete, so a crash never leaves a half-written backup under the final name. Returns
/// the manifest and the file's size in bytes.
pub async fn backup_to_file(
    db: &Db,
    path: &std::path::Path,
) -> Result<(crate::server::backup::Manifest, u64), crate::server::backup::BackupError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("partial");
    // Accounts, sessions and tenants' personal data: readable by the owner only.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = std::io::BufWriter::new(options.open(&partial)?);
    let written = async {
        let (manifest, mut out) = crate::server::backup::write(db, file).await?;
        std::io::Write::flush(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok::<_, crate::server::backup::BackupError>(manifest)
    }
    .await;
    let manifest = match written {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    let size = std::fs::metadata(path)?.len();
    Ok((manifest, size))
}

/// `doongji restore FILE`: checks the whole backup first, then loads it into `db` (migrated,
/// and empty).
pub async fn restore_from_file(
    db: &Db,
    path: &std::path::Path,
) -> Result<crate::server::backup::Manifest, crate::server::backup::BackupError> {
    let file = std::fs::File::open(path)?;
    let (manifest, tables) = crate::server::backup::read(file)?;
    crate::server::backup::restore(db, &manifest, &tables).await?;
    Ok(manifest)
}
