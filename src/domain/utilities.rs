//! Utility rules (issue 13, SPEC §2 `bldutilcal` / `lmutilcal` / `payment_utilusage`): meter
//! readings and usage (multiplier, roll-over, replacement), readings far from a unit's usual
//! usage, and how a building's bill is shared among its units and the leases occupying them by
//! days. Every share adds up to the bill exactly (largest remainder, `money::allocate`); areas
//! weigh in hundredths of a square metre, never cut to whole metres.

use crate::domain::billing::YearMonth;
use crate::domain::money::{allocate, group_thousands};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a kind of utility bill is shared among a building's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShareBasis {
    /// By each unit's metered usage (검침 사용량).
    Metered,
    /// By exclusive area (전용면적).
    ExclusiveArea,
    /// By exclusive plus common area (공급면적).
    SupplyArea,
    /// By the area written in the unit's lease (계약면적).
    ContractArea,
    /// By a fixed ratio per unit (고정 비율).
    FixedRatio,
    /// The same for every unit (균등 분할).
    Equal,
}

impl ShareBasis {
    pub const ALL: [ShareBasis; 6] = [
        ShareBasis::Metered,
        ShareBasis::ExclusiveArea,
        ShareBasis::SupplyArea,
        ShareBasis::ContractArea,
        ShareBasis::FixedRatio,
        ShareBasis::Equal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ShareBasis::Metered => "metered",
            ShareBasis::ExclusiveArea => "exclusive_area",
            ShareBasis::SupplyArea => "supply_area",
            ShareBasis::ContractArea => "contract_area",
            ShareBasis::FixedRatio => "fixed_ratio",
            ShareBasis::Equal => "equal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            ShareBasis::Metered => "검침 사용량",
            ShareBasis::ExclusiveArea => "전용면적",
            ShareBasis::SupplyArea => "전용+공용면적",
            ShareBasis::ContractArea => "계약면적",
            ShareBasis::FixedRatio => "고정 비율",
            ShareBasis::Equal => "균등 분할",
        }
    }
}

/// An area in square metres as a weight: hundredths of a square metre, rounded to the nearest
/// (84.97㎡ → 8,497), so two units of 84.97㎡ and 84.51㎡ never weigh the same.
pub fn area_weight(m2: f64) -> u64 {
    if m2.is_finite() && m2 > 0.0 {
        ((m2 * 100.0).round() as u64).min(AREA_MAX)
    } else {
        0
    }
}

/// A meter reading or a usage, in thousandths of the meter's unit (kWh, ㎥ …): readings carry
/// up to three decimals, sums stay exact.
pub type Milli = i64;

/// `1234.5` → 1,234,500 thousandths; at most three decimals, never negative.
pub fn parse_reading(s: &str) -> Result<Milli, String> {
    let t = s.trim().replace(',', "");
    if t.is_empty() {
        return Err("검침값을 입력하세요.".into());
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("검침값 '{}'은 숫자가 아닙니다.", s.trim()));
    }
    if frac.len() > 3 {
        return Err("검침값은 소수점 아래 세 자리까지 적을 수 있습니다.".into());
    }
    if whole.len() > 12 {
        return Err("검침값이 너무 큽니다.".into());
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| "검침값이 너무 큽니다.".to_string())?
    };
    let f: i64 = format!("{frac:0<3}").parse().unwrap_or(0);
    Ok(w * 1000 + f)
}

/// `1,234.5` from thousandths (trailing zeros of the fraction left off).
pub fn format_reading(m: Milli) -> String {
    let sign = if m < 0 { "-" } else { "" };
    let a = m.unsigned_abs();
    let whole = group_thousands((a / 1000) as i64);
    let frac = a % 1000;
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let f = format!("{frac:03}");
        format!("{sign}{whole}.{}", f.trim_end_matches('0'))
    }
}

/// What happened to a meter between two readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeterEvent {
    /// Read as usual.
    None,
    /// The dial passed its largest value and started from zero again; `digits` whole digits.
    RollOver { digits: u32 },
    /// The meter was replaced: the old meter's last reading and multiplier, and the new
    /// meter's first reading (the reading's own multiplier is the new meter's).
    Replaced {
        old_final: Milli,
        old_multiplier: u32,
        new_start: Milli,
    },
}

/// The largest usage a month may have (10¹² units in thousandths): with at most 31 days it
/// keeps a share's weight inside `u64`.
pub const USAGE_MAX: Milli = 1_000_000_000_000_000;

