//! The audit log as admins read it: who changed what, when, with the record before and after
//! in Korean. Entries are written by `server/db/audit.rs` in the same transaction as each change.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

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

pub const AUDIT_ENTITIES: [(&str, &str); 10] = [
    ("client", "고객"),
    ("building", "건물"),
    ("unit", "호실"),
    ("contract", "관리 계약"),
    ("tenant", "임차인"),
    ("lease", "임대 계약"),
    ("deposit", "보증금"),
    ("file", "첨부 파일"),
    ("user", "사용자"),
    ("job", "예약 작업"),
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
