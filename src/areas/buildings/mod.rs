//! Buildings and their units (호실): the record staff keep (addresses, the building register's
//! codes, areas, approval date, owner, managers, region class for the lease law), the units with
//! their areas, and each building's page with its leases, contracts and files. A new building
//! gets its utility records in the same transaction.

use crate::areas::contracts::ContractListRow;
use crate::areas::files::FileDto;
use crate::areas::leases::LeaseSummary;
use crate::domain::ApiError;
use crate::domain::error::FieldErrors;
use crate::domain::form::number;
use crate::domain::lease::RegionClass;
use crate::domain::list::NamedRef;
use crate::domain::validation::check_len;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// A building's record as entered by staff (the building register's identifying codes
/// included: 시군구코드, 법정동코드, 대지구분, 번, 지).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildingInput {
    pub name: String,
    pub road_address: String,
    pub lot_address: String,
    pub sigungu_cd: String,
    pub bjdong_cd: String,
    pub plat_gb_cd: String,
    pub bun: String,
    pub ji: String,
    /// Empty: read off the 시군구코드 (see [`RegionClass`] and `region_from_sigungu`).
    pub region_class: String,
    /// Why staff chose a class other than the code's (empty when it follows the code).
    pub region_reason: String,
    pub main_use: String,
    pub floors_above: i32,
    pub floors_below: i32,
    pub land_area_m2: f64,
    pub building_area_m2: f64,
    pub total_area_m2: f64,
    pub approval_date: Option<NaiveDate>,
    pub client_id: Option<i64>,
    pub manager_ids: Vec<i64>,
}

fn digits(v: &str, n: usize) -> bool {
    v.len() == n && v.bytes().all(|b| b.is_ascii_digit())
}

impl BuildingInput {
    /// Validates, and pads 번/지 to the register's four digits.
    pub fn normalize(&mut self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.name,
            &mut self.road_address,
            &mut self.lot_address,
            &mut self.sigungu_cd,
            &mut self.bjdong_cd,
            &mut self.plat_gb_cd,
            &mut self.bun,
            &mut self.ji,
            &mut self.main_use,
        ] {
            *s = s.trim().to_string();
        }
        if self.name.is_empty() {
            e.insert("name".into(), "건물 이름을 입력해 주세요.".into());
        }
        check_len(&mut e, "name", &self.name, 200, "건물 이름");
        check_len(
            &mut e,
            "road_address",
            &self.road_address,
            300,
            "도로명 주소",
        );
        check_len(&mut e, "lot_address", &self.lot_address, 300, "지번 주소");
        check_len(&mut e, "main_use", &self.main_use, 100, "주용도");
        self.region_reason = self.region_reason.trim().to_string();
        check_len(
            &mut e,
            "region_reason",
            &self.region_reason,
            200,
            "지역 구분 사유",
        );
        let guess = crate::domain::lease::region_from_sigungu(&self.sigungu_cd);
        match (RegionClass::parse(&self.region_class), guess) {
            // 자동: the code decides.
            (None, Some(g)) if self.region_class.trim().is_empty() => {
                self.region_class = g.class.as_str().into();
                self.region_reason.clear();
            }
            (None, None) if self.region_class.trim().is_empty() => {
                e.insert(
                    "region_class".into(),
                    "시군구코드를 입력하면 지역 구분이 자동으로 정해집니다. 코드를 모르면 지역 구분을 직접 골라 주세요.".into(),
                );
            }
            (None, _) => {
                e.insert("region_class".into(), "지역 구분을 선택해 주세요.".into());
            }
            (Some(chosen), Some(g)) if chosen != g.class => {
                if self.region_reason.chars().count() < 2 {
                    e.insert(
                        "region_reason".into(),
                        format!(
                            "시군구코드 {}(으)로는 '{}'입니다. 다르게 정하려면 사유를 입력해 주세요.",
                            self.sigungu_cd,
                            g.class.label_ko()
                        ),
                    );
                }
            }
            // The code's own class: a reason is kept only where the code is not decisive.
            (Some(_), Some(g)) if g.certain => self.region_reason.clear(),
            (Some(_), _) => {}
        }
        if !self.sigungu_cd.is_empty() && !digits(&self.sigungu_cd, 5) {
            e.insert(
                "sigungu_cd".into(),
                "시군구코드는 숫자 5자리입니다 (예: 11440).".into(),
            );
        }
        if !self.bjdong_cd.is_empty() && !digits(&self.bjdong_cd, 5) {
            e.insert(
                "bjdong_cd".into(),
                "법정동코드는 숫자 5자리입니다 (예: 12200).".into(),
            );
        }
        if self.plat_gb_cd.is_empty() && !self.sigungu_cd.is_empty() {
            self.plat_gb_cd = "0".into(); // 대지, the usual case
        }
        if !matches!(self.plat_gb_cd.as_str(), "" | "0" | "1" | "2") {
            e.insert(
                "plat_gb_cd".into(),
                "대지구분은 0(대지), 1(산), 2(블록) 중 하나입니다.".into(),
            );
        }
        for (field, v, label) in [("bun", &mut self.bun, "번"), ("ji", &mut self.ji, "지")] {
            if v.is_empty() {
                continue;
            }
            if v.len() > 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
                e.insert(
                    field.into(),
                    format!("{label}은(는) 숫자 4자리 이내입니다."),
                );
            } else {
                *v = format!("{:0>4}", v);
            }
        }
        if !(0..=200).contains(&self.floors_above) || !(0..=30).contains(&self.floors_below) {
            e.insert(
                "floors_above".into(),
                "층수를 확인해 주세요 (지상 0–200층, 지하 0–30층).".into(),
            );
        }
        for (field, v) in [
            ("land_area_m2", self.land_area_m2),
            ("building_area_m2", self.building_area_m2),
            ("total_area_m2", self.total_area_m2),
        ] {
            if !v.is_finite() || !(0.0..=10_000_000.0).contains(&v) {
                e.insert(field.into(), "면적은 0 이상의 숫자로 입력해 주세요.".into());
            }
        }
        self.manager_ids.sort_unstable();
        self.manager_ids.dedup();
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// `11440-12200-0-0045-0012`, the key the building register API is asked with.
    pub fn register_key(&self) -> String {
        if self.sigungu_cd.is_empty() {
            return String::new();
        }
        format!(
            "{}-{}-{}-{}-{}",
            self.sigungu_cd, self.bjdong_cd, self.plat_gb_cd, self.bun, self.ji
        )
    }
}

