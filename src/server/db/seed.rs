//! `doongji seed-demo`: fills an empty database with realistic Korean demo data (buildings in
//! Seoul, units, clients, tenants with valid business numbers and 010 numbers, and leases with
//! past, current and expiring terms; three months of electricity readings and this month's
//! electricity and water bills), for trying the platform and for the benchmarks.

use crate::db_run;
use crate::domain::term::LeaseStatus;
use crate::server::db::{Db, InsertedId, now_utc};
use crate::server::error::AppError;
use crate::server::time::today_seoul;
use chrono::{Datelike, Months, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// 시군구코드 of the districts below, in the same order.
const GU_CODES: [&str; 6] = ["11680", "11650", "11440", "11560", "11140", "11200"];

const GU: [(&str, &[&str], &[&str]); 6] = [
    (
        "강남구",
        &["역삼동", "삼성동", "논현동", "대치동"],
        &["테헤란로", "강남대로", "논현로", "선릉로"],
    ),
    (
        "서초구",
        &["서초동", "방배동", "양재동"],
        &["서초대로", "반포대로", "강남대로"],
    ),
    (
        "마포구",
        &["서교동", "합정동", "연남동", "망원동"],
        &["양화로", "월드컵로", "동교로"],
    ),
    (
        "영등포구",
        &["여의도동", "당산동", "문래동"],
        &["국제금융로", "영등포로", "당산로"],
    ),
    (
        "중구",
        &["을지로동", "명동", "회현동"],
        &["을지로", "세종대로", "퇴계로"],
    ),
    (
        "성동구",
        &["성수동1가", "성수동2가", "왕십리동"],
        &["성수이로", "아차산로", "왕십리로"],
    ),
];
const SUFFIX: [&str; 8] = [
    "타워",
    "빌딩",
    "센터",
    "프라자",
    "스퀘어",
    "빌딩",
    "하우스",
    "타워",
];
const USES: [&str; 4] = ["업무시설", "근린생활시설", "판매시설", "업무시설"];
const SURNAMES: [&str; 10] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
const GIVEN: [&str; 10] = [
    "민준", "서연", "도윤", "하은", "지호", "수아", "현우", "지민", "예준", "유진",
];
const TRADE: [&str; 10] = [
    "커피",
    "약국",
    "치과",
    "세무회계",
    "디자인",
    "부동산",
    "베이커리",
    "필라테스",
    "소프트",
    "법률사무소",
];

/// A 사업자등록번호 with a correct check digit.
fn business_number(rng: &mut StdRng) -> String {
    const W: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let d: Vec<u32> = (0..9)
        .map(|i| {
            if i == 0 {
                rng.gen_range(1..10)
            } else {
                rng.gen_range(0..10)
            }
        })
        .collect();
    let mut sum: u32 = d.iter().zip(W).map(|(a, w)| a * w).sum();
    sum += d[8] * 5 / 10;
    let check = (10 - sum % 10) % 10;
    format!(
        "{}{}{}-{}{}-{}{}{}{}{}",
        d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], check
    )
}

pub struct SeedReport {
    pub buildings: usize,
    pub units: usize,
    pub tenants: usize,
    pub leases: usize,
}

