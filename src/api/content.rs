//! Server functions for the homepage's content, edited in the platform: the inquiry inbox,
//! posts, company info and the portfolio flag of buildings. Every change of public content
//! clears the page cache.

use crate::domain::ApiError;
use crate::domain::content::{CompanyInfo, InquiryDto, PostInput, PostSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::context::{fail, require_role, state},
    crate::domain::Role,
    crate::domain::content::InquiryStatus,
    crate::server::db,
    crate::server::error::AppError,
    crate::server::services::content as service,
};

#[cfg(feature = "ssr")]
const STAFF: &[Role] = &[Role::Admin, Role::Manager];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquiryInbox {
    pub items: Vec<InquiryDto>,
    pub staff: Vec<StaffOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioBuilding {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub show_on_homepage: bool,
    pub public_description: String,
    pub photo: String,
}

#[server(endpoint = "inquiries/count-new")]
pub async fn count_new_inquiries() -> Result<i64, ApiError> {
    require_role(STAFF)?;
    db::inquiries::count_new(&state()?.db).await.map_err(fail)
}

#[server(endpoint = "inquiries/list")]
pub async fn list_inquiries(status: String) -> Result<InquiryInbox, ApiError> {
    require_role(STAFF)?;
    let state = state()?;
    let status = InquiryStatus::parse(&status).map(|s| s.as_str());
    let rows = db::inquiries::list(&state.db, status, 200)
        .await
        .map_err(fail)?;
    let items = rows
        .into_iter()
        .map(|r| InquiryDto {
            status: InquiryStatus::parse(&r.status).unwrap_or(InquiryStatus::New),
            created_at: crate::server::time::format_seoul_minutes(r.created_at),
            id: r.id,
            name: r.name,
            company: r.company,
            phone: r.phone,
            email: r.email,
            area: r.area,
            message: r.message,
            assignee_id: r.assignee_id,
            assignee_name: r.assignee_name,
            notes: r.notes,
        })
        .collect();
    let staff = db::users::list(&state.db)
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|u| u.active && u.role != "client")
        .map(|u| StaffOption {
            id: u.id,
            name: u.name,
        })
        .collect();
    Ok(InquiryInbox { items, staff })
}

#[server(endpoint = "inquiries/update")]
pub async fn update_inquiry(
    id: i64,
    status: String,
    assignee_id: String,
    notes: String,
) -> Result<(), ApiError> {
    require_role(STAFF)?;
    let state = state()?;
    let status = InquiryStatus::parse(&status)
        .ok_or_else(|| fail(AppError::field("status", "상태를 선택해 주세요.")))?;
    let assignee = match assignee_id.trim() {
        "" => None,
        raw => {
            let id: i64 = raw.parse().map_err(|_| {
                fail(AppError::field(
                    "assignee_id",
                    "담당자를 다시 선택해 주세요.",
                ))
            })?;
            let user = db::users::find_by_id(&state.db, crate::domain::UserId(id))
                .await
                .map_err(fail)?;
            if !user.is_some_and(|u| u.active && u.role != "client") {
                return Err(fail(AppError::field(
                    "assignee_id",
                    "담당자는 활성 직원이어야 합니다.",
                )));
            }
            Some(id)
        }
    };
    if notes.chars().count() > 5000 {
        return Err(fail(AppError::field(
            "notes",
            "메모는 5,000자 이내로 입력해 주세요.",
        )));
    }
    if !db::inquiries::update(&state.db, id, status.as_str(), assignee, notes.trim())
        .await
        .map_err(fail)?
    {
        return Err(fail(ApiError::NotFound.into()));
    }
    Ok(())
}

#[server(endpoint = "posts/list")]
pub async fn list_posts() -> Result<Vec<PostSummary>, ApiError> {
    require_role(STAFF)?;
    let rows = db::posts::list_all(&state()?.db).await.map_err(fail)?;
    Ok(rows.iter().map(service::summary_of).collect())
}

