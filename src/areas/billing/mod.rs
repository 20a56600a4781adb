//! Billing (청구·수납, legacy `lmpayment`): one invoice per lease per month with its lines (rent,
//! management fee, the lease's other charges, adjustments, late fees), month closing per
//! building (부과 마감), payments and what they paid, credits, arrears, and bills as HTML and PDF.
//! The rules with numbers (proration, late fees, allocation order, VAT) are in
//! `domain::billing` and `domain::money`.

use crate::domain::billing::{InvoiceStatus, PaymentMethod};
use crate::domain::error::FieldErrors;
use crate::domain::form::{checkbox, number};
use chrono::{Datelike, NaiveDate};
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

/// What "M월 청구 생성" did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateReport {
    pub month: String,
    pub created: i64,
    /// Leases that already had the month's invoice.
    pub skipped: i64,
    /// Leases not billed, with the reason: (lease id, "건물 · 임차인", reason).
    pub refused: Vec<(i64, String, String)>,
    pub adjustments: i64,
    pub late_fees: i64,
    pub millis: i64,
}

impl GenerateReport {
    pub fn summary_ko(&self) -> String {
        format!(
            "{} 청구: 새로 만듦 {}건, 이미 있음 {}건, 제외 {}건 (조정 {}건, 연체료 {}건)",
            self.month,
            self.created,
            self.skipped,
            self.refused.len(),
            self.adjustments,
            self.late_fees
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLineDto {
    pub id: i64,
    pub kind: String,
    pub label: String,
    /// How the amount was reached (proration, late fee formula, adjustment reason).
    pub rule: String,
    pub supply: i64,
    pub vat: i64,
    pub paid: i64,
    pub waived: Option<String>,
}

impl InvoiceLineDto {
    pub fn amount(&self) -> i64 {
        if self.waived.is_some() {
            0
        } else {
            self.supply + self.vat
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentDto {
    pub id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub method: PaymentMethod,
    pub depositor: String,
    pub memo: String,
    /// What this payment left as credit.
    pub unallocated: i64,
    /// What it paid on this invoice.
    pub applied_here: i64,
    pub by: String,
    pub reversed: Option<String>,
}

/// The company's details printed on a bill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    pub name: String,
    pub representative: String,
    pub business_number: String,
    pub address: String,
    pub phone: String,
}

/// An invoice as the bill shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDto {
    pub id: i64,
    pub month: String,
    pub lease_id: i64,
    pub building_id: i64,
    pub building_name: String,
    pub building_address: String,
    pub units: String,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub due_date: NaiveDate,
    pub total: i64,
    pub paid: i64,
    pub status: InvoiceStatus,
    pub closed: Option<String>,
    pub lines: Vec<InvoiceLineDto>,
    pub payments: Vec<PaymentDto>,
    /// Unpaid amounts of earlier months (미납 이월), not part of this invoice's total.
    pub previous_arrears: i64,
    /// The tenant's credit not yet used.
    pub credit: i64,
    pub payment_account: String,
    pub issuer: Issuer,
    pub vat_rule: String,
    /// Today in Seoul (the payment form's default date and its latest).
    pub today: NaiveDate,
}

impl InvoiceDto {
    pub fn supply_total(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.waived.is_none())
            .map(|l| l.supply)
            .sum()
    }
    pub fn vat_total(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.waived.is_none())
            .map(|l| l.vat)
            .sum()
    }
    pub fn late_fee_total(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.kind == "late_fee")
            .map(InvoiceLineDto::amount)
            .sum()
    }
}

/// A row of the month's invoice list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: i64,
    pub month: String,
    pub building_id: i64,
    pub building_name: String,
    pub tenant_name: String,
    pub units: String,
    pub due_date: NaiveDate,
    pub total: i64,
    pub paid: i64,
    pub status: InvoiceStatus,
    pub days_overdue: i64,
}

/// One month's totals, for the summary and the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotals {
    pub month: String,
    pub billed: i64,
    pub collected: i64,
}

/// A building's state for the month: invoices and whether it is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingMonth {
    pub building_id: i64,
    pub building_name: String,
    pub invoices: i64,
    pub billed: i64,
    pub collected: i64,
    pub closed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub month: String,
    pub month_label: String,
    pub totals: MonthTotals,
    pub outstanding: i64,
    /// Tenths of a percent.
    pub rate_permille: i64,
    /// The last 12 months, oldest first.
    pub chart: Vec<MonthTotals>,
    /// Open buildings first, then by name; at most [`BUILDING_ROWS`] (the counts below cover all).
    pub buildings: Vec<BuildingMonth>,
    /// Buildings with invoices this month that are still open / already closed.
    pub buildings_open: usize,
    pub buildings_closed: usize,
    pub rows: crate::domain::list::ListPage<InvoiceRow>,
}

/// The most buildings the billing view's closing table shows at once (the building filter finds
/// the rest; "열린 건물 모두 마감" closes them all).
pub const BUILDING_ROWS: usize = 30;