/// The largest area weight (10¹⁰ ㎡ in hundredths): no building comes near it.
const AREA_MAX: u64 = 1_000_000_000_000;

/// One unit's reading for a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub previous: Milli,
    pub current: Milli,
    /// The meter's multiplier (배율), 1 for most meters.
    pub multiplier: u32,
    pub event: MeterEvent,
}

/// Usage = (current − previous) × multiplier, with a roll-over counted past the dial's end and a
/// replacement counted on both meters. A reading below the previous one with neither is refused
/// (a typing mistake more often than not).
pub fn usage(r: &Reading) -> Result<Milli, String> {
    if r.multiplier == 0 {
        return Err("배율은 1 이상이어야 합니다.".into());
    }
    let raw = match r.event {
        MeterEvent::None => {
            if r.current < r.previous {
                return Err(format!(
                    "이번 검침값 {}이 지난달 {}보다 작습니다. 계량기를 교체했거나 한 바퀴 돌았으면 그렇게 표시하세요.",
                    format_reading(r.current),
                    format_reading(r.previous)
                ));
            }
            r.current - r.previous
        }
        MeterEvent::RollOver { digits } => {
            if !(1..=12).contains(&digits) {
                return Err("계량기 자릿수는 1~12자리입니다.".into());
            }
            let end = 10i64.pow(digits) * 1000;
            if r.previous >= end || r.current >= end {
                return Err(format!("{digits}자리 계량기로는 읽을 수 없는 값입니다."));
            }
            if r.current >= r.previous {
                return Err("한 바퀴 돈 계량기는 이번 값이 지난달보다 작아야 합니다.".into());
            }
            end - r.previous + r.current
        }
        MeterEvent::Replaced {
            old_final,
            old_multiplier,
            new_start,
        } => {
            if old_final < r.previous {
                return Err("교체 전 계량기의 마지막 값이 지난달 검침값보다 작습니다.".into());
            }
            if r.current < new_start {
                return Err("새 계량기의 이번 값이 설치 때 값보다 작습니다.".into());
            }
            if old_multiplier == 0 {
                return Err("교체 전 계량기의 배율은 1 이상이어야 합니다.".into());
            }
            // Each meter with its own multiplier.
            let old = (old_final - r.previous).checked_mul(i64::from(old_multiplier));
            let new = (r.current - new_start).checked_mul(i64::from(r.multiplier));
            return old
                .zip(new)
                .and_then(|(a, b)| a.checked_add(b))
                .filter(|u| *u <= USAGE_MAX)
                .ok_or_else(|| "사용량이 너무 큽니다.".to_string());
        }
    };
    raw.checked_mul(i64::from(r.multiplier))
        .filter(|u| *u <= USAGE_MAX)
        .ok_or_else(|| "사용량이 너무 큽니다.".to_string())
}

/// A usage is flagged when it is more than twice, or less than half of, the unit's average over
/// the months it has (at least three, at most twelve): the grid asks before saving it.
pub fn unusual_usage(usage: Milli, history: &[Milli]) -> Option<String> {
    let recent: Vec<Milli> = history.iter().rev().take(12).copied().collect();
    if recent.len() < 3 {
        return None;
    }
    let avg = recent.iter().sum::<i64>() / recent.len() as i64;
    let far = if avg == 0 {
        usage > 0
    } else {
        usage > avg.saturating_mul(2) || usage.saturating_mul(2) < avg
    };
    far.then(|| {
        format!(
            "최근 {}개월 평균 {}보다 크게 다릅니다 (이번 {}).",
            recent.len(),
            format_reading(avg),
            format_reading(usage)
        )
    })
}

/// A unit of the building as the split sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareUnit {
    pub unit_id: i64,
    /// Metered usage this month (thousandths), for `Metered`.
    pub usage: Milli,
    pub exclusive_m2: f64,
    pub common_m2: f64,
    /// The area the lease states; 0 falls back to exclusive + common.
    pub contract_m2: f64,
    /// For `FixedRatio`: the unit's ratio in basis points (any scale: only ratios count).
    pub fixed_bp: u32,
    /// The leases occupying the unit in the month (their start and end dates).
    pub occupancy: Vec<(i64, NaiveDate, NaiveDate)>,
}