#[server(endpoint = "posts/get")]
pub async fn get_post(id: i64) -> Result<PostInput, ApiError> {
    require_role(STAFF)?;
    let row = db::posts::find(&state()?.db, id).await.map_err(fail)?;
    row.map(|r| service::input_of(&r))
        .ok_or_else(|| fail(ApiError::NotFound.into()))
}

/// Creates (no `id`) or updates a post; returns its id.
#[server(endpoint = "posts/save")]
pub async fn save_post(
    id: Option<i64>,
    title: String,
    slug: String,
    summary: String,
    body_markdown: String,
    cover_image: String,
    published: Option<String>,
    published_at: String,
) -> Result<i64, ApiError> {
    let me = require_role(STAFF)?;
    let state = state()?;
    let input = PostInput {
        title,
        slug,
        summary,
        body_markdown,
        cover_image,
        published: published.is_some_and(|p| !p.is_empty() && p != "false"),
        published_at,
    };
    let id = service::save_post(&state.db, id, &input, me.id)
        .await
        .map_err(fail)?;
    state.page_cache.clear().await;
    Ok(id)
}

#[server(endpoint = "posts/delete")]
pub async fn delete_post(id: i64) -> Result<(), ApiError> {
    require_role(STAFF)?;
    let state = state()?;
    if !db::posts::delete(&state.db, id).await.map_err(fail)? {
        return Err(fail(ApiError::NotFound.into()));
    }
    state.page_cache.clear().await;
    Ok(())
}

#[server(endpoint = "company/get")]
pub async fn get_company() -> Result<CompanyInfo, ApiError> {
    require_role(&[Role::Admin])?;
    service::company(&state()?.db).await.map_err(fail)
}

#[server(endpoint = "company/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_company(
    name: String,
    representative: String,
    business_number: String,
    address: String,
    phone: String,
    email: String,
    tagline: String,
    about: String,
    service_pm: String,
    service_lm: String,
    service_fm: String,
) -> Result<(), ApiError> {
    require_role(&[Role::Admin])?;
    let state = state()?;
    let info = CompanyInfo {
        name,
        representative,
        business_number,
        address,
        phone,
        email,
        tagline,
        about,
        service_pm,
        service_lm,
        service_fm,
    };
    service::save_company(&state.db, &info)
        .await
        .map_err(fail)?;
    state.page_cache.clear().await;
    Ok(())
}

#[server(endpoint = "portfolio/list")]
pub async fn list_portfolio_buildings() -> Result<Vec<PortfolioBuilding>, ApiError> {
    require_role(STAFF)?;
    let rows = db::buildings::list_all(&state()?.db).await.map_err(fail)?;
    Ok(rows
        .into_iter()
        .map(|b| PortfolioBuilding {
            id: b.id,
            name: b.name,
            road_address: b.road_address,
            show_on_homepage: b.show_on_homepage,
            public_description: b.public_description,
            photo: b.photo.unwrap_or_default(),
        })
        .collect())
}

#[server(endpoint = "portfolio/set")]
pub async fn set_building_public(
    id: i64,
    show: Option<String>,
    public_description: String,
    #[server(default)] photo: String,
) -> Result<(), ApiError> {
    require_role(STAFF)?;
    let state = state()?;
    if public_description.chars().count() > 1000 {
        return Err(fail(AppError::field(
            "public_description",
            "공개 설명은 1,000자 이내로 입력해 주세요.",
        )));
    }
    // Like post covers: a path on this site (the page's CSP allows no other images).
    let photo = photo.trim();
    if !photo.is_empty()
        && (!photo.starts_with('/')
            || photo.starts_with("//")
            || photo.contains('\\')
            || photo.chars().count() > 500)
    {
        return Err(fail(AppError::field(
            "photo",
            "사진은 /로 시작하는 이 사이트의 경로여야 합니다.",
        )));
    }
    let show = show.is_some_and(|s| !s.is_empty() && s != "false");
    let photo = (!photo.is_empty()).then_some(photo);
    if !db::buildings::set_public(&state.db, id, show, public_description.trim(), photo)
        .await
        .map_err(fail)?
    {
        return Err(fail(ApiError::NotFound.into()));
    }
    state.page_cache.clear().await;
    Ok(())
}