/// A lease with money owed past its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsRow {
    pub lease_id: i64,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub building_id: i64,
    pub building_name: String,
    pub units: String,
    /// Unpaid by aging bucket: ≤30, 31–60, 61–90, 90+ days past due.
    pub buckets: [i64; 4],
    pub total: i64,
    /// Months with something unpaid.
    pub unpaid_periods: i64,
    /// What is owed reaches three months of rent (`domain::billing::three_periods_reached`).
    pub three_periods: bool,
    pub oldest_due: NaiveDate,
    /// Late fee accrued to today and not yet charged.
    pub accruing_late_fee: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsView {
    pub as_of: NaiveDate,
    pub rows: Vec<ArrearsRow>,
    pub bucket_totals: [i64; 4],
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingSettingsDto {
    pub building_id: i64,
    pub building_name: String,
    pub payment_account: String,
    pub late_fee_step_bp: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseChargeDto {
    pub id: i64,
    pub label: String,
    pub amount: i64,
    pub taxable: bool,
}

/// A lease's billing at a glance (the lease page's section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseBilling {
    pub lease_id: i64,
    pub charges: Vec<LeaseChargeDto>,
    pub invoices: Vec<InvoiceRow>,
    pub credit: i64,
    pub outstanding: i64,
}

// ---------------------------------------------------------------------------------------------
// Forms

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateForm {
    pub month: String,
    #[serde(default, deserialize_with = "crate::domain::form::optional_number")]
    pub building_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    pub month: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentForm {
    #[serde(deserialize_with = "number")]
    pub lease_id: i64,
    /// The invoice page the payment was entered on (back to it after).
    #[serde(default, deserialize_with = "crate::domain::form::optional_number")]
    pub invoice_id: Option<i64>,
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub depositor: String,
    #[serde(default)]
    pub memo: String,
}

/// A payment as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    pub lease_id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub method: PaymentMethod,
    pub depositor: String,
    pub memo: String,
}

impl PaymentForm {
    /// Checks the form: a date no later than `today`, an amount of 1원 to 1조 원 (commas and
    /// "원" allowed), a known method, short texts.
    pub fn into_input(self, today: NaiveDate) -> Result<PaymentInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let paid_on = match NaiveDate::parse_from_str(self.paid_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.insert("paid_on".into(), "미래 날짜로는 수납할 수 없습니다.".into());
                None
            }
            Ok(d) if d.year_ce().1 < 2000 => {
                e.insert("paid_on".into(), "수납일을 확인해 주세요.".into());
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.insert(
                    "paid_on".into(),
                    "수납일을 YYYY-MM-DD로 입력해 주세요.".into(),
                );
                None
            }
        };
        let amount = match crate::domain::money::parse_won(&self.amount) {
            Some(a) if (1..=1_000_000_000_000).contains(&a) => Some(a),
            _ => {
                e.insert(
                    "amount".into(),
                    "수납액은 1원 이상 1조 원 이하의 정수로 입력해 주세요.".into(),
                );
                None
            }
        };
        let method = PaymentMethod::parse(&self.method);
        if method.is_none() {
            e.insert("method".into(), "수납 방법을 선택해 주세요.".into());
        }
        if self.depositor.trim().chars().count() > 100 {
            e.insert(
                "depositor".into(),
                "입금자명은 100자 이내로 입력해 주세요.".into(),
            );
        }
        if self.memo.trim().chars().count() > 500 {
            e.insert("memo".into(), "메모는 500자 이내로 입력해 주세요.".into());
        }
        match (paid_on, amount, method) {
            (Some(paid_on), Some(amount), Some(method)) if e.is_empty() => Ok(PaymentInput {
                lease_id: self.lease_id,
                paid_on,
                amount,
                method,
                depositor: self.depositor.trim().to_string(),
                memo: self.memo.trim().to_string(),
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReversePaymentForm {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(default, deserialize_with = "crate::domain::form::optional_number")]
    pub invoice_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiveForm {
    #[serde(deserialize_with = "number")]
    pub line_id: i64,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default)]
    pub payment_account: String,
    #[serde(default, deserialize_with = "number")]
    pub late_fee_step_bp: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeForm {
    #[serde(deserialize_with = "number")]
    pub lease_id: i64,
    #[serde(default)]
    pub label: String,
    #[serde(default, deserialize_with = "number")]
    pub amount: i64,
    #[serde(default, deserialize_with = "checkbox")]
    pub taxable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveChargeForm {
    #[serde(deserialize_with = "number")]
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(paid_on: &str, amount: &str, method: &str) -> PaymentForm {
        PaymentForm {
            lease_id: 1,
            invoice_id: None,
            paid_on: paid_on.into(),
            amount: amount.into(),
            method: method.into(),
            depositor: "홍길동".into(),
            memo: String::new(),
        }
    }

    #[test]
    fn payment_form_reads_won_and_refuses_bad_input() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let p = form("2026-11-20", "1,234,000원", "transfer")
            .into_input(today)
            .unwrap();
        assert_eq!(p.amount, 1_234_000);
        assert_eq!(p.method, PaymentMethod::Transfer);
        let e = form("2026-12-02", "0", "cheque")
            .into_input(today)
            .unwrap_err();
        assert!(e.contains_key("paid_on") && e.contains_key("amount") && e.contains_key("method"));
        assert!(form("2026-11-20", "-5", "cash").into_input(today).is_err());
        assert!(form("어제", "5", "cash").into_input(today).is_err());
    }
}
