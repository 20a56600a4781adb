//! Generating a month: what a lease owes (base lines, late fees by days, adjustments after a
//! correction) and writing the month's invoices in batches.

use super::*;

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
