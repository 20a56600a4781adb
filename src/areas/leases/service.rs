//! Lease rules with I/O: a new lease's status from its term, client isolation (a client sees
//! only leases in their buildings; anything else is "not found"), corrections and renewals (the
//! lease law's cap for protected leases), early termination, the deposit ledger, and the
//! history shown as field changes.

use super::store;
use super::{
    DepositEntryDto, DepositForm, DepositLedger, LeaseDto, LeaseInput, LeaseListRow, LeaseStatus,
    LeaseSummary, TerminateForm, TermsForm, renewal_refusal,
};
use crate::areas::files;
use crate::domain::ApiError;
use crate::domain::lease::{
    CurrentTerms, IncreaseCheck, RegionClass, check_increase, is_protected, renewal_notice_window,
    renewal_right_until,
};
use crate::domain::list::{ListPage, ListQuery};
use crate::server::auth::CurrentUser;
use crate::server::db::list::Paging;
use crate::server::db::versioned;
use crate::server::db::{Table, exists};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::today_seoul;
use chrono::NaiveDate;

pub async fn create_lease(
    state: &AppState,
    by: &CurrentUser,
    input: &LeaseInput,
) -> Result<i64, AppError> {
    input
        .validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    if !exists(&state.db, Table::Tenants, input.tenant_id).await? {
        return Err(AppError::field("tenant_id", "임차인을 찾을 수 없습니다."));
    }
    if store::building_region(&state.db, input.building_id)
        .await?
        .is_none()
    {
        return Err(AppError::field("building_id", "건물을 찾을 수 없습니다."));
    }
    let write = lease_write(input);
    store::create_lease(&state.db, &write, Some(by.id.0)).await
}

/// A new lease as stored: its units sorted once each, its status from its term today.
pub fn lease_write(input: &LeaseInput) -> store::LeaseWrite {
    let mut unit_ids = input.unit_ids.clone();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    store::LeaseWrite {
        tenant_id: input.tenant_id,
        building_id: input.building_id,
        unit_ids,
        start_date: input.start_date,
        end_date: input.end_date,
        deposit: input.deposit,
        monthly_rent: input.monthly_rent,
        management_fee: input.management_fee,
        vat_applies: input.vat_applies,
        payment_day: input.payment_day as i32,
        late_fee_rate_bp: input.late_fee_rate_bp as i32,
        grace_days: input.grace_days as i32,
        status: LeaseStatus::from_term(input.start_date, input.end_date, today_seoul())
            .as_str()
            .to_string(),
    }
}

/// A lease as the viewer may see it. For a client user, a lease outside their buildings is
/// reported as not found, so its existence does not leak.
pub async fn get_lease(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<LeaseDto, AppError> {
    // Two queries for the lease, its names and units (the detail page is read most).
    let Some(view) = store::lease_view(&state.db, id).await? else {
        return Err(ApiError::NotFound.into());
    };
    let store::LeaseView {
        row,
        tenant_name,
        building_name,
        terminated_on,
        termination_reason,
        units,
    } = view;
    let (unit_ids, unit_names): (Vec<i64>, Vec<String>) = units.into_iter().unzip();
    if !viewer
        .scope()
        .sees_building(&state.db, row.building_id)
        .await?
    {
        return Err(ApiError::NotFound.into());
    }
    let current_json = serde_json::to_value(&row).map_err(|e| AppError::internal(e.to_string()))?;
    let history = versioned::history_entries(
        current_json,
        store::lease_history(&state.db, id).await?,
        &FIELD_LABELS,
        show,
    )?;
    Ok(LeaseDto {
        id: row.id,
        tenant_id: row.tenant_id,
        tenant_name,
        building_id: row.building_id,
        unit_ids,
        start_date: row.start_date,
        end_date: row.end_date,
        deposit: row.deposit,
        monthly_rent: row.monthly_rent,
        management_fee: row.management_fee,
        vat_applies: row.vat_applies,
        payment_day: row.payment_day as u32,
        late_fee_rate_bp: row.late_fee_rate_bp as u32,
        grace_days: row.grace_days as u32,
        status: LeaseStatus::parse(&row.status).unwrap_or(LeaseStatus::Active),
        version: i64::from(row.version),
        building_name,
        unit_names,
        terminated_on,
        termination_reason,
        last_increase_on: row.last_increase_on,
        increase_agreement: row.increase_agreement.clone(),
        renewal_right_until: renewal_right_until(row.start_date),
        renewal_notice_window: renewal_notice_window(row.end_date),
        deposit_ledger: deposit_ledger(state, id).await?,
        files: files::service::files_of(state, "lease", id).await?,
        history,
    })
}

const FIELD_LABELS: [(&str, &str); 8] = [
    ("end_date", "종료일"),
    ("deposit", "보증금"),
    ("monthly_rent", "월 임대료"),
    ("management_fee", "관리비"),
    ("payment_day", "납부일"),
    ("status", "상태"),
    ("last_increase_on", "최근 인상일"),
    ("increase_agreement", "합의 인상 사유"),
];

fn show(field: &str, v: &serde_json::Value) -> String {
    match (field, v) {
        ("deposit" | "monthly_rent" | "management_fee", serde_json::Value::Number(n)) => {
            crate::domain::money::format_won(n.as_i64().unwrap_or_default())
        }
        ("status", serde_json::Value::String(s)) => LeaseStatus::parse(s)
            .map(|s| s.label_ko().to_string())
            .unwrap_or(s.clone()),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, serde_json::Value::Null) => "-".into(),
        (_, other) => other.to_string(),
    }
}

