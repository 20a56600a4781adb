//! Homepage content rules with I/O: company info from settings (with defaults), posts and their
//! publishing times in Seoul, the portfolio flag of buildings, the demo posts of a first start.
//! Every change of public content clears the page cache.

use super::store::{self, PortfolioRow, PostRow, PostWrite};
use super::{CompanyInfo, PortfolioBuilding, PortfolioItem, PostInput, PostSummary};
use crate::domain::{ApiError, UserId};
use crate::server::db::{Db, now_utc};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::seoul;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// What the site shows before anyone edits the settings.
pub fn default_company() -> CompanyInfo {
    CompanyInfo {
        name: "주식회사 둥지".into(),
        representative: "김둥지".into(),
        business_number: "220-81-62517".into(),
        address: "서울특별시 강남구 테헤란로 427, 10층 (삼성동)".into(),
        phone: "02-555-0142".into(),
        email: "contact@doongji.co.kr".into(),
        tagline: "건물주를 대신해 빌딩의 임대·시설·운영을 책임지는 자산관리 전문 기업".into(),
        about: "둥지는 중소형 상업용 빌딩을 전문으로 관리하는 부동산 자산관리 회사입니다. \
                건물주와 관리 계약을 맺고 임차인 유치와 계약, 임대료 수납, 관리비와 공과금 정산, \
                시설 유지보수까지 건물 운영의 모든 일을 한 곳에서 처리합니다.\n\n\
                매달 건물별 운영 보고서를 드리고, 건물주와 담당 매니저가 소통창구에서 이슈를 함께 확인합니다. \
                투명한 정산과 빠른 대응으로 건물의 가치를 지킵니다."
            .into(),
        service_pm: "관리 계약에 따라 건물의 수입과 비용을 관리합니다. 임대료·관리비 청구와 수납, \
                     미납 관리, 건물 운영비 집행, 월간 운영 보고서를 제공합니다."
            .into(),
        service_lm: "공실을 줄이고 좋은 임차인을 모십니다. 임차인 모집과 계약, 갱신과 종료, \
                     상가건물 임대차보호법에 맞춘 임대료 조정 검토, 계약 만료 알림을 맡습니다."
            .into(),
        service_fm: "건물이 늘 제 기능을 하도록 돌봅니다. 청소·경비·승강기 등 협력업체 관리, \
                     정기 점검과 하자 보수, 전기·수도·가스 공과금 정산을 처리합니다."
            .into(),
    }
}

pub async fn company(db: &Db) -> Result<CompanyInfo, AppError> {
    let mut info = default_company();
    for (key, value) in store::site_settings(db).await? {
        info.set(&key, value);
    }
    Ok(info)
}

/// Saves the company info shown on the homepage and clears the page cache.
pub async fn save_company(state: &AppState, info: &CompanyInfo) -> Result<(), AppError> {
    info.validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    let pairs: Vec<(&str, &str)> = CompanyInfo::FIELDS
        .iter()
        .map(|(k, _)| (*k, info.get(k).trim()))
        .collect();
    store::put_site_settings(&state.db, &pairs).await?;
    state.page_cache.clear().await;
    Ok(())
}

/// `2026-11-24T09:30` (Seoul, as an HTML datetime-local field gives it) → UTC.
pub fn parse_seoul_datetime(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .ok()?;
    seoul()
        .from_local_datetime(&naive)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

pub fn seoul_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&seoul()).format("%Y-%m-%d").to_string()
}

pub fn summary_of(row: &PostRow) -> PostSummary {
    PostSummary {
        id: row.id,
        slug: row.slug.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        cover_image: row.cover_image.clone(),
        published: row.published,
        published_on: seoul_date(row.published_at),
    }
}

pub fn input_of(row: &PostRow) -> PostInput {
    PostInput {
        title: row.title.clone(),
        slug: row.slug.clone(),
        summary: row.summary.clone(),
        body_markdown: row.body_markdown.clone(),
        cover_image: row.cover_image.clone().unwrap_or_default(),
        published: row.published,
        published_at: row
            .published_at
            .with_timezone(&seoul())
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
    }
}

pub fn portfolio_item(row: &PortfolioRow) -> PortfolioItem {
    PortfolioItem {
        id: row.id,
        name: row.name.clone(),
        road_address: row.road_address.clone(),
        main_use: row.main_use.clone(),
        floors_above: row.floors_above,
        floors_below: row.floors_below,
        total_area_m2: row.total_area_m2,
        photo: row.photo.clone(),
        public_description: row.public_description.clone(),
    }
}

/// Validates and stores a post (new when `id` is `None`), clears the page cache, and returns
/// the post's id.
pub async fn save_post(
    state: &AppState,
    id: Option<i64>,
    input: &PostInput,
    author: UserId,
) -> Result<i64, AppError> {
    let id = write_post(&state.db, id, input, author).await?;
    state.page_cache.clear().await;
    Ok(id)
}

async fn write_post(
    db: &Db,
    id: Option<i64>,
    input: &PostInput,
    author: UserId,
) -> Result<i64, AppError> {
    let mut errors = input.validate().err().unwrap_or_default();
    let published_at = if input.published_at.trim().is_empty() {
        Some(now_utc())
    } else {
        parse_seoul_datetime(&input.published_at)
    };
    if published_at.is_none() {
        errors.insert(
            "published_at".into(),
            "게시 일시 형식이 올바르지 않습니다.".into(),
        );
    }
    let Some(published_at) = published_at.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors).into());
    };
    let cover = input.cover_image.trim();
    let write = PostWrite {
        slug: input.slug.trim(),
        title: input.title.trim(),
        summary: input.summary.trim(),
        body_markdown: &input.body_markdown,
        cover_image: (!cover.is_empty()).then_some(cover),
        published: input.published,
        published_at,
    };
    match id {
        None => store::insert_post(db, &write, Some(author.0)).await,
        Some(id) => {
            if store::update_post(db, id, &write).await? {
                Ok(id)
            } else {
                Err(ApiError::NotFound.into())
            }
        }
    }
}

