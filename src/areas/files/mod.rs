//! Attached files (PDF and images) of buildings, contracts, leases, tenants, expense items and utility bills:
//! what they are, how their type and name are checked, and who may see them (whoever may see
//! their owner record). The bytes live in object storage (`server/files.rs`), the rows in `files`.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// What a file can be attached to.
pub const FILE_OWNERS: [&str; 6] = [
    "building",
    "contract",
    "lease",
    "tenant",
    "expense",
    "utility_bill",
];

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
