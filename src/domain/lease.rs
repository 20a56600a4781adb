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

/// The region class read off a building's 시군구 code (행정표준코드, 5 digits), per 상가건물
/// 임대차보호법 시행령 §2 and the 과밀억제권역 of 수도권정비계획법 시행령 별표 1. `certain` is
/// false where the line runs through the 시군구 (parts of 인천 서구·중구·연수구·남동구 are
/// outside the 과밀억제권역; only ten 동 of 남양주 and 시흥 outside 반월특수지역 are inside):
/// staff then confirm or override it with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionGuess {
    pub class: RegionClass,
    pub certain: bool,
}

pub fn region_from_sigungu(code: &str) -> Option<RegionGuess> {
    let code = code.trim();
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    use RegionClass::*;
    let sure = |class| {
        Some(RegionGuess {
            class,
            certain: true,
        })
    };
    let unsure = |class| {
        Some(RegionGuess {
            class,
            certain: false,
        })
    };
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| code.starts_with(p));
    match &code[..2] {
        "11" => sure(Seoul),
        "26" => sure(OvercrowdedOrBusan),
        // 인천: its 군 are outside both lists; parts of these 구 lie outside the 과밀억제권역.
        "28" => match code {
            "28710" | "28720" => sure(Other),
            "28110" | "28185" | "28200" | "28260" => unsure(OvercrowdedOrBusan),
            _ => sure(OvercrowdedOrBusan),
        },
        // 대구·광주·대전·울산: 광역시, their 군 excepted.
        "27" | "29" | "30" | "31" => match code {
            "27710" | "27720" | "31710" => sure(Other),
            _ => sure(MetroAndNamedCities),
        },
        "36" => sure(MetroAndNamedCities),
        "41" => {
            // 수원, 성남, 안양, 부천, 고양, 의정부, 광명, 과천, 구리, 군포, 의왕, 하남.
            if starts(&[
                "4111", "4113", "4117", "4119", "4128", "41150", "41210", "41290", "41310",
                "41410", "41430", "41450",
            ]) {
                sure(OvercrowdedOrBusan)
            } else if code == "41390" {
                // 시흥 (반월특수지역 excepted).
                unsure(OvercrowdedOrBusan)
            } else if code == "41360" {
                // 남양주: only 호평·평내·금곡·일패·이패·삼패·가운·수석·지금·도농동.
                unsure(Other)
            } else if starts(&["4127", "4146", "4159", "41480", "41570", "41610"]) {
                // 안산, 용인, 화성, 파주, 김포, 광주.
                sure(MetroAndNamedCities)
            } else {
                sure(Other)
            }
        }
        _ => sure(Other),
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

/// The tenant's renewal right covers ten years from the first lease start (§10 ②).
pub const RENEWAL_RIGHT_YEARS: u32 = 10;

/// The last day the renewal right can reach: a renewal ending later is a new agreement, not
/// one the tenant can demand, and the 5% cap does not bind it.
pub fn renewal_right_until(first_start: NaiveDate) -> NaiveDate {
    first_start
        .checked_add_months(Months::new(12 * RENEWAL_RIGHT_YEARS))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// 묵시적 갱신 (§10 ④): when the landlord gives no notice of refusal or new terms between six
/// months and one month before the end, the lease is renewed on the same terms for one year.
/// The window in which that notice must arrive.
pub fn renewal_notice_window(end: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        end.checked_sub_months(Months::new(6)).unwrap_or(end),
        end.checked_sub_months(Months::new(1)).unwrap_or(end),
    )
}

/// The end of a lease renewed implicitly: one year after its end.
pub fn implicitly_renewed_end(end: NaiveDate) -> NaiveDate {
    end.checked_add_months(Months::new(12)).unwrap_or(end)
}

/// What a change of a lease's amounts is, for the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncreaseCheck {
    /// No amount rises: nothing to check.
    NoIncrease,
    /// Within the cap (or the cap does not bind: unprotected, or past the renewal right).
    Allowed,
    /// Over the cap: refused unless the parties' agreement is recorded with a reason.
    OverCap(Vec<RenewalProblem>),
}