/// Who pays part of a bill: a lease, or the owner for a unit's vacant days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub unit_id: i64,
    /// `None`: vacant days, the building's own cost (the owner pays).
    pub lease_id: Option<i64>,
    pub days: i64,
    pub amount: i64,
}

/// The rule printed under a utility share on a bill.
pub const SHARE_RULE_KO: &str = "건물 전체 고지액을 기준에 따라 나누고, 입주·퇴거한 달은 일수로 나눕니다. 원 미만은 나머지가 큰 순서로 1원씩 배분해 합계가 고지액과 같습니다.";

/// A unit's weight under `basis` (areas in hundredths of a square metre).
fn weight_of(u: &ShareUnit, basis: ShareBasis) -> u64 {
    match basis {
        ShareBasis::Metered => u.usage.clamp(0, USAGE_MAX) as u64,
        ShareBasis::ExclusiveArea => area_weight(u.exclusive_m2),
        ShareBasis::SupplyArea => area_weight(u.exclusive_m2) + area_weight(u.common_m2),
        ShareBasis::ContractArea => {
            if u.contract_m2 > 0.0 {
                area_weight(u.contract_m2)
            } else {
                area_weight(u.exclusive_m2) + area_weight(u.common_m2)
            }
        }
        ShareBasis::FixedRatio => u64::from(u.fixed_bp),
        ShareBasis::Equal => 1,
    }
}

/// A unit's days in the month: per occupying lease, then the days no lease covers (vacant).
fn segments(u: &ShareUnit, month: YearMonth) -> Vec<(Option<i64>, i64)> {
    let (first, last) = (month.first_day(), month.last_day());
    let mut covered = vec![false; month.days() as usize];
    let mut out = Vec::new();
    for &(lease, start, end) in &u.occupancy {
        let from = start.max(first);
        let to = end.min(last);
        if to < from {
            continue;
        }
        let mut days = 0;
        for i in (from - first).num_days()..=(to - first).num_days() {
            // Two leases on the same day (a move-out and a move-in): the day goes to the first
            // listed.
            let c = &mut covered[i as usize];
            if !*c {
                *c = true;
                days += 1;
            }
        }
        if days > 0 {
            out.push((Some(lease), days));
        }
    }
    let vacant = covered.iter().filter(|c| !**c).count() as i64;
    if vacant > 0 {
        out.push((None, vacant));
    }
    out
}

/// Splits a building's bill for `month` among its units by `basis`, and each unit's part among
/// the leases occupying it by days (vacant days to the owner). With `common_bp` (basis points of
/// the bill, 0–10,000) a common-area portion is taken out first and split by supply area. The
/// shares add up to `total` exactly; a unit whose weight is zero pays nothing, unless every
/// unit's weight is zero (then by days alone, as if split equally). A building with no unit
/// keeps the whole bill: one share of the owner's with `unit_id` 0.
pub fn split_bill(
    total: i64,
    basis: ShareBasis,
    common_bp: u32,
    units: &[ShareUnit],
    month: YearMonth,
) -> Vec<Share> {
    if units.is_empty() {
        return vec![Share {
            unit_id: 0,
            lease_id: None,
            days: month.days(),
            amount: total,
        }];
    }
    let common_bp = common_bp.min(10_000);
    let parts = allocate(
        total,
        &[u64::from(10_000 - common_bp), u64::from(common_bp)],
    );
    let (by_basis, common) = (parts[0], parts[1]);
    let segs: Vec<Vec<(Option<i64>, i64)>> = units.iter().map(|u| segments(u, month)).collect();
    let mut slots: Vec<(usize, Option<i64>, i64)> = Vec::new();
    for (ui, s) in segs.iter().enumerate() {
        for &(lease, days) in s {
            slots.push((ui, lease, days));
        }
    }
    // Weights by basis times days; when nobody weighs anything, every unit's day weighs the same.
    let weigh = |basis: ShareBasis| -> Vec<u64> {
        let w: Vec<u64> = slots
            .iter()
            .map(|&(ui, _, days)| weight_of(&units[ui], basis) * days as u64)
            .collect();
        if w.iter().all(|x| *x == 0) {
            slots.iter().map(|&(_, _, days)| days as u64).collect()
        } else {
            w
        }
    };
    let a = allocate(by_basis, &weigh(basis));
    let b = allocate(common, &weigh(ShareBasis::SupplyArea));
    slots
        .iter()
        .enumerate()
        .map(|(i, &(ui, lease, days))| Share {
            unit_id: units[ui].unit_id,
            lease_id: lease,
            days,
            amount: a[i] + b[i],
        })
        .collect()
}

