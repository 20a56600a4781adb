//! The tenant and lease import with I/O: the template to fill in, the file read as a stream of
//! cells (a hostile sparse file cannot exhaust memory), every row checked against the building's
//! units, live terms and the other rows, and the valid rows saved in one transaction.

use super::store::{self, ImportLease, ImportTenant};
use super::{IMPORT_COLUMNS, ImportReport, ImportRowReport};
use crate::areas::leases::LeaseInput;
use crate::areas::tenants::TenantInput;
use crate::domain::lease::LATE_FEE_MAX_BP;
use crate::server::auth::CurrentUser;
use crate::server::db::{Table, exists};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::xlsx::xlsx_err;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;

/// The import template: the header row to fill in, and a sheet of instructions with an example.
pub fn template() -> Result<Vec<u8>, AppError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#E2E8F0");
    let ws = wb.add_worksheet();
    ws.set_name("임대계약").map_err(xlsx_err)?;
    for (c, h) in IMPORT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
        ws.set_column_width(c as u16, 18).map_err(xlsx_err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    let help = wb.add_worksheet();
    help.set_name("작성 안내").map_err(xlsx_err)?;
    let lines = [
        "첫 번째 시트(임대계약)의 2행부터 한 줄에 계약 하나씩 적어 주세요. 1행(제목)은 지우지 마세요.",
        "구분: 법인 또는 개인. 법인은 사업자등록번호가 꼭 있어야 합니다.",
        "휴대전화: 010-1234-5678 형식. 알림톡이 이 번호로 갑니다.",
        "호실: 건물에 등록된 호실 이름(예: 101호). 여러 호실은 쉼표로 구분합니다 (101호, 102호).",
        "날짜: 2026-03-01 형식 또는 엑셀 날짜.",
        "금액: 원 단위 숫자 (쉼표 없이 또는 쉼표 포함).",
        "부가세: Y 또는 N. 납부일: 1–31 (31은 말일). 연체 이율: 연 %, 예: 12 또는 12%. 보증금과 월 임대료는 비워 두지 마세요 (없으면 0).",
        "같은 사업자등록번호의 임차인은 한 번만 만들어지고, 이미 등록된 임차인은 그대로 씁니다.",
    ];
    for (i, l) in lines.iter().enumerate() {
        help.write_string(i as u32, 0, *l).map_err(xlsx_err)?;
    }
    help.set_column_width(0, 100).map_err(xlsx_err)?;
    let example = [
        "법인",
        "(주)한빛상사",
        "220-81-62517",
        "김한빛",
        "이담당",
        "010-2345-6789",
        "lease@hanbit.example",
        "101호, 102호",
        "2026-03-01",
        "2028-02-29",
        "50000000",
        "2500000",
        "300000",
        "Y",
        "25",
        "12",
        "5",
    ];
    let r0 = lines.len() as u32 + 1;
    help.write_string_with_format(r0, 0, "예시 (아래 두 줄을 참고하세요)", &bold)
        .map_err(xlsx_err)?;
    for (c, (h, v)) in IMPORT_COLUMNS.iter().zip(example).enumerate() {
        help.write_string(r0 + 1 + c as u32, 0, format!("{h}: {v}"))
            .map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

fn text(c: Option<&Data>) -> String {
    match c {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Bool(b)) => if *b { "Y" } else { "N" }.into(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

fn date(c: Option<&Data>) -> Result<NaiveDate, String> {
    let serial = match c {
        Some(Data::DateTime(d)) => Some(d.as_f64()),
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    };
    if let Some(s) = serial {
        // Excel's day 0 is 1899-12-30 (with its 1900 leap-year quirk already folded in).
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
        if (1.0..=2_958_465.0).contains(&s) {
            return Ok(base + chrono::Duration::days(s.trunc() as i64));
        }
    }
    let raw = text(c);
    if raw.is_empty() {
        return Err("날짜가 비어 있습니다".into());
    }
    let normalized = raw.replace(['.', '/'], "-");
    let normalized = normalized.trim_end_matches('-');
    NaiveDate::parse_from_str(normalized, "%Y-%m-%d")
        .map_err(|_| format!("'{raw}'은(는) 날짜 형식이 아닙니다 (예: 2026-03-01)"))
}

fn amount(c: Option<&Data>, label: &str) -> Result<i64, String> {
    let won = amount_any(c, label)?;
    if won < 0 {
        return Err(format!("{label}은(는) 0원 이상이어야 합니다 (현재 {won})"));
    }
    Ok(won)
}

fn amount_any(c: Option<&Data>, label: &str) -> Result<i64, String> {
    match c {
        Some(Data::Int(i)) => Ok(*i),
        Some(Data::Float(f)) if f.fract() == 0.0 => Ok(*f as i64),
        _ => {
            let raw = text(c);
            let digits = raw
                .replace([',', ' '], "")
                .trim_end_matches('원')
                .to_string();
            if digits.is_empty() {
                return Ok(0);
            }
            digits
                .parse::<i64>()
                .map_err(|_| format!("{label} '{raw}'은(는) 숫자가 아닙니다"))
        }
    }
}

/// A late-fee rate (연 %) in basis points: `12` or `12%` as text or number, or a cell formatted
/// as a percentage, which holds the fraction (0.12 for 12%).
fn late_fee_bp(c: Option<&Data>) -> Result<u32, String> {
    let percent = match c {
        Some(Data::Float(f)) if *f > 0.0 && *f < 1.0 => Some(f * 100.0),
        _ => None,
    };
    let raw = text(c).trim_end_matches('%').trim().to_string();
    let percent = match percent {
        Some(p) => p,
        None if raw.is_empty() => return Ok(0),
        None => raw.parse::<f64>().map_err(|_| late_fee_error(&raw))?,
    };
    if (0.0..=f64::from(LATE_FEE_MAX_BP) / 100.0).contains(&percent) {
        Ok((percent * 100.0).round() as u32)
    } else {
        Err(late_fee_error(&raw))
    }
}

fn late_fee_error(raw: &str) -> String {
    format!(
        "연체 이율 '{raw}'은(는) 0–{} 사이의 숫자여야 합니다 (연 %)",
        LATE_FEE_MAX_BP / 100
    )
}

#[derive(Debug, PartialEq, Eq)]
enum ReadError {
    Unreadable,
    TooManyRows,
    /// Unpacked, the file would be too big or it compresses suspiciously well (a zip bomb).
    TooLarge,
    /// A cell (at this 1-based row) holds more text than any field takes.
    CellTooLong(u32),
}

/// The most an import may unpack to, and the highest compression ratio it may have: an XLSX
/// of 10,000 rows unpacks to a few MB at a ratio near 10.
const MAX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;
const MAX_RATIO: u64 = 100;
/// The longest text a cell may hold (the longest field takes 300 characters).
const MAX_CELL_CHARS: usize = 1_000;

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 2)
        .map(|x| u64::from(u16::from_le_bytes([x[0], x[1]])))
}

fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 4)
        .map(|x| u64::from(u32::from_le_bytes([x[0], x[1], x[2], x[3]])))
}

