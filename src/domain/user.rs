//! Users, their roles, and what the browser is told about them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// SPEC §1. Deny by default: a role grants only what is listed for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Manager,
    Client,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Client];
    /// Who runs the operations (every building): admins and managers.
    pub const STAFF: [Role; 2] = [Role::Admin, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Client => "client",
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            Role::Admin => "관리자",
            Role::Manager => "매니저",
            Role::Client => "건물주",
        }
    }

    /// Staff see every building; clients only their own.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "admin" => Ok(Role::Admin),
            "manager" => Ok(Role::Manager),
            "client" => Ok(Role::Client),
            other => Err(format!("알 수 없는 역할입니다: {other}")),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user as the platform shows it. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Creation time, already formatted in Asia/Seoul (`2026-11-24 09:30`).
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("owner".parse::<Role>().is_err());
    }

    #[test]
    fn only_admin_and_manager_are_staff() {
        assert!(Role::Admin.is_staff());
        assert!(Role::Manager.is_staff());
        assert!(!Role::Client.is_staff());
    }
}
