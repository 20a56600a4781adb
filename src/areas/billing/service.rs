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
// What a lease owes for a month

/// The month's rent, management fee and the lease's other charges, prorated by days.
pub fn base_lines(
    l: &BillableLease,
    charges: &[&store::ChargeRow],
    month: YearMonth,
) -> Vec<NewLine> {
    let mut out = Vec::new();
    let mut push = |kind: &'static str, label: &str, monthly: i64, taxable: bool| {
        if monthly <= 0 {
            return;
        }
        if let Some(p) = prorate(monthly, l.start_date, l.end_date, month) {
            out.push(NewLine {
                kind,
                label: label.to_string(),
                rule: p.rule.unwrap_or_default(),
                supply: p.amount,
                vat: if taxable && l.vat_applies {
                    vat_of(p.amount)
                } else {
                    0
                },
                source: None,
                refers_to: None,
                through: None,
            });
        }
    };
    push("rent", "임대료", l.monthly_rent, true);
    push("management_fee", "관리비", l.management_fee, true);
    for c in charges {
        push("charge", &c.label, c.amount, c.taxable);
    }
    out
}

/// An earlier invoice of the lease, as generation sees it.
#[derive(Debug, Clone)]
pub struct Prior {
    pub id: i64,
    pub month: YearMonth,
    pub due_date: NaiveDate,
    pub lease_version: i32,
    /// Its own lines.
    pub lines: Vec<PriorLineRow>,
    /// Lines of later invoices about it (late fees, adjustments).
    pub followups: Vec<PriorLineRow>,
    /// (line id, amount, paid on) of payments on it.
    pub payments: Vec<(i64, i64, NaiveDate)>,
}

/// The late fee on what is still unpaid of `prior`'s charges (late fees excluded: no interest on
/// interest), from the first late day (or the day after the last charge) to `through`.
pub fn late_fee_line(
    prior: &Prior,
    rate_bp: u32,
    step_bp: u32,
    grace_days: u32,
    through: NaiveDate,
) -> Option<NewLine> {
    if rate_bp == 0 {
        return None;
    }
    let first_late = late_from(prior.due_date, grace_days);
    let charged_to = prior
        .followups
        .iter()
        .filter(|l| l.kind == "late_fee")
        .filter_map(|l| l.through_date)
        .max();
    let from = match charged_to {
        Some(d) => first_late.max(d.succ_opt()?),
        None => first_late,
    };
    if from > through {
        return None;
    }
    let principal: Vec<&PriorLineRow> = prior
        .lines
        .iter()
        .filter(|l| l.kind != "late_fee" && !l.waived)
        .collect();
    let owed_total: i64 = principal.iter().map(|l| l.supply + l.vat).sum();
    let principal_ids: HashSet<i64> = principal.iter().map(|l| l.id).collect();
    // Payments in date order: the unpaid amount on a day counts payments made before it.
    let mut paid: Vec<(NaiveDate, i64)> = prior
        .payments
        .iter()
        .filter(|(line, _, _)| principal_ids.contains(line))
        .map(|(_, a, d)| (*d, *a))
        .collect();
    paid.sort();
    let mut spans: Vec<LateSpan> = Vec::new();
    let mut day = from;
    while day <= through {
        let paid_before: i64 = paid.iter().filter(|(d, _)| *d < day).map(|(_, a)| a).sum();
        let unpaid = (owed_total - paid_before).max(0);
        let rate = stepped_rate_bp(rate_bp, step_bp, whole_months_between(prior.due_date, day));
        match spans.last_mut() {
            Some(s) if s.unpaid == unpaid && s.rate_bp == rate => s.days += 1,
            _ => spans.push(LateSpan {
                unpaid,
                rate_bp: rate,
                days: 1,
            }),
        }
        day = day.succ_opt()?;
    }
    spans.retain(|s| s.unpaid > 0);
    let fee = late_fee(&spans);
    if fee.amount <= 0 {
        return None;
    }
    Some(NewLine {
        kind: "late_fee",
        label: format!("연체료 ({} 청구분, {} ~ {})", prior.month, from, through),
        rule: fee.rule,
        supply: fee.amount,
        vat: 0,
        source: Some(format!("late:{}:{}", prior.id, through)),
        refers_to: Some(prior.id),
        through: Some(through),
    })
}