/// Reads the ZIP's central directory (before anything is unpacked) and refuses an archive
/// that unpacks to more than [`MAX_UNPACKED_BYTES`] or more than [`MAX_RATIO`] times its packed
/// size. ZIP64 archives are refused: an import never needs one.
fn check_archive(b: &[u8]) -> Result<(), ReadError> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const ENTRY: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let bad = ReadError::Unreadable;
    let from = b.len().saturating_sub(22 + 65_535);
    let eocd = (from..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b[i..i + 4] == EOCD)
        .ok_or(ReadError::Unreadable)?;
    let entries = u16_at(b, eocd + 10).ok_or(ReadError::Unreadable)?;
    let offset = u32_at(b, eocd + 16).ok_or(ReadError::Unreadable)?;
    if entries == 0xFFFF || offset == 0xFFFF_FFFF {
        return Err(ReadError::TooLarge);
    }
    let (mut at, mut packed, mut unpacked) = (offset as usize, 0u64, 0u64);
    for _ in 0..entries {
        if b.get(at..at + 4) != Some(&ENTRY[..]) {
            return Err(bad);
        }
        let field = |i| u32_at(b, at + i).ok_or(ReadError::Unreadable);
        let (size_packed, size_unpacked) = (field(20)?, field(24)?);
        if size_packed == 0xFFFF_FFFF || size_unpacked == 0xFFFF_FFFF {
            return Err(ReadError::TooLarge);
        }
        packed += size_packed;
        unpacked += size_unpacked;
        let lens: u64 = [28, 30, 32]
            .iter()
            .map(|i| u16_at(b, at + i).ok_or(ReadError::Unreadable))
            .sum::<Result<u64, _>>()?;
        at += 46 + lens as usize;
    }
    if unpacked > MAX_UNPACKED_BYTES || unpacked > packed.max(1) * MAX_RATIO {
        return Err(ReadError::TooLarge);
    }
    Ok(())
}

