//! A versioned record's history as people read it: each stored previous version with who
//! changed it, when, and which fields went from what to what (leases, management contracts).

use serde::{Deserialize, Serialize};

/// One stored previous version: who changed it, when, and which fields went from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
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
