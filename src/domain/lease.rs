//! Korean commercial lease rules (상가건물 임대차보호법, SPEC §7): converted deposit and the
//! protection thresholds by region, the 5% / one-year cap on increases at renewal, payment days
//! in short months, overlapping terms, and the windows of expiry alerts.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The region class of a building, which sets the lease law's protection threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionClass {
    /// 서울특별시
    Seoul,
    /// 수도권정비계획법의 과밀억제권역(서울 제외) 및 부산광역시
    OvercrowdedOrBusan,
    /// 광역시(부산·인천 일부 제외), 세종, 파주, 화성, 안산, 용인, 김포, 광주(경기)
    MetroAndNamedCities,
    /// 그 밖의 지역
    Other,
}

impl RegionClass {
    pub const ALL: [RegionClass; 4] = [
        RegionClass::Seoul,
        RegionClass::OvercrowdedOrBusan,
        RegionClass::MetroAndNamedCities,
        RegionClass::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegionClass::Seoul => "seoul",
            RegionClass::OvercrowdedOrBusan => "overcrowded_or_busan",
            RegionClass::MetroAndNamedCities => "metro_and_named_cities",
            RegionClass::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            RegionClass::Seoul => "서울특별시",
            RegionClass::OvercrowdedOrBusan => "과밀억제권역·부산",
            RegionClass::MetroAndNamedCities => "광역시·세종 등",
            RegionClass::Other => "그 밖의 지역",
        }
    }

    /// The converted deposit up to which the law fully protects the tenant, in won.
    pub fn protection_threshold(self) -> i64 {
        match self {
            RegionClass::Seoul => 900_000_000,
            RegionClass::OvercrowdedOrBusan => 690_000_000,
            RegionClass::MetroAndNamedCities => 540_000_000,
            RegionClass::Other => 370_000_000,
        }
    }
}

/// 환산보증금 = 보증금 + 월 차임 × 100.
pub fn converted_deposit(deposit: i64, monthly_rent: i64) -> i64 {
    deposit.saturating_add(monthly_rent.saturating_mul(100))
}

pub fn is_protected(region: RegionClass, deposit: i64, monthly_rent: i64) -> bool {
    converted_deposit(deposit, monthly_rent) <= region.protection_threshold()
}

/// The amounts and dates that the renewal rule compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentTerms {
    pub deposit: i64,
    pub monthly_rent: i64,
    /// Start of the contract, or of the last increase if there was one since.
    pub last_change: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RenewalProblem {
    /// An amount would rise more than 5%.
    OverCap {
        what: String,
        current: i64,
        proposed: i64,
        max: i64,
    },
    /// An increase less than a year after the contract or the last increase.
    TooSoon {
        last_change: NaiveDate,
        earliest: NaiveDate,
    },
}

impl RenewalProblem {
    pub fn message_ko(&self) -> String {
        match self {
            RenewalProblem::OverCap {
                what,
                current,
                proposed,
                max,
            } => format!(
                "{what} 인상이 5%를 넘습니다: 현재 {} → 제안 {} (최대 {})",
                super::money::format_won(*current),
                super::money::format_won(*proposed),
                super::money::format_won(*max)
            ),
            RenewalProblem::TooSoon {
                last_change,
                earliest,
            } => format!(
                "계약 또는 직전 인상({last_change}) 후 1년이 지나지 않아 인상할 수 없습니다 ({earliest}부터 가능)"
            ),
        }
    }
}

/// The highest amount a 5% increase allows (rounded down to the won).
pub fn max_increase(current: i64) -> i64 {
    current.saturating_mul(105) / 100
}

/// Checks a renewal of a protected lease: increases of at most 5%, and none within one year of
/// the contract or the last increase. Decreases and unchanged amounts always pass.
pub fn check_renewal(
    current: CurrentTerms,
    new_deposit: i64,
    new_monthly_rent: i64,
    renewal_start: NaiveDate,
) -> Vec<RenewalProblem> {
    let mut problems = Vec::new();
    let increases = new_deposit > current.deposit || new_monthly_rent > current.monthly_rent;
    for (what, cur, new) in [
        ("보증금", current.deposit, new_deposit),
        ("월 임대료", current.monthly_rent, new_monthly_rent),
    ] {
        if new > max_increase(cur) {
            problems.push(RenewalProblem::OverCap {
                what: what.into(),
                current: cur,
                proposed: new,
                max: max_increase(cur),
            });
        }
    }
    if increases {
        let earliest = current
            .last_change
            .checked_add_months(Months::new(12))
            .unwrap_or(NaiveDate::MAX);
        if renewal_start < earliest {
            problems.push(RenewalProblem::TooSoon {
                last_change: current.last_change,
                earliest,
            });
        }
    }
    problems
}

