//! Bills (고지서) as PDF: A4 pages laid out here and written by krilla, which embeds only the
//! glyphs used from the bundled Noto Sans CJK KR subset (OFL, `public/fonts/`). No browser
//! is involved; one page per invoice, a building's month as one document.

use super::InvoiceDto;
use crate::domain::billing::YearMonth;
use crate::domain::money::group_thousands;
use crate::server::error::AppError;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::sync::OnceLock;

static FONT_BYTES: &[u8] = include_bytes!("../../../public/fonts/NotoSansKR-Regular-subset.otf");

pub(crate) const A4_W: f32 = 595.28;
pub(crate) const A4_H: f32 = 841.89;
pub(crate) const MARGIN: f32 = 48.0;

/// The bundled Korean font (the other areas' PDFs use it too).
pub(crate) fn font() -> Result<Font, AppError> {
    static FONT: OnceLock<Option<Font>> = OnceLock::new();
    FONT.get_or_init(|| Font::new(FONT_BYTES.into(), 0))
        .clone()
        .ok_or_else(|| AppError::internal("bill font could not be read"))
}

/// The width of `text` at `size` points.
fn text_width(text: &str, size: f32) -> f32 {
    let Ok(f) = skrifa::FontRef::new(FONT_BYTES) else {
        return 0.0;
    };
    let charmap = f.charmap();
    let metrics = f.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.5)
        })
        .sum()
}

/// Draws text, rules and boxes on a page (the other areas' PDFs use it too).
pub(crate) struct Pen<'a, 'b> {
    pub(crate) s: &'a mut Surface<'b>,
    pub(crate) font: Font,
}

impl Pen<'_, '_> {
    pub(crate) fn color(&mut self, r: u8, g: u8, b: u8) {
        self.s.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
    }

    pub(crate) fn text(&mut self, x: f32, y: f32, size: f32, t: &str) {
        if t.is_empty() {
            return;
        }
        self.s.draw_text(
            Point::from_xy(x, y),
            self.font.clone(),
            size,
            t,
            false,
            TextDirection::Auto,
        );
    }

    pub(crate) fn right(&mut self, x_right: f32, y: f32, size: f32, t: &str) {
        let w = text_width(t, size);
        self.text(x_right - w, y, size, t);
    }

    /// Text cut to fit `width` (with "…").
    pub(crate) fn fit(&mut self, x: f32, y: f32, size: f32, width: f32, t: &str) {
        if text_width(t, size) <= width {
            self.text(x, y, size, t);
            return;
        }
        let mut cut = String::new();
        for c in t.chars() {
            cut.push(c);
            if text_width(&cut, size) + text_width("…", size) > width {
                cut.pop();
                break;
            }
        }
        cut.push('…');
        self.text(x, y, size, &cut);
    }

    /// Text wrapped to lines of `width`; gives the y after the last line.
    pub(crate) fn wrap(&mut self, x: f32, mut y: f32, size: f32, width: f32, t: &str) -> f32 {
        let mut line = String::new();
        for c in t.chars() {
            line.push(c);
            if text_width(&line, size) > width {
                line.pop();
                self.text(x, y, size, &line);
                y += size * 1.4;
                line.clear();
                line.push(c);
            }
        }
        if !line.is_empty() {
            self.text(x, y, size, &line);
            y += size * 1.4;
        }
        y
    }

    pub(crate) fn rule(&mut self, x1: f32, y: f32, x2: f32, width: f32, gray: u8) {
        let mut pb = PathBuilder::new();
        pb.move_to(x1, y);
        pb.line_to(x2, y);
        if let Some(path) = pb.finish() {
            self.s.set_fill(None);
            self.s.set_stroke(Some(Stroke {
                paint: rgb::Color::new(gray, gray, gray).into(),
                width,
                ..Default::default()
            }));
            self.s.draw_path(&path);
            self.s.set_stroke(None);
        }
    }

