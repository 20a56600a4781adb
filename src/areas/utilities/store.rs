//! Every SQL statement of utilities: a building's kinds, bills, readings and shares as pages
//! show them, and the one write transaction that saves a bill, readings or a kind's setting and
//! splits the affected bills again, carrying changed shares onto invoices (billing's
//! `sync_utility_charge!`) and writing the audit entry.

use super::{KindSetting, ReadingInput, ShareRow};
use crate::areas::billing::store::{UtilityCharge, locking_read};
use crate::domain::billing::YearMonth;
use crate::domain::money::format_won;
use crate::domain::utilities::{
    KINDS, MeterEvent, Share, ShareBasis, ShareUnit, format_reading, kind_name, kind_unit,
    split_bill, weight_text,
};
use crate::server::db::{Db, InsertedId, now_utc, to_json};
use crate::server::error::AppError;
use crate::{db_run, lock_row, write_audit};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The audit entity of a split (its id is the building's).
pub const SPLIT_ENTITY: &str = "utility_split";

#[derive(Debug, Clone, sqlx::FromRow)]
struct KindRow {
    kind: String,
    label: String,
    basis: String,
    common_bp: i64,
}

fn setting_of(r: KindRow) -> KindSetting {
    KindSetting {
        unit: kind_unit(&r.kind).to_string(),
        kind: r.kind,
        label: r.label,
        basis: r.basis,
        common_bp: r.common_bp,
    }
}

/// The default setting of a standard kind nobody set yet: by metered usage, no common part.
pub fn default_setting(kind: &str) -> Option<KindSetting> {
    kind_name(kind).map(|name| KindSetting {
        kind: kind.to_string(),
        label: name.to_string(),
        basis: ShareBasis::Metered.as_str().to_string(),
        common_bp: 0,
        unit: kind_unit(kind).to_string(),
    })
}

/// A building's kinds: those set, then the standard kinds not set yet (with their defaults).
pub async fn kinds(db: &Db, building: i64) -> Result<Vec<KindSetting>, AppError> {
    let rows: Vec<KindRow> = db_run!(db, |pool| {
        sqlx::query_as::<_, KindRow>(
        "SELECT kind, label, basis, common_bp FROM utility_kinds WHERE building_id = ? ORDER BY position, kind"
    )
    .bind(building)
    .fetch_all(pool)
    .await?
    });
    let mut out: Vec<KindSetting> = rows.into_iter().map(setting_of).collect();
    for (code, _, _) in KINDS {
        if !out.iter().any(|k| k.kind == code) {
            out.extend(default_setting(code));
        }
    }
    Ok(out)
}

/// Fixed ratios: (kind, unit, basis points).
pub async fn ratios(db: &Db, building: i64) -> Result<Vec<(String, i64, i64)>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as(
        "SELECT kind, unit_id, ratio_bp FROM utility_ratios WHERE building_id = ?"
    )
    .bind(building)
    .fetch_all(pool)
    .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BillRec {
    pub id: i64,
    pub kind: String,
    pub total: i64,
    pub consumption: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub memo: String,
}

pub async fn bills(db: &Db, building: i64, month: YearMonth) -> Result<Vec<BillRec>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as::<_, BillRec>(
        "SELECT id, kind, total, consumption, period_from, period_to, memo FROM utility_bills \
         WHERE building_id = ? AND month = ?"
    )
    .bind(building)
    .bind(month.to_string())
    .fetch_all(pool)
    .await?))
}

/// A building's units: (id, name).
pub async fn unit_names(db: &Db, building: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as(
        "SELECT id, name FROM units WHERE building_id = ? ORDER BY floor, name, id"
    )
    .bind(building)
    .fetch_all(pool)
    .await?))
}

