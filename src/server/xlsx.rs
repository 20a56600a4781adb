//! Spreadsheets out: one sheet with a bold, frozen header row and won amounts as `#,##0원`.

use crate::server::error::AppError;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub fn xlsx_err(e: XlsxError) -> AppError {
    AppError::internal(format!("xlsx: {e}"))
}

/// A cell of an exported sheet.
pub enum Cell {
    Text(String),
    Won(i64),
    Num(f64),
}

/// One sheet with a bold header row, frozen, and won amounts as `#,##0`.
pub fn workbook(sheet: &str, headers: &[&str], rows: Vec<Vec<Cell>>) -> Result<Vec<u8>, AppError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#E2E8F0");
    let won = Format::new().set_num_format("#,##0\"원\"");
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(xlsx_err)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
        ws.set_column_width(c as u16, 16).map_err(xlsx_err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.into_iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Won(n) => ws
                    .write_number_with_format(r, c, n as f64, &won)
                    .map(|_| ()),
                Cell::Num(n) => ws.write_number(r, c, n).map(|_| ()),
            }
            .map_err(xlsx_err)?;
        }
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// An area in ㎡ to two decimals.
pub fn area(v: f64) -> Cell {
    Cell::Num((v * 100.0).round() / 100.0)
}
