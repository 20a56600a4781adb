//! Where a lease or a management contract is in its term, from its dates and today. Shared by
//! their areas, the demo data and (later) billing.

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
}