    pub(crate) fn boxed(&mut self, x: f32, y: f32, w: f32, h: f32, fill: (u8, u8, u8)) {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            self.s.set_stroke(None);
            self.color(fill.0, fill.1, fill.2);
            self.s.draw_path(&path);
        }
    }
}

pub(crate) fn won(n: i64) -> String {
    format!("{}원", group_thousands(n))
}

fn month_label(m: &str) -> String {
    YearMonth::parse(m)
        .map(|m| m.label_ko())
        .unwrap_or_else(|| m.to_string())
}

/// One bill on one page.
fn draw_bill(s: &mut Surface<'_>, font: Font, b: &InvoiceDto) {
    let mut p = Pen { s, font };
    let right = A4_W - MARGIN;
    let mut y = MARGIN + 14.0;
    p.color(15, 23, 42);
    p.text(MARGIN, y + 6.0, 22.0, "임대료·관리비 고지서");
    p.color(71, 85, 105);
    p.right(right, y, 10.0, &format!("{}분", month_label(&b.month)));
    p.right(right, y + 14.0, 9.0, &format!("고지서 번호 {}", b.id));
    y += 34.0;
    p.rule(MARGIN, y, right, 1.2, 30);
    y += 22.0;

    // Who it is for, and who sends it.
    p.color(15, 23, 42);
    p.text(MARGIN, y, 13.0, &format!("{} 귀하", b.tenant_name));
    p.color(51, 65, 85);
    p.fit(
        MARGIN,
        y + 18.0,
        10.0,
        250.0,
        &format!("{} {}", b.building_name, b.units),
    );
    p.fit(MARGIN, y + 32.0, 9.0, 250.0, &b.building_address);
    let ix = 330.0;
    p.color(15, 23, 42);
    p.fit(ix, y, 11.0, right - ix, &b.issuer.name);
    p.color(71, 85, 105);
    p.fit(
        ix,
        y + 15.0,
        8.5,
        right - ix,
        &format!(
            "대표 {} · 사업자등록번호 {}",
            b.issuer.representative, b.issuer.business_number
        ),
    );
    p.fit(ix, y + 28.0, 8.5, right - ix, &b.issuer.address);
    p.fit(
        ix,
        y + 41.0,
        8.5,
        right - ix,
        &format!("전화 {}", b.issuer.phone),
    );
    y += 62.0;

    // The amounts that matter, in a band.
    let owed_now = (b.total - b.paid).max(0);
    let to_pay = owed_now + b.previous_arrears;
    p.boxed(MARGIN, y, right - MARGIN, 58.0, (236, 253, 245));
    let col = (right - MARGIN) / 4.0;
    for (i, (label, value)) in [
        ("이번 달 청구", won(b.total)),
        ("납부 기한", b.due_date.to_string()),
        ("미납 이월", won(b.previous_arrears)),
        ("납부하실 금액", won(to_pay)),
    ]
    .iter()
    .enumerate()
    {
        let x = MARGIN + 12.0 + col * i as f32;
        p.color(71, 85, 105);
        p.text(x, y + 20.0, 9.0, label);
        p.color(6, 78, 59);
        p.text(x, y + 42.0, if i == 3 { 15.0 } else { 13.0 }, value);
    }
    y += 80.0;

    // The lines.
    let c_supply = 400.0;
    let c_vat = 470.0;
    let c_amount = right;
    p.color(71, 85, 105);
    p.text(MARGIN, y, 9.0, "항목");
    p.right(c_supply, y, 9.0, "공급가액");
    p.right(c_vat, y, 9.0, "부가세");
    p.right(c_amount, y, 9.0, "금액");
    y += 6.0;
    p.rule(MARGIN, y, right, 0.8, 120);
    y += 16.0;
    for l in &b.lines {
        if y > A4_H - 170.0 {
            p.color(71, 85, 105);
            p.text(
                MARGIN,
                y,
                9.0,
                "… 나머지 항목은 플랫폼의 청구 화면에서 확인할 수 있습니다.",
            );
            y += 14.0;
            break;
        }
        let waived = l.waived.is_some();
        p.color(15, 23, 42);
        let label = if waived {
            format!("{} (면제)", l.label)
        } else {
            l.label.clone()
        };
        p.fit(MARGIN, y, 10.5, c_supply - MARGIN - 80.0, &label);
        p.right(c_supply, y, 10.5, &won(l.supply));
        p.right(c_vat, y, 10.5, &won(l.vat));
        p.right(
            c_amount,
            y,
            10.5,
            &won(if waived { 0 } else { l.supply + l.vat }),
        );
        y += 13.0;
        if !l.rule.is_empty() {
            p.color(100, 116, 139);
            y = p.wrap(MARGIN + 10.0, y, 8.0, right - MARGIN - 10.0, &l.rule);
        }
        y += 5.0;
        p.rule(MARGIN, y - 6.0, right, 0.3, 215);
        y += 6.0;
    }
    y += 4.0;
    p.rule(MARGIN, y - 10.0, right, 0.8, 120);
    let totals = [
        ("공급가액 합계", b.supply_total()),
        ("부가세 합계", b.vat_total()),
        ("(그중 연체료)", b.late_fee_total()),
        ("이번 달 청구 합계", b.total),
        ("수납·충당된 금액", b.paid),
        ("이번 달 남은 금액", owed_now),
    ];
    for (label, v) in totals {
        p.color(51, 65, 85);
        p.right(c_vat, y + 4.0, 10.0, label);
        p.color(15, 23, 42);
        p.right(c_amount, y + 4.0, 10.0, &won(v));
        y += 16.0;
    }
    y += 12.0;

    // How to pay, and the rules the amounts follow.
    p.boxed(MARGIN, y, right - MARGIN, 30.0, (248, 250, 252));
    p.color(15, 23, 42);
    p.fit(
        MARGIN + 12.0,
        y + 19.0,
        10.5,
        right - MARGIN - 24.0,
        &if b.payment_account.is_empty() {
            "납부 계좌: 관리사무소에 문의해 주세요.".to_string()
        } else {
            format!("납부 계좌: {}", b.payment_account)
        },
    );
    y += 46.0;
    p.color(100, 116, 139);
    y = p.wrap(MARGIN, y, 8.0, right - MARGIN, &format!("· {}", b.vat_rule));
    y = p.wrap(
        MARGIN,
        y,
        8.0,
        right - MARGIN,
        &format!("· {}", crate::domain::billing::ALLOCATION_ORDER_KO),
    );
    p.wrap(
        MARGIN,
        y,
        8.0,
        right - MARGIN,
        "· 연체료는 납부 기한과 유예 기간이 지난 다음 날부터 미납액 × 연 이율 × 일수 ÷ 365로 계산해 다음 달 고지서에 청구하며, 원 미만은 절사합니다.",
    );
}

/// The bills as one PDF, a page each.
pub fn render(bills: &[InvoiceDto]) -> Result<Vec<u8>, AppError> {
    let font = font()?;
    let mut doc = Document::new();
    let title = match bills {
        [one] => format!("{} {} 고지서", one.tenant_name, month_label(&one.month)),
        [first, ..] => format!(
            "{} {} 고지서",
            first.building_name,
            month_label(&first.month)
        ),
        [] => "고지서".to_string(),
    };
    doc.set_metadata(
        Metadata::new()
            .title(title)
            .language("ko-KR".to_string())
            .creator("둥지 플랫폼".to_string()),
    );
    let settings =
        PageSettings::from_wh(A4_W, A4_H).ok_or_else(|| AppError::internal("A4 page size"))?;
    for b in bills {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        draw_bill(&mut surface, font.clone(), b);
        surface.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| AppError::internal(format!("pdf: {e:?}")))
}