/// Adjustment lines for an earlier invoice billed under an older version of a lease that was
/// corrected or ended early since: the difference between what its rent and management fee
/// would be now and what was billed (with earlier adjustments), with the reason.
pub fn adjustment_lines(
    prior: &Prior,
    lease: &BillableLease,
    changes_since: &[String],
) -> Vec<NewLine> {
    if prior.lease_version >= lease.version
        || changes_since.is_empty()
        || changes_since
            .iter()
            .any(|k| !RETROACTIVE.contains(&k.as_str()))
    {
        return Vec::new();
    }
    let why = if changes_since.iter().any(|k| k == "lease.ended") {
        "계약 중도 해지 반영"
    } else {
        "계약 정정 반영"
    };
    let mut out = Vec::new();
    for (kind, label, monthly) in [
        ("rent", "임대료", lease.monthly_rent),
        ("management_fee", "관리비", lease.management_fee),
    ] {
        let expected = prorate(monthly, lease.start_date, lease.end_date, prior.month)
            .map(|p| p.amount)
            .unwrap_or(0);
        // What was billed for the kind, with earlier adjustments: supply and VAT apart, so the
        // VAT owed is the rule applied to the corrected amount (not to the difference).
        let (billed, billed_vat) = prior
            .lines
            .iter()
            .filter(|l| l.kind == kind)
            .chain(
                prior
                    .followups
                    .iter()
                    .filter(|l| l.kind == "adjustment" && l.refers_to == Some(prior.id))
                    .filter(|l| adjusted_kind(l) == Some(kind)),
            )
            .fold((0, 0), |(s, v), l| (s + l.supply, v + l.vat));
        let expected_vat = if lease.vat_applies {
            vat_of(expected)
        } else {
            0
        };
        let diff = expected - billed;
        let vat_diff = expected_vat - billed_vat;
        if diff == 0 && vat_diff == 0 {
            continue;
        }
        out.push(NewLine {
            kind: "adjustment",
            label: format!("조정: {} {label}", prior.month),
            rule: format!(
                "{why} (계약 v{} → v{}): 청구 {} → {}, 차액 {}",
                prior.lease_version,
                lease.version,
                format_won(billed),
                format_won(expected),
                format_won(diff)
            ),
            supply: diff,
            vat: vat_diff,
            source: Some(format!("adj:{}:{kind}:v{}", prior.id, lease.version)),
            refers_to: Some(prior.id),
            through: None,
        });
    }
    out
}

/// The kind an adjustment line corrects, kept in its source key (`adj:<invoice>:<kind>:v<n>`).
fn adjusted_kind(l: &PriorLineRow) -> Option<&str> {
    l.source.as_deref()?.split(':').nth(2)
}

// ---------------------------------------------------------------------------------------------
// Generating a month

