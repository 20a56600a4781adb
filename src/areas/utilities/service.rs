//! Utility rules with I/O: who sees what (a client user only their buildings, 404 otherwise),
//! checking bills, settings and readings (readings far from a unit's average need a
//! confirmation), the reading grid with last month's readings carried over, the XLSX import,
//! and splitting every building's bills of a month (the CLI and the benchmark).

use super::{
    BillForm, BillRow, KindForm, KindMonth, ReadingGrid, ReadingRow, ReadingsForm, SplitForm,
    SplitReport, UtilityMonth, store,
};
use crate::domain::ApiError;
use crate::domain::billing::YearMonth;
use crate::domain::error::FieldErrors;
use crate::domain::money::parse_won;
use crate::domain::utilities::{
    ShareBasis, format_reading, parse_percent_bp, parse_reading, unusual_usage, valid_kind,
};
use crate::server::auth::CurrentUser;
use crate::server::db::Db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::today_seoul;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

fn month_or_this(raw: &str) -> Result<YearMonth, AppError> {
    if raw.trim().is_empty() {
        return Ok(YearMonth::of(today_seoul()));
    }
    YearMonth::parse(raw.trim())
        .ok_or_else(|| AppError::field("month", "검침·고지 월을 YYYY-MM으로 입력해 주세요."))
}

/// The building's name if the user may see it; 404 otherwise.
async fn check_building(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
) -> Result<String, AppError> {
    let name: Option<String> = crate::db_run!(&state.db, |pool| sqlx::query_scalar(
        "SELECT name FROM buildings WHERE id = ?"
    )
    .bind(building)
    .fetch_optional(pool)
    .await?);
    match name {
        Some(n) if me.scope().sees_building(&state.db, building).await? => Ok(n),
        _ => Err(not_found()),
    }
}

async fn kind_setting(db: &Db, building: i64, kind: &str) -> Result<super::KindSetting, AppError> {
    store::kinds(db, building)
        .await?
        .into_iter()
        .find(|k| k.kind == kind)
        .ok_or_else(|| AppError::field("kind", "이 건물에 없는 공과금 종류입니다."))
}

/// The largest bill: 1,000억 원.
const AMOUNT_MAX: i64 = 100_000_000_000;

/// A building's utilities for a month: each kind's setting, bill and shares.
pub async fn month_view(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
    month: &str,
) -> Result<UtilityMonth, AppError> {
    let building_name = check_building(state, me, building).await?;
    let month = month_or_this(month)?;
    let db = &state.db;
    let kinds = store::kinds(db, building).await?;
    let bills = store::bills(db, building, month).await?;
    let mut shares = store::shares(db, building, month).await?;
    let units = store::unit_names(db, building).await?;
    let mut entered: HashMap<String, i64> = HashMap::new();
    for k in &kinds {
        let n = store::readings(db, building, &k.kind, month, month)
            .await?
            .len() as i64;
        entered.insert(k.kind.clone(), n);
    }
    let mut out_kinds = Vec::new();
    for setting in kinds {
        let bill = match bills.iter().find(|b| b.kind == setting.kind) {
            Some(b) => Some(BillRow {
                id: b.id,
                total: b.total,
                consumption: format_reading(b.consumption),
                period_from: b.period_from,
                period_to: b.period_to,
                memo: b.memo.clone(),
                files: crate::areas::files::service::files_of(state, "utility_bill", b.id).await?,
            }),
            None => None,
        };
        let rows = shares.remove(&setting.kind).unwrap_or_default();
        let owner_total = rows
            .iter()
            .filter(|r| r.lease_id.is_none())
            .map(|r| r.amount)
            .sum();
        let tenants_total = rows
            .iter()
            .filter(|r| r.lease_id.is_some())
            .map(|r| r.amount)
            .sum();
        out_kinds.push(KindMonth {
            readings: entered.get(&setting.kind).copied().unwrap_or(0),
            units: units.len() as i64,
            setting,
            bill,
            shares: rows,
            tenants_total,
            owner_total,
        });
    }
    let mut ratio_map: HashMap<i64, BTreeMap<String, i64>> = HashMap::new();
    for (kind, unit, bp) in store::ratios(db, building).await? {
        ratio_map.entry(unit).or_default().insert(kind, bp);
    }
    Ok(UtilityMonth {
        building_id: building,
        building_name,
        month: month.to_string(),
        month_label: month.label_ko(),
        closed: store::month_closed(db, building, month).await?,
        kinds: out_kinds,
        units: units
            .into_iter()
            .map(|(id, name)| (id, name, ratio_map.remove(&id).unwrap_or_default()))
            .collect(),
    })
}

