//! Clients, buildings, units, management contracts, tenants, the deposit ledger, termination,
//! files and the audit log: validation, the lists' filters, and client isolation (a client user
//! sees only their own buildings and what hangs off them; anything else is "not found").

use crate::domain::leasing::{ListPage, ListQuery};
use crate::domain::records::*;
use crate::domain::{ApiError, Role};
use crate::server::auth::CurrentUser;
use crate::server::db::records::{self as repo, Arg, Where, like};
use crate::server::error::AppError;
use crate::server::services::leasing::today_seoul;
use crate::server::state::AppState;
use crate::server::time::format_seoul_minutes;
use chrono::NaiveDate;

/// A page of a list, or every row (for an export).
#[derive(Debug, Clone, Copy)]
pub enum Paging {
    Page(u32),
    All,
}

impl Paging {
    pub fn of(q: &ListQuery) -> Self {
        Paging::Page(q.page())
    }

    fn limit_offset(self) -> (i64, i64) {
        let per = i64::from(ListQuery::PER_PAGE);
        match self {
            Paging::Page(p) => (per, i64::from(p.max(1) - 1) * per),
            Paging::All => (i64::from(ListQuery::EXPORT_MAX), 0),
        }
    }

    fn page_no(self) -> u32 {
        match self {
            Paging::Page(p) => p.max(1),
            Paging::All => 1,
        }
    }
}

fn invalid(e: crate::domain::error::FieldErrors) -> AppError {
    AppError::Api(ApiError::Validation(e))
}

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

/// For a client user, the clause that keeps only their buildings (`alias.client_id` …).
fn own_buildings(viewer: &CurrentUser, column: &str, w: &mut Where) {
    if viewer.role == Role::Client {
        w.push(
            &format!("{column} IN (SELECT client_id FROM client_users WHERE user_id = ?)"),
            [Arg::I(viewer.id.0)],
        );
    }
}

/// Not found unless the viewer may see the building.
pub async fn ensure_building_visible(
    state: &AppState,
    viewer: &CurrentUser,
    building_id: i64,
) -> Result<(), AppError> {
    if viewer.role == Role::Client
        && !crate::server::db::leasing::client_user_sees_building(
            &state.db,
            viewer.id.0,
            building_id,
        )
        .await?
    {
        return Err(not_found());
    }
    Ok(())
}

fn search(q: &ListQuery) -> Option<&str> {
    let s = q.q.trim();
    (!s.is_empty() && s.chars().count() <= 100).then_some(s)
}

fn ending_window(q: &ListQuery) -> Option<(NaiveDate, NaiveDate)> {
    let today = today_seoul();
    q.expiring_days
        .filter(|d| (1..=3650).contains(d))
        .map(|d| (today, today + chrono::Duration::days(i64::from(d))))
}

// ---------------------------------------------------------------------------------------------
// Clients

pub async fn create_client(
    state: &AppState,
    by: &CurrentUser,
    input: &ClientInput,
) -> Result<i64, AppError> {
    input.validate().map_err(invalid)?;
    let bn = crate::domain::content::format_business_number(&input.business_number);
    let phone = crate::domain::content::normalize_phone(&input.contact_phone).unwrap_or_default();
    let w = repo::ClientWrite {
        kind: &input.kind,
        name: input.name.trim(),
        business_number: bn.as_deref(),
        representative: input.representative.trim(),
        contact_phone: &phone,
        contact_email: input.contact_email.trim(),
    };
    repo::insert_client(&state.db, &w, Some(by.id.0)).await
}

pub async fn update_client(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    input: &ClientInput,
) -> Result<(), AppError> {
    input.validate().map_err(invalid)?;
    let bn = crate::domain::content::format_business_number(&input.business_number);
    let phone = crate::domain::content::normalize_phone(&input.contact_phone).unwrap_or_default();
    let w = repo::ClientWrite {
        kind: &input.kind,
        name: input.name.trim(),
        business_number: bn.as_deref(),
        representative: input.representative.trim(),
        contact_phone: &phone,
        contact_email: input.contact_email.trim(),
    };
    repo::update_client(&state.db, id, &w, Some(by.id.0)).await
}

fn client_summary(r: repo::ClientRow) -> ClientSummary {
    ClientSummary {
        id: r.id,
        kind: r.kind,
        name: r.name,
        business_number: r.business_number,
        representative: r.representative,
        contact_phone: r.contact_phone,
        contact_email: r.contact_email,
        buildings: r.buildings,
        users: r.users,
    }
}

