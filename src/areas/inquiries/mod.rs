//! Homepage inquiries (상담·관리 문의) and their follow-up by staff: what a visitor sends, the
//! rules it must pass, and the inbox as staff see it.

use crate::domain::error::FieldErrors;
use crate::domain::list::{ListPage, NamedRef};
use crate::domain::validation::normalize_phone;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub mod api;
pub mod pages;

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
        if let Err(m) = crate::domain::validation::validate_email(&self.email) {
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
    /// Why it was put with the likely spam (empty: it was not).
    pub spam_reason: String,
    /// `2026-11-24 09:30` in Seoul.
    pub created_at: String,
}

/// The inbox: a page of inquiries and the staff they can be given to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquiryInbox {
    pub page: ListPage<InquiryDto>,
    pub staff: Vec<NamedRef>,
}

/// Staff's follow-up of one inquiry, as the inbox form posts it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InquiryUpdate {
    #[serde(deserialize_with = "crate::domain::form::number")]
    pub id: i64,
    pub status: String,
    pub assignee_id: String,
    pub notes: String,
    /// The "스팸" checkbox (`on` when ticked).
    #[serde(default)]
    pub spam: Option<String>,
}

/// Words that real enquiries about managing a building do not use, and spam does.
const SPAM_WORDS: [&str; 14] = [
    "casino",
    "카지노",
    "바카라",
    "토토",
    "viagra",
    "crypto",
    "bitcoin",
    "비트코인",
    "seo ",
    "backlink",
    "대출",
    "도박",
    "porn",
    "성인",
];

/// Why an inquiry looks like spam, or `None`. Flagged ones still reach the inbox, under
/// "스팸 의심", so a real lead that trips a rule is not lost.
pub fn spam_reason(i: &InquiryInput) -> Option<&'static str> {
    let message = i.message.to_lowercase();
    let links = ["http://", "https://", "www."]
        .iter()
        .map(|l| message.matches(l).count())
        .sum::<usize>();
    let has_hangul = |s: &str| s.chars().any(|c| ('가'..='힣').contains(&c));
    let link_in = |s: &str| {
        let s = s.to_lowercase();
        s.contains("http") || s.contains("www.") || s.contains(".com")
    };
    if link_in(&i.name) || link_in(&i.company) {
        return Some("이름·회사명에 링크");
    }
    if links >= 3 {
        return Some("링크가 3개 이상");
    }
    if links >= 1 && !has_hangul(&i.message) {
        return Some("한글 없이 링크");
    }
    if SPAM_WORDS.iter().any(|w| message.contains(w)) {
        return Some("스팸에 흔한 단어");
    }
    if !has_hangul(&i.name) && !has_hangul(&i.message) && !has_hangul(&i.company) {
        return Some("한글이 전혀 없음");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn likely_spam_is_recognised_and_real_leads_are_not() {
        let lead = InquiryInput {
            name: "홍길동".into(),
            company: "(주)행복상사".into(),
            message: "마포구 5층 근린생활시설 관리 위탁 견적 부탁드립니다. 참고: https://blog.example.com/building".into(),
            ..Default::default()
        };
        assert_eq!(spam_reason(&lead), None);
        let with = |f: &dyn Fn(&mut InquiryInput)| {
            let mut i = lead.clone();
            f(&mut i);
            spam_reason(&i)
        };
        assert!(with(&|i| i.name = "Best SEO http://x.example".into()).is_some());
        assert!(
            with(
                &|i| i.message = "좋은 정보 http://a.example http://b.example www.c.example".into()
            )
            .is_some()
        );
        assert!(with(&|i| i.message = "Great offer, visit https://x.example now".into()).is_some());
        assert!(with(&|i| i.message = "최고의 카지노 사이트를 소개합니다".into()).is_some());
        assert!(
            with(&|i| {
                i.name = "John".into();
                i.company = String::new();
                i.message = "Hello, we offer cheap services.".into();
            })
            .is_some()
        );
        // An English name with a Korean message is a lead.
        assert_eq!(with(&|i| i.name = "John Park".into()), None);
    }
}