/// The reading grid of a kind: every unit with last month's reading carried over.
pub async fn grid(
    state: &AppState,
    me: &CurrentUser,
    building: i64,
    kind: &str,
    month: &str,
) -> Result<ReadingGrid, AppError> {
    let building_name = check_building(state, me, building).await?;
    let month = month_or_this(month)?;
    let db = &state.db;
    let setting = kind_setting(db, building, kind).await?;
    let units = store::unit_names(db, building).await?;
    let occupants = store::occupants(db, building, month).await?;
    let last = store::last_readings(db, building, kind, month).await?;
    let mut from = month;
    for _ in 0..12 {
        from = from.prev();
    }
    let all = store::readings(db, building, kind, from, month).await?;
    let this = month.to_string();
    let rows = units
        .into_iter()
        .map(|(id, name)| {
            let saved = all.iter().find(|r| r.unit_id == id && r.month == this);
            let history: Vec<i64> = all
                .iter()
                .filter(|r| r.unit_id == id && r.month != this)
                .map(|r| r.consumption)
                .collect();
            let carried = last.get(&id).copied();
            ReadingRow {
                unit_id: id,
                occupant: occupants.get(&id).map(|t| t.join(", ")).unwrap_or_default(),
                unit_name: name,
                previous: carried
                    .map(|c| c.0)
                    .or(saved.map(|s| s.previous))
                    .unwrap_or(0),
                current: saved.map(|s| s.current),
                multiplier: saved
                    .map(|s| s.multiplier)
                    .or(carried.map(|c| c.1))
                    .unwrap_or(1),
                event: saved
                    .map(|s| s.event.clone())
                    .unwrap_or_else(|| "none".into()),
                digits: saved.and_then(|s| s.digits),
                old_final: saved.and_then(|s| s.old_final),
                old_multiplier: saved.and_then(|s| s.old_multiplier),
                new_start: saved.and_then(|s| s.new_start),
                usage: saved.map(|s| s.consumption),
                history,
            }
        })
        .collect();
    Ok(ReadingGrid {
        building_id: building,
        building_name,
        kind: setting.kind,
        label: setting.label,
        unit: setting.unit,
        basis: setting.basis,
        month: month.to_string(),
        month_label: month.label_ko(),
        closed: store::month_closed(db, building, month).await?,
        rows,
    })
}

fn report(
    applied: store::Applied,
    saved: i64,
    unusual: Vec<(String, String)>,
    started: std::time::Instant,
) -> SplitReport {
    SplitReport {
        saved,
        bills: applied
            .bills
            .iter()
            .map(|(k, m)| {
                (
                    crate::domain::utilities::kind_name(k)
                        .unwrap_or(k)
                        .to_string(),
                    m.to_string(),
                )
            })
            .collect(),
        leases_changed: applied.leases_changed.len() as i64,
        invoices_changed: applied.invoices_changed.len() as i64,
        unusual,
        millis: started.elapsed().as_millis() as i64,
    }
}

fn optional_date(raw: &str, field: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) if (2000..=2100).contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            e.insert(field.into(), "날짜를 YYYY-MM-DD로 입력해 주세요.".into());
            None
        }
    }
}