/// The kinds of utility bill every building may get: (code, name, meter unit). A building may
/// add its own kinds (`etc1`, `etc2`, … with a name it chooses).
pub const KINDS: [(&str, &str, &str); 4] = [
    ("electricity", "전기", "kWh"),
    ("water", "수도", "㎥"),
    ("gas", "가스", "㎥"),
    ("heating", "난방", "Gcal"),
];

/// The standard name of a kind (`전기`), or `None` for a building's own kind.
pub fn kind_name(code: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, n, _)| *n)
}

/// The meter unit of a kind (`kWh`), empty for a building's own kind.
pub fn kind_unit(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, u)| *u)
        .unwrap_or("")
}

/// Whether `code` names a kind: a standard one or a building's own `etc<n>`.
pub fn valid_kind(code: &str) -> bool {
    kind_name(code).is_some()
        || code
            .strip_prefix("etc")
            .is_some_and(|n| !n.is_empty() && n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit()))
}

/// `12.5` (percent, at most two decimals, 0–100) → 1,250 basis points.
pub fn parse_percent_bp(s: &str) -> Result<u32, String> {
    let t = s.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Ok(0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!(
            "'{t}'은 0~100 사이의 비율(%)이 아닙니다. 소수점 아래 두 자리까지 적을 수 있습니다."
        ));
    }
    let bp = whole.parse::<u32>().unwrap_or(u32::MAX) * 100
        + format!("{frac:0<2}").parse::<u32>().unwrap_or(0);
    if bp > 10_000 {
        return Err("비율은 100%를 넘을 수 없습니다.".into());
    }
    Ok(bp)
}

/// 1,250 basis points → `12.5%`.
pub fn format_percent_bp(bp: u32) -> String {
    let frac = bp % 100;
    if frac == 0 {
        format!("{}%", bp / 100)
    } else {
        format!(
            "{}.{}%",
            bp / 100,
            format!("{frac:02}").trim_end_matches('0')
        )
    }
}

