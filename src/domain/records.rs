//! Clients, building details, management contracts, the deposit ledger, attached files, the
//! audit log and spreadsheet imports, as the platform and its server functions exchange them,
//! with their input rules.

use super::error::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An id with the name to show for it (a manager, a linked user, a building).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
    /// An extra line: an email, an address.
    pub detail: String,
}

fn check_len(e: &mut FieldErrors, field: &str, v: &str, max: usize, label: &str) {
    if v.chars().count() > max {
        e.insert(
            field.into(),
            format!("{label}은(는) {max}자 이내로 입력해 주세요."),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Clients (owners)

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInput {
    pub kind: String,
    pub name: String,
    pub business_number: String,
    pub representative: String,
    pub contact_phone: String,
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
        } else if !bn.is_empty() && !super::content::is_valid_business_number(bn) {
            e.insert(
                "business_number".into(),
                "사업자등록번호가 올바르지 않습니다.".into(),
            );
        }
        if !self.contact_phone.trim().is_empty()
            && super::content::normalize_phone(&self.contact_phone).is_none()
        {
            e.insert(
                "contact_phone".into(),
                "전화번호 형식이 올바르지 않습니다 (예: 02-1234-5678).".into(),
            );
        }
        if !self.contact_email.trim().is_empty()
            && let Err(m) = super::validation::validate_email(self.contact_email.trim())
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

pub fn kind_label(kind: &str) -> &'static str {
    if kind == "company" {
        "법인·사업자"
    } else {
        "개인"
    }
}

// ---------------------------------------------------------------------------------------------
// Buildings

/// A building's record as entered by staff (the building register's identifying codes
/// included: 시군구코드, 법정동코드, 대지구분, 번, 지).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildingInput {
    pub name: String,
    pub road_address: String,
    pub lot_address: String,
    pub sigungu_cd: String,
    pub bjdong_cd: String,
    pub plat_gb_cd: String,
    pub bun: String,
    pub ji: String,
    pub region_class: String,
    pub main_use: String,
    pub floors_above: i32,
    pub floors_below: i32,
    pub land_area_m2: f64,
    pub building_area_m2: f64,
    pub total_area_m2: f64,
    pub approval_date: Option<NaiveDate>,
    pub client_id: Option<i64>,
    pub manager_ids: Vec<i64>,
}

fn digits(v: &str, n: usize) -> bool {
    v.len() == n && v.bytes().all(|b| b.is_ascii_digit())
}

impl BuildingInput {
    /// Validates, and pads 번/지 to the register's four digits.
    pub fn normalize(&mut self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.name,
            &mut self.road_address,
            &mut self.lot_address,
            &mut self.sigungu_cd,
            &mut self.bjdong_cd,
            &mut self.plat_gb_cd,
            &mut self.bun,
            &mut self.ji,
            &mut self.main_use,
        ] {
            *s = s.trim().to_string();
        }
        if self.name.is_empty() {
            e.insert("name".into(), "건물 이름을 입력해 주세요.".into());
        }
        check_len(&mut e, "name", &self.name, 200, "건물 이름");
        check_len(
            &mut e,
            "road_address",
            &self.road_address,
            300,
            "도로명 주소",
        );
        check_len(&mut e, "lot_address", &self.lot_address, 300, "지번 주소");
        check_len(&mut e, "main_use", &self.main_use, 100, "주용도");
        if super::lease::RegionClass::parse(&self.region_class).is_none() {
            e.insert("region_class".into(), "지역 구분을 선택해 주세요.".into());
        }
        if !self.sigungu_cd.is_empty() && !digits(&self.sigungu_cd, 5) {
            e.insert(
                "sigungu_cd".into(),
                "시군구코드는 숫자 5자리입니다 (예: 11440).".into(),
            );
        }
        if !self.bjdong_cd.is_empty() && !digits(&self.bjdong_cd, 5) {
            e.insert(
                "bjdong_cd".into(),
                "법정동코드는 숫자 5자리입니다 (예: 12200).".into(),
            );
        }
        if self.plat_gb_cd.is_empty() && !self.sigungu_cd.is_empty() {
            self.plat_gb_cd = "0".into(); // 대지, the usual case
        }
        if !matches!(self.plat_gb_cd.as_str(), "" | "0" | "1" | "2") {
            e.insert(
                "plat_gb_cd".into(),
                "대지구분은 0(대지), 1(산), 2(블록) 중 하나입니다.".into(),
            );
        }
        for (field, v, label) in [("bun", &mut self.bun, "번"), ("ji", &mut self.ji, "지")] {
            if v.is_empty() {
                continue;
            }
            if v.len() > 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
                e.insert(
                    field.into(),
                    format!("{label}은(는) 숫자 4자리 이내입니다."),
                );
            } else {
                *v = format!("{:0>4}", v);
            }
        }
        if !(0..=200).contains(&self.floors_above) || !(0..=30).contains(&self.floors_below) {
            e.insert(
                "floors_above".into(),
                "층수를 확인해 주세요 (지상 0–200층, 지하 0–30층).".into(),
            );
        }
        for (field, v) in [
            ("land_area_m2", self.land_area_m2),
            ("building_area_m2", self.building_area_m2),
            ("total_area_m2", self.total_area_m2),
        ] {
            if !v.is_finite() || !(0.0..=10_000_000.0).contains(&v) {
                e.insert(field.into(), "면적은 0 이상의 숫자로 입력해 주세요.".into());
            }
        }
        self.manager_ids.sort_unstable();
        self.manager_ids.dedup();
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// `11440-12200-0-0045-0012`, the key the building register API is asked with.
    pub fn register_key(&self) -> String {
        if self.sigungu_cd.is_empty() {
            return String::new();
        }
        format!(
            "{}-{}-{}-{}-{}",
            self.sigungu_cd, self.bjdong_cd, self.plat_gb_cd, self.bun, self.ji
        )
    }
}

