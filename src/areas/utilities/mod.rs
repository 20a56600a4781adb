//! Utilities (공과금·검침, legacy `bldutilcal` / `lmutilcal` / `payment_utilusage`): a
//! building's bill per kind and month (electricity, water, gas, heating and its own kinds) with
//! the bill attached; meter readings per unit entered in a grid or imported from XLSX; each
//! kind's share basis (usage, areas, fixed ratio, equal; a common-area portion by area) and the
//! split of every bill among the units and, by days, the leases occupying them, vacant days
//! the owner's. A lease's share becomes a line on its invoice for the month while the month is
//! open, an adjustment on its next open invoice after it closed (billing's
//! `store::utility`). Saving a bill, readings or a kind's basis splits again in the same
//! transaction, audited: the legacy triggers made explicit. The rules are in
//! `domain::utilities`.

use crate::areas::files::FileDto;
use crate::domain::error::FieldErrors;
use crate::domain::form::{checkbox, number};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// A kind of bill a building gets and how it is shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindSetting {
    pub kind: String,
    pub label: String,
    /// `ShareBasis::as_str`.
    pub basis: String,
    /// The common-area portion, basis points of the bill.
    pub common_bp: i64,
    /// The meter's unit (`kWh`), empty for a building's own kind.
    pub unit: String,
}

/// A building's bill for a kind and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillRow {
    pub id: i64,
    pub total: i64,
    /// The building's usage on the bill, as written (`12,345.6`).
    pub consumption: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub memo: String,
    pub files: Vec<FileDto>,
}

/// Who pays part of a bill: a lease, or the owner for a unit's vacant days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub lease_id: Option<i64>,
    /// The tenant, or empty for the owner's part.
    pub tenant_name: String,
    pub days: i64,
    pub weight: String,
    pub amount: i64,
}

/// A kind's month in a building: its setting, bill, readings entered and shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindMonth {
    pub setting: KindSetting,
    pub bill: Option<BillRow>,
    pub readings: i64,
    pub units: i64,
    pub shares: Vec<ShareRow>,
    pub tenants_total: i64,
    /// Vacant days' shares: the building's own cost.
    pub owner_total: i64,
}

/// `/platform/utilities`: a building's utilities for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtilityMonth {
    pub building_id: i64,
    pub building_name: String,
    pub month: String,
    pub month_label: String,
    /// The building's billing month is closed: changes become adjustments on the next month.
    pub closed: bool,
    pub kinds: Vec<KindMonth>,
    /// Units with their fixed ratio per kind (for the settings form): (unit id, name, kind → bp).
    pub units: Vec<(i64, String, BTreeMap<String, i64>)>,
}

/// A unit's row in the reading grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingRow {
    pub unit_id: i64,
    pub unit_name: String,
    /// Who occupies the unit in the month (tenants, or empty when vacant).
    pub occupant: String,
    /// Last month's reading carried over (thousandths), or this month's saved previous.
    pub previous: i64,
    /// This month's reading, if entered (thousandths).
    pub current: Option<i64>,
    pub multiplier: i64,
    /// `none`, `rollover` or `replaced`.
    pub event: String,
    pub digits: Option<i64>,
    pub old_final: Option<i64>,
    pub old_multiplier: Option<i64>,
    pub new_start: Option<i64>,
    pub usage: Option<i64>,
    /// The unit's usage in up to the 12 months before (thousandths), oldest first.
    pub history: Vec<i64>,
}

/// `/platform/utilities/readings`: a kind's readings of a building for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingGrid {
    pub building_id: i64,
    pub building_name: String,
    pub kind: String,
    pub label: String,
    pub unit: String,
    pub basis: String,
    pub month: String,
    pub month_label: String,
    pub closed: bool,
    pub rows: Vec<ReadingRow>,
}

/// What saving readings, a bill or a setting did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitReport {
    /// Readings saved (for a grid or an import).
    pub saved: i64,
    /// Bills split again: (kind label, month).
    pub bills: Vec<(String, String)>,
    /// Leases whose share changed.
    pub leases_changed: i64,
    /// Invoices whose lines changed.
    pub invoices_changed: i64,
    /// Readings saved although far from the unit's average (unit name, why).
    pub unusual: Vec<(String, String)>,
    pub millis: i64,
}

impl SplitReport {
    pub fn summary_ko(&self) -> String {
        let mut s = String::new();
        if self.saved > 0 {
            s.push_str(&format!("검침 {}건을 저장했습니다. ", self.saved));
        }
        if self.bills.is_empty() {
            s.push_str("나눌 고지서가 없어 배분은 그대로입니다.");
        } else {
            s.push_str(&format!(
                "고지서 {}건을 다시 나눠 임차인 {}명의 분담액이 바뀌었고 청구서 {}장을 고쳤습니다.",
                self.bills.len(),
                self.leases_changed,
                self.invoices_changed
            ));
        }
        s
    }
}