/// Creates the month's invoices for every lease whose term touches it (one building, or all):
/// skips leases already billed, refuses closed months and leases with nothing to bill, adds
/// adjustments and late fees from earlier months. Safe to run twice or at once: the
/// (lease, month) key decides.
pub async fn generate_month(
    db: &Db,
    month: YearMonth,
    building: Option<i64>,
) -> Result<GenerateReport, AppError> {
    let started = std::time::Instant::now();
    let today = today_seoul();
    let leases = store::billable_leases(db, month, building).await?;
    let charges = store::all_charges(db).await?;
    let mut charges_by_lease: HashMap<i64, Vec<&store::ChargeRow>> = HashMap::new();
    for c in &charges {
        charges_by_lease.entry(c.lease_id).or_default().push(c);
    }
    let closed = store::closed_buildings(db, month).await?;
    let steps = store::late_fee_steps(db).await?;
    let with_credit = store::tenants_with_credit(db).await?;
    let (prior_rows, prior_lines, allocations) = store::priors(db, month, building).await?;
    let mut priors: HashMap<i64, Vec<Prior>> = HashMap::new();
    {
        let mut by_invoice: HashMap<i64, Prior> = prior_rows
            .iter()
            .filter_map(|r| {
                Some((
                    r.id,
                    Prior {
                        id: r.id,
                        month: YearMonth::parse(&r.month)?,
                        due_date: r.due_date,
                        lease_version: r.lease_version,
                        lines: Vec::new(),
                        followups: Vec::new(),
                        payments: Vec::new(),
                    },
                ))
            })
            .collect();
        for l in prior_lines {
            if let Some(p) = by_invoice.get_mut(&l.invoice_id) {
                p.lines.push(l.clone());
            }
            if let Some(p) = l.refers_to.and_then(|r| by_invoice.get_mut(&r)) {
                p.followups.push(l);
            }
        }
        for a in allocations {
            if let Some(p) = by_invoice.get_mut(&a.invoice_id) {
                p.payments.push((a.line_id, a.amount, a.paid_on));
            }
        }
        for r in &prior_rows {
            if let Some(p) = by_invoice.remove(&r.id) {
                priors.entry(r.lease_id).or_default().push(p);
            }
        }
    }
    let changed: Vec<i64> = leases
        .iter()
        .filter(|l| {
            priors
                .get(&l.id)
                .is_some_and(|ps| ps.iter().any(|p| p.lease_version < l.version))
        })
        .map(|l| l.id)
        .collect();
    let mut history: HashMap<i64, Vec<(i32, String)>> = HashMap::new();
    for (lease, version, kind) in store::history_kinds(db, &changed).await? {
        history.entry(lease).or_default().push((version, kind));
    }

    let mut report = GenerateReport {
        month: month.to_string(),
        ..GenerateReport::default()
    };
    // Late fees run to the end of the month before, and never past yesterday (a month generated
    // ahead of time charges no days that have not happened).
    let through = month
        .first_day()
        .pred_opt()
        .unwrap_or(month.first_day())
        .min(today.pred_opt().unwrap_or(today));
    let mut batch: Vec<NewInvoice> = Vec::with_capacity(BATCH);
    for l in &leases {
        let who = format!("{} · {}", l.building_name, l.tenant_name);
        if l.has_invoice > 0 {
            report.skipped += 1;
            continue;
        }
        if closed.contains(&l.building_id) {
            report.refused.push((
                l.id,
                who,
                format!(
                    "{}의 {}은 마감되어 새 청구를 만들 수 없습니다.",
                    l.building_name,
                    month.label_ko()
                ),
            ));
            continue;
        }
        let Some(due) = due_date(month.year, month.month, l.payment_day.clamp(1, 31) as u32) else {
            report
                .refused
                .push((l.id, who, "납부일을 확인해 주세요.".into()));
            continue;
        };
        let no_charges = Vec::new();
        let mut lines = base_lines(l, charges_by_lease.get(&l.id).unwrap_or(&no_charges), month);
        for p in priors.get(&l.id).map(Vec::as_slice).unwrap_or(&[]) {
            let since: Vec<String> = history
                .get(&l.id)
                .map(|h| {
                    h.iter()
                        .filter(|(v, _)| *v >= p.lease_version)
                        .map(|(_, k)| k.clone())
                        .collect()
                })
                .unwrap_or_default();
            let adjustments = adjustment_lines(p, l, &since);
            report.adjustments += adjustments.len() as i64;
            lines.extend(adjustments);
            let step = steps.get(&l.building_id).copied().unwrap_or(0);
            if let Some(fee) = late_fee_line(
                p,
                l.late_fee_rate_bp.max(0) as u32,
                step,
                l.grace_days.max(0) as u32,
                through,
            ) {
                report.late_fees += 1;
                lines.push(fee);
            }
        }
        if lines.is_empty() {
            report.refused.push((
                l.id,
                who,
                "청구할 금액이 없습니다 (임대료·관리비 0원).".into(),
            ));
            continue;
        }
        batch.push(NewInvoice {
            lease_id: l.id,
            building_id: l.building_id,
            tenant_id: l.tenant_id,
            month,
            lease_version: l.version,
            due_date: due,
            grace_days: l.grace_days.max(0) as u32,
            lines,
            tenant_has_credit: with_credit.contains(&l.tenant_id),
        });
        if batch.len() >= BATCH {
            let w = write_batch(db, &batch, today).await?;
            report.add(w, &leases, month);
            batch.clear();
        }
    }
    if !batch.is_empty() {
        let w = write_batch(db, &batch, today).await?;
        report.add(w, &leases, month);
    }
    report.millis = started.elapsed().as_millis() as i64;
    tracing::info!(month = %month, created = report.created, skipped = report.skipped,
        refused = report.refused.len(), millis = report.millis, "invoices generated");
    Ok(report)
}

