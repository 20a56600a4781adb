//! Billing's rules with I/O: generating a month (what each lease owes, adjustments for leases
//! corrected after their invoice, late fees by days on what is still unpaid), payments and
//! their reversal, waiving, closing and reopening, the overdue job, and the views, each checked
//! against who asks.

use super::store::{self, BillableLease, NewInvoice, NewLine, PriorLineRow};
use super::{
    ArrearsRow, ArrearsView, BillingOverview, BillingSettingsDto, BuildingMonth, ChargeForm,
    GenerateReport, InvoiceDto, InvoiceLineDto, InvoiceRow, Issuer, LeaseBilling, LeaseChargeDto,
    MonthTotals, PaymentDto, PaymentInput,
};
use crate::domain::ApiError;
use crate::domain::Role;
use crate::domain::billing::{
    Aging, InvoiceStatus, LateSpan, PaymentMethod, YearMonth, late_fee, late_from, prorate,
    stepped_rate_bp, three_periods_reached, whole_months_between,
};
use crate::domain::lease::due_date;
use crate::domain::list::ListQuery;
use crate::domain::money::{format_won, group_thousands, vat_of};
use crate::server::auth::CurrentUser;
use crate::server::db::Db;
use crate::server::db::list::Paging;
use crate::server::db::scope::Scope;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::{format_seoul_minutes, today_seoul};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// How VAT is reached, as the bill prints it.
pub const VAT_RULE_KO: &str = "부가세는 과세 항목(임대료·관리비·과세 부과금)의 공급가액별 10%, 원 미만 절사. 연체료는 부가세 대상이 아닙니다.";

/// Changes of a lease that correct what was billed before (not renewals or raises, which take
/// effect from their own date).
const RETROACTIVE: [&str; 2] = ["lease.changed", "lease.ended"];

/// Leases written per transaction while generating a month.
const BATCH: usize = 500;

fn month_of(s: &str) -> Result<YearMonth, AppError> {
    YearMonth::parse(s)
        .ok_or_else(|| AppError::field("month", "청구 월을 YYYY-MM으로 입력해 주세요."))
}

// ---------------------------------------------------------------------------------------------
// Who may see what

fn scope_of(me: &CurrentUser) -> Scope {
    Scope::of(me.role, me.id.0)
}

/// The building exists and the user may see it (404 otherwise, so a client learns nothing of
/// another owner's buildings).
async fn check_building(state: &AppState, me: &CurrentUser, building: i64) -> Result<(), AppError> {
    use crate::server::db::{Table, exists};
    if exists(&state.db, Table::Buildings, building).await?
        && scope_of(me).sees_building(&state.db, building).await?
    {
        Ok(())
    } else {
        Err(AppError::Api(ApiError::NotFound))
    }
}

// ---------------------------------------------------------------------------------------------
// Commands

pub async fn generate(
    state: &AppState,
    me: &CurrentUser,
    month: &str,
    building: Option<i64>,
) -> Result<GenerateReport, AppError> {
    let month = month_of(month)?;
    if let Some(b) = building {
        check_building(state, me, b).await?;
    }
    let report = generate_month(&state.db, month, building).await?;
    store::audit_run(
        &state.db,
        me.id.0,
        building.unwrap_or(0),
        &crate::server::db::to_json(&serde_json::json!({
            "month": report.month, "created": report.created, "skipped": report.skipped,
            "refused": report.refused.len(), "building_id": building,
        }))?,
    )
    .await?;
    Ok(report)
}

pub async fn close_month(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
    month: &str,
) -> Result<(), AppError> {
    let month = month_of(month)?;
    check_building(state, me, building).await?;
    if store::month_invoice_count(&state.db, building, month).await? == 0 {
        return Err(AppError::conflict(format!(
            "{} 청구가 없어 마감할 수 없습니다. 먼저 청구를 생성해 주세요.",
            month.label_ko()
        )));
    }
    store::close_month(&state.db, building, month, me.id.0).await
}