/// The building form as posted: areas may be empty or carry thousands separators, the approval
/// date and owner may be empty, `manager_ids` is a comma-separated list of user ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingForm {
    pub name: String,
    pub road_address: String,
    #[serde(default)]
    pub lot_address: String,
    #[serde(default)]
    pub sigungu_cd: String,
    #[serde(default)]
    pub bjdong_cd: String,
    #[serde(default)]
    pub plat_gb_cd: String,
    #[serde(default)]
    pub bun: String,
    #[serde(default)]
    pub ji: String,
    #[serde(default)]
    pub region_class: String,
    #[serde(default)]
    pub region_reason: String,
    pub main_use: String,
    #[serde(deserialize_with = "number")]
    pub floors_above: i32,
    #[serde(deserialize_with = "number")]
    pub floors_below: i32,
    #[serde(default)]
    pub land_area_m2: String,
    #[serde(default)]
    pub building_area_m2: String,
    #[serde(default)]
    pub total_area_m2: String,
    #[serde(default)]
    pub approval_date: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default, deserialize_with = "crate::domain::form::choices")]
    pub manager_ids: String,
}

impl BuildingForm {
    /// The record it describes, or the field error of a value that cannot be read.
    pub fn parse(self) -> Result<BuildingInput, ApiError> {
        let approval_date = match self.approval_date.trim() {
            "" => None,
            d => Some(d.parse::<NaiveDate>().map_err(|_| {
                ApiError::field("approval_date", "사용승인일이 올바른 날짜가 아닙니다.")
            })?),
        };
        let client_id = match self.client_id.trim() {
            "" => None,
            c => Some(
                c.parse::<i64>()
                    .map_err(|_| ApiError::field("client_id", "고객 선택이 올바르지 않습니다."))?,
            ),
        };
        let mut area = [0.0f64; 3];
        for (i, (raw, field)) in [
            &self.land_area_m2,
            &self.building_area_m2,
            &self.total_area_m2,
        ]
        .iter()
        .zip(["land_area_m2", "building_area_m2", "total_area_m2"])
        .enumerate()
        {
            let raw = raw.trim().replace(',', "");
            if !raw.is_empty() {
                area[i] = raw.parse::<f64>().map_err(|_| {
                    ApiError::field(field, "면적은 숫자로 입력해 주세요 (예: 412.5).")
                })?;
            }
        }
        let manager_ids = crate::domain::form::id_list(&self.manager_ids)
            .map_err(|_| ApiError::field("manager_ids", "담당자 선택이 올바르지 않습니다."))?;
        Ok(BuildingInput {
            name: self.name,
            road_address: self.road_address,
            lot_address: self.lot_address,
            sigungu_cd: self.sigungu_cd,
            bjdong_cd: self.bjdong_cd,
            plat_gb_cd: self.plat_gb_cd,
            bun: self.bun,
            ji: self.ji,
            region_class: self.region_class,
            region_reason: self.region_reason,
            main_use: self.main_use,
            floors_above: self.floors_above,
            floors_below: self.floors_below,
            land_area_m2: area[0],
            building_area_m2: area[1],
            total_area_m2: area[2],
            approval_date,
            client_id,
            manager_ids,
        })
    }
}