/// What a unit weighs under `basis`, as printed next to its share (`84.97㎡`, `1,234.5kWh`).
pub fn weight_text(u: &ShareUnit, basis: ShareBasis, unit: &str) -> String {
    let m2 = |w: u64| format!("{}.{:02}㎡", group_thousands((w / 100) as i64), w % 100);
    match basis {
        ShareBasis::Metered => format!("{}{unit}", format_reading(u.usage)),
        ShareBasis::ExclusiveArea => m2(area_weight(u.exclusive_m2)),
        ShareBasis::SupplyArea | ShareBasis::ContractArea => m2(weight_of(u, basis)),
        ShareBasis::FixedRatio => format!("비율 {}", u.fixed_bp),
        ShareBasis::Equal => "균등".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn unit(id: i64, usage: Milli, excl: f64, occ: Vec<(i64, NaiveDate, NaiveDate)>) -> ShareUnit {
        ShareUnit {
            unit_id: id,
            usage,
            exclusive_m2: excl,
            common_m2: 0.0,
            contract_m2: 0.0,
            fixed_bp: 0,
            occupancy: occ,
        }
    }

    #[test]
    fn readings_parse_to_thousandths() {
        assert_eq!(parse_reading("1234.5"), Ok(1_234_500));
        assert_eq!(parse_reading("1,234"), Ok(1_234_000));
        assert_eq!(parse_reading("0.007"), Ok(7));
        assert!(parse_reading("12.3456").is_err());
        assert!(parse_reading("-3").is_err());
        assert!(parse_reading("abc").is_err());
        assert!(parse_reading(".").is_err());
        assert_eq!(format_reading(1_234_500), "1,234.5");
        assert_eq!(format_reading(7), "0.007");
    }

    #[test]
    fn usage_counts_multiplier_rollover_and_replacement() {
        let r = |previous, current, multiplier, event| Reading {
            previous,
            current,
            multiplier,
            event,
        };
        assert_eq!(
            usage(&r(100_000, 350_000, 1, MeterEvent::None)),
            Ok(250_000)
        );
        assert_eq!(
            usage(&r(100_000, 350_000, 40, MeterEvent::None)),
            Ok(10_000_000)
        );
        assert!(usage(&r(350_000, 100_000, 1, MeterEvent::None)).is_err());
        // A 4-digit dial: 9,950 → 30 used 80.
        assert_eq!(
            usage(&r(9_950_000, 30_000, 1, MeterEvent::RollOver { digits: 4 })),
            Ok(80_000)
        );
        assert!(
            usage(&r(
                9_950_000,
                99_999_000,
                1,
                MeterEvent::RollOver { digits: 4 }
            ))
            .is_err()
        );
        // Replaced at 5,120 (last read 5,000); the new meter started at 0 and reads 75.
        assert_eq!(
            usage(&r(
                5_000_000,
                75_000,
                1,
                MeterEvent::Replaced {
                    old_final: 5_120_000,
                    old_multiplier: 1,
                    new_start: 0
                }
            )),
            Ok(195_000)
        );
        // The new meter reads through a 40× transformer, the old one did not.
        assert_eq!(
            usage(&r(
                5_000_000,
                2_000,
                40,
                MeterEvent::Replaced {
                    old_final: 5_120_000,
                    old_multiplier: 1,
                    new_start: 0
                }
            )),
            Ok(120_000 + 80_000)
        );
        assert!(usage(&r(0, 999_000_000_000_000_000, 1_000_000, MeterEvent::None)).is_err());
    }

    #[test]
    fn unusual_usage_needs_three_months_of_history() {
        assert_eq!(unusual_usage(900_000, &[100_000, 110_000]), None);
        assert!(unusual_usage(900_000, &[100_000, 110_000, 90_000]).is_some());
        assert!(unusual_usage(40_000, &[100_000, 110_000, 90_000]).is_some());
        assert_eq!(unusual_usage(120_000, &[100_000, 110_000, 90_000]), None);
    }

    #[test]
    fn areas_weigh_in_hundredths_never_whole_metres() {
        assert_eq!(area_weight(84.97), 8497);
        assert_eq!(area_weight(84.51), 8451);
        assert_eq!(area_weight(-1.0), 0);
        // 84.97 and 84.51 split 1,000,000 unequally (whole metres would make them equal).
        let m = YearMonth::new(2026, 3).unwrap();
        let full = vec![(1, d(2025, 1, 1), d(2027, 12, 31))];
        let s = split_bill(
            1_000_000,
            ShareBasis::ExclusiveArea,
            0,
            &[
                unit(1, 0, 84.97, full.clone()),
                unit(2, 0, 84.51, vec![(2, d(2025, 1, 1), d(2027, 12, 31))]),
            ],
            m,
        );
        assert_eq!(s[0].amount + s[1].amount, 1_000_000);
        assert_eq!((s[0].amount, s[1].amount), (501_357, 498_643));
    }

    #[test]
    fn a_move_out_and_move_in_share_a_unit_by_days_and_vacancy_goes_to_the_owner() {
        let m = YearMonth::new(2026, 3).unwrap(); // 31 days
        let units = [
            // Lease 10 ends on the 15th, lease 11 starts on the 16th.
            unit(
                1,
                0,
                50.0,
                vec![
                    (10, d(2024, 1, 1), d(2026, 3, 15)),
                    (11, d(2026, 3, 16), d(2028, 3, 15)),
                ],
            ),
            // Vacant from the 21st.
            unit(2, 0, 50.0, vec![(12, d(2024, 1, 1), d(2026, 3, 20))]),
        ];
        let s = split_bill(620_000, ShareBasis::ExclusiveArea, 0, &units, m);
        let by = |lease: Option<i64>, unit: i64| {
            s.iter()
                .find(|x| x.lease_id == lease && x.unit_id == unit)
                .map(|x| (x.days, x.amount))
                .unwrap()
        };
        assert_eq!(by(Some(10), 1), (15, 150_000));
        assert_eq!(by(Some(11), 1), (16, 160_000));
        assert_eq!(by(Some(12), 2), (20, 200_000));
        assert_eq!(by(None, 2), (11, 110_000));
        assert_eq!(s.iter().map(|x| x.amount).sum::<i64>(), 620_000);
    }

    #[test]
    fn a_common_portion_is_split_by_supply_area() {
        let m = YearMonth::new(2026, 2).unwrap();
        let all = |l| vec![(l, d(2025, 1, 1), d(2027, 1, 1))];
        let mut a = unit(1, 300_000, 30.0, all(1));
        a.common_m2 = 10.0;
        let mut b = unit(2, 100_000, 50.0, all(2));
        b.common_m2 = 10.0;
        // 20% common (100,000 by supply area 40:60), 80% metered (400,000 by usage 3:1).
        let s = split_bill(500_000, ShareBasis::Metered, 2_000, &[a, b], m);
        assert_eq!(s[0].amount, 300_000 + 40_000);
        assert_eq!(s[1].amount, 100_000 + 60_000);
    }

    #[test]
    fn nobody_metered_splits_equally() {
        let m = YearMonth::new(2026, 2).unwrap();
        let all = |l| vec![(l, d(2025, 1, 1), d(2027, 1, 1))];
        let s = split_bill(
            100,
            ShareBasis::Metered,
            0,
            &[
                unit(1, 0, 1.0, all(1)),
                unit(2, 0, 1.0, all(2)),
                unit(3, 0, 1.0, all(3)),
            ],
            m,
        );
        assert_eq!(
            s.iter().map(|x| x.amount).collect::<Vec<_>>(),
            vec![34, 33, 33]
        );
        // No unit at all: the owner keeps the bill.
        let none = split_bill(100, ShareBasis::Equal, 0, &[], m);
        assert_eq!(
            (none.len(), none[0].amount, none[0].lease_id),
            (1, 100, None)
        );
    }

    #[test]
    fn kinds_and_percentages() {
        assert!(valid_kind("electricity") && valid_kind("etc1") && valid_kind("etc12"));
        assert!(!valid_kind("etc") && !valid_kind("etc1a") && !valid_kind("ELECTRICITY"));
        assert_eq!(kind_name("water"), Some("수도"));
        assert_eq!(kind_unit("electricity"), "kWh");
        assert_eq!(parse_percent_bp("12.5"), Ok(1250));
        assert_eq!(parse_percent_bp(" 20% "), Ok(2000));
        assert_eq!(parse_percent_bp(""), Ok(0));
        assert_eq!(parse_percent_bp("100"), Ok(10_000));
        assert!(parse_percent_bp("100.01").is_err());
        assert!(parse_percent_bp("1.234").is_err());
        assert!(parse_percent_bp("-1").is_err());
        assert_eq!(format_percent_bp(1250), "12.5%");
        assert_eq!(format_percent_bp(2000), "20%");
        assert_eq!(format_percent_bp(1205), "12.05%");
        let u = unit(1, 1_234_500, 84.97, vec![]);
        assert_eq!(weight_text(&u, ShareBasis::Metered, "kWh"), "1,234.5kWh");
        assert_eq!(weight_text(&u, ShareBasis::ExclusiveArea, ""), "84.97㎡");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Every split adds up to the bill exactly, whatever the weights, areas and days.
        #[test]
        fn every_split_adds_up_to_the_bill(
            total in 0i64..50_000_000,
            basis in 0usize..6,
            common_bp in 0u32..10_001,
            month in 1u32..13,
            units in proptest::collection::vec(
                (0i64..5_000_000, 0u32..30_000, 0u32..5_000, 0u32..10_000, proptest::collection::vec((1u32..29, 0u32..28), 0..3)),
                1..25,
            ),
        ) {
            let m = YearMonth::new(2026, month).unwrap();
            let units: Vec<ShareUnit> = units
                .into_iter()
                .enumerate()
                .map(|(i, (usage, excl, common, fixed, occ))| ShareUnit {
                    unit_id: i as i64,
                    usage,
                    exclusive_m2: f64::from(excl) / 100.0,
                    common_m2: f64::from(common) / 100.0,
                    contract_m2: 0.0,
                    fixed_bp: fixed,
                    occupancy: occ
                        .into_iter()
                        .enumerate()
                        .map(|(k, (from, len))| {
                            let start = m.first_day() + chrono::Duration::days(i64::from(from) - 1);
                            (i as i64 * 10 + k as i64, start, start + chrono::Duration::days(i64::from(len)))
                        })
                        .collect(),
                })
                .collect();
            let shares = split_bill(total, ShareBasis::ALL[basis], common_bp, &units, m);
            proptest::prop_assert_eq!(shares.iter().map(|s| s.amount).sum::<i64>(), total);
            proptest::prop_assert!(shares.iter().all(|s| s.amount >= 0));
            // Each unit's days add up to the month.
            for u in &units {
                let days: i64 = shares.iter().filter(|s| s.unit_id == u.unit_id).map(|s| s.days).sum();
                proptest::prop_assert_eq!(days, m.days());
            }
        }
    }
}