fn validate_terms(start: NaiveDate, edit: &TermsForm) -> Result<(), AppError> {
    let input = LeaseInput {
        tenant_id: 0,
        building_id: 0,
        unit_ids: vec![0],
        start_date: start,
        end_date: edit.end_date,
        deposit: edit.deposit,
        monthly_rent: edit.monthly_rent,
        management_fee: edit.management_fee,
        vat_applies: false,
        payment_day: edit.payment_day,
        late_fee_rate_bp: 0,
        grace_days: 0,
    };
    input
        .validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))
}

/// A correction of a lease's terms, or a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsChange {
    /// The terms were entered wrong: fix them (not a renewal).
    Correction,
    /// A new end date and amounts from the day after the current end. For a lease under the
    /// protection threshold, increases over 5% or within a year of the last one are refused
    /// with the reasons.
    Renewal,
}

/// Applies new terms; the previous version goes to the history.
pub async fn change_terms(
    state: &AppState,
    by: &CurrentUser,
    edit: &TermsForm,
    change: TermsChange,
) -> Result<LeaseDto, AppError> {
    let current = store::find_lease(&state.db, edit.id)
        .await?
        .map(|(r, _, _)| r)
        .ok_or(AppError::Api(ApiError::NotFound))?;
    if LeaseStatus::parse(&current.status) == Some(LeaseStatus::Terminated) {
        return Err(AppError::conflict(match change {
            TermsChange::Correction => "중도 해지된 계약은 수정할 수 없습니다.",
            TermsChange::Renewal => "중도 해지된 계약은 갱신할 수 없습니다.",
        }));
    }
    if change == TermsChange::Renewal && edit.end_date <= current.end_date {
        return Err(AppError::field(
            "end_date",
            "갱신 후 종료일은 현재 종료일 이후여야 합니다.",
        ));
    }
    validate_terms(current.start_date, edit)?;
    // A correction raises the amounts from today; a renewal from the day after the old end.
    // Either way the same rule holds, so a correction cannot slip past the renewal cap.
    let effective = match change {
        TermsChange::Correction => today_seoul(),
        TermsChange::Renewal => current.end_date.succ_opt().unwrap_or(current.end_date),
    };
    let agreed = edit.agreed_reason.trim();
    if agreed.chars().count() > 500 {
        return Err(AppError::field(
            "agreed_reason",
            "합의 사유는 500자 이내로 입력해 주세요.",
        ));
    }
    let mut last_increase_on = current.last_increase_on;
    let mut increase_agreement = current.increase_agreement.clone();
    let mut kind = match change {
        TermsChange::Correction => "lease.changed",
        TermsChange::Renewal => "lease.renewed",
    };
    let raises = edit.deposit > current.deposit || edit.monthly_rent > current.monthly_rent;
    if raises {
        let region = store::building_region(&state.db, current.building_id)
            .await?
            .and_then(|r| RegionClass::parse(&r))
            .ok_or_else(|| {
                AppError::conflict(
                    "건물의 지역 구분(임대차보호법)이 정해지지 않아 인상 한도를 판단할 수 없습니다. 건물 정보에서 시군구코드나 지역 구분을 먼저 입력해 주세요.",
                )
            })?;
        let terms = CurrentTerms {
            deposit: current.deposit,
            monthly_rent: current.monthly_rent,
            last_change: current.last_increase_on.unwrap_or(current.start_date),
        };
        let within_right = match change {
            TermsChange::Renewal => edit.end_date <= renewal_right_until(current.start_date),
            TermsChange::Correction => true,
        };
        match check_increase(
            terms,
            is_protected(region, current.deposit, current.monthly_rent),
            within_right,
            edit.deposit,
            edit.monthly_rent,
            effective,
        ) {
            IncreaseCheck::OverCap(problems) if agreed.chars().count() < 5 => {
                return Err(AppError::conflict(format!(
                    "{} 임차인과 합의한 인상이면 '합의 인상 사유'에 합의 내용을 5자 이상 적어 주세요.",
                    renewal_refusal(&problems)
                )));
            }
            IncreaseCheck::OverCap(_) => {
                increase_agreement = agreed.to_string();
                kind = "lease.increase_agreed";
            }
            _ => increase_agreement.clear(),
        }
        last_increase_on = Some(effective);
    }
    let terms = store::LeaseChange {
        end_date: edit.end_date,
        deposit: edit.deposit,
        monthly_rent: edit.monthly_rent,
        management_fee: edit.management_fee,
        payment_day: edit.payment_day as i32,
        status: LeaseStatus::from_term(current.start_date, edit.end_date, today_seoul())
            .as_str()
            .to_string(),
        last_increase_on,
        increase_agreement,
    };
    store::change_lease(
        &state.db,
        edit.id,
        edit.version,
        &terms,
        kind,
        Some(by.id.0),
    )
    .await?;
    get_lease(state, by, edit.id).await
}