/// Units `{from}호` to `{to}호` on one floor of a building, all with the same areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitsForm {
    #[serde(deserialize_with = "number")]
    pub building_id: i64,
    #[serde(deserialize_with = "number")]
    pub floor: i32,
    #[serde(deserialize_with = "number")]
    pub from: u32,
    #[serde(deserialize_with = "number")]
    pub to: u32,
    #[serde(deserialize_with = "number")]
    pub exclusive_area_m2: f64,
    #[serde(deserialize_with = "number")]
    pub common_area_m2: f64,
}

impl UnitsForm {
    /// Field errors of areas that are not a finite number from 0 to 100,000㎡.
    pub fn check_areas(&self) -> Result<(), ApiError> {
        for (field, v) in [
            ("exclusive_area_m2", self.exclusive_area_m2),
            ("common_area_m2", self.common_area_m2),
        ] {
            if !v.is_finite() || !(0.0..=100_000.0).contains(&v) {
                return Err(ApiError::field(
                    field,
                    "면적은 0 이상 100,000㎡ 이하의 숫자로 입력해 주세요.",
                ));
            }
        }
        Ok(())
    }
}

/// Units "1층 101–110호": one name per number in the range, on the given floor.
pub fn unit_range(floor: i32, from: u32, to: u32) -> Result<Vec<(i32, String)>, ApiError> {
    if from == 0 || to < from || to - from >= 200 {
        return Err(ApiError::field(
            "to",
            "호실 번호 범위가 올바르지 않습니다 (한 번에 200개까지).",
        ));
    }
    Ok((from..=to).map(|n| (floor, format!("{n}호"))).collect())
}

/// Choices for the building form: all clients and all staff (id and name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingFormChoices {
    pub clients: Vec<NamedRef>,
    pub staff: Vec<NamedRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingSummary {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub region: String,
    pub client_name: Option<String>,
    pub managers: String,
    pub units: i64,
    pub active_leases: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitDto {
    pub id: i64,
    pub floor: i32,
    pub name: String,
    pub exclusive_area_m2: f64,
    pub common_area_m2: f64,
    pub contract_area_m2: f64,
}

/// A unit in its building's list, with the tenant of its live lease.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitListRow {
    pub id: i64,
    pub floor: i32,
    pub name: String,
    pub exclusive_area_m2: f64,
    pub common_area_m2: f64,
    pub contract_area_m2: f64,
    pub tenant_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildingDetail {
    pub id: i64,
    pub name: String,
    pub road_address: String,
    pub region: String,
    pub info: BuildingInput,
    pub client_name: Option<String>,
    pub managers: Vec<NamedRef>,
    pub units: Vec<UnitDto>,
    pub leases: Vec<LeaseSummary>,
    pub contracts: Vec<ContractListRow>,
    pub files: Vec<FileDto>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_areas_must_be_finite_and_not_negative() {
        let mut f = UnitsForm {
            building_id: 1,
            floor: 1,
            from: 101,
            to: 102,
            exclusive_area_m2: 33.1,
            common_area_m2: 12.4,
        };
        assert!(f.check_areas().is_ok());
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1e9] {
            f.common_area_m2 = bad;
            assert!(
                f.check_areas()
                    .unwrap_err()
                    .field_message("common_area_m2")
                    .is_some()
            );
        }
    }

    #[test]
    fn register_codes_are_checked_and_padded() {
        let mut b = BuildingInput {
            name: "망원빌딩".into(),
            region_class: "seoul".into(),
            sigungu_cd: "11440".into(),
            bjdong_cd: "12200".into(),
            plat_gb_cd: "0".into(),
            bun: "45".into(),
            ji: "12".into(),
            ..Default::default()
        };
        b.normalize().unwrap();
        assert_eq!(b.register_key(), "11440-12200-0-0045-0012");
        b.sigungu_cd = "1144".into();
        assert!(b.normalize().unwrap_err().contains_key("sigungu_cd"));
    }
}