/// The first sheet's rows (header first), the template's columns only. A damaged file that
/// trips the reader itself (calamine can overflow on crafted cell references) is refused as
/// unreadable, like any other damaged file.
fn read_rows(bytes: Vec<u8>) -> Result<Vec<Vec<Data>>, ReadError> {
    read_columns(bytes, IMPORT_COLUMNS.len())
}

/// The first sheet's first `columns` columns, checked as the import checks its file (another
/// area's import of its own sheet); the refusal in Korean.
pub fn read_sheet_rows(bytes: Vec<u8>, columns: usize) -> Result<Vec<Vec<Data>>, String> {
    read_columns(bytes, columns).map_err(|e| match e {
        ReadError::Unreadable => {
            "엑셀(xlsx) 파일을 읽을 수 없습니다. 내려받은 양식에 입력한 파일인지 확인해 주세요."
                .to_string()
        }
        ReadError::TooLarge => "파일을 풀면 너무 큽니다 (50MB까지).".to_string(),
        ReadError::CellTooLong(row) => {
            format!("{row}행에 1,000자가 넘는 칸이 있습니다. 내용을 줄여 주세요.")
        }
        ReadError::TooManyRows => {
            "한 번에 10,000행까지 가져올 수 있습니다. 파일을 나눠 주세요.".to_string()
        }
    })
}

fn read_columns(bytes: Vec<u8>, columns: usize) -> Result<Vec<Vec<Data>>, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheet(bytes, columns)))
        .unwrap_or_else(|_| {
            tracing::warn!("import file crashed the XLSX reader; refused as unreadable");
            Err(ReadError::Unreadable)
        })
}

fn read_sheet(bytes: Vec<u8>, columns: usize) -> Result<Vec<Vec<Data>>, ReadError> {
    const MAX_ROWS: u32 = 10_001;
    check_archive(&bytes)?;
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            tracing::info!(error = %e, "import file not readable");
            ReadError::Unreadable
        })?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::Unreadable)?;
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|_| ReadError::Unreadable)?;
    let mut rows: Vec<Vec<Data>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|_| ReadError::Unreadable)? {
        let (r, c) = cell.get_position();
        if c as usize >= columns {
            continue;
        }
        if r >= MAX_ROWS {
            if matches!(cell.get_value(), calamine::DataRef::Empty) {
                continue;
            }
            return Err(ReadError::TooManyRows);
        }
        let text_len = match cell.get_value() {
            calamine::DataRef::String(t) => t.chars().count(),
            calamine::DataRef::SharedString(t) => t.chars().count(),
            _ => 0,
        };
        if text_len > MAX_CELL_CHARS {
            return Err(ReadError::CellTooLong(r + 1));
        }
        let r = r as usize;
        if rows.len() <= r {
            rows.resize_with(r + 1, || vec![Data::Empty; columns]);
        }
        rows[r][c as usize] = Data::from(cell.get_value().clone());
    }
    Ok(rows)
}

/// A row that passed validation, ready to save.
struct ValidRow {
    row: u32,
    tenant: TenantInput,
    mobile: String,
    lease: LeaseInput,
}

fn tenant_key(t: &TenantInput, mobile: &str) -> String {
    let bn: String = t
        .business_number
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    if bn.is_empty() {
        format!("p:{}:{}", t.name.trim(), mobile)
    } else {
        format!("b:{bn}")
    }
}