pub async fn list_clients(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<ClientSummary>, AppError> {
    let mut w = Where::default();
    if let Some(s) = search(q) {
        w.push(
            "(c.name LIKE ? ESCAPE '!' OR c.business_number LIKE ? ESCAPE '!')",
            [like(s), like(s)],
        );
    }
    if viewer.role == Role::Client {
        w.push(
            "c.id IN (SELECT client_id FROM client_users WHERE user_id = ?)",
            [Arg::I(viewer.id.0)],
        );
    }
    let order = match q.sort.as_str() {
        "recent" => "c.id DESC",
        _ => "c.name, c.id",
    };
    let (limit, offset) = paging.limit_offset();
    let (rows, total) = repo::list_clients(&state.db, &w, order, limit, offset).await?;
    Ok(ListPage::new(
        rows.into_iter().map(client_summary).collect(),
        total,
        paging.page_no(),
    ))
}

pub async fn get_client(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<ClientDetail, AppError> {
    let row = repo::find_client(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if viewer.role == Role::Client && !repo::client_user_of(&state.db, viewer.id.0, id).await? {
        return Err(not_found());
    }
    let users = repo::named_refs(
        &state.db,
        "SELECT u.id, u.name, u.email FROM client_users cu JOIN users u ON u.id = cu.user_id WHERE cu.client_id = ? ORDER BY u.name",
        id,
    )
    .await?;
    let buildings = repo::named_refs(
        &state.db,
        "SELECT id, name, road_address FROM buildings WHERE client_id = ? ORDER BY name",
        id,
    )
    .await?;
    let contracts = list_contracts(
        state,
        viewer,
        &ListQuery {
            client_id: Some(id),
            ..Default::default()
        },
        Paging::All,
    )
    .await?
    .rows;
    Ok(ClientDetail {
        client: client_summary(row),
        users,
        buildings,
        contracts,
    })
}

/// Links the client-role user with this email to the client.
pub async fn link_client_user(
    state: &AppState,
    by: &CurrentUser,
    client_id: i64,
    email: &str,
) -> Result<(), AppError> {
    if !repo::exists(&state.db, "clients", client_id).await? {
        return Err(not_found());
    }
    let email = crate::domain::validation::normalize_email(email);
    let Some(user) = crate::server::db::users::find_by_email(&state.db, &email).await? else {
        return Err(AppError::field(
            "email",
            "이 이메일로 등록된 사용자가 없습니다. 사용자 관리에서 고객 계정을 먼저 만들어 주세요.",
        ));
    };
    if user.role != Role::Client.as_str() {
        return Err(AppError::field(
            "email",
            "고객(건물주) 역할의 사용자만 연결할 수 있습니다.",
        ));
    }
    repo::link_client_user(&state.db, client_id, user.id, Some(by.id.0)).await
}

pub async fn unlink_client_user(
    state: &AppState,
    by: &CurrentUser,
    client_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    if repo::unlink_client_user(&state.db, client_id, user_id, Some(by.id.0)).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

// ---------------------------------------------------------------------------------------------
// Buildings and units

async fn check_building_refs(state: &AppState, b: &BuildingInput) -> Result<(), AppError> {
    if let Some(c) = b.client_id
        && !repo::exists(&state.db, "clients", c).await?
    {
        return Err(AppError::field("client_id", "고객을 찾을 수 없습니다."));
    }
    for m in &b.manager_ids {
        let ok = crate::server::db::users::find_by_id(&state.db, crate::domain::UserId(*m))
            .await?
            .is_some_and(|u| u.role == "admin" || u.role == "manager");
        if !ok {
            return Err(AppError::field(
                "manager_ids",
                "담당자는 직원(관리자·매니저) 중에서 골라 주세요.",
            ));
        }
    }
    Ok(())
}

pub async fn create_building(
    state: &AppState,
    by: &CurrentUser,
    mut b: BuildingInput,
) -> Result<i64, AppError> {
    b.normalize().map_err(invalid)?;
    check_building_refs(state, &b).await?;
    repo::insert_building(&state.db, &b, Some(by.id.0)).await
}

pub async fn update_building(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    mut b: BuildingInput,
) -> Result<(), AppError> {
    b.normalize().map_err(invalid)?;
    check_building_refs(state, &b).await?;
    let live_other = repo::live_contracts_of_other_clients(&state.db, id, b.client_id).await?;
    if live_other > 0 {
        return Err(AppError::field(
            "client_id",
            format!(
                "다른 고객의 진행 중인 관리 계약 {live_other}건이 있어 소유 고객을 바꿀 수 없습니다. 계약을 먼저 해지해 주세요."
            ),
        ));
    }
    repo::update_building(&state.db, id, &b, Some(by.id.0)).await
}

pub fn building_input(row: &repo::BuildingRow, manager_ids: Vec<i64>) -> BuildingInput {
    BuildingInput {
        name: row.name.clone(),
        road_address: row.road_address.clone(),
        lot_address: row.lot_address.clone(),
        sigungu_cd: row.sigungu_cd.clone(),
        bjdong_cd: row.bjdong_cd.clone(),
        plat_gb_cd: row.plat_gb_cd.clone(),
        bun: row.bun.clone(),
        ji: row.ji.clone(),
        region_class: row.region_class.clone(),
        main_use: row.main_use.clone(),
        floors_above: row.floors_above,
        floors_below: row.floors_below,
        land_area_m2: row.land_area_m2,
        building_area_m2: row.building_area_m2,
        total_area_m2: row.total_area_m2,
        approval_date: row.approval_date,
        client_id: row.client_id,
        manager_ids,
    }
}

pub async fn list_buildings(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<crate::domain::leasing::BuildingSummary>, AppError> {
    let mut w = Where::default();
    if let Some(s) = search(q) {
        w.push(
            "(b.name LIKE ? ESCAPE '!' OR b.road_address LIKE ? ESCAPE '!' OR b.lot_address LIKE ? ESCAPE '!')",
            [like(s), like(s), like(s)],
        );
    }
    if let Some(c) = q.client_id {
        w.push("b.client_id = ?", [Arg::I(c)]);
    }
    if let Some(m) = q.manager_id {
        w.push(
            "EXISTS (SELECT 1 FROM building_managers bm WHERE bm.building_id = b.id AND bm.user_id = ?)",
            [Arg::I(m)],
        );
    }
    own_buildings(viewer, "b.client_id", &mut w);
    let order = match q.sort.as_str() {
        "recent" => "b.id DESC",
        "address" => "b.road_address, b.id",
        _ => "b.name, b.id",
    };
    let (limit, offset) = paging.limit_offset();
    let (rows, total) = repo::list_buildings(&state.db, &w, order, limit, offset).await?;
    Ok(ListPage::new(
        rows.into_iter()
            .map(|b| crate::domain::leasing::BuildingSummary {
                id: b.id,
                region: crate::domain::lease::RegionClass::parse(&b.region_class)
                    .map(|r| r.label_ko().to_string())
                    .unwrap_or(b.region_class),
                name: b.name,
                road_address: b.road_address,
                client_name: b.client_name,
                managers: b.managers.unwrap_or_default().replace(',', ", "),
                units: b.units,
                active_leases: b.active_leases,
            })
            .collect(),
        total,
        paging.page_no(),
    ))
}

/// Units of one building; `status` `vacant` or `occupied` filters on a live lease.
pub async fn list_units(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<crate::domain::leasing::UnitListRow>, AppError> {
    let Some(building_id) = q.building_id else {
        return Err(AppError::field("building_id", "건물을 골라 주세요."));
    };
    if !repo::exists(&state.db, "buildings", building_id).await? {
        return Err(not_found());
    }
    ensure_building_visible(state, viewer, building_id).await?;
    let mut w = Where::default();
    w.push("un.building_id = ?", [Arg::I(building_id)]);
    if let Some(s) = search(q) {
        w.push("un.name LIKE ? ESCAPE '!'", [like(s)]);
    }
    match q.status.as_str() {
        "vacant" => w.push(&format!("NOT {}", repo::UNIT_OCCUPIED), []),
        "occupied" => w.push(repo::UNIT_OCCUPIED, []),
        _ => {}
    }
    let (limit, offset) = paging.limit_offset();
    let (rows, total) = repo::list_units(&state.db, &w, limit, offset).await?;
    Ok(ListPage::new(
        rows.into_iter()
            .map(|u| crate::domain::leasing::UnitListRow {
                id: u.id,
                floor: u.floor,
                name: u.name,
                exclusive_area_m2: u.exclusive_area_m2,
                common_area_m2: u.common_area_m2,
                contract_area_m2: u.contract_area_m2,
                tenant_name: u.tenant_name,
            })
            .collect(),
        total,
        paging.page_no(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Management contracts

pub async fn create_contract(
    state: &AppState,
    by: &CurrentUser,
    input: &ContractInput,
) -> Result<i64, AppError> {
    let scope = input.validate().map_err(invalid)?;
    let Some(building) = repo::find_building(&state.db, input.building_id).await? else {
        return Err(AppError::field("building_id", "건물을 찾을 수 없습니다."));
    };
    if !repo::exists(&state.db, "clients", input.client_id).await? {
        return Err(AppError::field("client_id", "고객을 찾을 수 없습니다."));
    }
    // A contract belongs to the building's owner: that is who may see it.
    match building.client_id {
        None => {
            return Err(AppError::field(
                "client_id",
                "건물 정보에서 소유 고객을 먼저 정해 주세요.",
            ));
        }
        Some(c) if c != input.client_id => {
            return Err(AppError::field(
                "client_id",
                "이 건물의 소유 고객과 다른 고객입니다. 건물 정보의 고객을 먼저 바꿔 주세요.",
            ));
        }
        Some(_) => {}
    }
    let status = ContractStatus::from_term(input.start_date, input.end_date, today_seoul());
    let w = repo::ContractWrite {
        building_id: input.building_id,
        client_id: input.client_id,
        start_date: input.start_date,
        end_date: input.end_date,
        scope: &scope,
        monthly_fee: input.monthly_fee,
        vat_applies: input.vat_applies,
        status: status.as_str(),
    };
    repo::insert_contract(&state.db, &w, Some(by.id.0)).await
}

pub struct ContractEdit {
    pub version: i32,
    pub end_date: NaiveDate,
    pub scope: String,
    pub monthly_fee: i64,
    pub vat_applies: bool,
    /// `terminated` ends the contract; anything else follows its term.
    pub terminate: bool,
}

pub async fn update_contract(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    edit: &ContractEdit,
) -> Result<ContractDto, AppError> {
    let current = repo::find_contract(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if current.status == ContractStatus::Terminated.as_str() {
        return Err(AppError::conflict(
            "해지된 관리 계약은 바꿀 수 없습니다. 새 계약을 등록해 주세요.",
        ));
    }
    let input = ContractInput {
        building_id: current.building_id,
        client_id: current.client_id,
        start_date: current.start_date,
        end_date: edit.end_date,
        scope: edit.scope.clone(),
        monthly_fee: edit.monthly_fee,
        vat_applies: edit.vat_applies,
    };
    let scope = input.validate().map_err(invalid)?;
    let status = if edit.terminate {
        ContractStatus::Terminated
    } else {
        ContractStatus::from_term(current.start_date, edit.end_date, today_seoul())
    };
    let change = repo::ContractChange {
        end_date: edit.end_date,
        scope: &scope,
        monthly_fee: edit.monthly_fee,
        vat_applies: edit.vat_applies,
        status: status.as_str(),
    };
    repo::change_contract(&state.db, id, edit.version, &change, Some(by.id.0)).await?;
    get_contract(state, by, id).await
}

fn contract_row(r: repo::ContractListDbRow) -> ContractListRow {
    ContractListRow {
        id: r.id,
        building_id: r.building_id,
        building_name: r.building_name,
        client_id: r.client_id,
        client_name: r.client_name,
        start_date: r.start_date,
        end_date: r.end_date,
        scope: r.scope,
        monthly_fee: r.monthly_fee,
        vat_applies: r.vat_applies,
        status: ContractStatus::parse(&r.status).unwrap_or(ContractStatus::Active),
    }
}

const CONTRACT_FIELDS: [(&str, &str); 5] = [
    ("end_date", "종료일"),
    ("scope", "관리 범위"),
    ("monthly_fee", "월 관리 수수료"),
    ("vat_applies", "부가세"),
    ("status", "상태"),
];

fn show_contract_field(field: &str, v: &serde_json::Value) -> String {
    match (field, v) {
        ("monthly_fee", serde_json::Value::Number(n)) => {
            crate::domain::money::format_won(n.as_i64().unwrap_or_default())
        }
        ("status", serde_json::Value::String(s)) => ContractStatus::parse(s)
            .map(|s| s.label_ko().to_string())
            .unwrap_or(s.clone()),
        ("vat_applies", serde_json::Value::Bool(b)) => if *b { "적용" } else { "미적용" }.into(),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, serde_json::Value::Null) => "-".into(),
        (_, other) => other.to_string(),
    }
}

/// History entries (newest first) as field changes, each against the version after it.
pub fn history_entries(
    current: serde_json::Value,
    rows: Vec<crate::server::db::leasing::HistoryRow>,
    fields: &[(&str, &str)],
    show: impl Fn(&str, &serde_json::Value) -> String,
) -> Result<Vec<crate::domain::leasing::LeaseHistoryEntry>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut newer = current;
    for h in rows {
        let older: serde_json::Value =
            serde_json::from_str(&h.snapshot).map_err(|e| AppError::internal(e.to_string()))?;
        let changes = fields
            .iter()
            .filter(|(f, _)| older.get(f) != newer.get(f))
            .map(|(f, label)| crate::domain::leasing::FieldChange {
                field: label.to_string(),
                before: show(f, older.get(f).unwrap_or(&serde_json::Value::Null)),
                after: show(f, newer.get(f).unwrap_or(&serde_json::Value::Null)),
            })
            .collect();
        out.push(crate::domain::leasing::LeaseHistoryEntry {
            version: i64::from(h.version),
            change_kind: h.change_kind,
            changed_by: h.changed_by_name,
            changed_at: format_seoul_minutes(h.changed_at),
            changes,
        });
        newer = older;
    }
    Ok(out)
}

pub async fn get_contract(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<ContractDto, AppError> {
    let row = repo::find_contract(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if viewer.role == Role::Client
        && !repo::client_user_of(&state.db, viewer.id.0, row.client_id).await?
    {
        return Err(not_found());
    }
    let mut w = Where::default();
    w.push("mc.id = ?", [Arg::I(id)]);
    let (list, _) = repo::list_contracts(&state.db, &w, "mc.id", 1, 0).await?;
    let listed = list.into_iter().next().ok_or_else(not_found)?;
    let current = serde_json::to_value(&row).map_err(|e| AppError::internal(e.to_string()))?;
    let history = history_entries(
        current,
        repo::contract_history(&state.db, id).await?,
        &CONTRACT_FIELDS,
        show_contract_field,
    )?;
    Ok(ContractDto {
        contract: contract_row(listed),
        version: i64::from(row.version),
        files: files_of(state, "contract", id).await?,
        history,
    })
}

pub async fn list_contracts(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<ContractListRow>, AppError> {
    let mut w = Where::default();
    if let Some(s) = search(q) {
        w.push(
            "(b.name LIKE ? ESCAPE '!' OR c.name LIKE ? ESCAPE '!')",
            [like(s), like(s)],
        );
    }
    if let Some(b) = q.building_id {
        w.push("mc.building_id = ?", [Arg::I(b)]);
    }
    if let Some(c) = q.client_id {
        w.push("mc.client_id = ?", [Arg::I(c)]);
    }
    if let Some(s) = ContractStatus::parse(q.status.trim()) {
        w.push("mc.status = ?", [Arg::S(s.as_str().into())]);
    }
    if let Some((a, b)) = ending_window(q) {
        w.push("mc.end_date BETWEEN ? AND ?", [Arg::D(a), Arg::D(b)]);
    }
    if let Some(m) = q.manager_id {
        w.push(
            "EXISTS (SELECT 1 FROM building_managers bm WHERE bm.building_id = mc.building_id AND bm.user_id = ?)",
            [Arg::I(m)],
        );
    }
    own_buildings(viewer, "mc.client_id", &mut w);
    let order = match q.sort.as_str() {
        "start" => "mc.start_date DESC, mc.id DESC",
        "fee" => "mc.monthly_fee DESC, mc.id",
        "building" => "b.name, mc.id",
        _ => "mc.end_date, mc.id",
    };
    let (limit, offset) = paging.limit_offset();
    let (rows, total) = repo::list_contracts(&state.db, &w, order, limit, offset).await?;
    Ok(ListPage::new(
        rows.into_iter().map(contract_row).collect(),
        total,
        paging.page_no(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Tenants

fn tenant_summary(t: repo::TenantListRow) -> crate::domain::leasing::TenantSummary {
    crate::domain::leasing::TenantSummary {
        id: t.id,
        kind: t.kind,
        name: t.name,
        business_number: t.business_number,
        representative: t.representative,
        contact_name: t.contact_name,
        mobile: t.mobile,
        email: t.email,
        leases: t.leases,
    }
}

const TENANT_OF_CLIENT: &str = "EXISTS (SELECT 1 FROM leases l JOIN buildings b ON b.id = l.building_id \
     JOIN client_users cu ON cu.client_id = b.client_id WHERE l.tenant_id = t.id AND cu.user_id = ?)";

pub async fn list_tenants(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<crate::domain::leasing::TenantSummary>, AppError> {
    let mut w = Where::default();
    if let Some(s) = search(q) {
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() >= 4 {
            // A number: the mobile number (stored as digits) or the business number.
            w.push(
                "(t.name LIKE ? ESCAPE '!' OR t.mobile LIKE ? ESCAPE '!' OR t.business_number LIKE ? ESCAPE '!')",
                [like(s), like(&digits), like(s)],
            );
        } else {
            w.push("t.name LIKE ? ESCAPE '!'", [like(s)]);
        }
    }
    if let Some(b) = q.building_id {
        w.push(
            "EXISTS (SELECT 1 FROM leases l WHERE l.tenant_id = t.id AND l.building_id = ?)",
            [Arg::I(b)],
        );
    }
    if viewer.role == Role::Client {
        w.push(TENANT_OF_CLIENT, [Arg::I(viewer.id.0)]);
    }
    let order = match q.sort.as_str() {
        "recent" => "t.id DESC",
        _ => "t.name, t.id",
    };
    let (limit, offset) = paging.limit_offset();
    let (rows, total) = repo::list_tenants(&state.db, &w, order, limit, offset).await?;
    Ok(ListPage::new(
        rows.into_iter().map(tenant_summary).collect(),
        total,
        paging.page_no(),
    ))
}

pub async fn get_tenant(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<crate::domain::leasing::TenantDetail, AppError> {
    let row = repo::find_tenant(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if viewer.role == Role::Client {
        let mut w = Where::default();
        w.push("t.id = ?", [Arg::I(id)]);
        w.push(TENANT_OF_CLIENT, [Arg::I(viewer.id.0)]);
        let (_, n) = repo::list_tenants(&state.db, &w, "t.id", 1, 0).await?;
        if n == 0 {
            return Err(not_found());
        }
    }
    let leases = crate::server::services::leasing::list_leases_of_tenant(state, viewer, id).await?;
    Ok(crate::domain::leasing::TenantDetail {
        tenant: tenant_summary(row),
        leases,
        files: files_of(state, "tenant", id).await?,
    })
}

pub async fn update_tenant(
    state: &AppState,
    by: &CurrentUser,
    id: i64,
    input: &crate::domain::leasing::TenantInput,
) -> Result<(), AppError> {
    let mobile = input.validate().map_err(invalid)?;
    let bn = crate::domain::content::format_business_number(&input.business_number);
    let t = crate::server::db::leasing::NewTenant {
        kind: &input.kind,
        name: input.name.trim(),
        business_number: bn.as_deref(),
        representative: input.representative.trim(),
        contact_name: input.contact_name.trim(),
        mobile: &mobile,
        email: input.email.trim(),
    };
    repo::update_tenant(&state.db, id, &t, Some(by.id.0)).await
}

pub async fn delete_tenant(state: &AppState, by: &CurrentUser, id: i64) -> Result<(), AppError> {
    repo::delete_tenant(&state.db, id, Some(by.id.0)).await
}

// ---------------------------------------------------------------------------------------------
// Deposit ledger and termination

pub async fn add_deposit_entry(
    state: &AppState,
    by: &CurrentUser,
    lease_id: i64,
    kind: &str,
    amount: i64,
    on_date: NaiveDate,
    note: &str,
) -> Result<i64, AppError> {
    if !matches!(kind, "received" | "returned") {
        return Err(AppError::field("kind", "수령 또는 반환을 선택해 주세요."));
    }
    if note.chars().count() > 500 {
        return Err(AppError::field(
            "note",
            "메모는 500자 이내로 입력해 주세요.",
        ));
    }
    repo::add_deposit_entry(
        &state.db,
        lease_id,
        kind,
        amount,
        on_date,
        note.trim(),
        Some(by.id.0),
    )
    .await
}

pub async fn deposit_ledger(state: &AppState, lease_id: i64) -> Result<DepositLedger, AppError> {
    let entries: Vec<DepositEntryDto> = repo::deposit_entries(&state.db, lease_id)
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
    id: i64,
    version: i32,
    on: NaiveDate,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "해지 사유를 입력해 주세요."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "해지 사유는 500자 이내로 입력해 주세요.",
        ));
    }
    repo::terminate_lease(&state.db, id, version, on, reason, Some(by.id.0)).await
}

// ---------------------------------------------------------------------------------------------
// Files

pub async fn files_of(
    state: &AppState,
    owner_kind: &str,
    owner_id: i64,
) -> Result<Vec<FileDto>, AppError> {
    Ok(repo::files_of(&state.db, owner_kind, owner_id)
        .await?
        .into_iter()
        .map(file_dto)
        .collect())
}

fn file_dto(f: repo::FileRow) -> FileDto {
    FileDto {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size_bytes: f.size_bytes,
        uploaded_at: format_seoul_minutes(f.created_at),
        uploaded_by: f.uploaded_by_name,
    }
}

/// Not found unless the owner record exists and the viewer may see it.
pub async fn ensure_owner_visible(
    state: &AppState,
    viewer: &CurrentUser,
    owner_kind: &str,
    owner_id: i64,
) -> Result<(), AppError> {
    if owner_kind == "contract" {
        let c = repo::find_contract(&state.db, owner_id)
            .await?
            .ok_or_else(not_found)?;
        if viewer.role == Role::Client
            && !repo::client_user_of(&state.db, viewer.id.0, c.client_id).await?
        {
            return Err(not_found());
        }
        return Ok(());
    }
    let Some(buildings) = repo::owner_building(&state.db, owner_kind, owner_id).await? else {
        return Err(not_found());
    };
    if viewer.role == Role::Client {
        for b in buildings {
            if crate::server::db::leasing::client_user_sees_building(&state.db, viewer.id.0, b)
                .await?
            {
                return Ok(());
            }
        }
        return Err(not_found());
    }
    Ok(())
}

/// Stores an uploaded file for a record: the type from its first bytes, the size under the
/// limit, the bytes first and then the row (an unreferenced object is removed again).
pub async fn store_file(
    state: &AppState,
    by: &CurrentUser,
    owner_kind: &str,
    owner_id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> Result<FileDto, AppError> {
    if !FILE_OWNERS.contains(&owner_kind) {
        return Err(AppError::field(
            "owner_kind",
            "파일을 붙일 대상이 올바르지 않습니다.",
        ));
    }
    ensure_owner_visible(state, by, owner_kind, owner_id).await?;
    if bytes.is_empty() {
        return Err(AppError::field(
            "file",
            "빈 파일입니다. 파일을 골라 주세요.",
        ));
    }
    if bytes.len() as u64 > state.files.max_bytes {
        return Err(AppError::field(
            "file",
            format!(
                "파일이 너무 큽니다. {}MB 이하만 올릴 수 있습니다.",
                state.files.max_bytes / 1024 / 1024
            ),
        ));
    }
    let Some(content_type) = sniff_content_type(&bytes) else {
        return Err(AppError::field(
            "file",
            "PDF 또는 이미지(PNG, JPEG, WebP) 파일만 올릴 수 있습니다.",
        ));
    };
    let name = clean_file_name(name);
    let key = crate::server::files::new_key();
    let size = bytes.len() as i64;
    state.files.put(&key, bytes).await?;
    let row = repo::NewFile {
        owner_kind,
        owner_id,
        name: &name,
        content_type,
        size_bytes: size,
        storage_key: &key,
    };
    let id = match repo::insert_file(&state.db, &row, Some(by.id.0)).await {
        Ok(id) => id,
        Err(e) => {
            if let Err(cleanup) = state.files.delete(&key).await {
                tracing::error!(key, error = %cleanup, "uploaded object left without its row");
            }
            return Err(e);
        }
    };
    let f = repo::find_file(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(file_dto(f))
}

/// The file's row and bytes, for a viewer allowed to see its owner record.
pub async fn read_file(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<(repo::FileRow, Vec<u8>), AppError> {
    let f = repo::find_file(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    ensure_owner_visible(state, viewer, &f.owner_kind, f.owner_id).await?;
    let Some(bytes) = state.files.get(&f.storage_key).await? else {
        tracing::error!(file_id = id, key = %f.storage_key, "file row without its object");
        return Err(not_found());
    };
    Ok((f, bytes))
}

/// Deletes the row (with its audit entry), then the object.
pub async fn delete_file(state: &AppState, by: &CurrentUser, id: i64) -> Result<(), AppError> {
    let f = repo::find_file(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    repo::delete_file_row(&state.db, &f, Some(by.id.0)).await?;
    if let Err(e) = state.files.delete(&f.storage_key).await {
        tracing::error!(file_id = id, key = %f.storage_key, error = %e, "object not deleted; remove it by hand");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Audit log

/// Korean names of the fields the audit log stores, for people reading it.
const AUDIT_FIELDS: [(&str, &str); 56] = [
    ("id", "번호"),
    ("kind", "구분"),
    ("name", "이름"),
    ("business_number", "사업자등록번호"),
    ("representative", "대표자"),
    ("contact_name", "담당자"),
    ("contact_phone", "연락처"),
    ("contact_email", "이메일"),
    ("mobile", "휴대전화"),
    ("email", "이메일"),
    ("road_address", "도로명 주소"),
    ("lot_address", "지번 주소"),
    ("sigungu_cd", "시군구코드"),
    ("bjdong_cd", "법정동코드"),
    ("plat_gb_cd", "대지구분"),
    ("bun", "번"),
    ("ji", "지"),
    ("region_class", "지역 구분"),
    ("main_use", "주용도"),
    ("floors_above", "지상 층수"),
    ("floors_below", "지하 층수"),
    ("land_area_m2", "대지면적"),
    ("building_area_m2", "건축면적"),
    ("total_area_m2", "연면적"),
    ("approval_date", "사용승인일"),
    ("client_id", "고객 번호"),
    ("manager_ids", "담당자 번호"),
    ("building_id", "건물 번호"),
    ("tenant_id", "임차인 번호"),
    ("unit_ids", "호실 번호"),
    ("start_date", "시작일"),
    ("end_date", "종료일"),
    ("deposit", "보증금"),
    ("monthly_rent", "월 임대료"),
    ("management_fee", "관리비"),
    ("monthly_fee", "월 관리 수수료"),
    ("scope", "관리 범위"),
    ("vat_applies", "부가세"),
    ("payment_day", "납부일"),
    ("status", "상태"),
    ("amount", "금액"),
    ("on_date", "날짜"),
    ("note", "메모"),
    ("owner_kind", "붙인 대상"),
    ("owner_id", "대상 번호"),
    ("content_type", "파일 형식"),
    ("size_bytes", "크기(바이트)"),
    ("storage_key", "저장 위치"),
    ("lease_id", "임대 계약 번호"),
    ("last_increase_on", "최근 인상일"),
    ("late_fee_rate_bp", "연체 이율(1%=100)"),
    ("grace_days", "연체 유예일"),
    ("version", "버전"),
    ("linked", "연결"),
    ("user_id", "사용자 번호"),
    ("source", "입력 경로"),
];

/// A stored audit snapshot as `필드: 값, …` with Korean field names and statuses; anything
/// that is not a JSON object is shown as stored.
fn readable(raw: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(raw) else {
        return raw.to_string();
    };
    map.iter()
        .map(|(k, v)| {
            let label = AUDIT_FIELDS
                .iter()
                .find(|(f, _)| f == k)
                .map(|(_, l)| *l)
                .unwrap_or(k.as_str());
            let value = match (k.as_str(), v) {
                ("status", serde_json::Value::String(s)) => {
                    crate::domain::leasing::LeaseStatus::parse(s)
                        .map(|x| x.label_ko().to_string())
                        .or_else(|| ContractStatus::parse(s).map(|x| x.label_ko().to_string()))
                        .unwrap_or_else(|| s.clone())
                }
                ("kind", serde_json::Value::String(s)) if s == "company" || s == "person" => {
                    kind_label(s).to_string()
                }
                ("kind", serde_json::Value::String(s)) if s == "received" => "수령".into(),
                ("kind", serde_json::Value::String(s)) if s == "returned" => "반환".into(),
                ("owner_kind", serde_json::Value::String(s)) => entity_label(s).to_string(),
                ("source", serde_json::Value::String(s)) if s == "import" => "엑셀 가져오기".into(),
                (_, serde_json::Value::String(s)) => s.clone(),
                (_, serde_json::Value::Bool(b)) => if *b { "예" } else { "아니오" }.into(),
                (_, serde_json::Value::Null) => "-".into(),
                (_, other) => other.to_string(),
            };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list_audit(
    state: &AppState,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<AuditEntry>, AppError> {
    let mut w = Where::default();
    let entity = q.entity.trim();
    if !entity.is_empty() {
        w.push("a.entity = ?", [Arg::S(entity.to_string())]);
    }
    if let Some(u) = q.user_id {
        w.push("a.user_id = ?", [Arg::I(u)]);
    }
    if let Ok(id) = q.q.trim().parse::<i64>() {
        w.push("a.entity_id = ?", [Arg::I(id)]);
    }
    let (limit, offset) = paging.limit_offset();
    let (rows, total) = repo::list_audit(&state.db, &w, limit, offset).await?;
    Ok(ListPage::new(
        rows.into_iter()
            .map(|a| AuditEntry {
                id: a.id,
                at: format_seoul_minutes(a.at),
                user_name: a.user_name,
                entity: a.entity,
                entity_id: a.entity_id,
                action: a.action,
                before: a.before_json.as_deref().map(readable),
                after: a.after_json.as_deref().map(readable),
            })
            .collect(),
        total,
        paging.page_no(),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn audit_snapshots_read_in_korean() {
        assert_eq!(
            super::readable(
                r#"{"monthly_rent":3000000,"status":"active","vat_applies":true,"x":null}"#
            ),
            "월 임대료: 3000000, 상태: 진행 중, 부가세: 예, x: -"
        );
        assert_eq!(super::readable("not json"), "not json");
    }
}
