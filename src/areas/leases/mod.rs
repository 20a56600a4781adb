//! Leases (임차 계약, legacy `lmcontract`): a tenant rents units of a building for a term, with
//! a deposit, monthly rent, management fee, VAT, payment day and late fee. Every change keeps the
//! previous version (correction, renewal under the lease law, early termination); the deposit
//! ledger records money received and returned.

use crate::areas::files::FileDto;
use crate::domain::error::FieldErrors;
use crate::domain::form::{checkbox, number};
use crate::domain::history::HistoryEntry;
use crate::domain::lease::{LATE_FEE_MAX_BP, RenewalProblem};
use crate::domain::money::format_won;
pub use crate::domain::term::LeaseStatus;
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

/// A new lease, or new values for one. Amounts in won; late fee in basis points (1% = 100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseInput {
    pub tenant_id: i64,
    pub building_id: i64,
    pub unit_ids: Vec<i64>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub vat_applies: bool,
    pub payment_day: u32,
    pub late_fee_rate_bp: u32,
    pub grace_days: u32,
}

impl LeaseInput {
    /// The most units one lease may cover (a whole floor of a large building).
    pub const MAX_UNITS: usize = 200;

    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.unit_ids.is_empty() {
            e.insert("unit_ids".into(), "호실을 하나 이상 선택해 주세요.".into());
        } else if self.unit_ids.len() > Self::MAX_UNITS {
            e.insert(
                "unit_ids".into(),
                format!(
                    "한 계약에는 호실을 {}개까지 넣을 수 있습니다.",
                    Self::MAX_UNITS
                ),
            );
        }
        if self.end_date < self.start_date {
            e.insert("end_date".into(), "종료일은 시작일 이후여야 합니다.".into());
        }
        for (field, v, label) in [
            ("deposit", self.deposit, "보증금"),
            ("monthly_rent", self.monthly_rent, "월 임대료"),
            ("management_fee", self.management_fee, "관리비"),
        ] {
            if !(0..=1_000_000_000_000).contains(&v) {
                e.insert(
                    field.into(),
                    format!("{label}: 0원 이상 1조 원 이하로 입력해 주세요."),
                );
            }
        }
        if !(1..=31).contains(&self.payment_day) {
            e.insert(
                "payment_day".into(),
                "납부일은 1일부터 31일 사이여야 합니다 (31일은 말일).".into(),
            );
        }
        if self.late_fee_rate_bp > LATE_FEE_MAX_BP {
            e.insert(
                "late_fee_rate_bp".into(),
                format!(
                    "연체 이율은 연 {}% 이하여야 합니다 (이자제한법 최고이자율).",
                    LATE_FEE_MAX_BP / 100
                ),
            );
        }
        if self.grace_days > 90 {
            e.insert(
                "grace_days".into(),
                "연체 유예 기간은 90일 이하여야 합니다.".into(),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseDto {
    pub id: i64,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub building_id: i64,
    pub unit_ids: Vec<i64>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub vat_applies: bool,
    pub payment_day: u32,
    pub late_fee_rate_bp: u32,
    pub grace_days: u32,
    pub status: LeaseStatus,
    pub version: i64,
    pub building_name: String,
    /// Unit names, in the order of `unit_ids`.
    pub unit_names: Vec<String>,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: String,
    pub last_increase_on: Option<NaiveDate>,
    /// The agreement recorded with the last increase when it went past the cap.
    pub increase_agreement: String,
    /// The last day a renewal can reach under the tenant's renewal right (ten years).
    pub renewal_right_until: NaiveDate,
    /// When the landlord's notice of refusal or new terms must arrive, or the lease renews
    /// itself for a year on the same terms (묵시적 갱신).
    pub renewal_notice_window: (NaiveDate, NaiveDate),
    pub deposit_ledger: DepositLedger,
    pub files: Vec<FileDto>,
    pub history: Vec<HistoryEntry>,
}

/// Why a renewal was refused, one Korean sentence per broken rule.
pub fn renewal_refusal(problems: &[RenewalProblem]) -> String {
    let reasons: Vec<String> = problems.iter().map(|p| p.message_ko()).collect();
    format!(
        "상가임대차보호법 기준을 넘는 갱신입니다. {}",
        reasons.join(" / ")
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseSummary {
    pub id: i64,
    pub tenant_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub monthly_rent: i64,
    pub status: LeaseStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseListRow {
    pub id: i64,
    pub tenant_name: String,
    pub building_name: String,
    pub units: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub status: LeaseStatus,
}

/// The new-lease form as posted: `unit_ids` holds the chosen units' ids (check boxes
/// `unit_ids[]`, or one comma-separated value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseForm {
    #[serde(deserialize_with = "number")]
    pub tenant_id: i64,
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default, deserialize_with = "crate::domain::form::choices")]
    pub unit_ids: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[serde(deserialize_with = "number")]
    pub deposit: i64,
    #[serde(deserialize_with = "number")]
    pub monthly_rent: i64,
    #[serde(deserialize_with = "number")]
    pub management_fee: i64,
    #[serde(default, deserialize_with = "checkbox")]
    pub vat_applies: bool,
    #[serde(deserialize_with = "number")]
    pub payment_day: u32,
    #[serde(deserialize_with = "number")]
    pub late_fee_rate_bp: u32,
    #[serde(deserialize_with = "number")]
    pub grace_days: u32,
}

impl LeaseForm {
    /// The lease it describes, or the field error of an unreadable unit list.
    pub fn into_input(self) -> Result<LeaseInput, FieldErrors> {
        let unit_ids = crate::domain::form::id_list(&self.unit_ids).map_err(|_| {
            FieldErrors::from([(
                "unit_ids".to_string(),
                "호실 선택이 올바르지 않습니다.".to_string(),
            )])
        })?;
        Ok(LeaseInput {
            tenant_id: self.tenant_id,
            building_id: self.building_id,
            unit_ids,
            start_date: self.start_date,
            end_date: self.end_date,
            deposit: self.deposit,
            monthly_rent: self.monthly_rent,
            management_fee: self.management_fee,
            vat_applies: self.vat_applies,
            payment_day: self.payment_day,
            late_fee_rate_bp: self.late_fee_rate_bp,
            grace_days: self.grace_days,
        })
    }
}

/// New terms for a lease: a correction, or a renewal from the day after the current end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsForm {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(deserialize_with = "number")]
    pub version: i32,
    pub end_date: NaiveDate,
    #[serde(deserialize_with = "number")]
    pub deposit: i64,
    #[serde(deserialize_with = "number")]
    pub monthly_rent: i64,
    #[serde(deserialize_with = "number")]
    pub management_fee: i64,
    #[serde(deserialize_with = "number")]
    pub payment_day: u32,
    /// Set when the parties agreed to an increase over the legal cap: what they agreed and why.
    #[serde(default)]
    pub agreed_reason: String,
}

/// A deposit received or returned (`kind`: `received` / `returned`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositForm {
    #[serde(deserialize_with = "number")]
    pub lease_id: i64,
    pub kind: String,
    #[serde(deserialize_with = "number")]
    pub amount: i64,
    pub on_date: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// An early termination on `terminated_on`, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminateForm {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(deserialize_with = "number")]
    pub version: i32,
    pub terminated_on: NaiveDate,
    pub reason: String,
}

// ---------------------------------------------------------------------------------------------
// Deposit ledger

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositEntryDto {
    pub id: i64,
    /// `received` or `returned`.
    pub kind: String,
    pub amount: i64,
    pub on_date: NaiveDate,
    pub note: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositLedger {
    pub entries: Vec<DepositEntryDto>,
    pub received: i64,
    pub returned: i64,
}

impl DepositLedger {
    pub fn held(&self) -> i64 {
        self.received - self.returned
    }

    /// 미수령, 일부 수령, 수령 완료, 일부 반환, 반환 완료.
    pub fn state_ko(&self, agreed: i64) -> &'static str {
        if self.returned > 0 {
            if self.returned >= self.received {
                "반환 완료"
            } else {
                "일부 반환"
            }
        } else if self.received == 0 {
            "미수령"
        } else if self.received < agreed {
            "일부 수령"
        } else {
            "수령 완료"
        }
    }

    /// Checks a new entry against the ledger: nothing returned beyond what was received, and
    /// nothing received beyond the agreed deposit.
    pub fn check(&self, kind: &str, amount: i64, agreed: i64) -> Result<(), String> {
        if amount <= 0 || amount > 1_000_000_000_000 {
            return Err("금액은 1원 이상으로 입력해 주세요.".into());
        }
        match kind {
            "received" if self.received + amount > agreed => Err(format!(
                "받은 보증금이 약정 보증금 {}을 넘습니다.",
                format_won(agreed)
            )),
            "returned" if amount > self.held() => Err(format!(
                "반환액이 보관 중인 보증금 {}을 넘습니다.",
                format_won(self.held())
            )),
            "received" | "returned" => Ok(()),
            _ => Err("수령 또는 반환을 선택해 주세요.".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(late_fee_rate_bp: u32) -> LeaseInput {
        LeaseInput {
            tenant_id: 1,
            building_id: 1,
            unit_ids: vec![1],
            start_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            deposit: 10_000_000,
            monthly_rent: 1_000_000,
            management_fee: 0,
            vat_applies: true,
            payment_day: 25,
            late_fee_rate_bp,
            grace_days: 0,
        }
    }

    #[test]
    fn late_fees_stop_at_the_statutory_maximum_of_twenty_percent() {
        assert!(lease(2_000).validate().is_ok());
        let e = lease(2_100).validate().unwrap_err();
        assert!(e["late_fee_rate_bp"].contains("20%"), "{e:?}");
    }

    #[test]
    fn a_lease_covers_at_most_two_hundred_units() {
        let mut l = lease(0);
        l.unit_ids = (1..=200).collect();
        assert!(l.validate().is_ok());
        l.unit_ids.push(201);
        assert!(l.validate().unwrap_err().contains_key("unit_ids"));
    }

    #[test]
    fn deposit_ledger_refuses_returning_more_than_held() {
        let mut l = DepositLedger::default();
        assert!(l.check("received", 50_000_000, 100_000_000).is_ok());
        l.received = 100_000_000;
        assert_eq!(l.state_ko(100_000_000), "수령 완료");
        assert!(l.check("received", 1, 100_000_000).is_err());
        l.returned = 40_000_000;
        assert_eq!(l.state_ko(100_000_000), "일부 반환");
        assert!(l.check("returned", 60_000_001, 100_000_000).is_err());
        assert!(l.check("returned", 60_000_000, 100_000_000).is_ok());
    }
}
