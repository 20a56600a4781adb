//! Spreadsheets in: tenants with their leases imported for one building from the XLSX template,
//! every row checked with a Korean report, saved all-or-nothing (or the valid rows only) in one
//! transaction. (Each list's export to XLSX lives with its list, in that area's `web.rs`.)

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

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

impl ImportReport {
    /// The one-line result shown above the row-by-row report.
    pub fn summary_ko(&self) -> String {
        if self.saved {
            format!(
                "{}행 중 {}행을 저장했습니다 (계약 {}건, 새 임차인 {}명, {:.1}초).",
                self.total_rows,
                self.leases_created,
                self.leases_created,
                self.tenants_created,
                self.elapsed_ms as f64 / 1000.0
            )
        } else {
            format!(
                "{}행 중 {}행에 문제가 있어 아무것도 저장하지 않았습니다. 고친 뒤 다시 올리거나 '올바른 행만 저장'을 고르세요.",
                self.total_rows,
                self.total_rows - self.valid_rows
            )
        }
    }
}