/// Who occupies each unit in the month: unit → tenant names.
pub async fn occupants(
    db: &Db,
    building: i64,
    month: YearMonth,
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let rows: Vec<(i64, String)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT lu.unit_id, t.name FROM leases l JOIN lease_units lu ON lu.lease_id = l.id JOIN tenants t ON t.id = l.tenant_id \
         WHERE l.building_id = ? AND l.start_date <= ? AND COALESCE(l.terminated_on, l.end_date) >= ? ORDER BY l.start_date, l.id"
    )
    .bind(building)
    .bind(month.last_day())
    .bind(month.first_day())
    .fetch_all(pool)
    .await?
    });
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (unit, name) in rows {
        out.entry(unit).or_default().push(name);
    }
    Ok(out)
}

/// A saved reading.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReadingRec {
    pub unit_id: i64,
    pub month: String,
    pub previous: i64,
    pub current: i64,
    pub multiplier: i64,
    pub event: String,
    pub digits: Option<i64>,
    pub old_final: Option<i64>,
    pub old_multiplier: Option<i64>,
    pub new_start: Option<i64>,
    pub consumption: i64,
}

/// A building's readings of a kind from `from` to `to` (months, both included).
pub async fn readings(
    db: &Db,
    building: i64,
    kind: &str,
    from: YearMonth,
    to: YearMonth,
) -> Result<Vec<ReadingRec>, AppError> {
    Ok(db_run!(db, |pool| {
        sqlx::query_as::<_, ReadingRec>(
        "SELECT unit_id, month, previous, current, multiplier, event, digits, old_final, old_multiplier, new_start, consumption \
         FROM meter_readings WHERE building_id = ? AND kind = ? AND month >= ? AND month <= ? ORDER BY month"
    )
    .bind(building)
    .bind(kind)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(pool)
    .await?
    }))
}

/// Each unit's latest reading before `month`: unit → (current, multiplier).
pub async fn last_readings(
    db: &Db,
    building: i64,
    kind: &str,
    month: YearMonth,
) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    let rows: Vec<(i64, i64, i64)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT r.unit_id, r.current, r.multiplier FROM meter_readings r WHERE r.building_id = ? AND r.kind = ? AND r.month = \
         (SELECT MAX(p.month) FROM meter_readings p WHERE p.unit_id = r.unit_id AND p.kind = r.kind AND p.month < ?)"
    )
    .bind(building)
    .bind(kind)
    .bind(month.to_string())
    .fetch_all(pool)
    .await?
    });
    Ok(rows.into_iter().map(|(u, c, m)| (u, (c, m))).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ShareRec {
    kind: String,
    unit_id: i64,
    unit_name: Option<String>,
    lease_id: Option<i64>,
    tenant_name: Option<String>,
    days: i64,
    weight: String,
    amount: i64,
}

/// A building's shares for the month, per kind.
pub async fn shares(
    db: &Db,
    building: i64,
    month: YearMonth,
) -> Result<HashMap<String, Vec<ShareRow>>, AppError> {
    let rows: Vec<ShareRec> = db_run!(db, |pool| {
        sqlx::query_as::<_, ShareRec>(
        "SELECT s.kind, s.unit_id, u.name AS unit_name, s.lease_id, t.name AS tenant_name, s.days, s.weight, s.amount \
         FROM utility_shares s LEFT JOIN units u ON u.id = s.unit_id LEFT JOIN leases l ON l.id = s.lease_id \
         LEFT JOIN tenants t ON t.id = l.tenant_id WHERE s.building_id = ? AND s.month = ? ORDER BY s.id"
    )
    .bind(building)
    .bind(month.to_string())
    .fetch_all(pool)
    .await?
    });
    let mut out: HashMap<String, Vec<ShareRow>> = HashMap::new();
    for r in rows {
        out.entry(r.kind).or_default().push(ShareRow {
            unit_id: r.unit_id,
            unit_name: r.unit_name.unwrap_or_else(|| "건물 전체".into()),
            lease_id: r.lease_id,
            tenant_name: r.tenant_name.unwrap_or_default(),
            days: r.days,
            weight: r.weight,
            amount: r.amount,
        });
    }
    Ok(out)
}

/// Whether a building's billing month is closed.
pub async fn month_closed(db: &Db, building: i64, month: YearMonth) -> Result<bool, AppError> {
    let n: i64 = db_run!(db, |pool| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM billing_months WHERE building_id = ? AND month = ? AND closed_at IS NOT NULL"
    )
    .bind(building)
    .bind(month.to_string())
    .fetch_one(pool)
    .await?
    });
    Ok(n > 0)
}

