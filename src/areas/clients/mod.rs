//! Clients (건물주): the owners, persons or companies, whose buildings Doongji manages. Users of
//! the client role are linked to a client and see only that client's buildings.

use crate::areas::contracts::ContractListRow;
use crate::domain::error::FieldErrors;
use crate::domain::list::NamedRef;
use crate::domain::validation::{
    check_len, is_valid_business_number, normalize_phone, validate_email,
};
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInput {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub business_number: String,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: String,
}

impl ClientInput {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if !matches!(self.kind.as_str(), "person" | "company") {
            e.insert("kind".into(), "개인 또는 법인을 선택해 주세요.".into());
        }
        if self.name.trim().is_empty() {
            e.insert("name".into(), "고객 이름(상호)을 입력해 주세요.".into());
        }
        check_len(&mut e, "name", &self.name, 200, "이름(상호)");
        check_len(
            &mut e,
            "representative",
            &self.representative,
            100,
            "대표자",
        );
        let bn = self.business_number.trim();
        if self.kind == "company" && bn.is_empty() {
            e.insert(
                "business_number".into(),
                "법인·사업자는 사업자등록번호를 입력해 주세요.".into(),
            );
        } else if !bn.is_empty() && !is_valid_business_number(bn) {
            e.insert(
                "business_number".into(),
                "사업자등록번호가 올바르지 않습니다.".into(),
            );
        }
        if !self.contact_phone.trim().is_empty() && normalize_phone(&self.contact_phone).is_none() {
            e.insert(
                "contact_phone".into(),
                "전화번호 형식이 올바르지 않습니다 (예: 02-1234-5678).".into(),
            );
        }
        if !self.contact_email.trim().is_empty()
            && let Err(m) = validate_email(self.contact_email.trim())
        {
            e.insert("contact_email".into(), m);
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub business_number: Option<String>,
    pub representative: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub buildings: i64,
    pub users: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub client: ClientSummary,
    pub users: Vec<NamedRef>,
    pub buildings: Vec<NamedRef>,
    pub contracts: Vec<ContractListRow>,
}