/// 열린 건물 모두 마감: every building with invoices in the month that is still open; gives how
/// many were closed. A building closed meanwhile by someone else is left as it is.
pub async fn close_all_open(
    state: &AppState,
    me: &CurrentUser,
    month: &str,
) -> Result<i64, AppError> {
    let month = month_of(month)?;
    let today = today_seoul();
    let w = store::invoice_filters(
        scope_of(me),
        Some(month),
        &ListQuery::default(),
        today,
        None,
    );
    let mut closed = 0;
    for b in store::building_months(&state.db, &w).await? {
        if b.closed_at.is_some() {
            continue;
        }
        match store::close_month(&state.db, b.building_id, month, me.id.0).await {
            Ok(()) => closed += 1,
            Err(AppError::Api(ApiError::Conflict(_))) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(closed)
}

pub async fn reopen_month(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
    month: &str,
    reason_text: &str,
) -> Result<(), AppError> {
    if me.role != Role::Admin {
        return Err(AppError::Api(ApiError::Forbidden));
    }
    let month = month_of(month)?;
    let reason = reason(reason_text, 5, "마감 해제")?;
    check_building(state, me, building).await?;
    store::reopen_month(&state.db, building, month, reason, me.id.0).await
}

pub async fn record_payment(
    state: &AppState,
    me: &CurrentUser,
    p: &PaymentInput,
) -> Result<(i64, i64), AppError> {
    let (tenant, building) = store::lease_owner(&state.db, p.lease_id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    check_building(state, me, building).await?;
    store::record_payment(&state.db, p, tenant, me.id.0, today_seoul()).await
}

/// A reason of `min` to 500 characters, trimmed, or the field's error.
fn reason<'a>(text: &'a str, min: usize, what: &str) -> Result<&'a str, AppError> {
    let t = text.trim();
    let n = t.chars().count();
    if n < min || n > 500 {
        return Err(AppError::field(
            "reason",
            format!("{what} 사유를 {min}자 이상 500자 이내로 적어 주세요."),
        ));
    }
    Ok(t)
}

pub async fn reverse_payment(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
    reason_text: &str,
) -> Result<i64, AppError> {
    let reason = reason(reason_text, 2, "수납 취소")?;
    store::reverse_payment(&state.db, id, reason, me.id.0, today_seoul()).await
}

pub async fn waive(
    state: &AppState,
    me: &CurrentUser,
    line_id: i64,
    reason_text: &str,
) -> Result<i64, AppError> {
    let reason = reason(reason_text, 2, "면제")?;
    let (invoice, kind, paid, building, closed, _) = store::line_context(&state.db, line_id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    check_building(state, me, building).await?;
    if kind != "late_fee" {
        return Err(AppError::conflict("연체료 항목만 면제할 수 있습니다."));
    }
    if closed {
        return Err(AppError::conflict(
            "마감된 달의 청구는 바꿀 수 없습니다. 관리자가 사유를 적어 마감을 해제해야 합니다.",
        ));
    }
    if paid > 0 {
        return Err(AppError::conflict(
            "이미 수납된 연체료는 면제할 수 없습니다. 먼저 그 수납을 취소해 주세요.",
        ));
    }
    store::waive_line(&state.db, line_id, invoice, reason, me.id.0, today_seoul()).await?;
    Ok(invoice)
}

pub async fn save_settings(
    state: &AppState,
    me: &CurrentUser,
    f: &super::SettingsForm,
) -> Result<(), AppError> {
    check_building(state, me, f.building_id).await?;
    let account = f.payment_account.trim();
    if account.chars().count() > 200 {
        return Err(AppError::field(
            "payment_account",
            "납부 계좌는 200자 이내로 입력해 주세요.",
        ));
    }
    if f.late_fee_step_bp > crate::domain::lease::LATE_FEE_MAX_BP {
        return Err(AppError::field(
            "late_fee_step_bp",
            "월별 가산 이율은 연 20% 이하여야 합니다.",
        ));
    }
    store::save_settings(
        &state.db,
        f.building_id,
        account,
        f.late_fee_step_bp,
        me.id.0,
    )
    .await
}

pub async fn add_charge(
    state: &AppState,
    me: &CurrentUser,
    f: &ChargeForm,
) -> Result<i64, AppError> {
    let (_, building) = store::lease_owner(&state.db, f.lease_id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    check_building(state, me, building).await?;
    let label = f.label.trim();
    if label.is_empty() || label.chars().count() > 50 {
        return Err(AppError::field(
            "label",
            "항목 이름을 50자 이내로 입력해 주세요.",
        ));
    }
    if !(1..=1_000_000_000).contains(&f.amount) {
        return Err(AppError::field(
            "amount",
            "금액은 1원 이상 10억 원 이하로 입력해 주세요.",
        ));
    }
    store::add_charge(&state.db, f.lease_id, label, f.amount, f.taxable, me.id.0).await
}

pub async fn remove_charge(state: &AppState, me: &CurrentUser, id: i64) -> Result<i64, AppError> {
    let lease = store::charge_lease(&state.db, id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    let (_, building) = store::lease_owner(&state.db, lease)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    check_building(state, me, building).await?;
    store::remove_charge(&state.db, id, me.id.0).await?;
    Ok(lease)
}

/// The daily job: invoices past due and grace become 연체.
pub async fn refresh_overdue(state: &AppState) -> Result<u64, AppError> {
    store::mark_overdue(&state.db, today_seoul()).await
}

mod generate;
mod views;
pub use generate::*;
pub use views::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn lease(start: NaiveDate, end: NaiveDate) -> BillableLease {
        BillableLease {
            id: 1,
            tenant_id: 1,
            building_id: 1,
            start_date: start,
            end_date: end,
            monthly_rent: 3_100_000,
            management_fee: 310_000,
            vat_applies: true,
            payment_day: 31,
            late_fee_rate_bp: 1_200,
            grace_days: 0,
            version: 1,
            tenant_name: "카페 둥지".into(),
            building_name: "한빛빌딩".into(),
            has_invoice: 0,
        }
    }

    fn line(id: i64, kind: &str, supply: i64, vat: i64) -> PriorLineRow {
        PriorLineRow {
            id,
            invoice_id: 10,
            kind: kind.into(),
            supply,
            vat,
            paid: 0,
            waived: false,
            refers_to: None,
            through_date: None,
            source: None,
        }
    }

    #[test]
    fn a_month_bills_rent_fee_and_charges_with_vat_on_taxable_lines() {
        let l = lease(d(2026, 3, 15), d(2028, 3, 14));
        let parking = store::ChargeRow {
            id: 1,
            lease_id: 1,
            label: "주차비".into(),
            amount: 100_005,
            taxable: true,
        };
        let water = store::ChargeRow {
            id: 2,
            lease_id: 1,
            label: "수도료(실비)".into(),
            amount: 30_000,
            taxable: false,
        };
        let lines = base_lines(&l, &[&parking, &water], YearMonth::new(2026, 4).unwrap());
        let got: Vec<(&str, i64, i64)> = lines.iter().map(|l| (l.kind, l.supply, l.vat)).collect();
        assert_eq!(
            got,
            vec![
                ("rent", 3_100_000, 310_000),
                ("management_fee", 310_000, 31_000),
                ("charge", 100_005, 10_000),
                ("charge", 30_000, 0),
            ]
        );
        // the first month is prorated, and the rule is on the line
        let first = base_lines(&l, &[], YearMonth::new(2026, 3).unwrap());
        assert_eq!(first[0].supply, 1_700_000);
        assert!(first[0].rule.contains("17일/31일"));
    }

    #[test]
    fn late_fee_follows_payments_by_day_and_never_charges_a_day_twice() {
        let mut p = Prior {
            id: 10,
            month: YearMonth::new(2026, 3).unwrap(),
            due_date: d(2026, 3, 31),
            lease_version: 1,
            lines: vec![line(1, "rent", 300_000, 0)],
            followups: Vec::new(),
            payments: Vec::new(),
        };
        // 160 days late on 300,000 at 12%: 15,780.8 → 15,780
        let through = d(2026, 3, 31) + chrono::Days::new(160);
        let fee = late_fee_line(&p, 1_200, 0, 0, through).unwrap();
        assert_eq!(fee.supply, 15_780);
        assert_eq!(fee.vat, 0);
        // half paid on 4/11: the day of payment still counts, so 4/1..4/11 at 300,000, then 150,000
        p.payments.push((1, 150_000, d(2026, 4, 11)));
        let fee = late_fee_line(&p, 1_200, 0, 0, d(2026, 4, 30)).unwrap();
        let exact = (300_000i128 * 1_200 * 11 + 150_000i128 * 1_200 * 19) / 3_650_000;
        assert_eq!(fee.supply as i128, exact);
        // already charged through 4/30: the next charge starts 5/1
        let mut charged = line(99, "late_fee", fee.supply, 0);
        charged.refers_to = Some(10);
        charged.through_date = Some(d(2026, 4, 30));
        p.followups.push(charged);
        assert!(late_fee_line(&p, 1_200, 0, 0, d(2026, 4, 30)).is_none());
        let may = late_fee_line(&p, 1_200, 0, 0, d(2026, 5, 31)).unwrap();
        assert!(may.label.contains("2026-05-01 ~ 2026-05-31"));
        // within the grace days nothing is charged
        let q = Prior {
            payments: vec![],
            followups: vec![],
            ..p.clone()
        };
        assert!(late_fee_line(&q, 1_200, 0, 10, d(2026, 4, 10)).is_none());
        assert_eq!(
            late_fee_line(&q, 1_200, 0, 10, d(2026, 4, 11))
                .unwrap()
                .label,
            "연체료 (2026-03 청구분, 2026-04-11 ~ 2026-04-11)"
        );
    }

    proptest::proptest! {
        /// Whatever the terms and the month, an invoice's lines add up to the prorated rent,
        /// fee and charges with VAT cut per taxable line, and never exceed the whole month.
        #[test]
        fn a_months_lines_add_up_to_its_amounts(
            rent in 0i64..50_000_000, fee in 0i64..5_000_000, charge in 0i64..1_000_000,
            taxable in proptest::bool::ANY, vat in proptest::bool::ANY,
            start in 0u32..900, len in 0u32..900, month in 1u32..13,
        ) {
            let start = d(2025, 1, 1) + chrono::Days::new(u64::from(start));
            let mut l = lease(start, start + chrono::Days::new(u64::from(len)));
            (l.monthly_rent, l.management_fee, l.vat_applies) = (rent, fee, vat);
            let c = store::ChargeRow { id: 1, lease_id: 1, label: "주차비".into(), amount: charge, taxable };
            let m = YearMonth::new(2026, month).unwrap();
            let lines = base_lines(&l, &[&c], m);
            let total: i64 = lines.iter().map(|x| x.supply + x.vat).sum();
            let expect = |amount: i64, tax: bool| {
                prorate(amount, l.start_date, l.end_date, m)
                    .filter(|_| amount > 0)
                    .map(|p| p.amount + if tax && vat { vat_of(p.amount) } else { 0 })
                    .unwrap_or(0)
            };
            proptest::prop_assert_eq!(total, expect(rent, true) + expect(fee, true) + expect(charge, taxable));
            let whole = rent + fee + charge + if vat { vat_of(rent) + vat_of(fee) + if taxable { vat_of(charge) } else { 0 } } else { 0 };
            proptest::prop_assert!(total <= whole);
            for x in &lines {
                proptest::prop_assert!(x.supply > 0 || x.vat == 0);
            }
        }
    }

    #[test]
    fn a_correction_after_billing_becomes_an_adjustment_with_its_reason() {
        let mut l = lease(d(2026, 1, 1), d(2027, 12, 31));
        l.version = 2;
        l.monthly_rent = 3_000_000;
        let p = Prior {
            id: 10,
            month: YearMonth::new(2026, 3).unwrap(),
            due_date: d(2026, 3, 31),
            lease_version: 1,
            lines: vec![
                line(1, "rent", 3_100_000, 310_000),
                line(2, "management_fee", 310_000, 31_000),
            ],
            followups: Vec::new(),
            payments: Vec::new(),
        };
        let adj = adjustment_lines(&p, &l, &["lease.changed".into()]);
        assert_eq!(adj.len(), 1);
        assert_eq!((adj[0].supply, adj[0].vat), (-100_000, -10_000));
        assert!(adj[0].rule.contains("계약 정정 반영"));
        // a renewal in between is not retroactive
        assert!(adjustment_lines(&p, &l, &["lease.renewed".into()]).is_empty());
        // an adjustment made before counts as billed
        let mut done = p.clone();
        let mut earlier = line(5, "adjustment", -100_000, -10_000);
        earlier.refers_to = Some(10);
        earlier.source = Some("adj:10:rent:v2".into());
        done.followups.push(earlier);
        assert!(adjustment_lines(&done, &l, &["lease.changed".into()]).is_empty());
    }

    #[test]
    fn an_adjustment_bills_the_vat_of_the_corrected_amount_not_of_the_difference() {
        let mut l = lease(d(2026, 1, 1), d(2027, 12, 31));
        l.version = 2;
        l.monthly_rent = 999_998;
        l.management_fee = 0;
        let p = Prior {
            id: 10,
            month: YearMonth::new(2026, 3).unwrap(),
            due_date: d(2026, 3, 31),
            lease_version: 1,
            lines: vec![line(1, "rent", 1_000_003, 100_000)],
            followups: Vec::new(),
            payments: Vec::new(),
        };
        let adj = adjustment_lines(&p, &l, &["lease.changed".into()]);
        // 999,998 owes 99,999 VAT: the tenant gets 5 won of rent and 1 won of VAT back.
        assert_eq!((adj[0].supply, adj[0].vat), (-5, -1));
        // A correction that only ends VAT: the supply stands, the VAT comes back.
        l.monthly_rent = 1_000_003;
        l.vat_applies = false;
        let adj = adjustment_lines(&p, &l, &["lease.changed".into()]);
        assert_eq!((adj[0].supply, adj[0].vat), (0, -100_000));
        // An early termination is retroactive too (its history kind is `lease.ended`).
        l.vat_applies = true;
        l.end_date = d(2026, 3, 15);
        let adj = adjustment_lines(&p, &l, &["lease.ended".into()]);
        assert!(adj[0].rule.contains("중도 해지"));
        assert_eq!(adj[0].supply, 1_000_003 * 15 / 31 - 1_000_003);
    }
}