impl GenerateReport {
    /// Counts what a batch wrote; leases whose month was closed meanwhile are refused.
    fn add(&mut self, w: store::Written, leases: &[BillableLease], month: YearMonth) {
        self.created += w.created;
        self.skipped += w.skipped;
        for id in w.closed {
            if let Some(l) = leases.iter().find(|l| l.id == id) {
                self.refused.push((
                    l.id,
                    format!("{} · {}", l.building_name, l.tenant_name),
                    format!(
                        "{}의 {}은 청구를 만드는 중에 마감되어 새 청구를 만들지 않았습니다.",
                        l.building_name,
                        month.label_ko()
                    ),
                ));
            }
        }
    }
}

async fn write_batch(
    db: &Db,
    batch: &[NewInvoice],
    today: NaiveDate,
) -> Result<store::Written, AppError> {
    crate::server::queue::store::again_on_conflict(|| store::write_invoices(db, batch, today)).await
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

// ---------------------------------------------------------------------------------------------
// Views

fn row_of(r: store::InvoiceListRow, units: &HashMap<i64, String>, today: NaiveDate) -> InvoiceRow {
    let status = InvoiceStatus::parse(&r.status).unwrap_or(InvoiceStatus::Unpaid);
    InvoiceRow {
        id: r.id,
        month: r.month,
        building_id: r.building_id,
        building_name: r.building_name,
        tenant_name: r.tenant_name,
        units: units.get(&r.lease_id).cloned().unwrap_or_default(),
        due_date: r.due_date,
        total: r.total,
        paid: r.paid,
        status,
        days_overdue: if r.paid < r.total && today > r.due_date {
            (today - r.due_date).num_days()
        } else {
            0
        },
    }
}

pub async fn overview(
    state: &AppState,
    me: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<BillingOverview, AppError> {
    let today = today_seoul();
    let month = if q.month.trim().is_empty() {
        YearMonth::of(today)
    } else {
        month_of(&q.month)?
    };
    let mine = (q.manager_id.is_some() && me.role != Role::Client)
        .then_some(q.manager_id)
        .flatten();
    let scope = scope_of(me);
    let w = store::invoice_filters(scope, Some(month), q, today, mine);
    let page = store::invoice_page(&state.db, &w, &q.sort, paging).await?;
    let lease_ids: Vec<i64> = page.rows.iter().map(|r| r.lease_id).collect();
    let units = store::units_by_lease(&state.db, &lease_ids).await?;
    let rows = crate::domain::list::ListPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| row_of(r, &units, today))
            .collect(),
        total: page.total,
        page: page.page,
        pages: page.pages,
    };
    // The chart and the summary: the same building and person filters, every status.
    let summary_q = ListQuery {
        building_id: q.building_id,
        ..ListQuery::default()
    };
    let w_all = store::invoice_filters(scope, None, &summary_q, today, mine);
    let first = (0..11).fold(month, |m, _| m.prev());
    let totals = store::month_totals(&state.db, &w_all, first, month).await?;
    let mut chart = Vec::with_capacity(12);
    let mut m = first;
    for _ in 0..12 {
        let key = m.to_string();
        let (billed, collected) = totals
            .iter()
            .find(|t| t.0 == key)
            .map(|t| (t.1, t.2))
            .unwrap_or((0, 0));
        chart.push(MonthTotals {
            month: key,
            billed,
            collected,
        });
        m = m.next();
    }
    let this = chart.last().cloned().unwrap_or(MonthTotals {
        month: month.to_string(),
        billed: 0,
        collected: 0,
    });
    let w_month = store::invoice_filters(scope, Some(month), &summary_q, today, mine);
    let mut all = store::building_months(&state.db, &w_month).await?;
    // Open first (stable: by name within each), cut to what the table shows.
    all.sort_by_key(|b| b.closed_at.is_some());
    let buildings_closed = all.iter().filter(|b| b.closed_at.is_some()).count();
    let buildings_open = all.len() - buildings_closed;
    all.truncate(crate::areas::billing::BUILDING_ROWS);
    let buildings = all
        .into_iter()
        .map(|b| BuildingMonth {
            building_id: b.building_id,
            building_name: b.building_name,
            invoices: b.invoices,
            billed: b.billed,
            collected: b.collected,
            closed: b.closed_at.map(|at| {
                format!(
                    "{} {}",
                    format_seoul_minutes(at),
                    b.closed_by.unwrap_or_default()
                )
            }),
        })
        .collect();
    Ok(BillingOverview {
        month: month.to_string(),
        month_label: month.label_ko(),
        outstanding: this.billed - this.collected,
        rate_permille: crate::domain::billing::collection_rate_permille(
            this.collected,
            this.billed,
        ),
        totals: this,
        chart,
        buildings,
        buildings_open,
        buildings_closed,
        rows,
    })
}

