//! Billing rules (issue 12, SPEC §2 `lmpayment`): the billing month, proration by days of
//! occupancy, late fees by days (연체료 일할계산), the order a payment pays lines in, invoice
//! status and arrears aging. Every rounding of an amount is written here once, with the words
//! the bill prints beside the amount it changes. VAT's rule is `money::vat_of`.

use crate::domain::lease::LATE_FEE_MAX_BP;
use crate::domain::money::group_thousands;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar month of billing (`2026-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(())?;
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(YearMonth { year, month })
    }

    /// `2026-03` (also `2026-3`).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.trim().split_once('-')?;
        let year: i32 = y.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        Self::new(year, m.parse().ok()?)
    }

    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn days(self) -> i64 {
        i64::from(self.last_day().day())
    }

    pub fn next(self) -> Self {
        Self::of(
            self.first_day()
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    pub fn prev(self) -> Self {
        Self::of(
            self.first_day()
                .checked_sub_months(Months::new(1))
                .unwrap_or(NaiveDate::MIN),
        )
    }

    /// `2026년 3월`.
    pub fn label_ko(self) -> String {
        format!("{}년 {}월", self.year, self.month)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A month's amount for the days a lease occupies in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prorated {
    pub amount: i64,
    pub days: i64,
    pub days_in_month: i64,
    /// What the bill prints beside a prorated amount; `None` for a whole month.
    pub rule: Option<String>,
}

/// The words printed under an amount cut to the won.
pub const TRUNCATION_KO: &str = "원 미만 절사";

/// A monthly amount for the days of `month` inside the lease's term (`start..=end`): the whole
/// amount for a whole month, else monthly × days occupied ÷ days in the month, with fractions
/// of a won cut off. `None` when the term does not touch the month.
pub fn prorate(
    monthly: i64,
    start: NaiveDate,
    end: NaiveDate,
    month: YearMonth,
) -> Option<Prorated> {
    let from = start.max(month.first_day());
    let to = end.min(month.last_day());
    if to < from {
        return None;
    }
    let days = (to - from).num_days() + 1;
    let days_in_month = month.days();
    if days == days_in_month {
        return Some(Prorated {
            amount: monthly,
            days,
            days_in_month,
            rule: None,
        });
    }
    let amount = monthly * days / days_in_month;
    Some(Prorated {
        amount,
        days,
        days_in_month,
        rule: Some(format!(
            "일할: {}원 × {}일/{}일 ({}~{}) = {}원 ({})",
            group_thousands(monthly),
            days,
            days_in_month,
            from.format("%-m/%-d"),
            to.format("%-m/%-d"),
            group_thousands(amount),
            TRUNCATION_KO
        )),
    })
}

/// The yearly late-fee rate after `months_late` whole months, with a building's step-up per
/// month (0: none), never above the statutory maximum.
pub fn stepped_rate_bp(base_bp: u32, step_bp: u32, months_late: u32) -> u32 {
    base_bp
        .saturating_add(step_bp.saturating_mul(months_late))
        .min(LATE_FEE_MAX_BP)
}

/// One stretch of days over which the unpaid amount and the rate stayed the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateSpan {
    pub unpaid: i64,
    pub rate_bp: u32,
    pub days: i64,
}

/// A late fee and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateFee {
    pub amount: i64,
    /// The formula with the exact amount to one decimal, as printed on the bill.
    pub rule: String,
}

/// 연체료 = Σ unpaid × yearly rate × days ÷ 365, summed exactly in integers and cut to the won
/// once at the end (원 미만 절사). 300,000원 at 12% for 160 days is 15,780.8 → 15,780원.
pub fn late_fee(spans: &[LateSpan]) -> LateFee {
    // rate in basis points: amount × bp × days ÷ (365 × 10,000)
    const DIVISOR: i128 = 365 * 10_000;
    let numerator: i128 = spans
        .iter()
        .filter(|s| s.days > 0 && s.unpaid > 0)
        .map(|s| i128::from(s.unpaid) * i128::from(s.rate_bp) * i128::from(s.days))
        .sum();
    let amount = (numerator / DIVISOR) as i64;
    let tenths = (numerator * 10 / DIVISOR) % 10;
    let parts: Vec<String> = spans
        .iter()
        .filter(|s| s.days > 0 && s.unpaid > 0)
        .map(|s| {
            format!(
                "{}원 × 연 {}% × {}일",
                group_thousands(s.unpaid),
                percent(s.rate_bp),
                s.days
            )
        })
        .collect();
    let exact = format!("{}.{}", group_thousands(amount), tenths);
    let rule = if parts.len() == 1 {
        format!(
            "{} ÷ 365 = {}원 → {}원 ({})",
            parts[0],
            exact,
            group_thousands(amount),
            TRUNCATION_KO
        )
    } else {
        format!(
            "({}) ÷ 365 = {}원 → {}원 ({})",
            parts.join(" + "),
            exact,
            group_thousands(amount),
            TRUNCATION_KO
        )
    };
    LateFee { amount, rule }
}

/// `1200` → `12`, `1250` → `12.5`.
pub fn percent(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{}", bp / 100)
    } else {
        let s = format!("{}.{:02}", bp / 100, bp % 100);
        s.trim_end_matches('0').to_string()
    }
}

/// Whole months from `from` to `to` (0 within the first month).
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

/// One line still owed, as payment allocation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub line_id: i64,
    pub late_fee: bool,
    pub month: YearMonth,
    pub position: i64,
    pub owed: i64,
}

/// The order a payment pays lines in (written on the payment form): late fees first, oldest
/// month first; then the other lines, oldest month first and in bill order. Gives the amount for
/// each line paid and what is left over (a credit).
pub fn allocate_payment(amount: i64, lines: &[Owed]) -> (Vec<(i64, i64)>, i64) {
    let mut order: Vec<&Owed> = lines.iter().filter(|l| l.owed > 0).collect();
    order.sort_by_key(|l| (!l.late_fee, l.month, l.position, l.line_id));
    let mut left = amount.max(0);
    let mut paid = Vec::new();
    for l in order {
        if left == 0 {
            break;
        }
        let take = left.min(l.owed);
        paid.push((l.line_id, take));
        left -= take;
    }
    (paid, left)
}

pub const ALLOCATION_ORDER_KO: &str = "수납액은 연체료부터, 그다음 가장 오래된 달의 청구 항목 순서로 충당하고, 남는 금액은 임차인의 선수금(다음 청구에 충당)으로 둡니다.";

/// 미납 / 일부 납부 / 완납 / 연체.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Unpaid,
    Partial,
    Paid,
    Overdue,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 4] = [
        InvoiceStatus::Unpaid,
        InvoiceStatus::Partial,
        InvoiceStatus::Paid,
        InvoiceStatus::Overdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Unpaid => "unpaid",
            InvoiceStatus::Partial => "partial",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            InvoiceStatus::Unpaid => "미납",
            InvoiceStatus::Partial => "일부 납부",
            InvoiceStatus::Paid => "완납",
            InvoiceStatus::Overdue => "연체",
        }
    }

    /// Paid in full is 완납; past the due date and its grace days with something owed is 연체.
    pub fn of(total: i64, paid: i64, due: NaiveDate, grace_days: u32, today: NaiveDate) -> Self {
        if paid >= total {
            InvoiceStatus::Paid
        } else if today > late_from(due, grace_days).pred_opt().unwrap_or(due) {
            InvoiceStatus::Overdue
        } else if paid > 0 {
            InvoiceStatus::Partial
        } else {
            InvoiceStatus::Unpaid
        }
    }
}

/// The first day that counts as late: the day after the due date and its grace days.
pub fn late_from(due: NaiveDate, grace_days: u32) -> NaiveDate {
    due.checked_add_days(chrono::Days::new(u64::from(grace_days) + 1))
        .unwrap_or(NaiveDate::MAX)
}

/// Arrears aging by days past due (30/60/90+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Aging {
    UpTo30,
    UpTo60,
    UpTo90,
    Over90,
}

impl Aging {
    pub fn of(days_overdue: i64) -> Self {
        match days_overdue {
            ..=30 => Aging::UpTo30,
            31..=60 => Aging::UpTo60,
            61..=90 => Aging::UpTo90,
            _ => Aging::Over90,
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            Aging::UpTo30 => "30일 이하",
            Aging::UpTo60 => "31~60일",
            Aging::UpTo90 => "61~90일",
            Aging::Over90 => "90일 초과",
        }
    }
}

/// Arrears reaching three periods' rent let the landlord refuse renewal or end the lease
/// (상가건물 임대차보호법 §10①1, §10의8: "3기의 차임액에 해당하는 금액에 이르도록 차임을
/// 연체"): flagged in the arrears view.
pub const UNPAID_PERIODS_FLAG: usize = 3;

/// Whether what a lease owes past due reaches three months of its rent (VAT included when the
/// rent carries VAT): an amount, not a count of invoices with something left on them.
pub fn three_periods_reached(owed: i64, monthly_rent: i64, vat_applies: bool) -> bool {
    let rent = monthly_rent
        + if vat_applies {
            super::money::vat_of(monthly_rent)
        } else {
            0
        };
    rent > 0 && owed >= rent * UNPAID_PERIODS_FLAG as i64
}

/// How a payment came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Transfer,
    Cash,
    Card,
    Deposit,
    /// Written by generation, never chosen: an adjustment refunding more than its invoice
    /// charges becomes the tenant's credit through a payment of this kind (정정 환급).
    Refund,
}

impl PaymentMethod {
    /// What staff choose from when recording a payment.
    pub const ALL: [PaymentMethod; 4] = [
        PaymentMethod::Transfer,
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Deposit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Deposit => "deposit",
            PaymentMethod::Refund => "refund",
        }
    }

    /// A method staff may choose (never `Refund`).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// A stored method, `Refund` included.
    pub fn of_stored(s: &str) -> Option<Self> {
        if s == "refund" {
            Some(PaymentMethod::Refund)
        } else {
            Self::parse(s)
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            PaymentMethod::Transfer => "계좌이체",
            PaymentMethod::Cash => "현금",
            PaymentMethod::Card => "카드",
            PaymentMethod::Deposit => "보증금 충당",
            PaymentMethod::Refund => "정정 환급",
        }
    }
}

/// A collection rate in tenths of a percent (`973` is 97.3%), 0 when nothing was billed.
pub fn collection_rate_permille(collected: i64, billed: i64) -> i64 {
    if billed <= 0 {
        0
    } else {
        (i128::from(collected.max(0)) * 1000 / i128::from(billed)) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_periods_is_an_amount_of_rent_not_a_count_of_invoices() {
        assert!(three_periods_reached(3_300_000, 1_000_000, true));
        assert!(!three_periods_reached(3_299_999, 1_000_000, true));
        assert!(three_periods_reached(3_000_000, 1_000_000, false));
        // 1 won left on each of three invoices is not three periods.
        assert!(!three_periods_reached(3, 1_000_000, true));
        assert!(!three_periods_reached(5_000_000, 0, true));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_parse_and_step() {
        let m = YearMonth::parse("2026-03").unwrap();
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(m.days(), 31);
        assert_eq!(YearMonth::parse("2028-02").unwrap().days(), 29);
        assert_eq!(YearMonth::parse("2027-02").unwrap().days(), 28);
        assert_eq!(
            YearMonth::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            YearMonth::parse("2026-01").unwrap().prev().to_string(),
            "2025-12"
        );
        assert!(YearMonth::parse("2026-13").is_none());
        assert!(YearMonth::parse("march").is_none());
        assert_eq!(m.label_ko(), "2026년 3월");
    }

    #[test]
    fn proration_by_days_of_the_issue_example() {
        // 3,100,000 for 15–31 March → 1,700,000
        let p = prorate(
            3_100_000,
            d(2026, 3, 15),
            d(2028, 3, 14),
            YearMonth::new(2026, 3).unwrap(),
        )
        .unwrap();
        assert_eq!((p.amount, p.days, p.days_in_month), (1_700_000, 17, 31));
        assert_eq!(
            p.rule.as_deref(),
            Some("일할: 3,100,000원 × 17일/31일 (3/15~3/31) = 1,700,000원 (원 미만 절사)")
        );
    }

    #[test]
    fn proration_edges() {
        let feb28 = YearMonth::new(2027, 2).unwrap();
        let feb29 = YearMonth::new(2028, 2).unwrap();
        // a whole February is the whole amount, 28 or 29 days
        let whole = prorate(1_000_000, d(2026, 1, 1), d(2030, 1, 1), feb28).unwrap();
        assert_eq!((whole.amount, whole.rule.clone()), (1_000_000, None));
        let leap = prorate(1_000_000, d(2028, 2, 15), d(2030, 1, 1), feb29).unwrap();
        assert_eq!((leap.amount, leap.days), (1_000_000 * 15 / 29, 15));
        let short = prorate(1_000_000, d(2027, 2, 15), d(2030, 1, 1), feb28).unwrap();
        assert_eq!((short.amount, short.days), (500_000, 14));
        // a lease ending on the 15th pays 15 days
        let end = prorate(
            3_000_000,
            d(2025, 1, 1),
            d(2026, 6, 15),
            YearMonth::new(2026, 6).unwrap(),
        )
        .unwrap();
        assert_eq!((end.amount, end.days), (1_500_000, 15));
        // truncation, never rounding up
        let odd = prorate(
            1_000_001,
            d(2026, 4, 2),
            d(2030, 1, 1),
            YearMonth::new(2026, 4).unwrap(),
        )
        .unwrap();
        assert_eq!(odd.amount, 966_667); // 1,000,001 × 29 / 30 = 966,667.63…
        assert!(
            prorate(
                1,
                d(2026, 5, 1),
                d(2026, 5, 31),
                YearMonth::new(2026, 6).unwrap()
            )
            .is_none()
        );
    }

    #[test]
    fn late_fee_of_the_issue_example() {
        let f = late_fee(&[LateSpan {
            unpaid: 300_000,
            rate_bp: 1_200,
            days: 160,
        }]);
        assert_eq!(f.amount, 15_780);
        assert_eq!(
            f.rule,
            "300,000원 × 연 12% × 160일 ÷ 365 = 15,780.8원 → 15,780원 (원 미만 절사)"
        );
    }

    #[test]
    fn late_fee_sums_before_it_cuts() {
        // two spans of 0.5 won each make one won, not zero
        let spans = [
            LateSpan {
                unpaid: 1_825,
                rate_bp: 1_000,
                days: 1,
            },
            LateSpan {
                unpaid: 1_825,
                rate_bp: 1_000,
                days: 1,
            },
        ];
        assert_eq!(late_fee(&spans).amount, 1);
        assert_eq!(late_fee(&[]).amount, 0);
        assert_eq!(percent(1_250), "12.5");
        assert_eq!(percent(1_205), "12.05");
    }

    #[test]
    fn rate_steps_up_by_months_late_and_stops_at_the_cap() {
        assert_eq!(stepped_rate_bp(1_200, 0, 5), 1_200);
        assert_eq!(stepped_rate_bp(1_200, 100, 3), 1_500);
        assert_eq!(stepped_rate_bp(1_200, 500, 9), LATE_FEE_MAX_BP);
        assert_eq!(whole_months_between(d(2026, 1, 31), d(2026, 2, 28)), 0);
        assert_eq!(whole_months_between(d(2026, 1, 10), d(2026, 3, 10)), 2);
        assert_eq!(whole_months_between(d(2026, 1, 10), d(2026, 3, 9)), 1);
    }

    #[test]
    fn payments_pay_late_fees_first_then_the_oldest_lines() {
        let m = |mo| YearMonth::new(2026, mo).unwrap();
        let lines = [
            Owed {
                line_id: 1,
                late_fee: false,
                month: m(9),
                position: 1,
                owed: 100,
            },
            Owed {
                line_id: 2,
                late_fee: false,
                month: m(9),
                position: 2,
                owed: 50,
            },
            Owed {
                line_id: 3,
                late_fee: false,
                month: m(10),
                position: 1,
                owed: 100,
            },
            Owed {
                line_id: 4,
                late_fee: true,
                month: m(10),
                position: 9,
                owed: 7,
            },
        ];
        assert_eq!(
            allocate_payment(120, &lines),
            (vec![(4, 7), (1, 100), (2, 13)], 0)
        );
        assert_eq!(
            allocate_payment(300, &lines),
            (vec![(4, 7), (1, 100), (2, 50), (3, 100)], 43)
        );
        assert_eq!(allocate_payment(0, &lines), (vec![], 0));
    }

    #[test]
    fn status_follows_payment_and_the_grace_days() {
        let due = d(2026, 3, 10);
        assert_eq!(
            InvoiceStatus::of(100, 100, due, 0, d(2026, 5, 1)),
            InvoiceStatus::Paid
        );
        assert_eq!(
            InvoiceStatus::of(100, 0, due, 0, d(2026, 3, 10)),
            InvoiceStatus::Unpaid
        );
        assert_eq!(
            InvoiceStatus::of(100, 0, due, 0, d(2026, 3, 11)),
            InvoiceStatus::Overdue
        );
        assert_eq!(
            InvoiceStatus::of(100, 40, due, 5, d(2026, 3, 15)),
            InvoiceStatus::Partial
        );
        assert_eq!(
            InvoiceStatus::of(100, 40, due, 5, d(2026, 3, 16)),
            InvoiceStatus::Overdue
        );
        assert_eq!(late_from(due, 5), d(2026, 3, 16));
        assert_eq!(Aging::of(30), Aging::UpTo30);
        assert_eq!(Aging::of(61), Aging::UpTo90);
        assert_eq!(Aging::of(91), Aging::Over90);
        assert_eq!(collection_rate_permille(973, 1000), 973);
        assert_eq!(collection_rate_permille(5, 0), 0);
    }

    proptest::proptest! {
        /// Whatever is owed, a payment never pays a line more than it owes, never pays more in
        /// all than it brought, and what is left is exactly the rest.
        #[test]
        fn allocation_never_exceeds_what_is_owed(
            amount in 0i64..10_000_000,
            owed in proptest::collection::vec((0i64..3_000_000, proptest::bool::ANY, 1u32..13), 0..12),
        ) {
            let lines: Vec<Owed> = owed.iter().enumerate().map(|(i, (o, late, mo))| Owed {
                line_id: i as i64, late_fee: *late, month: YearMonth::new(2026, *mo).unwrap(),
                position: i as i64, owed: *o,
            }).collect();
            let (paid, left) = allocate_payment(amount, &lines);
            let total_owed: i64 = lines.iter().map(|l| l.owed).sum();
            let total_paid: i64 = paid.iter().map(|p| p.1).sum();
            proptest::prop_assert_eq!(total_paid + left, amount);
            proptest::prop_assert!(total_paid <= total_owed);
            proptest::prop_assert!(left == 0 || total_paid == total_owed);
            for (id, a) in &paid {
                proptest::prop_assert!(*a > 0 && *a <= lines[*id as usize].owed);
            }
        }

        /// A prorated amount never exceeds the monthly amount and is the whole of it only for a
        /// whole month.
        #[test]
        fn proration_stays_within_the_month(monthly in 0i64..100_000_000, start in 0u32..400, len in 0u32..400) {
            let start = d(2026, 1, 1) + chrono::Days::new(u64::from(start));
            let end = start + chrono::Days::new(u64::from(len));
            let m = YearMonth::new(2026, 6).unwrap();
            if let Some(p) = prorate(monthly, start, end, m) {
                proptest::prop_assert!(p.amount <= monthly && p.amount >= 0);
                proptest::prop_assert!(p.days >= 1 && p.days <= p.days_in_month);
                proptest::prop_assert_eq!(p.rule.is_none(), p.days == p.days_in_month);
            }
        }
    }
}
