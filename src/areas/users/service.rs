//! Account rules: validation, unique emails, and the guards that keep an admin from locking
//! everyone out (no self-deactivation or self-demotion). Ending access ends sessions too.

use super::NewUserForm;
use crate::domain::validation::{
    normalize_email, validate_email, validate_name, validate_password,
};
use crate::domain::{ApiError, Role, UserDto, UserId};
use crate::server::auth::{CurrentUser, password};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;

pub async fn get(state: &AppState, id: UserId) -> Result<UserDto, AppError> {
    db::users::find_by_id(&state.db, id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?
        .to_dto()
}

pub async fn list(state: &AppState) -> Result<Vec<UserDto>, AppError> {
    db::users::list(&state.db)
        .await?
        .iter()
        .map(|u| u.to_dto())
        .collect()
}

pub async fn create(
    state: &AppState,
    by: &CurrentUser,
    form: NewUserForm,
) -> Result<UserDto, AppError> {
    let email = normalize_email(&form.email);
    let mut errors = crate::domain::error::FieldErrors::new();
    if let Err(e) = validate_email(&email) {
        errors.insert("email".into(), e);
    }
    if let Err(e) = validate_name(&form.name) {
        errors.insert("name".into(), e);
    }
    let role = form.role.parse::<Role>();
    if role.is_err() {
        errors.insert("role".into(), "역할을 선택해 주세요.".into());
    }
    if let Err(e) = validate_password(&form.password, &email) {
        errors.insert("password".into(), e);
    }
    let Ok(role) = role else {
        return Err(ApiError::Validation(errors).into());
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors).into());
    }
    let hash = password::hash(form.password).await?;
    let new = db::users::NewUser {
        email: &email,
        name: form.name.trim(),
        role,
        password_hash: &hash,
    };
    let id = db::users::insert(&state.db, &new).await?;
    tracing::info!(by = by.id.0, user_id = id.0, role = %role, "user created");
    get(state, id).await
}

pub async fn set_active(
    state: &AppState,
    by: &CurrentUser,
    id: UserId,
    active: bool,
) -> Result<UserDto, AppError> {
    if id == by.id && !active {
        return Err(AppError::conflict(
            "자기 자신의 계정은 비활성화할 수 없습니다.",
        ));
    }
    if !db::users::set_active(&state.db, id, active).await? {
        return Err(ApiError::NotFound.into());
    }
    if !active {
        state.sessions.delete_for_user(id).await?;
    }
    tracing::info!(by = by.id.0, user_id = id.0, active, "user active changed");
    get(state, id).await
}

pub async fn change_role(
    state: &AppState,
    by: &CurrentUser,
    id: UserId,
    role: &str,
) -> Result<UserDto, AppError> {
    let role: Role = role
        .parse()
        .map_err(|_| AppError::field("role", "역할을 선택해 주세요."))?;
    if id == by.id && role != Role::Admin {
        return Err(AppError::conflict(
            "자기 자신의 관리자 권한은 해제할 수 없습니다.",
        ));
    }
    if !db::users::set_role(&state.db, id, role).await? {
        return Err(ApiError::NotFound.into());
    }
    tracing::info!(by = by.id.0, user_id = id.0, role = %role, "user role changed");
    get(state, id).await
}

pub async fn reset_password(
    state: &AppState,
    by: &CurrentUser,
    id: UserId,
    new_password: &str,
) -> Result<UserDto, AppError> {
    let user = db::users::find_by_id(&state.db, id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    validate_password(new_password, &user.email).map_err(|e| AppError::field("password", e))?;
    let hash = password::hash(new_password.to_string()).await?;
    db::users::set_password_hash(&state.db, id, &hash).await?;
    // Whoever held the old password loses their sessions with it.
    state.sessions.delete_for_user(id).await?;
    tracing::info!(by = by.id.0, user_id = id.0, "password reset");
    user.to_dto()
}