/// Saves a kind's bill for a month and splits it.
pub async fn save_bill(
    state: &AppState,
    me: &CurrentUser,
    form: &BillForm,
) -> Result<(i64, SplitReport), AppError> {
    let started = std::time::Instant::now();
    check_building(state, me, form.building_id).await?;
    kind_setting(&state.db, form.building_id, &form.kind).await?;
    let mut e = FieldErrors::new();
    let month = YearMonth::parse(form.month.trim());
    if month.is_none() {
        e.insert(
            "month".into(),
            "고지 월을 YYYY-MM으로 입력해 주세요.".into(),
        );
    }
    let total = match parse_won(&form.total) {
        Some(t) if (0..=AMOUNT_MAX).contains(&t) => t,
        _ => {
            e.insert(
                "total".into(),
                "고지 금액은 0원 이상 1,000억 원 이하의 정수로 입력해 주세요.".into(),
            );
            0
        }
    };
    let consumption = if form.consumption.trim().is_empty() {
        0
    } else {
        match parse_reading(&form.consumption) {
            Ok(c) => c,
            Err(m) => {
                e.insert("consumption".into(), m.replace("검침값", "사용량"));
                0
            }
        }
    };
    let from = optional_date(&form.period_from, "period_from", &mut e);
    let to = optional_date(&form.period_to, "period_to", &mut e);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        e.insert(
            "period_to".into(),
            "사용 기간의 끝이 시작보다 빠릅니다.".into(),
        );
    }
    let memo = form.memo.trim().to_string();
    if memo.chars().count() > 500 {
        e.insert("memo".into(), "메모는 500자 이내로 적어 주세요.".into());
    }
    if !e.is_empty() {
        return Err(AppError::Api(ApiError::Validation(e)));
    }
    let change = store::Change::Bill(store::BillInput {
        kind: form.kind.clone(),
        month: month.expect("checked"),
        total,
        consumption,
        period_from: from,
        period_to: to,
        memo,
    });
    let applied = apply(&state.db, form.building_id, &change, me.id.0).await?;
    let id = applied.bill_id.unwrap_or(0);
    Ok((id, report(applied, 0, Vec::new(), started)))
}

async fn apply(
    db: &Db,
    building: i64,
    change: &store::Change,
    by: i64,
) -> Result<store::Applied, AppError> {
    let today = today_seoul();
    crate::server::queue::store::again_on_conflict(|| {
        store::apply(db, building, change, Some(by), today)
    })
    .await
}

/// Saves a kind's setting (or adds a building's own kind) and splits its bills from the
/// page's month on.
pub async fn save_kind(
    state: &AppState,
    me: &CurrentUser,
    form: &KindForm,
) -> Result<SplitReport, AppError> {
    let started = std::time::Instant::now();
    check_building(state, me, form.building_id).await?;
    let db = &state.db;
    let mut e = FieldErrors::new();
    let kinds = store::kinds(db, form.building_id).await?;
    let kind = if form.kind.trim().is_empty() {
        // A building's own kind: the next free etc<n>.
        (1..1000)
            .map(|n| format!("etc{n}"))
            .find(|c| !kinds.iter().any(|k| &k.kind == c))
            .unwrap_or_else(|| "etc999".into())
    } else if valid_kind(form.kind.trim()) && kinds.iter().any(|k| k.kind == form.kind.trim()) {
        form.kind.trim().to_string()
    } else {
        return Err(AppError::field("kind", "이 건물에 없는 공과금 종류입니다."));
    };
    let label = form.label.trim().to_string();
    if label.is_empty() || label.chars().count() > 20 {
        e.insert("label".into(), "이름을 20자 이내로 적어 주세요.".into());
    }
    let basis = ShareBasis::parse(&form.basis);
    if basis.is_none() {
        e.insert("basis".into(), "나누는 기준을 골라 주세요.".into());
    }
    let common_bp = parse_percent_bp(&form.common_percent).unwrap_or_else(|m| {
        e.insert("common_percent".into(), m);
        0
    });
    let units = store::unit_names(db, form.building_id).await?;
    let mut ratios = BTreeMap::new();
    for (id, name) in &units {
        let Some(raw) = form.cells.get(&format!("ratio_{id}")) else {
            continue;
        };
        if raw.trim().is_empty() {
            continue;
        }
        match parse_percent_bp(raw) {
            Ok(bp) if bp > 0 => {
                ratios.insert(*id, bp);
            }
            Ok(_) => {}
            Err(m) => {
                e.insert(format!("ratio_{id}"), format!("{name}: {m}"));
            }
        }
    }
    if basis == Some(ShareBasis::FixedRatio) && ratios.is_empty() && e.is_empty() {
        e.insert(
            "basis".into(),
            "고정 비율로 나누려면 호실별 비율을 하나 이상 적어 주세요.".into(),
        );
    }
    if common_bp == 10_000 {
        e.insert(
            "common_percent".into(),
            "공용 부분이 100%이면 기준이 쓰이지 않습니다. 100% 미만으로 적어 주세요.".into(),
        );
    }
    if !e.is_empty() {
        return Err(AppError::Api(ApiError::Validation(e)));
    }
    let change = store::Change::Kind {
        input: store::KindInput {
            kind,
            label,
            basis: basis.expect("checked"),
            common_bp,
            ratios,
        },
        from: month_or_this(&form.month)?,
    };
    let applied = apply(db, form.building_id, &change, me.id.0).await?;
    Ok(report(applied, 0, Vec::new(), started))
}

