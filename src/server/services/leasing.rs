//! Leasing rules around the repository: validation, lease status from its term, client
//! isolation (a client sees only their buildings; anything else is "not found"), the renewal
//! check of the lease law, and the history shown as field changes.

use crate::domain::lease::{CurrentTerms, RegionClass, check_renewal, is_protected};
use crate::domain::leasing::{LeaseDto, LeaseInput, LeaseStatus, TenantInput, renewal_refusal};
use crate::domain::{ApiError, Role};
use crate::server::auth::CurrentUser;
use crate::server::db::leasing as repo;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::seoul;
use chrono::NaiveDate;

pub fn today_seoul() -> NaiveDate {
    chrono::Utc::now().with_timezone(&seoul()).date_naive()
}

pub async fn create_tenant(
    state: &AppState,
    by: &CurrentUser,
    input: &TenantInput,
) -> Result<i64, AppError> {
    let mobile = input
        .validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    let bn = crate::domain::content::format_business_number(&input.business_number);
    let t = repo::NewTenant {
        kind: &input.kind,
        name: input.name.trim(),
        business_number: bn.as_deref(),
        representative: input.representative.trim(),
        contact_name: input.contact_name.trim(),
        mobile: &mobile,
        email: input.email.trim(),
    };
    repo::insert_tenant(&state.db, &t, Some(by.id.0)).await
}

pub async fn create_lease(
    state: &AppState,
    by: &CurrentUser,
    input: &LeaseInput,
) -> Result<i64, AppError> {
    input
        .validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    if !repo::tenant_exists(&state.db, input.tenant_id).await? {
        return Err(AppError::field("tenant_id", "임차인을 찾을 수 없습니다."));
    }
    if repo::building_region(&state.db, input.building_id)
        .await?
        .is_none()
    {
        return Err(AppError::field("building_id", "건물을 찾을 수 없습니다."));
    }
    let mut unit_ids = input.unit_ids.clone();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let write = repo::LeaseWrite {
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
    };
    repo::create_lease(&state.db, &write, Some(by.id.0)).await
}

/// A lease as the viewer may see it. For a client user, a lease outside their buildings is
/// reported as not found, so its existence does not leak.
pub async fn get_lease(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<LeaseDto, AppError> {
    // Two queries for the lease, its names and units (the detail page is read most).
    let Some(view) = crate::server::db::records::lease_view(&state.db, id).await? else {
        return Err(ApiError::NotFound.into());
    };
    let crate::server::db::records::LeaseView {
        row,
        tenant_name,
        building_name,
        terminated_on,
        termination_reason,
        units,
    } = view;
    let (unit_ids, unit_names): (Vec<i64>, Vec<String>) = units.into_iter().unzip();
    if viewer.role == Role::Client
        && !repo::client_user_sees_building(&state.db, viewer.id.0, row.building_id).await?
    {
        return Err(ApiError::NotFound.into());
    }
    let current_json = serde_json::to_value(&row).map_err(|e| AppError::internal(e.to_string()))?;
    let history = super::records::history_entries(
        current_json,
        repo::lease_history(&state.db, id).await?,
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
        deposit_ledger: super::records::deposit_ledger(state, id).await?,
        files: super::records::files_of(state, "lease", id).await?,
        history,
    })
}

