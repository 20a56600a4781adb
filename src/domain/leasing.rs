//! Tenants and leases as the platform and its server functions exchange them, with their
//! input rules.

use super::error::FieldErrors;
use super::lease::RenewalProblem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LeaseStatus {
    Scheduled,
    Active,
    Ending,
    Ended,
    Terminated,
}

impl LeaseStatus {
    pub const ALL: [LeaseStatus; 5] = [
        LeaseStatus::Scheduled,
        LeaseStatus::Active,
        LeaseStatus::Ending,
        LeaseStatus::Ended,
        LeaseStatus::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeaseStatus::Scheduled => "scheduled",
            LeaseStatus::Active => "active",
            LeaseStatus::Ending => "ending",
            LeaseStatus::Ended => "ended",
            LeaseStatus::Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            LeaseStatus::Scheduled => "예정",
            LeaseStatus::Active => "진행 중",
            LeaseStatus::Ending => "만료 예정",
            LeaseStatus::Ended => "종료",
            LeaseStatus::Terminated => "중도 해지",
        }
    }

    /// The status a lease's term gives it on `today` (Seoul): before it, in it, after it.
    pub fn from_term(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Self {
        if today < start {
            LeaseStatus::Scheduled
        } else if today > end {
            LeaseStatus::Ended
        } else if end.signed_duration_since(today).num_days() <= 90 {
            LeaseStatus::Ending
        } else {
            LeaseStatus::Active
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantInput {
    pub kind: String,
    pub name: String,
    pub business_number: String,
    pub representative: String,
    pub contact_name: String,
    pub mobile: String,
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
        } else if !bn.is_empty() && !super::content::is_valid_business_number(bn) {
            e.insert(
                "business_number".into(),
                "사업자등록번호가 올바르지 않습니다.".into(),
            );
        }
        let mobile = super::validation::normalize_mobile(&self.mobile);
        if let Err(m) = &mobile {
            e.insert("mobile".into(), m.clone());
        }
        if let Err(m) = Some(&self.email)
            .filter(|m| !m.trim().is_empty())
            .map_or(Ok(()), |m| super::validation::validate_email(m))
        {
            e.insert("email".into(), m);
        }
        match mobile {
            Ok(m) if e.is_empty() => Ok(m),
            _ => Err(e),
        }
    }
}

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
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.unit_ids.is_empty() {
            e.insert("unit_ids".into(), "호실을 하나 이상 선택해 주세요.".into());
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
        if self.late_fee_rate_bp > 2_400 {
            e.insert(
                "late_fee_rate_bp".into(),
                "연체 이율은 연 24% 이하여야 합니다.".into(),
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
    pub deposit_ledger: super::records::DepositLedger,
    pub files: Vec<super::records::FileDto>,
    pub history: Vec<LeaseHistoryEntry>,
}

/// One stored previous version: who changed it, when, and which fields went from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseHistoryEntry {
    pub version: i64,
    pub change_kind: String,
    pub changed_by: Option<String>,
    /// `2026-11-24 09:30` in Seoul.
    pub changed_at: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Why a renewal was refused, one Korean sentence per broken rule.
pub fn renewal_refusal(problems: &[RenewalProblem]) -> String {
    let reasons: Vec<String> = problems.iter().map(|p| p.message_ko()).collect();
    format!(
        "상가임대차보호법 기준을 넘는 갱신입니다. {}",
        reasons.join(" / ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn status_follows_the_term() {
        let (s, e) = (d(2026, 1, 1), d(2027, 12, 31));
        assert_eq!(
            LeaseStatus::from_term(s, e, d(2025, 12, 31)),
            LeaseStatus::Scheduled
        );
        assert_eq!(
            LeaseStatus::from_term(s, e, d(2026, 6, 1)),
            LeaseStatus::Active
        );
        assert_eq!(
            LeaseStatus::from_term(s, e, d(2027, 11, 1)),
            LeaseStatus::Ending
        );
        assert_eq!(
            LeaseStatus::from_term(s, e, d(2028, 1, 1)),
            LeaseStatus::Ended
        );
    }

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingSummary {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub region: String,
    pub client_name: Option<String>,
    pub managers: String,
    pub units: i64,
    pub active_leases: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitDto {
    pub id: i64,
    pub floor: i32,
    pub name: String,
    pub exclusive_area_m2: f64,
    pub common_area_m2: f64,
    pub contract_area_m2: f64,
}

/// A unit in its building's list, with the tenant of its live lease.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitListRow {
    pub id: i64,
    pub floor: i32,
    pub name: String,
    pub exclusive_area_m2: f64,
    pub common_area_m2: f64,
    pub contract_area_m2: f64,
    pub tenant_name: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildingDetail {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub region: String,
    pub info: super::records::BuildingInput,
    pub client_name: Option<String>,
    pub managers: Vec<super::records::NamedRef>,
    pub units: Vec<UnitDto>,
    pub leases: Vec<LeaseSummary>,
    pub contracts: Vec<super::records::ContractListRow>,
    pub files: Vec<super::records::FileDto>,
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
    pub files: Vec<super::records::FileDto>,
}

/// A list's search, filters, sort and page, as kept in the URL. Every list reads the fields it
/// offers and ignores the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub building_id: Option<i64>,
    #[serde(default)]
    pub client_id: Option<i64>,
    #[serde(default)]
    pub manager_id: Option<i64>,
    #[serde(default)]
    pub status: String,
    /// Only records ending within this many days from today.
    #[serde(default)]
    pub expiring_days: Option<u32>,
    /// The audit log's entity filter.
    #[serde(default)]
    pub entity: String,
    /// The audit log's user filter.
    #[serde(default)]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: Option<u32>,
}

/// The lease list uses the common list query.
pub type LeaseQuery = ListQuery;

impl ListQuery {
    pub const PER_PAGE: u32 = 50;
    /// An export takes every matching row, up to this many.
    pub const EXPORT_MAX: u32 = 50_000;

    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).clamp(1, 100_000)
    }

    /// Reads a query from URL parameters; a malformed number is ignored, not an error.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let num = |k: &str| get(k).and_then(|v| v.trim().parse().ok());
        ListQuery {
            q: get("q").unwrap_or_default(),
            building_id: num("building_id"),
            client_id: num("client_id"),
            manager_id: num("manager_id"),
            status: get("status").unwrap_or_default(),
            expiring_days: get("expiring_days").and_then(|v| v.trim().parse().ok()),
            entity: get("entity").unwrap_or_default(),
            user_id: num("user_id"),
            sort: get("sort").unwrap_or_default(),
            page: get("page").and_then(|v| v.trim().parse().ok()),
        }
    }

    /// The query string for this query at another page (for links that keep the filters);
    /// page 0 leaves the page out (for exports).
    pub fn to_query_string(&self, page: u32) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |k: &str, v: String| {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(&v)));
            }
        };
        let opt = |v: Option<i64>| v.map(|b| b.to_string()).unwrap_or_default();
        push("q", self.q.clone());
        push("building_id", opt(self.building_id));
        push("client_id", opt(self.client_id));
        push("manager_id", opt(self.manager_id));
        push("status", self.status.clone());
        push(
            "expiring_days",
            self.expiring_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        push("entity", self.entity.clone());
        push("user_id", opt(self.user_id));
        push("sort", self.sort.clone());
        if page > 1 {
            push("page", page.to_string());
        }
        parts.join("&")
    }
}

/// One page of a list, with the total across all pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub pages: u32,
}

impl<T> ListPage<T> {
    pub fn new(rows: Vec<T>, total: i64, page: u32) -> Self {
        let pages = (total.max(1) as u64).div_ceil(u64::from(ListQuery::PER_PAGE)) as u32;
        ListPage {
            rows,
            total,
            page,
            pages,
        }
    }
}

/// Percent-encoding for query values (UTF-8 bytes outside the unreserved set).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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

pub type LeaseListPage = ListPage<LeaseListRow>;