pub async fn import_leases(
    state: &AppState,
    by: &CurrentUser,
    building_id: i64,
    bytes: &[u8],
    valid_only: bool,
) -> Result<ImportReport, AppError> {
    let started = std::time::Instant::now();
    if !exists(&state.db, Table::Buildings, building_id).await? {
        return Err(AppError::field("building_id", "건물을 찾을 수 없습니다."));
    }
    let bad_file = || {
        AppError::field(
            "file",
            "엑셀(xlsx) 파일을 읽을 수 없습니다. 내려받은 양식에 입력한 파일인지 확인해 주세요.",
        )
    };
    // Cells are streamed, not loaded as one rectangle: a tiny file naming cell XFD1048576
    // would otherwise ask for billions of cells. Only the template's columns and at most
    // 10,000 data rows are kept; parsing runs off the async threads.
    let owned = bytes.to_vec();
    let parsed = tokio::task::spawn_blocking(move || read_rows(owned))
        .await
        .map_err(|e| AppError::internal(format!("import parse task: {e}")))?;
    let mut all_rows = match parsed {
        Ok(rows) => rows,
        Err(ReadError::Unreadable) => return Err(bad_file()),
        Err(ReadError::TooLarge) => {
            return Err(AppError::field(
                "file",
                "파일을 풀면 너무 큽니다 (50MB까지). 양식에 계약만 적어 다시 올려 주세요.",
            ));
        }
        Err(ReadError::CellTooLong(row)) => {
            return Err(AppError::field(
                "file",
                format!("{row}행에 1,000자가 넘는 칸이 있습니다. 내용을 줄여 주세요."),
            ));
        }
        Err(ReadError::TooManyRows) => {
            return Err(AppError::field(
                "file",
                "한 번에 10,000행까지 가져올 수 있습니다. 파일을 나눠 주세요.",
            ));
        }
    };
    let header: Vec<String> = if all_rows.is_empty() {
        Vec::new()
    } else {
        all_rows.remove(0).iter().map(|c| text(Some(c))).collect()
    };
    if header.len() < IMPORT_COLUMNS.len()
        || header.iter().zip(IMPORT_COLUMNS).any(|(h, want)| h != want)
    {
        return Err(AppError::field(
            "file",
            "첫 행의 제목이 양식과 다릅니다. '양식 내려받기'로 받은 파일을 써 주세요.",
        ));
    }
    let data_rows: Vec<&[Data]> = all_rows.iter().map(|r| r.as_slice()).collect();

    let units: HashMap<String, i64> = store::unit_names(&state.db, building_id)
        .await?
        .into_iter()
        .collect();
    // Live leases of this building's units, for the overlap check.
    let mut taken: HashMap<i64, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for (unit, start, end) in store::live_unit_terms(&state.db, building_id).await? {
        taken.entry(unit).or_default().push((start, end));
    }

    let mut reports = Vec::with_capacity(data_rows.len());
    let mut valid = Vec::with_capacity(data_rows.len());
    for (i, r) in data_rows.iter().enumerate() {
        let row_no = i as u32 + 2;
        let cell = |c: usize| r.get(c);
        if (0..IMPORT_COLUMNS.len()).all(|c| text(cell(c)).is_empty()) {
            continue; // an empty line
        }
        let mut errors: Vec<String> = Vec::new();
        let kind = match text(cell(0)).as_str() {
            "법인" | "사업자" | "company" => "company",
            "개인" | "person" => "person",
            other => {
                errors.push(format!("구분 '{other}'은(는) 법인 또는 개인이어야 합니다"));
                "person"
            }
        };
        let tenant = TenantInput {
            kind: kind.into(),
            name: text(cell(1)),
            business_number: text(cell(2)),
            representative: text(cell(3)),
            contact_name: text(cell(4)),
            mobile: text(cell(5)),
            email: text(cell(6)),
        };
        let mobile = match tenant.validate() {
            Ok(m) => m,
            Err(fields) => {
                errors.extend(fields.into_values());
                String::new()
            }
        };
        let mut unit_ids = Vec::new();
        for name in text(cell(7))
            .split(',')
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            let found = units.get(name).or_else(|| units.get(&format!("{name}호")));
            match found {
                Some(id) => unit_ids.push(*id),
                None => errors.push(format!("호실 '{name}'이(가) 이 건물에 없습니다")),
            }
        }
        unit_ids.sort_unstable();
        unit_ids.dedup();
        let start = date(cell(8)).map_err(|e| format!("계약 시작일: {e}"));
        let end = date(cell(9)).map_err(|e| format!("계약 종료일: {e}"));
        for (c, label) in [(10, "보증금"), (11, "월 임대료")] {
            if text(cell(c)).is_empty() {
                errors.push(format!(
                    "{label}이(가) 비어 있습니다 (없으면 0을 적어 주세요)"
                ));
            }
        }
        let mut money = |c: usize, label: &str| match amount(cell(c), label) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                0
            }
        };
        let deposit = money(10, "보증금");
        let rent = money(11, "월 임대료");
        let fee = money(12, "관리비");
        let payment_day = money(14, "납부일");
        let grace = money(16, "연체 유예일");
        let vat = match text(cell(13)).to_uppercase().as_str() {
            "Y" | "예" | "O" | "TRUE" => true,
            "N" | "아니오" | "X" | "FALSE" | "" => false,
            other => {
                errors.push(format!("부가세 '{other}'은(는) Y 또는 N이어야 합니다"));
                false
            }
        };
        let late_bp = late_fee_bp(cell(15)).unwrap_or_else(|e| {
            errors.push(e);
            0
        });
        let (start, end) = match (start, end) {
            (Ok(s), Ok(e)) => (Some(s), Some(e)),
            (s, e) => {
                errors.extend(s.err());
                errors.extend(e.err());
                (None, None)
            }
        };
        if let (Some(start), Some(end)) = (start, end) {
            let lease = LeaseInput {
                tenant_id: 0,
                building_id,
                unit_ids: unit_ids.clone(),
                start_date: start,
                end_date: end,
                deposit,
                monthly_rent: rent,
                management_fee: fee,
                vat_applies: vat,
                payment_day: u32::try_from(payment_day).unwrap_or(0),
                late_fee_rate_bp: late_bp,
                grace_days: u32::try_from(grace).unwrap_or(999),
            };
            if let Err(fields) = lease.validate() {
                errors.extend(fields.into_values());
            }
            if errors.is_empty() {
                let clash: Vec<String> = unit_ids
                    .iter()
                    .filter(|u| {
                        taken
                            .get(u)
                            .is_some_and(|v| v.iter().any(|(s, e)| *s <= end && start <= *e))
                    })
                    .filter_map(|u| {
                        units
                            .iter()
                            .find(|(_, id)| *id == u)
                            .map(|(n, _)| n.clone())
                    })
                    .collect();
                if !clash.is_empty() {
                    errors.push(format!(
                        "{} 호실은 이 기간에 이미 다른 임대 계약이 있습니다 (파일 안의 앞선 행 포함)",
                        clash.join(", ")
                    ));
                } else {
                    for u in &unit_ids {
                        taken.entry(*u).or_default().push((start, end));
                    }
                    valid.push(ValidRow {
                        row: row_no,
                        tenant: tenant.clone(),
                        mobile: mobile.clone(),
                        lease,
                    });
                }
            }
        }
        reports.push(ImportRowReport {
            row: row_no,
            tenant_name: tenant.name.clone(),
            errors,
        });
    }

    let total_rows = reports.len() as u32;
    let valid_rows = valid.len() as u32;
    let all_pass = valid_rows == total_rows;
    let mut report = ImportReport {
        total_rows,
        valid_rows,
        saved: false,
        leases_created: 0,
        tenants_created: 0,
        elapsed_ms: 0,
        rows: reports,
    };
    if total_rows == 0 {
        return Err(AppError::field(
            "file",
            "가져올 행이 없습니다. 2행부터 입력해 주세요.",
        ));
    }
    if valid.is_empty() || (!all_pass && !valid_only) {
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        return Ok(report);
    }

    let mut tenants: Vec<ImportTenant> = Vec::new();
    let mut tenant_index: HashMap<String, usize> = HashMap::new();
    let mut leases = Vec::with_capacity(valid.len());
    for v in &valid {
        let key = tenant_key(&v.tenant, &v.mobile);
        let idx = match tenant_index.get(&key) {
            Some(i) => *i,
            None => {
                tenant_index.insert(key.clone(), tenants.len());
                tenants.push(ImportTenant {
                    key,
                    tenant: crate::areas::tenants::service::normalized(&v.tenant)?,
                });
                tenants.len() - 1
            }
        };
        leases.push(ImportLease {
            row: v.row,
            tenant: idx,
            lease: crate::areas::leases::service::lease_write(&v.lease),
        });
    }
    let (leases_created, tenants_created) =
        store::import_leases(&state.db, building_id, &tenants, &leases, Some(by.id.0)).await?;
    report.saved = true;
    report.leases_created = leases_created;
    report.tenants_created = tenants_created;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    tracing::info!(
        building_id,
        rows = total_rows,
        leases = leases_created,
        ms = report.elapsed_ms,
        "lease import saved"
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template's header and `rows` rows holding `text` (numbered, so each is its own
    /// shared string) in the name column.
    fn sheet(text: &str, rows: u32) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in IMPORT_COLUMNS.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..=rows {
            ws.write_string(r, 1, format!("{r}{text}")).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn an_ordinary_file_passes_the_archive_check() {
        let ok = sheet("(주)하나상사", 1);
        assert_eq!(check_archive(&ok), Ok(()));
        assert_eq!(read_rows(ok).map(|r| r.len()).ok(), Some(2));
    }

    #[test]
    fn a_file_that_unpacks_far_beyond_its_size_is_refused_unread() {
        let bomb = sheet(&"가".repeat(30_000), 200);
        assert!(bomb.len() < 200_000, "{}", bomb.len());
        assert_eq!(check_archive(&bomb), Err(ReadError::TooLarge));
        assert!(matches!(read_rows(bomb), Err(ReadError::TooLarge)));
        assert_eq!(
            check_archive(b"not a zip at all"),
            Err(ReadError::Unreadable)
        );
    }

    #[test]
    fn a_cell_longer_than_any_field_is_refused() {
        let long = sheet(&"가나다라마바사아자차카타파하".repeat(100), 1);
        assert_eq!(read_rows(long).err(), Some(ReadError::CellTooLong(2)));
    }

    #[test]
    fn late_fees_are_read_as_percent_whatever_the_cell() {
        assert_eq!(late_fee_bp(Some(&Data::Float(0.12))), Ok(1_200));
        assert_eq!(late_fee_bp(Some(&Data::Float(12.0))), Ok(1_200));
        assert_eq!(late_fee_bp(Some(&Data::Int(12))), Ok(1_200));
        assert_eq!(late_fee_bp(Some(&Data::String("12.5%".into()))), Ok(1_250));
        assert_eq!(late_fee_bp(Some(&Data::Empty)), Ok(0));
        assert!(late_fee_bp(Some(&Data::Float(24.0))).is_err());
        assert!(late_fee_bp(Some(&Data::String("높음".into()))).is_err());
    }

    fn any_cell() -> impl proptest::strategy::Strategy<Value = Data> {
        use proptest::prelude::*;
        prop_oneof![
            Just(Data::Empty),
            any::<f64>().prop_map(Data::Float),
            any::<i64>().prop_map(Data::Int),
            any::<bool>().prop_map(Data::Bool),
            ".{0,40}".prop_map(Data::String),
            "[0-9 ,.%원-]{0,20}".prop_map(Data::String),
        ]
    }

    proptest::proptest! {
        /// Whatever a cell holds, reading it answers a value or a Korean error, never a panic,
        /// and an amount is never negative.
        #[test]
        fn any_cell_reads_without_panic(cell in any_cell()) {
            let _ = text(Some(&cell));
            let _ = date(Some(&cell));
            if let Ok(won) = amount(Some(&cell), "보증금") {
                proptest::prop_assert!(won >= 0);
            }
            if let Ok(bp) = late_fee_bp(Some(&cell)) {
                proptest::prop_assert!(bp <= crate::domain::lease::LATE_FEE_MAX_BP);
            }
        }

        /// Any bytes as an upload: refused or read, never a panic.
        #[test]
        fn any_bytes_as_a_workbook_do_not_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            let _ = read_rows(bytes);
        }

        /// A real archive with bytes flipped: refused or read, never a panic.
        #[test]
        fn a_damaged_workbook_does_not_panic(at in 0usize..4096, byte in proptest::prelude::any::<u8>()) {
            let mut bytes = sheet("홍길동", 3);
            let i = at % bytes.len();
            bytes[i] = byte;
            let _ = read_rows(bytes);
        }
    }
}