/// Saves the grid's readings of a kind and month and splits the month's bill again, in one
/// transaction. Readings far from the unit's average are refused unless `confirm`.
pub async fn save_readings(
    state: &AppState,
    me: &CurrentUser,
    form: &ReadingsForm,
) -> Result<SplitReport, AppError> {
    let started = std::time::Instant::now();
    let g = grid(state, me, form.building_id, &form.kind, &form.month).await?;
    let month = month_or_this(&form.month)?;
    // The previous reading of each unit: carried from last month, or typed for a meter's first
    // reading.
    let mut previous = BTreeMap::new();
    let mut e = FieldErrors::new();
    let last = store::last_readings(&state.db, form.building_id, &form.kind, month).await?;
    for r in &g.rows {
        let typed = form
            .cells
            .get(&format!("prev_{}", r.unit_id))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty());
        let prev = match (last.contains_key(&r.unit_id), typed) {
            (false, Some(t)) => match parse_reading(t) {
                Ok(v) => v,
                Err(m) => {
                    e.insert(format!("cur_{}", r.unit_id), format!("지난달 값: {m}"));
                    continue;
                }
            },
            _ => r.previous,
        };
        previous.insert(r.unit_id, prev);
    }
    let rows = match form.readings(&previous) {
        Ok(rows) => rows,
        Err(more) => {
            e.extend(more);
            Vec::new()
        }
    };
    if !e.is_empty() {
        return Err(AppError::Api(ApiError::Validation(e)));
    }
    if rows.is_empty() {
        return Err(AppError::field(
            "form",
            "저장할 검침값이 없습니다. 이번 달 값을 입력해 주세요.",
        ));
    }
    let mut unusual = Vec::new();
    let mut flags = FieldErrors::new();
    for (r, usage) in &rows {
        let row = g.rows.iter().find(|x| x.unit_id == r.unit_id);
        let history = row.map(|x| x.history.clone()).unwrap_or_default();
        if let Some(why) = unusual_usage(*usage, &history) {
            let name = row.map(|x| x.unit_name.clone()).unwrap_or_default();
            flags.insert(
                format!("cur_{}", r.unit_id),
                format!("{why} 맞으면 '평균과 크게 다른 값도 저장'을 체크하고 다시 저장하세요."),
            );
            unusual.push((name, why));
        }
    }
    if !flags.is_empty() && !form.confirm {
        return Err(AppError::Api(ApiError::Validation(flags)));
    }
    let saved = rows.len() as i64;
    let change = store::Change::Readings {
        kind: g.kind.clone(),
        month,
        rows: rows
            .into_iter()
            .map(|(r, u)| {
                let p = previous.get(&r.unit_id).copied().unwrap_or(0);
                (r, p, u)
            })
            .collect(),
    };
    let applied = apply(&state.db, form.building_id, &change, me.id.0).await?;
    Ok(report(applied, saved, unusual, started))
}

