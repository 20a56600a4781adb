//! The owner's monthly report as an A4 PDF, with billing's renderer (krilla and the bundled
//! Korean font): the summary, the totals by category, then every item, on as many pages as
//! they need.

use super::{OwnerReport, category_label};
use crate::areas::billing::pdf::{A4_H, A4_W, MARGIN, Pen, font, won};
use crate::server::error::AppError;
use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

const ROW: f32 = 17.0;

pub fn render(r: &OwnerReport, issued: &str) -> Result<Vec<u8>, AppError> {
    let font = font()?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} {} 월간 보고서", r.building_name, r.month_label))
            .language("ko-KR".to_string())
            .creator("둥지 플랫폼".to_string()),
    );
    let settings =
        PageSettings::from_wh(A4_W, A4_H).ok_or_else(|| AppError::internal("A4 page size"))?;
    let right = A4_W - MARGIN;
    let bottom = A4_H - MARGIN;
    // The lines after the summary: (left text, middle text, amount), a heading as amount None.
    let mut lines: Vec<(String, String, Option<i64>)> = Vec::new();
    lines.push(("지출 분류별 합계".into(), String::new(), None));
    for c in &r.by_category {
        lines.push((
            format!("{} ({}건)", category_label(&c.category), c.items),
            format!("지급 {} · 미지급 {}", won(c.paid), won(c.total - c.paid)),
            Some(c.total),
        ));
    }
    lines.push(("지출 내역".into(), String::new(), None));
    for e in &r.rows {
        let vendor = if e.vendor.is_empty() {
            category_label(&e.category).to_string()
        } else {
            format!("{} · {}", category_label(&e.category), e.vendor)
        };
        let state = match (e.pay_date, e.paid_on) {
            (_, Some(d)) => format!("지급 {d}"),
            (Some(d), None) => format!("미지급 (예정 {d})"),
            (None, None) => "미지급".to_string(),
        };
        lines.push((vendor, state, Some(e.total())));
    }
    let mut next = 0;
    let mut page_no = 0;
    while page_no == 0 || next < lines.len() {
        page_no += 1;
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut p = Pen {
            s: &mut surface,
            font: font.clone(),
        };
        let mut y = MARGIN + 14.0;
        p.color(15, 23, 42);
        p.fit(
            MARGIN,
            y + 6.0,
            18.0,
            right - MARGIN - 90.0,
            &format!("{} {} 월간 보고서", r.building_name, r.month_label),
        );
        p.color(71, 85, 105);
        p.right(right, y, 9.0, &format!("{page_no}쪽"));
        p.right(right, y + 13.0, 8.5, issued);
        y += 30.0;
        if !r.client_name.is_empty() {
            p.text(MARGIN, y, 10.0, &format!("건물주 {} 귀하", r.client_name));
            y += 8.0;
        }
        p.rule(MARGIN, y + 4.0, right, 1.0, 30);
        y += 24.0;
        if page_no == 1 {
            let summary = [
                (format!("임대 수입 청구 ({}건)", r.invoices), r.billed),
                ("임대 수입 수납".into(), r.collected),
                ("미수금".into(), r.outstanding),
                ("지출 합계".into(), r.expenses_total),
                ("지출 지급 완료".into(), r.expenses_paid),
                ("지출 미지급".into(), r.expenses_unpaid),
            ];
            for (label, amount) in summary {
                p.color(51, 65, 85);
                p.text(MARGIN, y, 10.5, &label);
                p.right(right, y, 10.5, &won(amount));
                y += ROW + 2.0;
            }
            p.boxed(MARGIN, y - 12.0, right - MARGIN, 24.0, (236, 253, 245));
            p.color(6, 78, 59);
            p.text(MARGIN + 8.0, y + 4.0, 11.5, "수지 (수납 − 지급 완료 지출)");
            p.right(right - 8.0, y + 4.0, 11.5, &won(r.balance));
            y += 36.0;
        }
        while next < lines.len() && y + ROW < bottom - 20.0 {
            let (left, middle, amount) = &lines[next];
            match amount {
                None => {
                    y += 8.0;
                    p.color(15, 23, 42);
                    p.text(MARGIN, y, 12.0, left);
                    y += 6.0;
                    p.rule(MARGIN, y, right, 0.6, 120);
                    y += ROW;
                }
                Some(a) => {
                    p.color(30, 41, 59);
                    p.fit(MARGIN, y, 9.5, 230.0, left);
                    p.color(100, 116, 139);
                    p.fit(MARGIN + 240.0, y, 9.0, 170.0, middle);
                    p.color(30, 41, 59);
                    p.right(right, y, 9.5, &won(*a));
                    y += ROW;
                }
            }
            next += 1;
        }
        p.color(148, 163, 184);
        p.text(
            MARGIN,
            bottom,
            8.0,
            "금액은 원 단위이며, 지출의 부가세는 세금계산서 금액 또는 공급가액의 10%(원 미만 절사)입니다.",
        );
        surface.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| AppError::internal(format!("pdf: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::areas::expenses::{CategoryTotal, ExpenseRow};

    fn report(items: usize) -> OwnerReport {
        let rows: Vec<ExpenseRow> = (0..items)
            .map(|i| ExpenseRow {
                id: i as i64,
                building_id: 1,
                building_name: "한강빌딩".into(),
                month: "2026-11".into(),
                category: "cleaning".into(),
                vendor: format!("깨끗한청소 {i}"),
                amount: 100_000,
                vat: 10_000,
                pay_date: None,
                paid_on: None,
                pinned: false,
                source_id: None,
                memo: String::new(),
                files: 0,
            })
            .collect();
        let total = 110_000 * items as i64;
        OwnerReport {
            building_id: 1,
            building_name: "한강빌딩".into(),
            client_name: "(주)한강자산".into(),
            month: "2026-11".into(),
            month_label: "2026년 11월".into(),
            invoices: 3,
            billed: 9_900_000,
            collected: 6_600_000,
            outstanding: 3_300_000,
            expenses_total: total,
            expenses_paid: 0,
            expenses_unpaid: total,
            balance: 6_600_000,
            by_category: vec![CategoryTotal {
                category: "cleaning".into(),
                items: items as i64,
                total,
                paid: 0,
            }],
            rows,
        }
    }

    #[test]
    fn a_report_renders_empty_and_over_several_pages() {
        let empty = render(&report(0), "2026-12-01 작성").unwrap();
        assert!(empty.starts_with(b"%PDF-"));
        let long = render(&report(150), "2026-12-01 작성").unwrap();
        assert!(long.starts_with(b"%PDF-"));
        assert!(long.len() > empty.len());
        // `DOONGJI_PDF_OUT=/tmp/report.pdf` keeps the long one to look at.
        if let Ok(path) = std::env::var("DOONGJI_PDF_OUT") {
            std::fs::write(path, &long).unwrap();
        }
    }
}
