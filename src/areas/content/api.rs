//! Server functions for the homepage's content, edited in the platform: posts, company info and
//! the portfolio flag of buildings.

use super::{CompanyInfo, PortfolioBuilding, PortfolioForm, PostInput, PostSave, PostSummary};
use crate::domain::ApiError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, flash, require_role, state},
};

#[server(endpoint = "posts/list")]
pub async fn list_posts() -> Result<Vec<PostSummary>, ApiError> {
    require_role(&Role::STAFF)?;
    service::list_posts(&state()?).await.map_err(fail)
}

#[server(endpoint = "posts/get")]
pub async fn get_post(id: i64) -> Result<PostInput, ApiError> {
    require_role(&Role::STAFF)?;
    service::get_post(&state()?, id).await.map_err(fail)
}

/// Creates (no `id`) or updates a post; returns its id.
#[server(endpoint = "posts/save")]
pub async fn save_post(#[server(flatten)] form: PostSave) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let id = service::save_post(&state()?, form.id, &form.post, me.id)
        .await
        .map_err(fail)?;
    if form.id.is_none() {
        flash("글을 만들었습니다.");
        leptos_axum::redirect(&format!("/platform/content/posts/{id}"));
    } else {
        flash("저장했습니다.");
    }
    Ok(id)
}

#[server(endpoint = "posts/delete")]
pub async fn delete_post(id: i64) -> Result<(), ApiError> {
    require_role(&Role::STAFF)?;
    service::delete_post(&state()?, id).await.map_err(fail)?;
    flash("글을 삭제했습니다.");
    leptos_axum::redirect("/platform/content/posts");
    Ok(())
}

#[server(endpoint = "company/get")]
pub async fn get_company() -> Result<CompanyInfo, ApiError> {
    require_role(&[Role::Admin])?;
    service::company(&state()?.db).await.map_err(fail)
}

#[server(endpoint = "company/save")]
pub async fn save_company(#[server(flatten)] info: CompanyInfo) -> Result<(), ApiError> {
    require_role(&[Role::Admin])?;
    service::save_company(&state()?, &info)
        .await
        .map_err(fail)?;
    flash("저장했습니다. 홈페이지에 바로 반영됩니다.");
    Ok(())
}

#[server(endpoint = "portfolio/list")]
pub async fn list_portfolio_buildings() -> Result<Vec<PortfolioBuilding>, ApiError> {
    require_role(&Role::STAFF)?;
    service::list_portfolio(&state()?).await.map_err(fail)
}

#[server(endpoint = "portfolio/set")]
pub async fn set_building_public(#[server(flatten)] form: PortfolioForm) -> Result<(), ApiError> {
    require_role(&Role::STAFF)?;
    service::set_building_public(&state()?, &form)
        .await
        .map_err(fail)
}