/// A building's billing for a month: how many invoices, billed and collected (the owner's
/// report in expenses reads it; the caller has checked who asks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthIncome {
    pub invoices: i64,
    pub billed: i64,
    pub collected: i64,
}

pub async fn building_month_income(
    db: &Db,
    building: i64,
    month: YearMonth,
) -> Result<MonthIncome, AppError> {
    let (invoices, billed, collected) = store::building_month_income(db, building, month).await?;
    Ok(MonthIncome {
        invoices,
        billed,
        collected,
    })
}

pub async fn invoice(state: &AppState, me: &CurrentUser, id: i64) -> Result<InvoiceDto, AppError> {
    let r = store::invoice(&state.db, id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    check_building(state, me, r.building_id).await?;
    invoice_dto(state, r).await
}

async fn invoice_dto(state: &AppState, r: store::InvoiceRecord) -> Result<InvoiceDto, AppError> {
    let db = &state.db;
    let lines = store::lines(db, r.id)
        .await?
        .into_iter()
        .map(|l| InvoiceLineDto {
            id: l.id,
            kind: l.kind,
            label: l.label,
            rule: l.rule,
            supply: l.supply,
            vat: l.vat,
            paid: l.paid,
            waived: l.waived_at.map(|at| {
                format!(
                    "{} {} 면제: {}",
                    format_seoul_minutes(at),
                    l.waived_by.unwrap_or_default(),
                    l.waive_reason.unwrap_or_default()
                )
            }),
        })
        .collect();
    let payments = store::payments_of_lease(db, r.lease_id, r.id)
        .await?
        .into_iter()
        .map(|p| PaymentDto {
            id: p.id,
            paid_on: p.paid_on,
            amount: p.amount,
            method: PaymentMethod::of_stored(&p.method).unwrap_or(PaymentMethod::Transfer),
            depositor: p.depositor,
            memo: p.memo,
            unallocated: p.unallocated,
            applied_here: p.applied,
            by: p.by_name.unwrap_or_default(),
            reversed: p.reversed_at.map(|at| {
                format!(
                    "{} 취소: {}",
                    format_seoul_minutes(at),
                    p.reverse_reason.unwrap_or_default()
                )
            }),
        })
        .collect();
    let company = crate::areas::content::service::company(db).await?;
    Ok(InvoiceDto {
        id: r.id,
        units: store::unit_names(db, r.lease_id).await?.join(", "),
        previous_arrears: store::arrears_before(db, r.lease_id, &r.month).await?,
        credit: store::credit_of_tenant(db, r.tenant_id, r.building_id).await?,
        month: r.month,
        lease_id: r.lease_id,
        building_id: r.building_id,
        building_name: r.building_name,
        building_address: r.building_address,
        tenant_id: r.tenant_id,
        tenant_name: r.tenant_name,
        due_date: r.due_date,
        total: r.total,
        paid: r.paid,
        status: InvoiceStatus::parse(&r.status).unwrap_or(InvoiceStatus::Unpaid),
        closed: r.closed_at.map(|at| {
            format!(
                "{} {}",
                format_seoul_minutes(at),
                r.closed_by.unwrap_or_default()
            )
        }),
        lines,
        payments,
        payment_account: r.payment_account.unwrap_or_default(),
        issuer: Issuer {
            name: company.name,
            representative: company.representative,
            business_number: company.business_number,
            address: company.address,
            phone: company.phone,
        },
        vat_rule: VAT_RULE_KO.to_string(),
        today: today_seoul(),
    })
}

/// The bills of a closed month: one invoice, or every invoice of a building's month.
pub async fn bills_for_print(
    state: &AppState,
    me: &CurrentUser,
    ids: &[i64],
) -> Result<Vec<InvoiceDto>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let r = store::invoice(&state.db, *id)
            .await?
            .ok_or(AppError::Api(ApiError::NotFound))?;
        check_building(state, me, r.building_id).await?;
        if r.closed_at.is_none() {
            return Err(AppError::conflict(format!(
                "{} {}은 아직 마감되지 않아 고지서를 출력할 수 없습니다. 먼저 부과 마감을 해 주세요.",
                r.building_name,
                YearMonth::parse(&r.month)
                    .map(|m| m.label_ko())
                    .unwrap_or(r.month.clone())
            )));
        }
        out.push(invoice_dto(state, r).await?);
    }
    Ok(out)
}