/// The one rule for raising a lease's deposit or rent, by renewal or by correction: a protected
/// lease within the renewal right rises at most 5% and not within a year of the contract or the
/// last increase (`on`: the day the new amounts take effect).
pub fn check_increase(
    current: CurrentTerms,
    protected: bool,
    within_renewal_right: bool,
    new_deposit: i64,
    new_monthly_rent: i64,
    on: NaiveDate,
) -> IncreaseCheck {
    if new_deposit <= current.deposit && new_monthly_rent <= current.monthly_rent {
        return IncreaseCheck::NoIncrease;
    }
    if !protected || !within_renewal_right {
        return IncreaseCheck::Allowed;
    }
    let problems = check_renewal(current, new_deposit, new_monthly_rent, on);
    if problems.is_empty() {
        IncreaseCheck::Allowed
    } else {
        IncreaseCheck::OverCap(problems)
    }
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

    #[test]
    fn region_class_follows_the_sigungu_code() {
        use RegionClass::*;
        let class = |c: &str| region_from_sigungu(c).map(|g| (g.class, g.certain));
        assert_eq!(class("11440"), Some((Seoul, true)), "마포구");
        assert_eq!(
            class("26350"),
            Some((OvercrowdedOrBusan, true)),
            "부산 해운대구"
        );
        assert_eq!(
            class("26710"),
            Some((OvercrowdedOrBusan, true)),
            "부산 기장군"
        );
        assert_eq!(
            class("28237"),
            Some((OvercrowdedOrBusan, true)),
            "인천 부평구"
        );
        assert_eq!(
            class("28185"),
            Some((OvercrowdedOrBusan, false)),
            "인천 연수구(송도)"
        );
        assert_eq!(class("28710"), Some((Other, true)), "인천 강화군");
        assert_eq!(
            class("41117"),
            Some((OvercrowdedOrBusan, true)),
            "수원 영통구"
        );
        assert_eq!(
            class("41135"),
            Some((OvercrowdedOrBusan, true)),
            "성남 분당구"
        );
        assert_eq!(
            class("41281"),
            Some((OvercrowdedOrBusan, true)),
            "고양 덕양구"
        );
        assert_eq!(class("41390"), Some((OvercrowdedOrBusan, false)), "시흥");
        assert_eq!(class("41360"), Some((Other, false)), "남양주");
        assert_eq!(
            class("41465"),
            Some((MetroAndNamedCities, true)),
            "용인 수지구"
        );
        assert_eq!(class("41590"), Some((MetroAndNamedCities, true)), "화성");
        assert_eq!(
            class("41610"),
            Some((MetroAndNamedCities, true)),
            "경기 광주"
        );
        assert_eq!(
            class("27140"),
            Some((MetroAndNamedCities, true)),
            "대구 동구"
        );
        assert_eq!(class("27710"), Some((Other, true)), "대구 달성군");
        assert_eq!(class("31710"), Some((Other, true)), "울산 울주군");
        assert_eq!(class("36110"), Some((MetroAndNamedCities, true)), "세종");
        assert_eq!(class("41220"), Some((Other, true)), "평택");
        assert_eq!(class("43111"), Some((Other, true)), "청주 상당구");
        assert_eq!(class("50110"), Some((Other, true)), "제주시");
        assert_eq!(class(""), None);
        assert_eq!(class("1144"), None);
        assert_eq!(class("11a40"), None);
    }

    #[test]
    fn the_renewal_right_runs_ten_years_and_notice_six_to_one_month_before() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(renewal_right_until(d("2018-03-01")), d("2028-02-29"));
        assert_eq!(
            renewal_notice_window(d("2027-12-31")),
            (d("2027-06-30"), d("2027-11-30"))
        );
        assert_eq!(implicitly_renewed_end(d("2027-12-31")), d("2028-12-31"));
    }

    #[test]
    fn increases_are_checked_the_same_way_for_renewals_and_corrections() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let terms = CurrentTerms {
            deposit: 50_000_000,
            monthly_rent: 2_000_000,
            last_change: d("2026-01-01"),
        };
        let on = d("2027-01-01");
        assert_eq!(
            check_increase(terms, true, true, 50_000_000, 2_000_000, on),
            IncreaseCheck::NoIncrease
        );
        assert_eq!(
            check_increase(terms, true, true, 50_000_000, 2_100_000, on),
            IncreaseCheck::Allowed
        );
        assert!(matches!(
            check_increase(terms, true, true, 50_000_000, 2_100_001, on),
            IncreaseCheck::OverCap(_)
        ));
        // Within a year of the contract: even 1 won more is too soon.
        assert!(matches!(
            check_increase(terms, true, true, 50_000_000, 2_000_001, d("2026-06-01")),
            IncreaseCheck::OverCap(_)
        ));
        // Not protected, or past the renewal right: the parties are free.
        assert_eq!(
            check_increase(terms, false, true, 60_000_000, 3_000_000, on),
            IncreaseCheck::Allowed
        );
        assert_eq!(
            check_increase(terms, true, false, 60_000_000, 3_000_000, on),
            IncreaseCheck::Allowed
        );
    }
}