pub async fn list_posts(state: &AppState) -> Result<Vec<PostSummary>, AppError> {
    Ok(store::list_all_posts(&state.db)
        .await?
        .iter()
        .map(summary_of)
        .collect())
}

pub async fn get_post(state: &AppState, id: i64) -> Result<PostInput, AppError> {
    store::find_post(&state.db, id)
        .await?
        .map(|r| input_of(&r))
        .ok_or_else(|| ApiError::NotFound.into())
}

pub async fn delete_post(state: &AppState, id: i64) -> Result<(), AppError> {
    if !store::delete_post(&state.db, id).await? {
        return Err(ApiError::NotFound.into());
    }
    state.page_cache.clear().await;
    Ok(())
}

pub async fn list_portfolio(state: &AppState) -> Result<Vec<PortfolioBuilding>, AppError> {
    Ok(store::list_portfolio_buildings(&state.db)
        .await?
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

/// Shows a building on the homepage (or hides it) with its public description and photo.
pub async fn set_building_public(
    state: &AppState,
    f: &super::PortfolioForm,
) -> Result<(), AppError> {
    if f.public_description.chars().count() > 1000 {
        return Err(AppError::field(
            "public_description",
            "공개 설명은 1,000자 이내로 입력해 주세요.",
        ));
    }
    // Like post covers: a path on this site (the page's CSP allows no other images).
    let photo = f.photo.trim();
    if !photo.is_empty()
        && (!photo.starts_with('/')
            || photo.starts_with("//")
            || photo.contains('\\')
            || photo.chars().count() > 500)
    {
        return Err(AppError::field(
            "photo",
            "사진은 /로 시작하는 이 사이트의 경로여야 합니다.",
        ));
    }
    let photo = (!photo.is_empty()).then_some(photo);
    if !store::set_building_public(&state.db, f.id, f.show, f.public_description.trim(), photo)
        .await?
    {
        return Err(ApiError::NotFound.into());
    }
    state.page_cache.clear().await;
    Ok(())
}

/// A first start shows a complete site: when there are no posts yet, three are written.
/// Company info and service texts need no seeding: their defaults apply until edited.
pub async fn seed_demo_posts(db: &Db) -> Result<bool, AppError> {
    if store::count_posts(db).await? > 0 {
        return Ok(false);
    }
    let now = now_utc();
    let demo = [
        (
            "2026-new-platform",
            "건물주 전용 소통창구를 열었습니다",
            "관리 중인 건물의 계약, 청구, 이슈를 건물주께서 직접 확인하실 수 있습니다.",
            "둥지 플랫폼에 **건물주 전용 소통창구**를 열었습니다.\n\n\
             - 관리 중인 건물의 임대 계약과 월별 청구 내역\n\
             - 시설 이슈의 접수부터 처리 완료까지의 진행 상황\n\
             - 담당 매니저와 주고받는 댓글과 알림\n\n\
             로그인 계정은 담당 매니저에게 요청해 주세요.",
            "/images/news-platform.svg",
            30,
        ),
        (
            "winter-facility-check",
            "겨울철 동파 예방 점검 안내",
            "12월 한 달 동안 관리 건물 전체의 급수·배관 시설을 점검합니다.",
            "한파에 대비해 **12월 1일부터 31일까지** 관리 중인 모든 건물의 급수 배관, \
             계량기함, 옥상 배수구를 점검합니다.\n\n점검 일정은 건물별로 소통창구에 안내드리며, \
             임차인께는 알림톡으로 사전 안내합니다.",
            "/images/news-winter.svg",
            12,
        ),
        (
            "lease-law-guide",
            "상가임대차 갱신 시 임대료 인상 한도 안내",
            "갱신 계약의 임대료 인상은 5% 이내로 제한됩니다.",
            "상가건물 임대차보호법의 보호를 받는 임대차는 갱신 시 차임과 보증금 인상이 \
             **5%를 넘을 수 없고**, 계약 또는 직전 인상 후 1년 안에는 다시 올릴 수 없습니다.\n\n\
             둥지는 갱신 계약마다 환산보증금과 지역 기준을 확인해 인상 가능 범위를 미리 알려드립니다.",
            "/images/news-lease.svg",
            3,
        ),
    ];
    for (slug, title, summary, body, cover, days_ago) in demo {
        let write = PostWrite {
            slug,
            title,
            summary,
            body_markdown: body,
            cover_image: Some(cover),
            published: true,
            published_at: now - chrono::Duration::days(days_ago),
        };
        match store::insert_post(db, &write, None).await {
            Ok(_) => {}
            // Another instance starting at the same moment wrote them first.
            Err(AppError::Api(ApiError::Validation(_))) => return Ok(false),
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_datetime_is_stored_as_utc() {
        let at = parse_seoul_datetime("2026-11-25T09:00").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-25T00:00:00+00:00");
        assert!(parse_seoul_datetime("25/11/2026").is_none());
        assert_eq!(seoul_date(at), "2026-11-25");
    }

    #[test]
    fn default_company_info_is_valid() {
        assert!(default_company().validate().is_ok());
    }
}
