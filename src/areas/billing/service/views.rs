//! The billing views, each checked against who asks: the month's overview, an invoice, bills
//! to print, arrears, a lease's billing, settings.

use super::*;

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
