//! Tenants (임차사): the companies and people who lease units. Their contact person's mobile
//! number is where AlimTalk messages go. A tenant with leases or files is not deleted.

use crate::areas::files::FileDto;
use crate::areas::leases::LeaseListRow;
use crate::domain::error::FieldErrors;
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// A tenant's record as the form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantInput {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub business_number: String,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub contact_name: String,
    pub mobile: String,
    #[serde(default)]
    pub email: String,
}

impl TenantInput {
    /// Validates, and returns the normalized mobile number.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        if !matches!(self.kind.as_str(), "person" | "company") {
            e.insert("kind".into(), "개인 또는 법인을 선택해 주세요.".into());
        }
        if self.name.trim().is_empty() {
            e.insert("name".into(), "임차인 이름(상호)을 입력해 주세요.".into());
        } else if self.name.chars().count() > 200 {
            e.insert(
                "name".into(),
                "이름(상호)은 200자 이내로 입력해 주세요.".into(),
            );
        }
        for (field, v, max, label) in [
            ("representative", &self.representative, 100, "대표자"),
            ("contact_name", &self.contact_name, 100, "담당자"),
            ("email", &self.email, 254, "이메일"),
        ] {
            if v.trim().chars().count() > max {
                e.insert(
                    field.into(),
                    format!("{label}은(는) {max}자 이내로 입력해 주세요."),
                );
            }
        }
        let bn = self.business_number.trim();
        if self.kind == "company" && bn.is_empty() {
            e.insert(
                "business_number".into(),
                "법인·사업자는 사업자등록번호를 입력해 주세요.".into(),
            );
        } else if !bn.is_empty() && !crate::domain::validation::is_valid_business_number(bn) {
            e.insert(
                "business_number".into(),
                "사업자등록번호가 올바르지 않습니다.".into(),
            );
        }
        let mobile = crate::domain::validation::normalize_mobile(&self.mobile);
        if let Err(m) = &mobile {
            e.insert("mobile".into(), m.clone());
        }
        if let Err(m) = Some(&self.email)
            .filter(|m| !m.trim().is_empty())
            .map_or(Ok(()), |m| crate::domain::validation::validate_email(m))
        {
            e.insert("email".into(), m);
        }
        match mobile {
            Ok(m) if e.is_empty() => Ok(m),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_name: String,
    pub mobile: String,
    pub email: String,
    pub leases: i64,
}

/// A tenant with its leases and files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantDetail {
    pub tenant: TenantSummary,
    pub leases: Vec<LeaseListRow>,
    pub files: Vec<FileDto>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_needs_a_valid_mobile_and_business_number() {
        let mut t = TenantInput {
            kind: "company".into(),
            name: "(주)행복상사".into(),
            business_number: "220-81-62517".into(),
            mobile: "010-1234-5678".into(),
            ..Default::default()
        };
        assert_eq!(t.validate(), Ok("01012345678".into()));
        t.business_number = "220-81-62518".into();
        t.mobile = "1234".into();
        let e = t.validate().unwrap_err();
        assert!(e.contains_key("business_number") && e.contains_key("mobile"));
    }
}