/// Contract area of a unit: exclusive plus its share of common area.
pub fn contract_area(exclusive: f64, common: f64) -> f64 {
    ((exclusive + common) * 100.0).round() / 100.0
}

// ---------------------------------------------------------------------------------------------
// Management contracts (building ↔ client)

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContractStatus {
    Scheduled,
    Active,
    Ended,
    Terminated,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 4] = [
        ContractStatus::Scheduled,
        ContractStatus::Active,
        ContractStatus::Ended,
        ContractStatus::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Scheduled => "scheduled",
            ContractStatus::Active => "active",
            ContractStatus::Ended => "ended",
            ContractStatus::Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            ContractStatus::Scheduled => "예정",
            ContractStatus::Active => "진행 중",
            ContractStatus::Ended => "종료",
            ContractStatus::Terminated => "해지",
        }
    }

    pub fn from_term(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Self {
        if today < start {
            ContractStatus::Scheduled
        } else if today > end {
            ContractStatus::Ended
        } else {
            ContractStatus::Active
        }
    }
}

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
    pub building_id: i64,
    pub client_id: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub scope: String,
    pub monthly_fee: i64,
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
    pub history: Vec<super::leasing::LeaseHistoryEntry>,
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
                super::money::format_won(agreed)
            )),
            "returned" if amount > self.held() => Err(format!(
                "반환액이 보관 중인 보증금 {}을 넘습니다.",
                super::money::format_won(self.held())
            )),
            "received" | "returned" => Ok(()),
            _ => Err("수령 또는 반환을 선택해 주세요.".into()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files

/// What a file can be attached to.
pub const FILE_OWNERS: [&str; 4] = ["building", "contract", "lease", "tenant"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDto {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// `2026-11-24 09:30` in Seoul.
    pub uploaded_at: String,
    pub uploaded_by: Option<String>,
}

impl FileDto {
    pub fn size_label(&self) -> String {
        let b = self.size_bytes as f64;
        if b >= 1024.0 * 1024.0 {
            format!("{:.1} MB", b / 1024.0 / 1024.0)
        } else {
            format!("{:.0} KB", (b / 1024.0).ceil())
        }
    }

    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// The type of a file from its first bytes (never from its name): PDF, PNG, JPEG or WebP.
pub fn sniff_content_type(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// A file name safe to store and show: no path, no control characters, at most 200 chars.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "첨부파일".into()
    } else {
        cleaned
    }
}

// ---------------------------------------------------------------------------------------------
// Audit log

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user_name: Option<String>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub const AUDIT_ENTITIES: [(&str, &str); 9] = [
    ("client", "고객"),
    ("building", "건물"),
    ("unit", "호실"),
    ("contract", "관리 계약"),
    ("tenant", "임차인"),
    ("lease", "임대 계약"),
    ("deposit", "보증금"),
    ("file", "첨부 파일"),
    ("user", "사용자"),
];

pub fn entity_label(entity: &str) -> &str {
    AUDIT_ENTITIES
        .iter()
        .find(|(e, _)| *e == entity)
        .map(|(_, l)| *l)
        .unwrap_or(entity)
}

pub fn action_label(action: &str) -> &str {
    match action {
        "create" => "생성",
        "update" => "수정",
        "delete" => "삭제",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet import

/// The columns of the tenant and lease import template, in order.
pub const IMPORT_COLUMNS: [&str; 17] = [
    "구분(법인/개인)",
    "상호·이름",
    "사업자등록번호",
    "대표자",
    "담당자",
    "휴대전화",
    "이메일",
    "호실(쉼표로 여러 개)",
    "계약 시작일",
    "계약 종료일",
    "보증금(원)",
    "월 임대료(원)",
    "관리비(원)",
    "부가세(Y/N)",
    "납부일(1-31)",
    "연체 이율(연 %)",
    "연체 유예일",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRowReport {
    /// The spreadsheet row number (the header is row 1).
    pub row: u32,
    pub tenant_name: String,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub total_rows: u32,
    pub valid_rows: u32,
    /// Whether anything was saved.
    pub saved: bool,
    pub leases_created: u32,
    pub tenants_created: u32,
    pub elapsed_ms: u64,
    /// Every row, valid or not, in file order.
    pub rows: Vec<ImportRowReport>,
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

    #[test]
    fn content_type_comes_from_the_bytes() {
        assert_eq!(sniff_content_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            sniff_content_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert_eq!(sniff_content_type(b"MZ\x90\x00 not a pdf"), None);
        assert_eq!(sniff_content_type(b"<html>"), None);
    }

    #[test]
    fn file_names_lose_their_path() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\temp\\계약서.pdf"), "계약서.pdf");
        assert_eq!(clean_file_name(""), "첨부파일");
    }

    #[test]
    fn register_codes_are_checked_and_padded() {
        let mut b = BuildingInput {
            name: "망원빌딩".into(),
            region_class: "seoul".into(),
            sigungu_cd: "11440".into(),
            bjdong_cd: "12200".into(),
            plat_gb_cd: "0".into(),
            bun: "45".into(),
            ji: "12".into(),
            ..Default::default()
        };
        b.normalize().unwrap();
        assert_eq!(b.register_key(), "11440-12200-0-0045-0012");
        b.sigungu_cd = "1144".into();
        assert!(b.normalize().unwrap_err().contains_key("sigungu_cd"));
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
