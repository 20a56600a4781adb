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

pub const AUDIT_ENTITIES: [(&str, &str); 11] = [
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
    ("work_item", "작업 대기열 항목"),
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

/// One line of the dashboard's recent activity: what changed, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDto {
    /// Seoul time, to the minute.
    pub at: String,
    pub summary: String,
    /// The record's page, when it has one.
    pub href: Option<String>,
}

/// Lines the dashboard shows.
pub const RECENT_ACTIVITY: i64 = 15;

/// What happened, for an event kind (`lease.renewed` → 갱신).
pub fn activity_verb(kind: &str) -> &'static str {
    match kind.rsplit('.').next().unwrap_or("") {
        "created" => "등록",
        "changed" => "변경",
        "renewed" => "갱신",
        "ended" => "종료",
        "increase_agreed" => "증액 합의 기록",
        _ => "변경",
    }
}

/// The page of an event's record.
pub fn activity_href(entity: &str, id: i64) -> Option<String> {
    match entity {
        "lease" => Some(format!("/platform/leases/{id}")),
        "contract" => Some(format!("/platform/contracts/{id}")),
        _ => None,
    }
}

#[cfg(test)]
mod activity_tests {
    use super::*;

    #[test]
    fn verbs_and_pages_of_events() {
        assert_eq!(activity_verb("lease.created"), "등록");
        assert_eq!(activity_verb("lease.renewed"), "갱신");
        assert_eq!(activity_verb("lease.increase_agreed"), "증액 합의 기록");
        assert_eq!(activity_verb("contract.changed"), "변경");
        assert_eq!(
            activity_href("lease", 7).as_deref(),
            Some("/platform/leases/7")
        );
        assert_eq!(activity_href("file", 7), None);
    }
}