/// The bill form as posted (amounts as typed: `1,234,000원` is fine).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub total: String,
    #[serde(default)]
    pub consumption: String,
    #[serde(default)]
    pub period_from: String,
    #[serde(default)]
    pub period_to: String,
    #[serde(default)]
    pub memo: String,
}

/// A kind's setting as posted: its name, basis, common portion (percent) and, for a fixed
/// ratio, `ratio_<unit id>` per unit. An empty `kind` adds a building's own kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub common_percent: String,
    /// The month the page shows: its bill and later ones are split again.
    #[serde(default)]
    pub month: String,
    #[serde(flatten)]
    pub cells: BTreeMap<String, String>,
}

/// The reading grid as posted: per unit `cur_<id>` (this month's reading), `mul_<id>`
/// (multiplier), `evt_<id>` (`none`, `rollover`, `replaced`), `dig_<id>` (the dial's digits for
/// a roll-over), `old_<id>`, `oldmul_<id>` and `start_<id>` (a replacement's old meter's last
/// reading and multiplier, and the new meter's first reading). `confirm` saves readings far
/// from the unit's average as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingsForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub month: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub confirm: bool,
    #[serde(flatten)]
    pub cells: BTreeMap<String, String>,
}

/// 다시 나누기: every bill of a building's month split again (after a lease changed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(default)]
    pub month: String,
}

/// One unit's reading as entered, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingInput {
    pub unit_id: i64,
    pub current: i64,
    pub multiplier: u32,
    pub event: crate::domain::utilities::MeterEvent,
}

impl ReadingsForm {
    /// The readings entered (a unit whose reading is left empty is skipped), checked against
    /// `previous` (unit → last reading) with the usage of each; field errors name `cur_<unit>`.
    pub fn readings(
        &self,
        previous: &BTreeMap<i64, i64>,
    ) -> Result<Vec<(ReadingInput, i64)>, FieldErrors> {
        use crate::domain::utilities::{MeterEvent, Reading, parse_reading, usage};
        let mut e = FieldErrors::new();
        let mut out = Vec::new();
        for (&unit, &prev) in previous {
            let cell = |p: &str| {
                self.cells
                    .get(&format!("{p}_{unit}"))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let cur = cell("cur");
            if cur.is_empty() {
                continue;
            }
            let field = format!("cur_{unit}");
            let current = match parse_reading(&cur) {
                Ok(v) => v,
                Err(m) => {
                    e.insert(field, m);
                    continue;
                }
            };
            let small = |p: &str, default: u32| -> Result<u32, String> {
                let t = cell(p);
                if t.is_empty() {
                    return Ok(default);
                }
                t.parse::<u32>()
                    .ok()
                    .filter(|v| (1..=100_000).contains(v))
                    .ok_or_else(|| format!("'{t}'은 1~100,000 사이의 정수가 아닙니다."))
            };
            let reading = |p: &str, what: &str| -> Result<i64, String> {
                let t = cell(p);
                if t.is_empty() {
                    return Err(format!("{what}을 입력하세요."));
                }
                parse_reading(&t)
            };
            let parsed = (|| -> Result<(u32, MeterEvent), String> {
                let multiplier = small("mul", 1).map_err(|m| format!("배율: {m}"))?;
                let event = match cell("evt").as_str() {
                    "" | "none" => MeterEvent::None,
                    "rollover" => MeterEvent::RollOver {
                        digits: small("dig", 0).map_err(|_| {
                            "한 바퀴 돈 계량기의 자릿수(1~12)를 입력하세요.".to_string()
                        })?,
                    },
                    "replaced" => MeterEvent::Replaced {
                        old_final: reading("old", "교체 전 계량기의 마지막 값")?,
                        old_multiplier: small("oldmul", 1)
                            .map_err(|m| format!("교체 전 배율: {m}"))?,
                        new_start: reading("start", "새 계량기의 설치 때 값")?,
                    },
                    other => return Err(format!("알 수 없는 계량기 상태입니다: {other}")),
                };
                Ok((multiplier, event))
            })();
            let (multiplier, event) = match parsed {
                Ok(x) => x,
                Err(m) => {
                    e.insert(field, m);
                    continue;
                }
            };
            match usage(&Reading {
                previous: prev,
                current,
                multiplier,
                event,
            }) {
                Ok(u) => out.push((
                    ReadingInput {
                        unit_id: unit,
                        current,
                        multiplier,
                        event,
                    },
                    u,
                )),
                Err(m) => {
                    e.insert(field, m);
                }
            }
        }
        if e.is_empty() { Ok(out) } else { Err(e) }
    }
}