/// The due date of a payment day (1–31) in a month; a day past the month's end means its last day.
pub fn due_date(year: i32, month: u32, payment_day: u32) -> Option<NaiveDate> {
    if !(1..=31).contains(&payment_day) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some(first.with_day(payment_day.min(last.day())).unwrap_or(last))
}

/// Two inclusive date ranges share at least one day.
pub fn terms_overlap(
    a_start: NaiveDate,
    a_end: NaiveDate,
    b_start: NaiveDate,
    b_end: NaiveDate,
) -> bool {
    a_start <= b_end && b_start <= a_end
}

/// Expiry alerts belong 6 months and 1 month before the end, and on the last day (SPEC §7).
pub fn expiry_alert_dates(end: NaiveDate) -> [NaiveDate; 3] {
    [
        end.checked_sub_months(Months::new(6)).unwrap_or(end),
        end.checked_sub_months(Months::new(1)).unwrap_or(end),
        end,
    ]
}

/// The highest late-fee rate a lease may carry, in basis points a year (1% = 100): the
/// statutory maximum interest rate (이자제한법 최고이자율), 20% since 2021-07-07.
pub const LATE_FEE_MAX_BP: u32 = 2_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn converted_deposit_and_thresholds() {
        assert_eq!(converted_deposit(300_000_000, 5_000_000), 800_000_000);
        assert!(
            is_protected(RegionClass::Seoul, 300_000_000, 6_000_000),
            "exactly 9억 is protected"
        );
        assert!(!is_protected(RegionClass::Seoul, 300_000_001, 6_000_000));
        assert!(!is_protected(RegionClass::Other, 100_000_000, 3_000_000));
        for r in RegionClass::ALL {
            assert_eq!(RegionClass::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn renewal_allows_five_percent_after_a_year() {
        let cur = CurrentTerms {
            deposit: 100_000_000,
            monthly_rent: 3_000_000,
            last_change: d(2025, 3, 1),
        };
        assert!(check_renewal(cur, 105_000_000, 3_150_000, d(2026, 3, 1)).is_empty());
        let over = check_renewal(cur, 100_000_000, 3_150_001, d(2026, 3, 1));
        assert!(matches!(
            over.as_slice(),
            [RenewalProblem::OverCap { max: 3_150_000, .. }]
        ));
        assert!(over[0].message_ko().contains("3,150,000원"));
        let soon = check_renewal(cur, 100_000_000, 3_100_000, d(2026, 2, 28));
        assert!(matches!(soon.as_slice(), [RenewalProblem::TooSoon { .. }]));
        assert!(
            check_renewal(cur, 90_000_000, 2_900_000, d(2025, 6, 1)).is_empty(),
            "decreases are always fine"
        );
    }

    #[test]
    fn payment_day_31_means_the_last_day_of_short_months() {
        assert_eq!(due_date(2026, 2, 31), Some(d(2026, 2, 28)));
        assert_eq!(due_date(2028, 2, 30), Some(d(2028, 2, 29)));
        assert_eq!(due_date(2026, 4, 31), Some(d(2026, 4, 30)));
        assert_eq!(due_date(2026, 1, 15), Some(d(2026, 1, 15)));
        assert_eq!(due_date(2026, 1, 0), None);
        assert_eq!(due_date(2026, 1, 32), None);
    }

    #[test]
    fn overlapping_terms_share_a_day() {
        assert!(terms_overlap(
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2026, 12, 31),
            d(2027, 12, 31)
        ));
        assert!(!terms_overlap(
            d(2026, 1, 1),
            d(2026, 12, 31),
            d(2027, 1, 1),
            d(2027, 12, 31)
        ));
    }

    #[test]
    fn expiry_alerts_at_six_months_one_month_and_the_end() {
        assert_eq!(
            expiry_alert_dates(d(2026, 8, 31)),
            [d(2026, 2, 28), d(2026, 7, 31), d(2026, 8, 31)]
        );
    }
}
