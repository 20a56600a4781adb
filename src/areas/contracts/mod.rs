//! Management contracts (건물 계약, legacy `pmcontract`): a building's owner (client) and Doongji
//! agree on a term, a scope (PM/LM/FM) and a monthly fee. Every change keeps the previous
//! version in the history and writes an event.

use crate::areas::files::FileDto;
use crate::domain::error::FieldErrors;
use crate::domain::form::{checkbox, number};
use crate::domain::history::HistoryEntry;
pub use crate::domain::term::ContractStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// PM (property), LM (leasing), FM (facility) management.
pub const SCOPES: [(&str, &str); 3] = [
    ("PM", "자산관리(PM)"),
    ("LM", "임대관리(LM)"),
    ("FM", "시설관리(FM)"),
];

/// Normalizes a scope list (`"pm, FM"` → `"PM,FM"`), or says what is wrong.
pub fn normalize_scope(raw: &str) -> Result<String, String> {
    let mut out: Vec<&str> = Vec::new();
    for part in raw.split(',').map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let Some((code, _)) = SCOPES.iter().find(|(c, _)| c.eq_ignore_ascii_case(part)) else {
            return Err(format!(
                "관리 범위 '{part}'은(는) PM, LM, FM 중 하나여야 합니다."
            ));
        };
        if !out.contains(code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err("관리 범위를 하나 이상 고르세요.".into());
    }
    out.sort_by_key(|c| SCOPES.iter().position(|(s, _)| s == c));
    Ok(out.join(","))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractInput {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(deserialize_with = "number")]
    pub client_id: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scope: String,
    #[serde(deserialize_with = "number")]
    pub monthly_fee: i64,
    #[serde(default, deserialize_with = "checkbox")]
    pub vat_applies: bool,
}

impl ContractInput {
    /// Validates, and returns the normalized scope.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.end_date < self.start_date {
            e.insert("end_date".into(), "종료일은 시작일 이후여야 합니다.".into());
        }
        if !(0..=100_000_000_000).contains(&self.monthly_fee) {
            e.insert(
                "monthly_fee".into(),
                "월 관리 수수료는 0원 이상 1,000억 원 이하로 입력해 주세요.".into(),
            );
        }
        let scope = normalize_scope(&self.scope);
        if let Err(m) = &scope {
            e.insert("scope".into(), m.clone());
        }
        match scope {
            Ok(s) if e.is_empty() => Ok(s),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractListRow {
    pub id: i64,
    pub building_id: i64,
    pub building_name: String,
    pub client_id: i64,
    pub client_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scope: String,
    pub monthly_fee: i64,
    pub vat_applies: bool,
    pub status: ContractStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractDto {
    pub contract: ContractListRow,
    pub version: i64,
    pub files: Vec<FileDto>,
    pub history: Vec<HistoryEntry>,
}

/// A change of a contract's end, scope, fee and VAT; `terminate` ends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractEdit {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(deserialize_with = "number")]
    pub version: i32,
    pub end_date: NaiveDate,
    pub scope: String,
    #[serde(deserialize_with = "number")]
    pub monthly_fee: i64,
    #[serde(default, deserialize_with = "checkbox")]
    pub vat_applies: bool,
    #[serde(default, deserialize_with = "checkbox")]
    pub terminate: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_normalized_and_checked() {
        assert_eq!(normalize_scope("fm, pm,PM").as_deref(), Ok("PM,FM"));
        assert!(normalize_scope("").is_err());
        assert!(normalize_scope("PM,XM").is_err());
    }
}