pub async fn building_month_invoices(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
    month: &str,
) -> Result<Vec<i64>, AppError> {
    let month = month_of(month)?;
    check_building(state, me, building).await?;
    let ids = store::invoice_ids_of_building_month(&state.db, building, month).await?;
    if ids.is_empty() {
        return Err(AppError::conflict(format!(
            "{} 청구가 없습니다.",
            month.label_ko()
        )));
    }
    Ok(ids)
}

pub async fn arrears(
    state: &AppState,
    me: &CurrentUser,
    q: &ListQuery,
) -> Result<ArrearsView, AppError> {
    let today = today_seoul();
    let mut w = crate::server::db::list::Where::default();
    scope_of(me).restrict(&mut w, "b.client_id");
    w.push(
        "i.paid < i.total AND i.due_date < ?",
        [crate::server::db::list::Arg::D(today)],
    );
    if let Some(b) = q.building_id {
        w.push("i.building_id = ?", [crate::server::db::list::Arg::I(b)]);
    }
    if let Some(s) = crate::server::db::list::search_text(q) {
        w.search(&["t.name"], s);
    }
    let rows = store::unpaid_past_due(&state.db, &w).await?;
    let lease_ids: Vec<i64> = rows.iter().map(|r| r.lease_id).collect();
    let units = store::units_by_lease(&state.db, &lease_ids).await?;
    let rents: HashMap<i64, (i64, bool)> = rows
        .iter()
        .map(|r| (r.lease_id, (r.monthly_rent, r.vat_applies)))
        .collect();
    let mut out: Vec<ArrearsRow> = Vec::new();
    for r in rows {
        let days = (today - r.due_date).num_days();
        let bucket = match Aging::of(days) {
            Aging::UpTo30 => 0,
            Aging::UpTo60 => 1,
            Aging::UpTo90 => 2,
            Aging::Over90 => 3,
        };
        // What accrues from the first late day to today on the amount owed now (an estimate
        // for the view; the bill charges it exactly month by month).
        let first = late_from(r.due_date, r.grace_days.max(0) as u32);
        let accruing = if today >= first && r.late_fee_rate_bp > 0 {
            late_fee(&[LateSpan {
                unpaid: r.owed,
                rate_bp: r.late_fee_rate_bp as u32,
                days: today.signed_duration_since(first).num_days() + 1,
            }])
            .amount
        } else {
            0
        };
        match out.last_mut() {
            Some(a) if a.lease_id == r.lease_id => {
                a.buckets[bucket] += r.owed;
                a.total += r.owed;
                a.unpaid_periods += 1;
                a.oldest_due = a.oldest_due.min(r.due_date);
                a.accruing_late_fee += accruing;
            }
            _ => {
                let mut buckets = [0; 4];
                buckets[bucket] = r.owed;
                out.push(ArrearsRow {
                    lease_id: r.lease_id,
                    tenant_id: r.tenant_id,
                    tenant_name: r.tenant_name,
                    building_id: r.building_id,
                    building_name: r.building_name,
                    units: units.get(&r.lease_id).cloned().unwrap_or_default(),
                    buckets,
                    total: r.owed,
                    unpaid_periods: 1,
                    three_periods: false,
                    oldest_due: r.due_date,
                    accruing_late_fee: accruing,
                });
            }
        }
    }
    for a in out.iter_mut() {
        let (rent, vat) = rents.get(&a.lease_id).copied().unwrap_or((0, false));
        a.three_periods = three_periods_reached(a.total, rent, vat);
    }
    if q.sort == "total" {
        out.sort_by_key(|a| std::cmp::Reverse(a.total));
    }
    let mut bucket_totals = [0; 4];
    for a in &out {
        for (i, v) in a.buckets.iter().enumerate() {
            bucket_totals[i] += v;
        }
    }
    Ok(ArrearsView {
        as_of: today,
        total: bucket_totals.iter().sum(),
        bucket_totals,
        rows: out,
    })
}

