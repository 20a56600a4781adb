//! The homepage's content, edited in the platform: company info, notices and news posts, and the
//! portfolio of managed buildings; plus the public site that shows them (`site/`, server only).

use crate::domain::error::FieldErrors;
use crate::domain::validation::is_valid_business_number;
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod site;
#[cfg(feature = "ssr")]
pub mod store;

/// Company facts a Korean company site must show, and the texts of the public pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyInfo {
    pub name: String,
    pub representative: String,
    pub business_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub tagline: String,
    pub about: String,
    pub service_pm: String,
    pub service_lm: String,
    pub service_fm: String,
}

impl CompanyInfo {
    /// Setting keys, in the order the settings form shows them, with Korean labels.
    pub const FIELDS: [(&'static str, &'static str); 11] = [
        ("name", "회사명"),
        ("representative", "대표자"),
        ("business_number", "사업자등록번호"),
        ("address", "주소"),
        ("phone", "대표 전화"),
        ("email", "대표 이메일"),
        ("tagline", "한 줄 소개"),
        ("about", "회사소개"),
        ("service_pm", "PM(자산관리) 서비스 소개"),
        ("service_lm", "LM(임대관리) 서비스 소개"),
        ("service_fm", "FM(시설관리) 서비스 소개"),
    ];

    pub fn get(&self, key: &str) -> &str {
        match key {
            "name" => &self.name,
            "representative" => &self.representative,
            "business_number" => &self.business_number,
            "address" => &self.address,
            "phone" => &self.phone,
            "email" => &self.email,
            "tagline" => &self.tagline,
            "about" => &self.about,
            "service_pm" => &self.service_pm,
            "service_lm" => &self.service_lm,
            "service_fm" => &self.service_fm,
            _ => "",
        }
    }

    pub fn set(&mut self, key: &str, value: String) {
        match key {
            "name" => self.name = value,
            "representative" => self.representative = value,
            "business_number" => self.business_number = value,
            "address" => self.address = value,
            "phone" => self.phone = value,
            "email" => self.email = value,
            "tagline" => self.tagline = value,
            "about" => self.about = value,
            "service_pm" => self.service_pm = value,
            "service_lm" => self.service_lm = value,
            "service_fm" => self.service_fm = value,
            _ => {}
        }
    }

    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (key, label) in Self::FIELDS {
            let value = self.get(key).trim();
            let limit = if matches!(key, "about" | "service_pm" | "service_lm" | "service_fm") {
                5000
            } else {
                200
            };
            if value.is_empty() {
                errors.insert(key.into(), format!("{label} 항목을 입력해 주세요."));
            } else if value.chars().count() > limit {
                errors.insert(
                    key.into(),
                    format!("{label} 항목은 {limit}자 이내로 입력해 주세요."),
                );
            }
        }
        if !errors.contains_key("business_number")
            && !is_valid_business_number(&self.business_number)
        {
            errors.insert(
                "business_number".into(),
                "사업자등록번호가 올바르지 않습니다 (예: 123-45-67890).".into(),
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover_image: Option<String>,
    pub published: bool,
    /// `2026-11-24` in Seoul.
    pub published_on: String,
}

/// A post for the editor: the Markdown source and the publish time as `YYYY-MM-DDTHH:MM` (Seoul).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PostInput {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub body_markdown: String,
    pub cover_image: String,
    #[serde(default, deserialize_with = "crate::domain::form::checkbox")]
    pub published: bool,
    pub published_at: String,
}

impl PostInput {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() {
            e.insert("title".into(), "제목을 입력해 주세요.".into());
        } else if title.chars().count() > 200 {
            e.insert("title".into(), "제목은 200자 이내로 입력해 주세요.".into());
        }
        if let Err(m) = validate_slug(self.slug.trim()) {
            e.insert("slug".into(), m);
        }
        if self.summary.chars().count() > 300 {
            e.insert(
                "summary".into(),
                "요약은 300자 이내로 입력해 주세요.".into(),
            );
        }
        if self.body_markdown.trim().is_empty() {
            e.insert("body_markdown".into(), "본문을 입력해 주세요.".into());
        } else if self.body_markdown.len() > 200_000 {
            e.insert("body_markdown".into(), "본문이 너무 깁니다.".into());
        }
        // Only images on this site: the page's Content-Security-Policy allows no others.
        let cover = self.cover_image.trim();
        let same_site = cover.starts_with('/') && !cover.starts_with("//") && !cover.contains('\\');
        if !cover.is_empty() && (!same_site || cover.chars().count() > 500) {
            e.insert(
                "cover_image".into(),
                "표지 이미지는 /로 시작하는 이 사이트의 경로여야 합니다 (500자 이내).".into(),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

/// Slugs appear in URLs: lower-case ASCII letters, digits and hyphens.
pub fn validate_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("주소(slug)를 입력해 주세요.".into());
    }
    if slug.len() > 100 {
        return Err("주소(slug)는 100자 이내로 입력해 주세요.".into());
    }
    let ok = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err("주소(slug)는 영문 소문자, 숫자, 하이픈(-)만 쓸 수 있습니다.".into())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioItem {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub main_use: String,
    pub floors_above: i32,
    pub floors_below: i32,
    pub total_area_m2: f64,
    pub photo: Option<String>,
    pub public_description: String,
}

/// A building as the portfolio editor shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioBuilding {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub show_on_homepage: bool,
    pub public_description: String,
    pub photo: String,
}

/// The portfolio editor's form for one building.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioForm {
    #[serde(deserialize_with = "crate::domain::form::number")]
    pub id: i64,
    #[serde(default, deserialize_with = "crate::domain::form::checkbox")]
    pub show: bool,
    pub public_description: String,
    #[serde(default)]
    pub photo: String,
}

/// The post editor's form: a new post without `id`, a change with it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostSave {
    #[serde(default, deserialize_with = "crate::domain::form::optional_number")]
    pub id: Option<i64>,
    #[serde(flatten)]
    pub post: PostInput,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert!(validate_slug("2026-year-end-notice").is_ok());
        assert!(validate_slug("공지").is_err());
        assert!(validate_slug("Upper").is_err());
        assert!(validate_slug("-x").is_err());
        assert!(validate_slug("").is_err());
    }
}