const FIELD_LABELS: [(&str, &str); 7] = [
    ("end_date", "종료일"),
    ("deposit", "보증금"),
    ("monthly_rent", "월 임대료"),
    ("management_fee", "관리비"),
    ("payment_day", "납부일"),
    ("status", "상태"),
    ("last_increase_on", "최근 인상일"),
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

pub struct TermsEdit {
    pub version: i32,
    pub end_date: NaiveDate,
    pub deposit: i64,
    pub monthly_rent: i64,
    pub management_fee: i64,
    pub payment_day: u32,
}

fn find_current(
    row: Option<(repo::LeaseRow, String, Vec<i64>)>,
) -> Result<repo::LeaseRow, AppError> {
    row.map(|(r, _, _)| r)
        .ok_or(AppError::Api(ApiError::NotFound))
}

/// A correction of a lease's terms (not a renewal): the previous version goes to the history.
pub async fn update_lease(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    edit: &TermsEdit,
) -> Result<LeaseDto, AppError> {
    let current = find_current(repo::find_lease(&state.db, id).await?)?;
    if matches!(
        LeaseStatus::parse(&current.status),
        Some(LeaseStatus::Terminated)
    ) {
        return Err(AppError::conflict("중도 해지된 계약은 수정할 수 없습니다."));
    }
    validate_terms(current.start_date, edit)?;
    let change = repo::LeaseChange {
        end_date: edit.end_date,
        deposit: edit.deposit,
        monthly_rent: edit.monthly_rent,
        management_fee: edit.management_fee,
        payment_day: edit.payment_day as i32,
        status: LeaseStatus::from_term(current.start_date, edit.end_date, today_seoul())
            .as_str()
            .to_string(),
        last_increase_on: current.last_increase_on,
    };
    let trail = repo::Trail {
        user_id: Some(by.id.0),
        entity: "lease",
        action: "update",
        event: "lease.changed",
    };
    repo::change_lease(&state.db, id, edit.version, &change, &trail).await?;
    get_lease(state, by, id).await
}

fn validate_terms(start: NaiveDate, edit: &TermsEdit) -> Result<(), AppError> {
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

/// Renewal: a new end date and amounts from the day after the current end. For a lease under
/// the protection threshold, increases over 5% or within a year of the last one are refused
/// with the reasons.
pub async fn renew_lease(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    edit: &TermsEdit,
) -> Result<LeaseDto, AppError> {
    let current = find_current(repo::find_lease(&state.db, id).await?)?;
    if matches!(
        LeaseStatus::parse(&current.status),
        Some(LeaseStatus::Terminated)
    ) {
        return Err(AppError::conflict("중도 해지된 계약은 갱신할 수 없습니다."));
    }
    if edit.end_date <= current.end_date {
        return Err(AppError::field(
            "end_date",
            "갱신 후 종료일은 현재 종료일 이후여야 합니다.",
        ));
    }
    validate_terms(current.start_date, edit)?;
    let renewal_start = current.end_date.succ_opt().unwrap_or(current.end_date);
    let region = repo::building_region(&state.db, current.building_id)
        .await?
        .and_then(|r| RegionClass::parse(&r))
        .unwrap_or(RegionClass::Seoul);
    if is_protected(region, current.deposit, current.monthly_rent) {
        let terms = CurrentTerms {
            deposit: current.deposit,
            monthly_rent: current.monthly_rent,
            last_change: current.last_increase_on.unwrap_or(current.start_date),
        };
        let problems = check_renewal(terms, edit.deposit, edit.monthly_rent, renewal_start);
        if !problems.is_empty() {
            return Err(AppError::conflict(renewal_refusal(&problems)));
        }
    }
    let increased = edit.deposit > current.deposit || edit.monthly_rent > current.monthly_rent;
    let change = repo::LeaseChange {
        end_date: edit.end_date,
        deposit: edit.deposit,
        monthly_rent: edit.monthly_rent,
        management_fee: edit.management_fee,
        payment_day: edit.payment_day as i32,
        status: LeaseStatus::from_term(current.start_date, edit.end_date, today_seoul())
            .as_str()
            .to_string(),
        last_increase_on: if increased {
            Some(renewal_start)
        } else {
            current.last_increase_on
        },
    };
    let trail = repo::Trail {
        user_id: Some(by.id.0),
        entity: "lease",
        action: "update",
        event: "lease.renewed",
    };
    repo::change_lease(&state.db, id, edit.version, &change, &trail).await?;
    get_lease(state, by, id).await
}

/// Units "1층 101–110호": one per number in the range, on the given floor.
pub fn unit_range(floor: i32, from: u32, to: u32) -> Result<Vec<(i32, String)>, AppError> {
    if from == 0 || to < from || to - from >= 200 {
        return Err(AppError::field(
            "to",
            "호실 번호 범위가 올바르지 않습니다 (한 번에 200개까지).",
        ));
    }
    Ok((from..=to).map(|n| (floor, format!("{n}호"))).collect())
}

fn region_label(raw: &str) -> String {
    RegionClass::parse(raw)
        .map(|r| r.label_ko().to_string())
        .unwrap_or_else(|| raw.to_string())
}

/// A building with its record, units, leases, contracts and files; "not found" for a client
/// user outside their buildings.
pub async fn get_building(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<crate::domain::leasing::BuildingDetail, AppError> {
    use crate::domain::leasing::{BuildingDetail, LeaseSummary, ListQuery, UnitDto};
    use crate::domain::records::NamedRef;
    use crate::server::db::records as records_repo;
    let Some(row) = records_repo::find_building(&state.db, id).await? else {
        return Err(ApiError::NotFound.into());
    };
    super::records::ensure_building_visible(state, viewer, id).await?;
    let managers: Vec<NamedRef> = records_repo::named_refs(
        &state.db,
        "SELECT u.id, u.name, u.email FROM building_managers bm JOIN users u ON u.id = bm.user_id WHERE bm.building_id = ? ORDER BY u.name",
        id,
    )
    .await?;
    let client_name = match row.client_id {
        Some(c) => records_repo::find_client(&state.db, c)
            .await?
            .map(|c| c.name),
        None => None,
    };
    let units = repo::building_units(&state.db, id)
        .await?
        .into_iter()
        .map(|u| UnitDto {
            id: u.id,
            floor: u.floor,
            name: u.name,
            exclusive_area_m2: u.exclusive_area_m2,
            common_area_m2: u.common_area_m2,
            contract_area_m2: u.contract_area_m2,
        })
        .collect();
    let leases = repo::building_leases(&state.db, id)
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
        .collect();
    let contracts = super::records::list_contracts(
        state,
        viewer,
        &ListQuery {
            building_id: Some(id),
            ..Default::default()
        },
        super::records::Paging::All,
    )
    .await?
    .rows;
    Ok(BuildingDetail {
        id,
        name: row.name.clone(),
        road_address: row.road_address.clone(),
        region: region_label(&row.region_class),
        info: super::records::building_input(&row, managers.iter().map(|m| m.id).collect()),
        client_name,
        managers,
        units,
        leases,
        contracts,
        files: super::records::files_of(state, "building", id).await?,
    })
}

/// The lease list: filters, sort and page from the URL, checked here; clients see only their
/// own buildings' leases.
pub async fn list_leases(
    state: &AppState,
    viewer: &CurrentUser,
    q: &crate::domain::leasing::LeaseQuery,
    paging: super::records::Paging,
) -> Result<crate::domain::leasing::LeaseListPage, AppError> {
    list_leases_filtered(state, viewer, q, paging, None).await
}

/// The leases of one tenant the viewer may see, newest first.
pub async fn list_leases_of_tenant(
    state: &AppState,
    viewer: &CurrentUser,
    tenant_id: i64,
) -> Result<Vec<crate::domain::leasing::LeaseListRow>, AppError> {
    let q = crate::domain::leasing::ListQuery {
        sort: "start".into(),
        ..Default::default()
    };
    Ok(list_leases_filtered(
        state,
        viewer,
        &q,
        super::records::Paging::All,
        Some(tenant_id),
    )
    .await?
    .rows)
}

async fn list_leases_filtered(
    state: &AppState,
    viewer: &CurrentUser,
    q: &crate::domain::leasing::LeaseQuery,
    paging: super::records::Paging,
    tenant_id: Option<i64>,
) -> Result<crate::domain::leasing::LeaseListPage, AppError> {
    use crate::domain::leasing::{LeaseListPage, LeaseListRow, LeaseQuery};
    let search = q.q.trim();
    let status = LeaseStatus::parse(q.status.trim()).map(|s| s.as_str());
    let today = today_seoul();
    let ending_between = q
        .expiring_days
        .filter(|d| (1..=3650).contains(d))
        .map(|d| (today, today + chrono::Duration::days(i64::from(d))));
    let order_by = match q.sort.as_str() {
        "start" => "l.start_date DESC, l.id DESC",
        "rent" => "l.monthly_rent DESC, l.id DESC",
        "tenant" => "t.name, l.id",
        _ => "l.end_date, l.id",
    };
    let (page, limit, offset) = match paging {
        super::records::Paging::Page(_) => (
            q.page(),
            i64::from(LeaseQuery::PER_PAGE),
            i64::from(q.page() - 1) * i64::from(LeaseQuery::PER_PAGE),
        ),
        super::records::Paging::All => (1, i64::from(LeaseQuery::EXPORT_MAX), 0),
    };
    let filter = repo::LeaseFilter {
        manager_id: q.manager_id,
        tenant_id,
        search: (!search.is_empty()).then_some(search),
        building_id: q.building_id,
        status,
        ending_between,
        client_user: (viewer.role == Role::Client).then_some(viewer.id.0),
        order_by,
        limit,
        offset,
    };
    let (rows, total) = repo::list_leases(&state.db, &filter).await?;
    Ok(LeaseListPage::new(
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
        page,
    ))
}
