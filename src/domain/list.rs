//! What every list shares: the search, filters, sort and page kept in the URL, one page of rows
//! with its total, and an id with the name to show for it.

use serde::{Deserialize, Serialize};

/// An id with the name to show for it (a manager, a linked user, a building).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
    /// An extra line: an email, an address.
    pub detail: String,
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
    /// A billing month (`2026-03`).
    #[serde(default)]
    pub month: String,
    /// Only invoices at least this many days past due.
    #[serde(default)]
    pub overdue_days: Option<u32>,
}

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
            month: get("month").unwrap_or_default(),
            overdue_days: get("overdue_days").and_then(|v| v.trim().parse().ok()),
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
        push("month", self.month.clone());
        push(
            "overdue_days",
            self.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
        );
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
