//! Building expenses (관리비 지출, legacy `pmpayment`): what a building pays each month
//! (cleaning, security, elevator, …) with its vendor, amount, VAT, pay date and whether it was
//! paid, the bill attached. A **pinned** item recurs: the job on the 25th at 02:00 copies it into
//! the next month, once per (item, month). Setting or changing a pay date writes the event
//! `expense.pay_date` in the same transaction (the legacy trigger `trg_paydate_notification`).
//! The owner's monthly report per building sets billed and collected income against the
//! expenses paid.

use crate::areas::files::FileDto;
use crate::domain::billing::YearMonth;
use crate::domain::error::FieldErrors;
use crate::domain::form::{checkbox, number};
use crate::domain::money::{parse_won, vat_of};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// Expense categories: (code, label). Totals are shown per category in this order.
pub const CATEGORIES: [(&str, &str); 10] = [
    ("cleaning", "청소"),
    ("security", "경비·보안"),
    ("elevator", "승강기 유지보수"),
    ("fire", "소방 점검"),
    ("electrical", "전기 안전관리"),
    ("repair", "수선·유지보수"),
    ("insurance", "보험료"),
    ("utility", "공용 공과금"),
    ("tax", "세금·공과"),
    ("other", "기타"),
];

pub fn category_label(code: &str) -> &str {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// An expense item as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseRow {
    pub id: i64,
    pub building_id: i64,
    pub building_name: String,
    pub month: String,
    pub category: String,
    pub vendor: String,
    /// Supply amount (공급가액), won.
    pub amount: i64,
    pub vat: i64,
    pub pay_date: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub pinned: bool,
    /// The item this one was copied from (a pinned item of the month before).
    pub source_id: Option<i64>,
    pub memo: String,
    pub files: i64,
}

impl ExpenseRow {
    pub fn total(&self) -> i64 {
        self.amount + self.vat
    }
}

/// A category's totals for the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTotal {
    pub category: String,
    pub items: i64,
    pub total: i64,
    pub paid: i64,
}

/// A building's (or every visible building's) expenses for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseMonth {
    pub month: String,
    pub month_label: String,
    /// At most `service::PAGE_ROWS` on the page (every one in an export).
    pub rows: Vec<ExpenseRow>,
    /// Over every matching item, listed or not.
    pub items: i64,
    pub by_category: Vec<CategoryTotal>,
    pub total: i64,
    pub paid: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseDto {
    pub expense: ExpenseRow,
    pub files: Vec<FileDto>,
    /// Items copied from this one: (id, month).
    pub copies: Vec<(i64, String)>,
}

/// The owner's monthly report for a building: income billed and collected against the
/// expenses paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerReport {
    pub building_id: i64,
    pub building_name: String,
    pub client_name: String,
    pub month: String,
    pub month_label: String,
    pub invoices: i64,
    pub billed: i64,
    pub collected: i64,
    pub outstanding: i64,
    pub expenses_total: i64,
    pub expenses_paid: i64,
    pub expenses_unpaid: i64,
    /// Collected less expenses paid.
    pub balance: i64,
    pub by_category: Vec<CategoryTotal>,
    pub rows: Vec<ExpenseRow>,
}

/// What "고정 항목 복사" did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    pub copied: i64,
    /// Pinned items whose copy already existed.
    pub already: i64,
}

impl CopyReport {
    pub fn summary_ko(&self) -> String {
        format!(
            "{} 고정 지출 {}건을 {}로 복사했습니다 (이미 있던 {}건은 건너뜀).",
            self.from, self.copied, self.to, self.already
        )
    }
}

/// The expense form as posted (amounts as typed: `1,234,000원` is fine).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseForm {
    /// None for a new item.
    #[serde(default, deserialize_with = "crate::domain::form::optional_number")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub vat: String,
    /// VAT is 10% of the amount, cut below the won (`money::vat_of`), instead of `vat`.
    #[serde(default, deserialize_with = "checkbox")]
    pub vat_auto: bool,
    #[serde(default)]
    pub pay_date: String,
    #[serde(default)]
    pub paid_on: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub pinned: bool,
    #[serde(default)]
    pub memo: String,
}

/// A validated expense item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseInput {
    pub building_id: i64,
    pub month: YearMonth,
    pub category: String,
    pub vendor: String,
    pub amount: i64,
    pub vat: i64,
    pub pay_date: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub pinned: bool,
    pub memo: String,
}

fn optional_date(raw: &str, field: &str, label: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) if (2000..=2100).contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            e.insert(
                field.into(),
                format!("{label}을 YYYY-MM-DD로 입력해 주세요."),
            );
            None
        }
    }
}

/// The most an amount may be: 1,000억 원.
const AMOUNT_MAX: i64 = 100_000_000_000;