/// Buildings with a bill in the month (for splitting every building).
pub async fn buildings_with_bills(db: &Db, month: YearMonth) -> Result<Vec<i64>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_scalar(
        "SELECT DISTINCT building_id FROM utility_bills WHERE month = ? ORDER BY building_id"
    )
    .bind(month.to_string())
    .fetch_all(pool)
    .await?))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// A validated bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillInput {
    pub kind: String,
    pub month: YearMonth,
    pub total: i64,
    pub consumption: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub memo: String,
}

/// A validated kind setting (ratios: unit → basis points).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindInput {
    pub kind: String,
    pub label: String,
    pub basis: ShareBasis,
    pub common_bp: u32,
    pub ratios: BTreeMap<i64, u32>,
}

/// What a write changes before the bills are split again.
#[derive(Debug, Clone)]
pub enum Change {
    Bill(BillInput),
    /// Readings of a kind and month, each with the previous reading it was checked against and
    /// its usage.
    Readings {
        kind: String,
        month: YearMonth,
        rows: Vec<(ReadingInput, i64, i64)>,
    },
    /// A kind's setting; its bills from `from` on are split again.
    Kind {
        input: KindInput,
        from: YearMonth,
    },
    /// Nothing: every bill of the month is split again.
    Split {
        month: YearMonth,
    },
}

/// What one write did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The bill's id, for a bill.
    pub bill_id: Option<i64>,
    /// The (kind, month) split again that had a bill.
    pub bills: Vec<(String, YearMonth)>,
    pub leases_changed: BTreeSet<i64>,
    pub invoices_changed: BTreeSet<i64>,
}

/// A lease's occupancy of a unit (lease, unit, start, end).
type Occupancy = (i64, i64, NaiveDate, NaiveDate);

/// The split's inputs for a kind and month, read inside the transaction, and the shares.
struct Split {
    shares: Vec<Share>,
    weights: HashMap<i64, String>,
    label: String,
    basis: ShareBasis,
    total: i64,
}

fn describe_split(
    s: &Split,
    month: YearMonth,
    units: &HashMap<i64, String>,
) -> BTreeMap<i64, (i64, String)> {
    let mut by_lease: BTreeMap<i64, (i64, Vec<String>)> = BTreeMap::new();
    for sh in &s.shares {
        let Some(lease) = sh.lease_id else { continue };
        let e = by_lease.entry(lease).or_default();
        e.0 += sh.amount;
        e.1.push(format!(
            "{} {} × {}/{}일 = {}",
            units.get(&sh.unit_id).map(String::as_str).unwrap_or("?"),
            s.weights.get(&sh.unit_id).map(String::as_str).unwrap_or(""),
            sh.days,
            month.days(),
            format_won(sh.amount)
        ));
    }
    by_lease
        .into_iter()
        .map(|(lease, (amount, parts))| {
            (
                lease,
                (
                    amount,
                    format!(
                        "{} 고지액 {}을 {} 기준으로 나눔: {}",
                        s.label,
                        format_won(s.total),
                        s.basis.label_ko(),
                        parts.join(", ")
                    ),
                ),
            )
        })
        .collect()
}

