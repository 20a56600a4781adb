//! Homepage content shared by the public pages and the platform editors: company info,
//! posts, inquiries, portfolio entries, and their input rules.

use super::error::FieldErrors;
use serde::{Deserialize, Serialize};

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

/// 사업자등록번호: 10 digits whose last is a check digit (weights 1,3,7,1,3,7,1,3,5).
pub fn is_valid_business_number(raw: &str) -> bool {
    let digits: Vec<u32> = raw
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if digits.len() != 10 {
        return false;
    }
    const W: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let mut sum: u32 = digits.iter().zip(W).map(|(d, w)| d * w).sum();
    sum += digits[8] * 5 / 10;
    (10 - sum % 10) % 10 == digits[9]
}

/// A valid business number as it is stored and shown: `123-45-67890`.
pub fn format_business_number(raw: &str) -> Option<String> {
    if !is_valid_business_number(raw) {
        return None;
    }
    let d: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    Some(format!("{}-{}-{}", &d[..3], &d[3..5], &d[5..]))
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InquiryStatus {
    New,
    Contacted,
    Closed,
}

impl InquiryStatus {
    pub const ALL: [InquiryStatus; 3] = [
        InquiryStatus::New,
        InquiryStatus::Contacted,
        InquiryStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::New => "new",
            InquiryStatus::Contacted => "contacted",
            InquiryStatus::Closed => "closed",
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            InquiryStatus::New => "신규",
            InquiryStatus::Contacted => "연락함",
            InquiryStatus::Closed => "종결",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// What a visitor sends from 문의하기.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub message: String,
    /// The privacy-policy consent checkbox ("on" when ticked).
    #[serde(default)]
    pub consent: Option<String>,
    /// Honeypot: hidden from people; bots fill it.
    #[serde(default)]
    pub website: String,
}

/// Digits of a Korean phone number (mobile 010…, Seoul 02…, regional 0xx…, 15xx/16xx/18xx).
pub fn normalize_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let stray = raw
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == '-' || c == ' ' || c == '(' || c == ')' || c == '+'));
    if stray {
        return None;
    }
    let digits = digits
        .strip_prefix("82")
        .map(|d| format!("0{d}"))
        .filter(|_| raw.trim_start().starts_with('+'))
        .unwrap_or(digits);
    let ok = match digits.len() {
        8 => digits.starts_with("15") || digits.starts_with("16") || digits.starts_with("18"),
        9 => digits.starts_with("02"),
        10 | 11 => digits.starts_with('0'),
        _ => false,
    };
    ok.then_some(digits)
}

impl InquiryInput {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            e.insert("name".into(), "성함을 입력해 주세요.".into());
        } else if name.chars().count() > 50 {
            e.insert("name".into(), "성함은 50자 이내로 입력해 주세요.".into());
        }
        if self.company.chars().count() > 100 {
            e.insert(
                "company".into(),
                "회사명은 100자 이내로 입력해 주세요.".into(),
            );
        }
        if self.phone.trim().is_empty() {
            e.insert("phone".into(), "연락처를 입력해 주세요.".into());
        } else if normalize_phone(&self.phone).is_none() {
            e.insert(
                "phone".into(),
                "연락처 형식이 올바르지 않습니다 (예: 010-1234-5678).".into(),
            );
        }
        if let Err(m) = super::validation::validate_email(&self.email) {
            e.insert("email".into(), m);
        }
        if self.area.chars().count() > 200 {
            e.insert(
                "area".into(),
                "건물 주소·지역은 200자 이내로 입력해 주세요.".into(),
            );
        }
        let message = self.message.trim();
        if message.chars().count() < 5 {
            e.insert(
                "message".into(),
                "문의 내용을 5자 이상 입력해 주세요.".into(),
            );
        } else if message.chars().count() > 3000 {
            e.insert(
                "message".into(),
                "문의 내용은 3,000자 이내로 입력해 주세요.".into(),
            );
        }
        if self.consent.as_deref().is_none_or(|c| c.is_empty()) {
            e.insert(
                "consent".into(),
                "개인정보 수집·이용에 동의해 주세요.".into(),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryDto {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub phone: String,
    pub email: String,
    pub area: String,
    pub message: String,
    pub status: InquiryStatus,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub notes: String,
    /// `2026-11-24 09:30` in Seoul.
    pub created_at: String,
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

/// `12,345.6㎡` with thousands separators.
pub fn format_area(m2: f64) -> String {
    let tenths = (m2 * 10.0).round() as i64;
    let whole = super::money::group_thousands(tenths / 10);
    match tenths % 10 {
        0 => format!("{whole}㎡"),
        d => format!("{whole}.{d}㎡"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_number_check_digit() {
        assert!(is_valid_business_number("220-81-62517"));
        assert!(is_valid_business_number("2208162517"));
        assert!(!is_valid_business_number("220-81-62518"));
        assert!(!is_valid_business_number("123-45"));
        assert!(!is_valid_business_number("abc-de-fghij"));
    }

    #[test]
    fn phones_are_normalized_to_digits() {
        assert_eq!(
            normalize_phone("010-1234-5678").as_deref(),
            Some("01012345678")
        );
        assert_eq!(
            normalize_phone("02) 555 1234").as_deref(),
            Some("025551234")
        );
        assert_eq!(
            normalize_phone("+82 10 1234 5678").as_deref(),
            Some("01012345678")
        );
        assert_eq!(normalize_phone("1588-1234").as_deref(), Some("15881234"));
        assert_eq!(normalize_phone("12345"), None);
        assert_eq!(normalize_phone("010-1234-567a"), None);
    }

    #[test]
    fn inquiry_requires_consent_and_contact() {
        let mut i = InquiryInput {
            name: "홍길동".into(),
            phone: "010-1234-5678".into(),
            email: "hong@example.com".into(),
            message: "관리 문의드립니다.".into(),
            consent: Some("on".into()),
            ..Default::default()
        };
        assert!(i.validate().is_ok());
        i.consent = None;
        assert!(i.validate().unwrap_err().contains_key("consent"));
        i.phone = "abc".into();
        assert!(i.validate().unwrap_err().contains_key("phone"));
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(validate_slug("2026-year-end-notice").is_ok());
        assert!(validate_slug("공지").is_err());
        assert!(validate_slug("Upper").is_err());
        assert!(validate_slug("-x").is_err());
        assert!(validate_slug("").is_err());
    }

    #[test]
    fn areas_show_one_decimal_with_separators() {
        assert_eq!(format_area(12345.64), "12,345.6㎡");
        assert_eq!(format_area(980.0), "980㎡");
    }
}