pub async fn lease_billing(
    state: &AppState,
    me: &CurrentUser,
    lease_id: i64,
) -> Result<LeaseBilling, AppError> {
    let (tenant, building) = store::lease_owner(&state.db, lease_id)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    check_building(state, me, building).await?;
    let today = today_seoul();
    let units = store::units_by_lease(&state.db, &[lease_id]).await?;
    let invoices: Vec<InvoiceRow> = store::invoices_of_lease(&state.db, lease_id)
        .await?
        .into_iter()
        .map(|r| row_of(r, &units, today))
        .collect();
    Ok(LeaseBilling {
        lease_id,
        charges: store::charges_of(&state.db, lease_id)
            .await?
            .into_iter()
            .map(|c| LeaseChargeDto {
                id: c.id,
                label: c.label,
                amount: c.amount,
                taxable: c.taxable,
            })
            .collect(),
        outstanding: invoices
            .iter()
            .map(|i| i.total - i.paid)
            .filter(|v| *v > 0)
            .sum(),
        invoices,
        credit: store::credit_of_tenant(&state.db, tenant, building).await?,
    })
}

pub async fn settings(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
) -> Result<BillingSettingsDto, AppError> {
    check_building(state, me, building).await?;
    let (account, step, name) = store::settings(&state.db, building)
        .await?
        .ok_or(AppError::Api(ApiError::NotFound))?;
    Ok(BillingSettingsDto {
        building_id: building,
        building_name: name,
        payment_account: account,
        late_fee_step_bp: step.max(0) as u32,
    })
}

/// `12,345원` for a report line.
pub fn won(n: i64) -> String {
    format!("{}원", group_thousands(n))
}

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