impl ExpenseForm {
    pub fn into_input(&self, today: NaiveDate) -> Result<ExpenseInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let month = YearMonth::parse(&self.month);
        if month.is_none() {
            e.insert(
                "month".into(),
                "지출 월을 YYYY-MM으로 입력해 주세요.".into(),
            );
        }
        if !CATEGORIES.iter().any(|(c, _)| *c == self.category) {
            e.insert("category".into(), "항목 분류를 골라 주세요.".into());
        }
        let vendor = self.vendor.trim().to_string();
        if vendor.chars().count() > 100 {
            e.insert(
                "vendor".into(),
                "거래처는 100자 이내로 입력해 주세요.".into(),
            );
        }
        let amount = match parse_won(&self.amount) {
            Some(a) if (0..=AMOUNT_MAX).contains(&a) => a,
            _ => {
                e.insert(
                    "amount".into(),
                    "금액(공급가액)은 0원 이상 1,000억 원 이하의 정수로 입력해 주세요.".into(),
                );
                0
            }
        };
        let vat = if self.vat_auto {
            vat_of(amount)
        } else if self.vat.trim().is_empty() {
            0
        } else {
            match parse_won(&self.vat) {
                Some(v) if (0..=AMOUNT_MAX).contains(&v) => v,
                _ => {
                    e.insert(
                        "vat".into(),
                        "부가세는 0원 이상의 정수로 입력해 주세요.".into(),
                    );
                    0
                }
            }
        };
        let pay_date = optional_date(&self.pay_date, "pay_date", "지급 예정일", &mut e);
        let paid_on = optional_date(&self.paid_on, "paid_on", "지급일", &mut e);
        if paid_on.is_some_and(|d| d > today) {
            e.insert("paid_on".into(), "지급일은 오늘 이후일 수 없습니다.".into());
        }
        let memo = self.memo.trim().to_string();
        if memo.chars().count() > 500 {
            e.insert("memo".into(), "메모는 500자 이내로 입력해 주세요.".into());
        }
        match month {
            Some(month) if e.is_empty() => Ok(ExpenseInput {
                building_id: self.building_id,
                month,
                category: self.category.clone(),
                vendor,
                amount,
                vat,
                pay_date,
                paid_on,
                pinned: self.pinned,
                memo,
            }),
            _ => Err(e),
        }
    }
}

/// Marks an item paid on a day (or not paid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidForm {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(default)]
    pub paid_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteExpenseForm {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyForm {
    /// The month copied from (its pinned items go into the month after).
    #[serde(default)]
    pub month: String,
}

/// The month whose pinned items the job copies: on the 25th the month of the day, and a run
/// caught up later (until the 24th of the month after) still copies that month, not the next.
pub fn pinned_copy_source(today: NaiveDate) -> YearMonth {
    YearMonth::of(today - chrono::Duration::days(24))
}

/// A pinned item's pay date in the next month: the same day, or the month's last day; a pay
/// date on a month's last day (말일) stays on the last day (1/31 → 2/28 → 3/31).
pub fn next_pay_date(d: NaiveDate) -> Option<NaiveDate> {
    let next = d.checked_add_months(chrono::Months::new(1))?;
    if YearMonth::of(d).last_day() == d {
        Some(YearMonth::of(next).last_day())
    } else {
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ExpenseForm {
        ExpenseForm {
            building_id: 1,
            month: "2026-11".into(),
            category: "cleaning".into(),
            vendor: "깨끗한청소".into(),
            amount: "1,234,567원".into(),
            vat_auto: true,
            pay_date: "2026-11-25".into(),
            ..ExpenseForm::default()
        }
    }

    #[test]
    fn the_form_reads_won_and_computes_vat_by_the_rule() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let i = form().into_input(today).unwrap();
        assert_eq!((i.amount, i.vat), (1_234_567, 123_456));
        assert_eq!(i.month, YearMonth::new(2026, 11).unwrap());
        let mut f = form();
        f.vat_auto = false;
        f.vat = "100,000".into();
        assert_eq!(f.into_input(today).unwrap().vat, 100_000);
    }

    #[test]
    fn the_form_refuses_bad_input_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut f = form();
        f.amount = "-5".into();
        f.category = "x".into();
        f.month = "2026-13".into();
        f.pay_date = "11/25".into();
        f.paid_on = "2026-12-05".into();
        let e = f.into_input(today).unwrap_err();
        for k in ["amount", "category", "month", "pay_date", "paid_on"] {
            assert!(e.contains_key(k), "{k}: {e:?}");
        }
    }

    #[test]
    fn a_pinned_pay_date_moves_a_month_and_stays_in_short_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(next_pay_date(d(2026, 11, 25)), Some(d(2026, 12, 25)));
        assert_eq!(next_pay_date(d(2026, 1, 31)), Some(d(2026, 2, 28)));
        // The month's last day stays the last day, not the 28th for good.
        assert_eq!(next_pay_date(d(2026, 2, 28)), Some(d(2026, 3, 31)));
        assert_eq!(next_pay_date(d(2026, 4, 30)), Some(d(2026, 5, 31)));
        assert_eq!(next_pay_date(d(2026, 5, 30)), Some(d(2026, 6, 30)));
    }

    #[test]
    fn a_late_run_of_the_copy_still_copies_the_month_it_was_due_for() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let ym = |y, m| YearMonth::new(y, m).unwrap();
        assert_eq!(pinned_copy_source(d(2026, 11, 25)), ym(2026, 11));
        assert_eq!(pinned_copy_source(d(2026, 11, 30)), ym(2026, 11));
        assert_eq!(pinned_copy_source(d(2026, 12, 24)), ym(2026, 11));
        assert_eq!(pinned_copy_source(d(2026, 3, 24)), ym(2026, 2));
        assert_eq!(pinned_copy_source(d(2026, 12, 25)), ym(2026, 12));
    }
}
