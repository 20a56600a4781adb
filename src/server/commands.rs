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