/// Writes the demo data in one transaction; refuses a database that already has buildings.
pub async fn seed_demo(db: &Db, buildings: usize, leases: usize) -> Result<SeedReport, AppError> {
    if buildings == 0 || leases < buildings {
        return Err(AppError::conflict(
            "건물은 1개 이상, 계약은 건물 수 이상이어야 합니다.",
        ));
    }
    let existing: i64 = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM buildings"
    )
    .fetch_one(pool)
    .await?);
    if existing > 0 {
        return Err(AppError::conflict(
            "이미 건물이 있는 데이터베이스입니다. 빈 데이터베이스에서 실행해 주세요.",
        ));
    }
    let mut rng = StdRng::seed_from_u64(20_261_125);
    let now = now_utc();
    let today = today_seoul();
    let per_building = leases.div_ceil(buildings);
    let mut report = SeedReport {
        buildings: 0,
        units: 0,
        tenants: 0,
        leases: 0,
    };
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        // Write first: a SQLite transaction that reads and then writes fails at once (busy)
        // when another connection wrote in between (the session cleanup at start-up does);
        // one that starts with a write waits for the lock instead.
        sqlx::query("UPDATE users SET role = role WHERE id = 0")
            .execute(&mut *tx)
            .await?;
        let staff: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE role IN ('admin', 'manager') ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut client_id = 0i64;
        for b in 0..buildings {
            if b % 5 == 0 {
                let name = format!(
                    "{}{}",
                    SURNAMES[rng.gen_range(0..10)],
                    GIVEN[rng.gen_range(0..10)]
                );
                let company = b % 10 == 5;
                let name = if company {
                    format!("(주){}자산", GIVEN[rng.gen_range(0..10)])
                } else {
                    name
                };
                client_id = sqlx::query("INSERT INTO clients (kind, name, business_number, representative, contact_phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(if company { "company" } else { "person" }).bind(&name).bind(business_number(&mut rng))
                    .bind(format!("{}{}", SURNAMES[rng.gen_range(0..10)], GIVEN[rng.gen_range(0..10)]))
                    .bind(format!("02-{}-{:04}", rng.gen_range(300..990), rng.gen_range(0..10_000)))
                    .bind(now).bind(now)
                    .execute(&mut *tx).await?.inserted_id();
            }
            let gu_index = rng.gen_range(0..GU.len());
            let (gu, dongs, roads) = GU[gu_index];
            let dong = dongs[rng.gen_range(0..dongs.len())];
            let road = roads[rng.gen_range(0..roads.len())];
            let name = format!(
                "{} {}{}",
                dong.trim_end_matches(|c: char| c.is_ascii_digit() || c == '가'),
                SUFFIX[b % SUFFIX.len()],
                b + 1
            );
            let floors = rng.gen_range(4..21);
            let (bun, ji) = (rng.gen_range(1..900), rng.gen_range(1..40));
            let land = f64::from(rng.gen_range(300..3_000)) + 0.25;
            let approved = NaiveDate::from_ymd_opt(
                rng.gen_range(1985..2022),
                rng.gen_range(1..13),
                rng.gen_range(1..29),
            );
            let building_id = sqlx::query(
                "INSERT INTO buildings (name, road_address, lot_address, sigungu_cd, bjdong_cd, plat_gb_cd, bun, ji, main_use, floors_above, \
                 floors_below, land_area_m2, building_area_m2, total_area_m2, approval_date, region_class, client_id, public_description, \
                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, '0', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seoul', ?, '', ?, ?)",
            )
            .bind(&name)
            .bind(format!("서울특별시 {gu} {road} {}", rng.gen_range(1..500)))
            .bind(format!("서울특별시 {gu} {dong} {bun}-{ji}"))
            .bind(GU_CODES[gu_index])
            .bind(format!("{}", 10100 + 100 * rng.gen_range(0..20)))
            .bind(format!("{bun:04}"))
            .bind(format!("{ji:04}"))
            .bind(USES[rng.gen_range(0..USES.len())])
            .bind(floors)
            .bind(rng.gen_range(1..6))
            .bind(land)
            .bind((land * 0.6 * 100.0).round() / 100.0)
            .bind(f64::from(rng.gen_range(1_000..30_000)) + 0.5)
            .bind(approved)
            .bind(client_id)
            .bind(now)
            .bind(now)
            .execute(&mut *tx).await?.inserted_id();
            for kind in ["electricity", "water", "gas"] {
                sqlx::query("INSERT INTO building_utilities (building_id, kind, created_at) VALUES (?, ?, ?)")
                    .bind(building_id).bind(kind).bind(now).execute(&mut *tx).await?;
            }
            if !staff.is_empty() {
                sqlx::query("INSERT INTO building_managers (building_id, user_id) VALUES (?, ?)")
                    .bind(building_id)
                    .bind(staff[b % staff.len()])
                    .execute(&mut *tx)
                    .await?;
            }
            // A management contract for every building: two-year terms, some ending soon.
            let c_start = NaiveDate::from_ymd_opt(
                today.year() - rng.gen_range(0..2),
                rng.gen_range(1..13),
                1,
            )
            .unwrap_or(today);
            let c_end = c_start
                .checked_add_months(Months::new(24))
                .and_then(|d| d.pred_opt())
                .unwrap_or(c_start);
            let c_status = crate::domain::term::ContractStatus::from_term(c_start, c_end, today);
            sqlx::query(
                "INSERT INTO management_contracts (building_id, client_id, start_date, end_date, scope, monthly_fee, vat_applies, status, \
                 version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            )
            .bind(building_id).bind(client_id).bind(c_start).bind(c_end)
            .bind(["PM,FM", "PM,LM,FM", "FM", "PM"][rng.gen_range(0..4)])
            .bind(i64::from(rng.gen_range(15..80u32)) * 100_000).bind(true).bind(c_status.as_str())
            .bind(now).bind(now)
            .execute(&mut *tx).await?;
            report.buildings += 1;
            let count = per_building.min(leases - report.leases);
            // Utilities: electricity by metered usage (three months of readings), water by
            // exclusive area with a 10% common part; this month's bills.
            let this_month = crate::domain::billing::YearMonth::of(today);
            let months = [this_month.prev().prev(), this_month.prev(), this_month];
            let mut kwh_this_month = 0i64;
            for (kind, label, basis, common) in [
                ("electricity", "전기", "metered", 0),
                ("water", "수도", "exclusive_area", 1000),
            ] {
                sqlx::query(
                    "INSERT INTO utility_kinds (building_id, kind, label, basis, common_bp, position, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(building_id).bind(kind).bind(label).bind(basis).bind(common)
                .bind(if kind == "water" { 2 } else { 1 }).bind(now)
                .execute(&mut *tx).await?;
            }
            for u in 0..count {
                let floor = (u / 10) as i32 + 1;
                let (exclusive, common) = (
                    f64::from(rng.gen_range(200..1500)) / 10.0,
                    f64::from(rng.gen_range(80..600)) / 10.0,
                );
                let unit_id = sqlx::query("INSERT INTO units (building_id, floor, name, exclusive_area_m2, common_area_m2, contract_area_m2, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(building_id).bind(floor).bind(format!("{}{:02}호", floor, u % 10 + 1))
                    .bind(exclusive).bind(common).bind(crate::domain::measure::contract_area(exclusive, common)).bind(now)
                    .execute(&mut *tx).await?.inserted_id();
                report.units += 1;
                // Readings in thousandths of a kWh, from a meter showing 10,000–90,000.
                let mut reading = i64::from(rng.gen_range(10_000..90_000u32)) * 1000;
                for m in months {
                    let used =
                        (exclusive * f64::from(rng.gen_range(4..12u32))).round() as i64 * 1000;
                    sqlx::query(
                        "INSERT INTO meter_readings (building_id, unit_id, kind, month, previous, current, multiplier, event, consumption, updated_at) \
                         VALUES (?, ?, 'electricity', ?, ?, ?, 1, 'none', ?, ?)",
                    )
                    .bind(building_id).bind(unit_id).bind(m.to_string()).bind(reading).bind(reading + used).bind(used).bind(now)
                    .execute(&mut *tx).await?;
                    reading += used;
                    if m == this_month {
                        kwh_this_month += used;
                    }
                }
                let company = rng.gen_bool(0.7);
                let tenant_name = if company {
                    format!(
                        "(주){}{}",
                        GIVEN[rng.gen_range(0..10)],
                        TRADE[rng.gen_range(0..10)]
                    )
                } else {
                    format!(
                        "{}{}{}",
                        SURNAMES[rng.gen_range(0..10)],
                        GIVEN[rng.gen_range(0..10)],
                        TRADE[rng.gen_range(0..10)]
                    )
                };
                let tenant_id = sqlx::query(
                    "INSERT INTO tenants (kind, name, business_number, representative, contact_name, mobile, email, created_at, updated_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(if company { "company" } else { "person" })
                .bind(&tenant_name)
                .bind(business_number(&mut rng))
                .bind(format!("{}{}", SURNAMES[rng.gen_range(0..10)], GIVEN[rng.gen_range(0..10)]))
                .bind("")
                .bind(format!("010{:08}", rng.gen_range(10_000_000..100_000_000u32)))
                .bind(format!("t{}@example.com", report.leases + 1))
                .bind(now)
                .bind(now)
                .execute(&mut *tx).await?.inserted_id();
                report.tenants += 1;
                // Terms from five years ago to next year: past, current and ending soon.
                let start = NaiveDate::from_ymd_opt(today.year() - 4, 1, 1).unwrap_or(today)
                    + chrono::Duration::days(rng.gen_range(0..(5 * 365)));
                let start = start.with_day(1).unwrap_or(start);
                let end = start
                    .checked_add_months(Months::new(24))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(start);
                let rent = i64::from(rng.gen_range(10..120u32)) * 100_000;
                let lease_id = sqlx::query(
                    "INSERT INTO leases (tenant_id, building_id, start_date, end_date, deposit, monthly_rent, management_fee, vat_applies, \
                     payment_day, late_fee_rate_bp, grace_days, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1200, 5, ?, 1, ?, ?)",
                )
                .bind(tenant_id).bind(building_id).bind(start).bind(end).bind(rent * 10).bind(rent).bind(rent / 6)
                .bind(company).bind([5, 10, 25, 31][rng.gen_range(0..4)])
                .bind(LeaseStatus::from_term(start, end, today).as_str()).bind(now).bind(now)
                .execute(&mut *tx).await?.inserted_id();
                sqlx::query("INSERT INTO lease_units (lease_id, unit_id) VALUES (?, ?)")
                    .bind(lease_id)
                    .bind(unit_id)
                    .execute(&mut *tx)
                    .await?;
                report.leases += 1;
            }
            for (kind, total, used) in [
                ("electricity", kwh_this_month / 1000 * 180, kwh_this_month),
                ("water", i64::from(rng.gen_range(20..120u32)) * 10_000, 0),
            ] {
                sqlx::query(
                    "INSERT INTO utility_bills (building_id, kind, month, total, consumption, period_from, period_to, memo, created_at, updated_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
                )
                .bind(building_id).bind(kind).bind(this_month.to_string()).bind(total).bind(used)
                .bind(this_month.first_day()).bind(this_month.last_day()).bind(now).bind(now)
                .execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_business_numbers_pass_the_check_digit() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            assert!(crate::domain::validation::is_valid_business_number(
                &business_number(&mut rng)
            ));
        }
    }
}