/// The lease list: filters, sort and page from the URL; clients see only their own buildings'
/// leases.
pub async fn list_leases(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<LeaseListRow>, AppError> {
    list_filtered(state, viewer, q, None, paging).await
}

/// The leases of one tenant the viewer may see, newest first.
pub async fn leases_of_tenant(
    state: &AppState,
    viewer: &CurrentUser,
    tenant_id: i64,
) -> Result<Vec<LeaseListRow>, AppError> {
    let q = ListQuery {
        sort: "start".into(),
        status: "all".into(),
        ..Default::default()
    };
    Ok(
        list_filtered(state, viewer, &q, Some(tenant_id), Paging::All)
            .await?
            .rows,
    )
}

async fn list_filtered(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    tenant_id: Option<i64>,
    paging: Paging,
) -> Result<ListPage<LeaseListRow>, AppError> {
    let (rows, total) = store::list_leases(
        &state.db,
        q,
        tenant_id,
        viewer.scope(),
        today_seoul(),
        paging,
    )
    .await?;
    Ok(paging.page_of(
        rows.into_iter()
            .map(|r| LeaseListRow {
                id: r.id,
                tenant_name: r.tenant_name,
                building_name: r.building_name,
                units: r.units.unwrap_or_default(),
                start_date: r.start_date,
                end_date: r.end_date,
                deposit: r.deposit,
                monthly_rent: r.monthly_rent,
                status: LeaseStatus::parse(&r.status).unwrap_or(LeaseStatus::Active),
            })
            .collect(),
        total,
    ))
}

/// A building's leases, newest first, for its page.
pub async fn leases_of_building(
    state: &AppState,
    building_id: i64,
) -> Result<Vec<LeaseSummary>, AppError> {
    Ok(store::building_leases(&state.db, building_id)
        .await?
        .into_iter()
        .map(|l| LeaseSummary {
            id: l.id,
            tenant_name: l.tenant_name,
            start_date: l.start_date,
            end_date: l.end_date,
            monthly_rent: l.monthly_rent,
            status: LeaseStatus::parse(&l.status).unwrap_or(LeaseStatus::Active),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Deposit ledger and termination

pub async fn add_deposit_entry(
    state: &AppState,
    by: &CurrentUser,
    f: &DepositForm,
) -> Result<i64, AppError> {
    let (kind, note) = (f.kind.as_str(), f.note.as_str());
    if !matches!(kind, "received" | "returned") {
        return Err(AppError::field("kind", "수령 또는 반환을 선택해 주세요."));
    }
    if note.chars().count() > 500 {
        return Err(AppError::field(
            "note",
            "메모는 500자 이내로 입력해 주세요.",
        ));
    }
    store::add_deposit_entry(
        &state.db,
        f.lease_id,
        kind,
        f.amount,
        f.on_date,
        note.trim(),
        Some(by.id.0),
    )
    .await
}

pub async fn deposit_ledger(state: &AppState, lease_id: i64) -> Result<DepositLedger, AppError> {
    let entries: Vec<DepositEntryDto> = store::deposit_entries(&state.db, lease_id)
        .await?
        .into_iter()
        .map(|d| DepositEntryDto {
            id: d.id,
            kind: d.kind,
            amount: d.amount,
            on_date: d.on_date,
            note: d.note,
            by: d.by_name,
        })
        .collect();
    let sum = |k: &str| {
        entries
            .iter()
            .filter(|e| e.kind == k)
            .map(|e| e.amount)
            .sum()
    };
    Ok(DepositLedger {
        received: sum("received"),
        returned: sum("returned"),
        entries,
    })
}

pub async fn terminate_lease(
    state: &AppState,
    by: &CurrentUser,
    f: &TerminateForm,
) -> Result<(), AppError> {
    let reason = f.reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "해지 사유를 입력해 주세요."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "해지 사유는 500자 이내로 입력해 주세요.",
        ));
    }
    store::terminate_lease(
        &state.db,
        f.id,
        f.version,
        f.terminated_on,
        reason,
        Some(by.id.0),
    )
    .await
}