/// Inserts a standard kind's default setting for a building if it has none, inside the
/// transaction (a bill or readings need the kind set).
macro_rules! ensure_kind {
    ($tx:expr, $building:expr, $kind:expr, $now:expr) => {{
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT common_bp FROM utility_kinds WHERE building_id = ? AND kind = ?",
        )
        .bind($building)
        .bind($kind)
        .fetch_optional(&mut *$tx)
        .await?;
        if exists.is_none() {
            let Some(d) = default_setting($kind) else {
                return Err(AppError::field("kind", "이 건물에 없는 공과금 종류입니다."));
            };
            sqlx::query(
                "INSERT INTO utility_kinds (building_id, kind, label, basis, common_bp, position, updated_at) \
                 SELECT ?, ?, ?, ?, 0, COALESCE(MAX(position), 0) + 1, ? FROM utility_kinds WHERE building_id = ?",
            )
            .bind($building)
            .bind($kind)
            .bind(&d.label)
            .bind(&d.basis)
            .bind($now)
            .bind($building)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Applies `change` to a building and splits the affected bills again, all in one transaction
/// (the building locked first, so two writers to one building take turns); `by` is the user
/// (none for the command line); `today` dates invoice status changes.
pub async fn apply(
    db: &Db,
    building: i64,
    change: &Change,
    by: Option<i64>,
    today: NaiveDate,
) -> Result<Applied, AppError> {
    let now = now_utc();
    let locking = locking_read(db);
    let mut out = Applied::default();
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        lock_row!(tx, "buildings", "name", building);
        // What to split again: (kind, month).
        let mut todo: Vec<(String, YearMonth)> = Vec::new();
        match change {
            Change::Bill(b) => {
                ensure_kind!(tx, building, &b.kind, now);
                let before: Option<(i64, i64)> = sqlx::query_as(
                    "SELECT id, total FROM utility_bills WHERE building_id = ? AND kind = ? AND month = ?",
                )
                .bind(building)
                .bind(&b.kind)
                .bind(b.month.to_string())
                .fetch_optional(&mut *tx)
                .await?;
                let id = match before {
                    Some((id, _)) => {
                        sqlx::query(
                            "UPDATE utility_bills SET total = ?, consumption = ?, period_from = ?, period_to = ?, memo = ?, updated_at = ? WHERE id = ?",
                        )
                        .bind(b.total)
                        .bind(b.consumption)
                        .bind(b.period_from)
                        .bind(b.period_to)
                        .bind(&b.memo)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        id
                    }
                    None => sqlx::query(
                        "INSERT INTO utility_bills (building_id, kind, month, total, consumption, period_from, period_to, memo, created_by, created_at, updated_at) \
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    )
                    .bind(building)
                    .bind(&b.kind)
                    .bind(b.month.to_string())
                    .bind(b.total)
                    .bind(b.consumption)
                    .bind(b.period_from)
                    .bind(b.period_to)
                    .bind(&b.memo)
                    .bind(by)
                    .bind(now)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .inserted_id(),
                };
                let after = to_json(&serde_json::json!({
                    "kind": b.kind, "month": b.month.to_string(), "total": b.total,
                    "consumption": b.consumption, "period_from": b.period_from,
                    "period_to": b.period_to, "memo": b.memo,
                }))?;
                let before = before
                    .map(|(_, t)| to_json(&serde_json::json!({ "total": t })))
                    .transpose()?;
                let action = if before.is_some() { "update" } else { "create" };
                write_audit!(tx, now, by, "utility_bill", id, action, before, Some(after));
                out.bill_id = Some(id);
                todo.push((b.kind.clone(), b.month));
            }
            Change::Readings { kind, month, rows } => {
                ensure_kind!(tx, building, kind, now);
                let m = month.to_string();
                let mut saved = Vec::new();
                for (r, previous, usage) in rows {
                    // The unit must be the building's.
                    let ok: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM units WHERE id = ? AND building_id = ?")
                            .bind(r.unit_id)
                            .bind(building)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if ok.is_none() {
                        return Err(AppError::field(
                            &format!("cur_{}", r.unit_id),
                            "이 건물의 호실이 아닙니다.",
                        ));
                    }
                    let (event, digits, old_final, old_mul, new_start) = match r.event {
                        MeterEvent::None => ("none", None, None, None, None),
                        MeterEvent::RollOver { digits } => {
                            ("rollover", Some(i64::from(digits)), None, None, None)
                        }
                        MeterEvent::Replaced {
                            old_final,
                            old_multiplier,
                            new_start,
                        } => (
                            "replaced",
                            None,
                            Some(old_final),
                            Some(i64::from(old_multiplier)),
                            Some(new_start),
                        ),
                    };
                    let changed = sqlx::query(
                        "UPDATE meter_readings SET previous = ?, current = ?, multiplier = ?, event = ?, digits = ?, old_final = ?, \
                         old_multiplier = ?, new_start = ?, consumption = ?, updated_by = ?, updated_at = ? \
                         WHERE unit_id = ? AND kind = ? AND month = ?",
                    )
                    .bind(previous)
                    .bind(r.current)
                    .bind(i64::from(r.multiplier))
                    .bind(event)
                    .bind(digits)
                    .bind(old_final)
                    .bind(old_mul)
                    .bind(new_start)
                    .bind(usage)
                    .bind(by)
                    .bind(now)
                    .bind(r.unit_id)
                    .bind(kind)
                    .bind(&m)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if changed == 0 {
                        sqlx::query(
                            "INSERT INTO meter_readings (building_id, unit_id, kind, month, previous, current, multiplier, event, digits, \
                             old_final, old_multiplier, new_start, consumption, updated_by, updated_at) \
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        )
                        .bind(building)
                        .bind(r.unit_id)
                        .bind(kind)
                        .bind(&m)
                        .bind(previous)
                        .bind(r.current)
                        .bind(i64::from(r.multiplier))
                        .bind(event)
                        .bind(digits)
                        .bind(old_final)
                        .bind(old_mul)
                        .bind(new_start)
                        .bind(usage)
                        .bind(by)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    saved.push(serde_json::json!({
                        "unit_id": r.unit_id, "current": format_reading(r.current),
                        "usage": format_reading(*usage), "event": event,
                    }));
                }
                let after =
                    to_json(&serde_json::json!({ "kind": kind, "month": m, "readings": saved }))?;
                write_audit!(
                    tx,
                    now,
                    by,
                    "meter_readings",
                    building,
                    "update",
                    None::<String>,
                    Some(after)
                );
                todo.push((kind.clone(), *month));
            }
            Change::Kind { input, from } => {
                let before: Option<(String, i64)> = sqlx::query_as(
                    "SELECT basis, common_bp FROM utility_kinds WHERE building_id = ? AND kind = ?",
                )
                .bind(building)
                .bind(&input.kind)
                .fetch_optional(&mut *tx)
                .await?;
                if before.is_some() {
                    sqlx::query(
                        "UPDATE utility_kinds SET label = ?, basis = ?, common_bp = ?, updated_at = ? WHERE building_id = ? AND kind = ?",
                    )
                    .bind(&input.label)
                    .bind(input.basis.as_str())
                    .bind(i64::from(input.common_bp))
                    .bind(now)
                    .bind(building)
                    .bind(&input.kind)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    sqlx::query(
                        "INSERT INTO utility_kinds (building_id, kind, label, basis, common_bp, position, updated_at) \
                         SELECT ?, ?, ?, ?, ?, COALESCE(MAX(position), 0) + 1, ? FROM utility_kinds WHERE building_id = ?",
                    )
                    .bind(building)
                    .bind(&input.kind)
                    .bind(&input.label)
                    .bind(input.basis.as_str())
                    .bind(i64::from(input.common_bp))
                    .bind(now)
                    .bind(building)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query("DELETE FROM utility_ratios WHERE building_id = ? AND kind = ?")
                    .bind(building)
                    .bind(&input.kind)
                    .execute(&mut *tx)
                    .await?;
                for (unit, bp) in &input.ratios {
                    sqlx::query(
                        "INSERT INTO utility_ratios (building_id, kind, unit_id, ratio_bp) \
                         SELECT ?, ?, id, ? FROM units WHERE id = ? AND building_id = ?",
                    )
                    .bind(building)
                    .bind(&input.kind)
                    .bind(i64::from(*bp))
                    .bind(unit)
                    .bind(building)
                    .execute(&mut *tx)
                    .await?;
                }
                let after = to_json(&serde_json::json!({
                    "kind": input.kind, "label": input.label, "basis": input.basis.as_str(),
                    "common_bp": input.common_bp, "ratios": input.ratios,
                }))?;
                let before = before
                    .map(|(b, c)| to_json(&serde_json::json!({ "basis": b, "common_bp": c })))
                    .transpose()?;
                write_audit!(
                    tx,
                    now,
                    by,
                    "utility_kind",
                    building,
                    "update",
                    before,
                    Some(after)
                );
                let months: Vec<String> = sqlx::query_scalar(
                    "SELECT month FROM utility_bills WHERE building_id = ? AND kind = ? AND month >= ? ORDER BY month",
                )
                .bind(building)
                .bind(&input.kind)
                .bind(from.to_string())
                .fetch_all(&mut *tx)
                .await?;
                todo.extend(
                    months
                        .iter()
                        .filter_map(|m| YearMonth::parse(m))
                        .map(|m| (input.kind.clone(), m)),
                );
            }
            Change::Split { month } => {
                // Kinds with a bill, and kinds split before whose bill is gone.
                let kinds: Vec<String> = sqlx::query_scalar(
                    "SELECT kind FROM utility_bills WHERE building_id = ? AND month = ? \
                     UNION SELECT kind FROM utility_charges WHERE building_id = ? AND month = ? ORDER BY 1",
                )
                .bind(building)
                .bind(month.to_string())
                .bind(building)
                .bind(month.to_string())
                .fetch_all(&mut *tx)
                .await?;
                todo.extend(kinds.into_iter().map(|k| (k, *month)));
            }
        }

        let units: Vec<(i64, String, f64, f64, f64)> = sqlx::query_as(
            "SELECT id, name, exclusive_area_m2, common_area_m2, contract_area_m2 FROM units WHERE building_id = ? ORDER BY floor, name, id",
        )
        .bind(building)
        .fetch_all(&mut *tx)
        .await?;
        let unit_names: HashMap<i64, String> = units.iter().map(|u| (u.0, u.1.clone())).collect();
        for (kind, month) in &todo {
            let m = month.to_string();
            let setting: Option<(String, String, i64)> = sqlx::query_as(
                "SELECT label, basis, common_bp FROM utility_kinds WHERE building_id = ? AND kind = ?",
            )
            .bind(building)
            .bind(kind)
            .fetch_optional(&mut *tx)
            .await?;
            let (label, basis, common_bp) = setting.unwrap_or_else(|| {
                (
                    kind_name(kind).unwrap_or(kind).to_string(),
                    ShareBasis::Metered.as_str().to_string(),
                    0,
                )
            });
            let basis = ShareBasis::parse(&basis).unwrap_or(ShareBasis::Metered);
            let total: Option<i64> = sqlx::query_scalar(
                "SELECT total FROM utility_bills WHERE building_id = ? AND kind = ? AND month = ?",
            )
            .bind(building)
            .bind(kind)
            .bind(&m)
            .fetch_optional(&mut *tx)
            .await?;
            let split = match total {
                None => None,
                Some(total) => {
                    let usage: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
                        "SELECT unit_id, consumption FROM meter_readings WHERE building_id = ? AND kind = ? AND month = ?",
                    )
                    .bind(building)
                    .bind(kind)
                    .bind(&m)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
                    let ratios: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
                        "SELECT unit_id, ratio_bp FROM utility_ratios WHERE building_id = ? AND kind = ?",
                    )
                    .bind(building)
                    .bind(kind)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
                    let occupancy: Vec<Occupancy> = sqlx::query_as(
                        "SELECT l.id, lu.unit_id, l.start_date, COALESCE(l.terminated_on, l.end_date) FROM leases l \
                         JOIN lease_units lu ON lu.lease_id = l.id WHERE l.building_id = ? AND l.start_date <= ? \
                         AND COALESCE(l.terminated_on, l.end_date) >= ? ORDER BY l.start_date, l.id",
                    )
                    .bind(building)
                    .bind(month.last_day())
                    .bind(month.first_day())
                    .fetch_all(&mut *tx)
                    .await?;
                    let share_units: Vec<ShareUnit> = units
                        .iter()
                        .map(|(id, _, excl, common, contract)| ShareUnit {
                            unit_id: *id,
                            usage: usage.get(id).copied().unwrap_or(0),
                            exclusive_m2: *excl,
                            common_m2: *common,
                            contract_m2: *contract,
                            fixed_bp: ratios.get(id).copied().unwrap_or(0).clamp(0, 1_000_000)
                                as u32,
                            occupancy: occupancy
                                .iter()
                                .filter(|o| o.1 == *id)
                                .map(|o| (o.0, o.2, o.3))
                                .collect(),
                        })
                        .collect();
                    let unit = kind_unit(kind);
                    Some(Split {
                        shares: split_bill(
                            total,
                            basis,
                            common_bp.clamp(0, 10_000) as u32,
                            &share_units,
                            *month,
                        ),
                        weights: share_units
                            .iter()
                            .map(|u| (u.unit_id, weight_text(u, basis, unit)))
                            .collect(),
                        label: label.clone(),
                        basis,
                        total,
                    })
                }
            };
            let after: BTreeMap<i64, (i64, String)> = split
                .as_ref()
                .map(|s| describe_split(s, *month, &unit_names))
                .unwrap_or_default();
            let before: BTreeMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
                "SELECT lease_id, amount FROM utility_charges WHERE building_id = ? AND month = ? AND kind = ?",
            )
            .bind(building)
            .bind(&m)
            .bind(kind)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
            sqlx::query(
                "DELETE FROM utility_shares WHERE building_id = ? AND kind = ? AND month = ?",
            )
            .bind(building)
            .bind(kind)
            .bind(&m)
            .execute(&mut *tx)
            .await?;
            if let Some(s) = &split {
                out.bills.push((kind.clone(), *month));
                for chunk in s.shares.chunks(200) {
                    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
                    let sql = format!(
                        "INSERT INTO utility_shares (building_id, kind, month, unit_id, lease_id, days, weight, amount) VALUES {values}"
                    );
                    let mut q = sqlx::query(&sql);
                    for sh in chunk {
                        q = q
                            .bind(building)
                            .bind(kind)
                            .bind(&m)
                            .bind(sh.unit_id)
                            .bind(sh.lease_id)
                            .bind(sh.days)
                            .bind(s.weights.get(&sh.unit_id).cloned().unwrap_or_default())
                            .bind(sh.amount);
                    }
                    q.execute(&mut *tx).await?;
                }
            }
            // Leases whose share changed: those split now with another amount, and those no
            // longer in the split (their share is now nothing).
            let mut changed: Vec<(i64, i64, String)> = Vec::new();
            for (lease, (amount, rule)) in &after {
                if before.get(lease) != Some(amount) {
                    changed.push((*lease, *amount, rule.clone()));
                }
            }
            for (lease, amount) in &before {
                if !after.contains_key(lease) && *amount != 0 {
                    changed.push((*lease, 0, format!("{label} 배분 대상에서 빠짐")));
                }
            }
            changed.sort();
            let mut audit = Vec::new();
            for (lease, amount, rule) in changed {
                lock_row!(tx, "leases", "version", lease);
                let charge = UtilityCharge {
                    lease_id: lease,
                    building_id: building,
                    month: *month,
                    kind: kind.clone(),
                    label: label.clone(),
                    amount,
                    rule,
                };
                let touched = crate::sync_utility_charge!(tx, locking, &charge, today, now);
                out.invoices_changed.extend(touched);
                out.leases_changed.insert(lease);
                audit.push(serde_json::json!({
                    "lease_id": lease, "before": before.get(&lease).copied().unwrap_or(0), "after": amount,
                }));
            }
            if !audit.is_empty() {
                let after = to_json(&serde_json::json!({
                    "kind": kind, "month": m, "basis": basis.as_str(), "total": split.as_ref().map(|s| s.total),
                    "leases": audit,
                }))?;
                write_audit!(
                    tx,
                    now,
                    by,
                    SPLIT_ENTITY,
                    building,
                    "update",
                    None::<String>,
                    Some(after)
                );
            }
        }
        tx.commit().await?;
    });
    Ok(out)
}
