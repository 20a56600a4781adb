//! Server functions for accounts: who am I, the platform's session, the admin's user
//! management, and the staff names for choices.

use super::{NewUserForm, PasswordChange};
use crate::domain::{ApiError, UserDto};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::{Role, UserId},
    crate::server::context::{fail, optional_user, require_role, require_session, state},
};

/// The signed-in user, or `None` for a visitor.
#[server(endpoint = "me")]
pub async fn current_user() -> Result<Option<UserDto>, ApiError> {
    let Some(me) = optional_user()? else {
        return Ok(None);
    };
    Ok(Some(me.to_dto()))
}

/// What the platform's layout needs in one call: the user, and for staff the number of new
/// homepage inquiries (shown next to 문의함). One resource, so the layout has no nested
/// suspense to stream.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionInfo {
    pub user: UserDto,
    pub new_inquiries: i64,
}

#[server(endpoint = "platform/session")]
pub async fn platform_session() -> Result<Option<SessionInfo>, ApiError> {
    let Some(me) = optional_user()? else {
        return Ok(None);
    };
    let state = state()?;
    let user = me.to_dto();
    let new_inquiries = if me.role.is_staff() {
        crate::areas::inquiries::service::count_new(&state)
            .await
            .map_err(fail)?
    } else {
        0
    };
    Ok(Some(SessionInfo {
        user,
        new_inquiries,
    }))
}

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserDto>, ApiError> {
    require_role(&[Role::Admin])?;
    service::list(&state()?).await.map_err(fail)
}

#[server(endpoint = "users/create")]
pub async fn create_user(#[server(flatten)] form: NewUserForm) -> Result<UserDto, ApiError> {
    let admin = require_role(&[Role::Admin])?;
    let user = service::create(&state()?, &admin, form)
        .await
        .map_err(fail)?;
    crate::server::context::flash(&format!(
        "{}({}) 계정을 만들었습니다.",
        user.name, user.email
    ));
    Ok(user)
}

#[server(endpoint = "users/set-active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<UserDto, ApiError> {
    let admin = require_role(&[Role::Admin])?;
    service::set_active(&state()?, &admin, UserId(id), active)
        .await
        .map_err(fail)
}

#[server(endpoint = "users/change-role")]
pub async fn change_user_role(id: i64, role: String) -> Result<UserDto, ApiError> {
    let admin = require_role(&[Role::Admin])?;
    service::change_role(&state()?, &admin, UserId(id), &role)
        .await
        .map_err(fail)
}

#[server(endpoint = "users/reset-password")]
pub async fn reset_user_password(id: i64, password: String) -> Result<UserDto, ApiError> {
    let admin = require_role(&[Role::Admin])?;
    service::reset_password(&state()?, &admin, UserId(id), &password)
        .await
        .map_err(fail)
}

/// Anyone signed in changes their own password: the current one is required, and every other
/// session of theirs ends (a session someone else holds does not outlive the change).
#[server(endpoint = "account/password")]
pub async fn change_own_password(#[server(flatten)] form: PasswordChange) -> Result<(), ApiError> {
    let (me, token) = require_session()?;
    service::change_own_password(&state()?, &me, &token, form)
        .await
        .map_err(fail)?;
    crate::server::context::flash("비밀번호를 바꿨습니다. 다른 기기의 로그인은 끝났습니다.");
    Ok(())
}
