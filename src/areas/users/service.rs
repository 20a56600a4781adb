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
    if let Err(e) = validate_password(&form.password, &email, &form.name) {
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
    validate_password(new_password, &user.email, &user.name)
        .map_err(|e| AppError::field("password", e))?;
    let hash = password::hash(new_password.to_string()).await?;
    db::users::set_password_hash(&state.db, id, &hash).await?;
    // Whoever held the old password loses their sessions with it.
    state.sessions.delete_for_user(id).await?;
    tracing::info!(by = by.id.0, user_id = id.0, "password reset");
    user.to_dto()
}

/// A user's own password change. The current password is checked like a sign-in (it counts
/// against the same throttle, so a left-open session cannot be used to guess it); the new one
/// must pass the strength check, differ from the current one and be typed twice alike.
pub async fn change_own_password(
    state: &AppState,
    me: &CurrentUser,
    keep_token: &str,
    form: super::PasswordChange,
) -> Result<(), AppError> {
    let row = db::users::find_by_id(&state.db, me.id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    if form.current_password.is_empty() {
        return Err(AppError::field(
            "current_password",
            "현재 비밀번호를 입력해 주세요.",
        ));
    }
    let account = format!("id:{}", me.id.0);
    let place = format!("account:{}", me.id.0);
    if let crate::server::auth::throttle::Gate::Closed(wait) =
        state.throttle.admit(&account, &place).await
    {
        let minutes = crate::server::auth::throttle::wait_minutes(wait);
        return Err(AppError::field(
            "current_password",
            format!("비밀번호를 너무 많이 틀렸습니다. {minutes}분 후에 다시 시도해 주세요."),
        ));
    }
    let ok = password::verify(
        form.current_password.clone(),
        Some(row.password_hash.clone()),
    )
    .await?;
    if !ok {
        state.throttle.record_failure(&account).await;
        return Err(AppError::field(
            "current_password",
            "현재 비밀번호가 맞지 않습니다.",
        ));
    }
    state.throttle.record_success(&account, &place).await;
    if form.new_password != form.new_password_confirm {
        return Err(AppError::field(
            "new_password_confirm",
            "새 비밀번호가 서로 다릅니다. 같은 비밀번호를 두 번 입력해 주세요.",
        ));
    }
    if form.new_password == form.current_password {
        return Err(AppError::field(
            "new_password",
            "현재 비밀번호와 다른 비밀번호를 입력해 주세요.",
        ));
    }
    validate_password(&form.new_password, &row.email, &row.name)
        .map_err(|e| AppError::field("new_password", e))?;
    let hash = password::hash(form.new_password).await?;
    db::users::set_password_hash(&state.db, me.id, &hash).await?;
    state
        .sessions
        .delete_others_of_user(me.id, keep_token)
        .await?;
    tracing::info!(
        user_id = me.id.0,
        "own password changed; other sessions ended"
    );
    Ok(())
}