/// 다시 나누기: every bill of a building's month split again.
pub async fn split_again(
    state: &AppState,
    me: &CurrentUser,
    form: &SplitForm,
) -> Result<SplitReport, AppError> {
    let started = std::time::Instant::now();
    check_building(state, me, form.building_id).await?;
    let month = month_or_this(&form.month)?;
    let applied = apply(
        &state.db,
        form.building_id,
        &store::Change::Split { month },
        me.id.0,
    )
    .await?;
    Ok(report(applied, 0, Vec::new(), started))
}

/// Splits every building's bills of a month again (the CLI `split-utilities`, the benchmark):
/// (buildings, report).
pub async fn split_month(db: &Db, month: YearMonth) -> Result<(i64, SplitReport), AppError> {
    let started = std::time::Instant::now();
    let buildings = store::buildings_with_bills(db, month).await?;
    let mut all = store::Applied::default();
    let change = store::Change::Split { month };
    let today = today_seoul();
    for b in &buildings {
        let a = crate::server::queue::store::again_on_conflict(|| {
            store::apply(db, *b, &change, None, today)
        })
        .await?;
        all.bills.extend(a.bills);
        all.leases_changed.extend(a.leases_changed);
        all.invoices_changed.extend(a.invoices_changed);
    }
    let r = report(all, 0, Vec::new(), started);
    tracing::info!(month = %month, buildings = buildings.len(), bills = r.bills.len(),
        leases = r.leases_changed, millis = r.millis, "utility bills split");
    Ok((buildings.len() as i64, r))
}

/// The columns of the readings sheet (the download and the import).
pub const SHEET_COLUMNS: [&str; 5] = ["호실", "입주자", "지난달 검침값", "이번 검침값", "배율"];

/// Imports a kind's readings for a month from the sheet: by unit name, this month's reading and
/// optionally the multiplier; then as the grid would save them.
pub async fn import_readings(
    state: &AppState,
    me: &CurrentUser,
    form: ReadingsForm,
    bytes: Vec<u8>,
) -> Result<SplitReport, AppError> {
    let g = grid(state, me, form.building_id, &form.kind, &form.month).await?;
    let rows = tokio::task::spawn_blocking(move || {
        crate::areas::spreadsheets::service::read_sheet_rows(bytes, SHEET_COLUMNS.len())
    })
    .await
    .map_err(|e| AppError::internal(format!("xlsx task: {e}")))?
    .map_err(|m| AppError::field("file", m))?;
    let mut form = form;
    let mut e = FieldErrors::new();
    let text = |d: &calamine::Data| -> String {
        match d {
            calamine::Data::Float(f) => {
                let s = format!("{f:.3}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            calamine::Data::Int(i) => i.to_string(),
            other => other.to_string().trim().to_string(),
        }
    };
    for (i, row) in rows.iter().enumerate().skip(1) {
        let name = text(&row[0]);
        if name.is_empty() {
            continue;
        }
        let Some(unit) = g.rows.iter().find(|r| r.unit_name == name) else {
            e.insert(
                format!("file_row_{}", i + 1),
                format!("{}행: 이 건물에 '{name}' 호실이 없습니다.", i + 1),
            );
            continue;
        };
        let cur = text(&row[3]);
        if !cur.is_empty() {
            form.cells.insert(format!("cur_{}", unit.unit_id), cur);
        }
        let mul = text(&row[4]);
        if !mul.is_empty() {
            form.cells.insert(format!("mul_{}", unit.unit_id), mul);
        }
    }
    if !e.is_empty() {
        let all: Vec<String> = e.into_values().collect();
        return Err(AppError::field("file", all.join(" ")));
    }
    save_readings(state, me, &form).await
}
