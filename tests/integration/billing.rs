//! Billing: generating a month once however it is started, proration and due dates, VAT,
//! payments in the written order with credits, late fees by days, reversals, adjustments after
//! a correction, closing and reopening, bills as PDF, arrears, and who sees what.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::billing::{ArrearsView, BillingOverview, GenerateReport, InvoiceDto};
use doongji::domain::Role;
use doongji::domain::billing::InvoiceStatus;

/// A lease of one unit with the given terms; its id.
#[allow(clippy::too_many_arguments)]
async fn lease_with(
    app: &TestApp,
    staff: &reqwest::Client,
    f: &Fixture,
    unit: i64,
    (start, end): (&str, &str),
    (rent, fee): (i64, i64),
    payment_day: u32,
    (rate_bp, grace): (u32, u32),
) -> i64 {
    ok(app
        .call(
            staff,
            "leases/create",
            &[
                ("tenant_id", &f.tenant.to_string()),
                ("building_id", &f.building.to_string()),
                ("unit_ids", &unit.to_string()),
                ("start_date", start),
                ("end_date", end),
                ("deposit", "10000000"),
                ("monthly_rent", &rent.to_string()),
                ("management_fee", &fee.to_string()),
                ("vat_applies", "on"),
                ("payment_day", &payment_day.to_string()),
                ("late_fee_rate_bp", &rate_bp.to_string()),
                ("grace_days", &grace.to_string()),
            ],
        )
        .await)
    .await
}

async fn generate(app: &TestApp, staff: &reqwest::Client, month: &str) -> GenerateReport {
    ok(app
        .call(staff, "billing/generate", &[("month", month)])
        .await)
    .await
}

async fn invoice_id(app: &TestApp, lease: i64, month: &str) -> i64 {
    doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM invoices WHERE lease_id = ? AND month = ?"
    )
    .bind(lease)
    .bind(month)
    .fetch_one(pool)
    .await
    .unwrap())
}

async fn invoice(app: &TestApp, c: &reqwest::Client, lease: i64, month: &str) -> InvoiceDto {
    let id = invoice_id(app, lease, month).await;
    ok(app
        .call(c, "billing/invoice", &[("id", &id.to_string())])
        .await)
    .await
}

async fn pay(
    app: &TestApp,
    staff: &reqwest::Client,
    lease: i64,
    on: &str,
    amount: &str,
) -> reqwest::Response {
    app.call(
        staff,
        "billing/pay",
        &[
            ("lease_id", &lease.to_string()),
            ("paid_on", on),
            ("amount", amount),
            ("method", "transfer"),
            ("depositor", "행복상사"),
            ("memo", ""),
        ],
    )
    .await
}

fn line<'a>(i: &'a InvoiceDto, kind: &str) -> &'a doongji::areas::billing::InvoiceLineDto {
    i.lines
        .iter()
        .find(|l| l.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} line in {:?}", i.lines))
}

backend_test!(
    async fn a_month_is_generated_once_however_often_it_is_started(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "한빛빌딩").await;
        for (i, unit) in f.units.iter().enumerate() {
            lease_with(
                app,
                &staff,
                &f,
                *unit,
                ("2026-01-01", "2027-12-31"),
                (1_000_000 + i as i64, 100_000),
                10,
                (1200, 0),
            )
            .await;
        }
        let first = generate(app, &staff, "2026-03").await;
        assert_eq!((first.created, first.skipped), (4, 0), "{first:?}");
        let again = generate(app, &staff, "2026-03").await;
        assert_eq!((again.created, again.skipped), (0, 4));
        // Two at once: each lease gets one invoice, and the two reports add up to it.
        let (a, b) = tokio::join!(
            generate(app, &staff, "2026-04"),
            generate(app, &staff, "2026-04")
        );
        assert_eq!(a.created + b.created, 4, "{a:?} {b:?}");
        assert_eq!(a.skipped + b.skipped, 4);
        assert_eq!(scalar(app, "SELECT COUNT(*) FROM invoices").await, 8);
        // Every invoice's total is the sum of its lines.
        assert_eq!(
            scalar(
                app,
                "SELECT COUNT(*) FROM invoices i WHERE i.total <> (SELECT SUM(supply + vat) FROM invoice_lines l WHERE l.invoice_id = i.id)"
            )
            .await,
            0
        );
        // The page shows the month.
        let text = app
            .page_text(&staff, "/platform/billing?month=2026-04")
            .await;
        assert!(text.contains("2026년 4월 청구액"), "{text}");
        assert!(text.contains("4,840,006원"), "{text}"); // 4 × 1,100,000 + 6 won of rent, + 10% VAT
    }
);

backend_test!(
    async fn proration_vat_and_due_dates_follow_the_calendar(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "달빛빌딩").await;
        // Moves in on 15 March: 3,100,000 × 17/31 = 1,700,000.
        let mid = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-03-15", "2028-03-14"),
            (3_100_000, 0),
            31,
            (0, 0),
        )
        .await;
        // Moves out on 15 June: 3,000,000 × 15/30 = 1,500,000.
        let out = lease_with(
            app,
            &staff,
            &f,
            f.units[1],
            ("2025-06-16", "2026-06-15"),
            (3_000_000, 0),
            31,
            (0, 0),
        )
        .await;
        // VAT cut per line: 1,234,567 → 123,456.
        let vat = lease_with(
            app,
            &staff,
            &f,
            f.units[2],
            ("2026-01-01", "2028-12-31"),
            (1_234_567, 0),
            31,
            (0, 0),
        )
        .await;
        generate(app, &staff, "2026-03").await;
        let march = invoice(app, &staff, mid, "2026-03").await;
        let rent = line(&march, "rent");
        assert_eq!((rent.supply, rent.vat), (1_700_000, 170_000));
        assert!(
            rent.rule
                .contains("3,100,000원 × 17일/31일 (3/15~3/31) = 1,700,000원 (원 미만 절사)"),
            "{}",
            rent.rule
        );
        assert_eq!(march.due_date.to_string(), "2026-03-31");
        let v = invoice(app, &staff, vat, "2026-03").await;
        assert_eq!(
            (line(&v, "rent").supply, line(&v, "rent").vat),
            (1_234_567, 123_456)
        );
        assert_eq!(v.total, 1_358_023);
        generate(app, &staff, "2026-06").await;
        let june = invoice(app, &staff, out, "2026-06").await;
        assert_eq!(line(&june, "rent").supply, 1_500_000);
        // Payment day 31 in February: the last day, 28 or 29.
        generate(app, &staff, "2027-02").await;
        generate(app, &staff, "2028-02").await;
        assert_eq!(
            invoice(app, &staff, mid, "2027-02")
                .await
                .due_date
                .to_string(),
            "2027-02-28"
        );
        assert_eq!(
            invoice(app, &staff, mid, "2028-02")
                .await
                .due_date
                .to_string(),
            "2028-02-29"
        );
        // The lease that ended is not billed after it.
        assert_eq!(
            scalar(
                app,
                &format!(
                    "SELECT COUNT(*) FROM invoices WHERE lease_id = {out} AND month > '2026-06'"
                )
            )
            .await,
            0
        );
        // The bill shows the rule and the VAT rule.
        let text = app
            .page_text(&staff, &format!("/platform/billing/invoices/{}", march.id))
            .await;
        assert!(text.contains("17일/31일"), "{text}");
        assert!(text.contains("원 미만 절사"), "{text}");
    }
);

backend_test!(
    async fn payments_pay_late_fees_first_then_the_oldest_lines_and_leave_a_credit(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "새빛빌딩").await;
        // 300,000 a month without VAT-able fee, due on the 10th, 12% a year, no grace.
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (300_000, 0),
            10,
            (1200, 0),
        )
        .await;
        generate(app, &staff, "2026-01").await;
        generate(app, &staff, "2026-02").await;
        let jan = invoice(app, &staff, l, "2026-01").await;
        assert_eq!(jan.total, 330_000);
        assert_eq!(jan.status, InvoiceStatus::Overdue);
        let feb = invoice(app, &staff, l, "2026-02").await;
        // 330,000 × 12% × 21 days (1/11–1/31) ÷ 365 = 2,278.3 → 2,278
        let fee = line(&feb, "late_fee");
        assert_eq!(fee.supply, 2_278, "{}", fee.rule);
        assert_eq!(fee.vat, 0);
        assert!(
            fee.rule
                .contains("330,000원 × 연 12% × 21일 ÷ 365 = 2,278.3원 → 2,278원 (원 미만 절사)"),
            "{}",
            fee.rule
        );
        assert_eq!(feb.previous_arrears, 330_000);

        // 100,000 pays the late fee first, then January's rent.
        ok::<i64>(pay(app, &staff, l, "2026-02-20", "100,000원").await).await;
        let feb = invoice(app, &staff, l, "2026-02").await;
        assert_eq!(line(&feb, "late_fee").paid, 2_278);
        let jan = invoice(app, &staff, l, "2026-01").await;
        assert_eq!(jan.paid, 100_000 - 2_278);
        assert_eq!(jan.status, InvoiceStatus::Overdue);
        // Paying more than is owed leaves a credit, used by the next invoice.
        let owed = (jan.total - jan.paid) + (feb.total - feb.paid);
        ok::<i64>(pay(app, &staff, l, "2026-02-25", &(owed + 50_000).to_string()).await).await;
        let jan = invoice(app, &staff, l, "2026-01").await;
        assert_eq!(jan.status, InvoiceStatus::Paid);
        assert_eq!(
            invoice(app, &staff, l, "2026-02").await.status,
            InvoiceStatus::Paid
        );
        assert_eq!(jan.credit, 50_000);
        generate(app, &staff, "2026-03").await;
        let march = invoice(app, &staff, l, "2026-03").await;
        // January was paid late (partly on 2/20, the rest on 2/25): its late fee for February.
        let mar_fee = line(&march, "late_fee");
        let exact = (330_000i128 * 1200 * 20 + (330_000 - 97_722) as i128 * 1200 * 5) / 3_650_000;
        assert_eq!(mar_fee.supply as i128, exact, "{}", mar_fee.rule);
        assert_eq!(march.paid, 50_000.min(march.total));
        assert_eq!(march.credit, 0);
        // Nothing paid was ever more than owed.
        assert_eq!(
            scalar(
                app,
                "SELECT COUNT(*) FROM invoice_lines WHERE paid > supply + vat AND supply + vat > 0"
            )
            .await,
            0
        );
        // A bad amount is refused next to its field.
        let e = err(pay(app, &staff, l, "2026-02-25", "-5").await, 422).await;
        assert!(e.field_message("amount").is_some(), "{e:?}");
        let e = err(pay(app, &staff, l, "2099-01-01", "5").await, 422).await;
        assert!(e.field_message("paid_on").is_some(), "{e:?}");
    }
);

backend_test!(
    async fn deleting_a_payment_is_an_audited_reversal(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "정빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (500_000, 0),
            25,
            (0, 0),
        )
        .await;
        generate(app, &staff, "2026-11").await;
        let payment: i64 = ok(pay(app, &staff, l, "2026-11-20", "550000").await).await;
        assert_eq!(
            invoice(app, &staff, l, "2026-11").await.status,
            InvoiceStatus::Paid
        );
        let e = err(
            app.call(
                &staff,
                "billing/reverse",
                &[("id", &payment.to_string()), ("reason", "")],
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("reason").is_some());
        ok::<()>(
            app.call(
                &staff,
                "billing/reverse",
                &[("id", &payment.to_string()), ("reason", "다른 임차인 입금")],
            )
            .await,
        )
        .await;
        let i = invoice(app, &staff, l, "2026-11").await;
        assert_eq!(i.paid, 0);
        assert_ne!(i.status, InvoiceStatus::Paid);
        let p = &i.payments[0];
        assert!(
            p.reversed
                .as_deref()
                .is_some_and(|r| r.contains("다른 임차인 입금")),
            "{p:?}"
        );
        assert_eq!(
            scalar(
                app,
                &format!("SELECT COUNT(*) FROM payments WHERE id = {payment}")
            )
            .await,
            1
        );
        assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'payment' AND entity_id = {payment}")).await, 2);
        // Twice is refused.
        err(
            app.call(
                &staff,
                "billing/reverse",
                &[("id", &payment.to_string()), ("reason", "다시")],
            )
            .await,
            409,
        )
        .await;
    }
);

backend_test!(
    async fn a_correction_after_billing_is_an_adjustment_on_the_next_invoice(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "별빛빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (3_100_000, 200_000),
            25,
            (0, 0),
        )
        .await;
        generate(app, &staff, "2026-05").await;
        let may = invoice(app, &staff, l, "2026-05").await;
        // The rent was entered wrong: 3,000,000.
        ok::<serde_json::Value>(
            app.call(
                &staff,
                "leases/update",
                &[
                    ("id", &l.to_string()),
                    ("version", "1"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "10000000"),
                    ("monthly_rent", "3000000"),
                    ("management_fee", "200000"),
                    ("payment_day", "25"),
                    ("agreed_reason", ""),
                ],
            )
            .await,
        )
        .await;
        let r = generate(app, &staff, "2026-06").await;
        assert_eq!(r.adjustments, 1, "{r:?}");
        let june = invoice(app, &staff, l, "2026-06").await;
        let adj = line(&june, "adjustment");
        assert_eq!((adj.supply, adj.vat), (-100_000, -10_000));
        assert!(
            adj.label.contains("2026-05") && adj.rule.contains("계약 정정 반영"),
            "{adj:?}"
        );
        assert_eq!(june.total, 3_200_000 + 320_000 - 110_000);
        // May's invoice itself is untouched.
        assert_eq!(invoice(app, &staff, l, "2026-05").await.total, may.total);
        // The next month adjusts nothing again.
        assert_eq!(generate(app, &staff, "2026-07").await.adjustments, 0);
    }
);

backend_test!(
    async fn a_month_generated_ahead_charges_no_late_day_that_has_not_come(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "미래빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2028-12-31"),
            (1_000_000, 0),
            10,
            (1200, 0),
        )
        .await;
        let today = doongji::server::time::today_seoul();
        let this = doongji::domain::billing::YearMonth::of(today);
        let before = this.prev().to_string();
        generate(app, &staff, &before).await;
        // Two months ahead: the unpaid invoice's late fee runs to yesterday at most.
        let ahead = this.next().next().to_string();
        generate(app, &staff, &ahead).await;
        let inv = invoice(app, &staff, l, &ahead).await;
        let fee = line(&inv, "late_fee");
        let yesterday = today.pred_opt().unwrap().to_string();
        assert!(
            fee.label.ends_with(&format!("~ {yesterday})")),
            "{fee:?} (today {today})"
        );
    }
);

backend_test!(
    async fn a_refund_larger_than_the_next_invoice_becomes_the_tenants_credit(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "은하빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (3_100_000, 200_000),
            25,
            (0, 0),
        )
        .await;
        for m in ["2026-05", "2026-06", "2026-07"] {
            generate(app, &staff, m).await;
        }
        // Three months of 3,630,000 paid in full.
        assert_eq!(
            pay(app, &staff, l, "2026-07-25", "10890000").await.status(),
            200
        );
        // The rent was 1,000,000 all along.
        ok::<serde_json::Value>(
            app.call(
                &staff,
                "leases/update",
                &[
                    ("id", &l.to_string()),
                    ("version", "1"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "10000000"),
                    ("monthly_rent", "1000000"),
                    ("management_fee", "200000"),
                    ("payment_day", "25"),
                    ("agreed_reason", ""),
                ],
            )
            .await,
        )
        .await;
        let r = generate(app, &staff, "2026-08").await;
        assert_eq!(r.adjustments, 3, "{r:?}");
        let aug = invoice(app, &staff, l, "2026-08").await;
        // 1,320,000 charged, 3 × 2,310,000 refunded: 5,610,000 more than August charges.
        assert_eq!(aug.total, 1_320_000 - 6_930_000);
        assert_eq!(aug.status, InvoiceStatus::Paid);
        assert_eq!(aug.credit, 5_610_000, "{aug:?}");
        assert_eq!(
            scalar(
                app,
                "SELECT COUNT(*) FROM payments WHERE method = 'refund' AND unallocated = 5610000"
            )
            .await,
            1
        );
        // September is paid from that credit, and the rest stays.
        generate(app, &staff, "2026-09").await;
        let sep = invoice(app, &staff, l, "2026-09").await;
        assert_eq!(
            (sep.total, sep.paid, sep.status),
            (1_320_000, 1_320_000, InvoiceStatus::Paid)
        );
        assert_eq!(sep.credit, 5_610_000 - 1_320_000);
        // A refund is not a payment staff can take back.
        let refund: i64 = scalar(app, "SELECT id FROM payments WHERE method = 'refund'").await;
        let res = app
            .call(
                &staff,
                "billing/reverse",
                &[("id", &refund.to_string()), ("reason", "실수")],
            )
            .await;
        assert_eq!(res.status(), 409);
    }
);

backend_test!(
    async fn a_closed_month_is_frozen_and_only_an_admin_reopens_it_with_a_reason(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let (admin, _) = app.signed_in(Role::Admin).await;
        let f = fixture(app, &staff, "해빛빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (1_000_000, 0),
            10,
            (1200, 0),
        )
        .await;
        generate(app, &staff, "2026-08").await;
        generate(app, &staff, "2026-09").await;
        let sep = invoice(app, &staff, l, "2026-09").await;
        let b = f.building.to_string();
        // Bills print only from a closed month.
        let res = staff
            .get(app.url(&format!("/platform/billing/invoices/{}/bill.pdf", sep.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409);
        ok::<()>(
            app.call(
                &staff,
                "billing/close",
                &[("building_id", &b), ("month", "2026-09")],
            )
            .await,
        )
        .await;
        err(
            app.call(
                &staff,
                "billing/close",
                &[("building_id", &b), ("month", "2026-09")],
            )
            .await,
            409,
        )
        .await;
        let sep = invoice(app, &staff, l, "2026-09").await;
        assert!(sep.closed.is_some());
        // A lease added later is refused for the closed month, with the reason.
        let later = lease_with(
            app,
            &staff,
            &f,
            f.units[1],
            ("2026-09-01", "2027-12-31"),
            (500_000, 0),
            10,
            (0, 0),
        )
        .await;
        let r = generate(app, &staff, "2026-09").await;
        assert_eq!(r.created, 0);
        assert!(
            r.refused
                .iter()
                .any(|(id, _, why)| *id == later && why.contains("마감")),
            "{r:?}"
        );
        // Its late fee cannot be waived while closed.
        let fee = line(&sep, "late_fee").id.to_string();
        err(
            app.call(
                &staff,
                "billing/waive",
                &[("line_id", &fee), ("reason", "은행 장애")],
            )
            .await,
            409,
        )
        .await;
        // Reopening: not a manager; an admin needs a reason.
        err(
            app.call(
                &staff,
                "billing/reopen",
                &[
                    ("building_id", &b),
                    ("month", "2026-09"),
                    ("reason", "정정 필요함"),
                ],
            )
            .await,
            403,
        )
        .await;
        let e = err(
            app.call(
                &admin,
                "billing/reopen",
                &[("building_id", &b), ("month", "2026-09"), ("reason", "")],
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("reason").is_some());
        ok::<()>(
            app.call(
                &admin,
                "billing/reopen",
                &[
                    ("building_id", &b),
                    ("month", "2026-09"),
                    ("reason", "관리비 정정 필요"),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(
            scalar(app, &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'billing_month' AND entity_id = {} AND after_json LIKE '%관리비 정정 필요%'", f.building)).await,
            1
        );
        // Open again: the fee can be waived, with its reason kept.
        ok::<()>(
            app.call(
                &staff,
                "billing/waive",
                &[("line_id", &fee), ("reason", "은행 장애로 입금 지연")],
            )
            .await,
        )
        .await;
        let sep2 = invoice(app, &staff, l, "2026-09").await;
        assert_eq!(sep2.total, sep.total - line(&sep, "late_fee").supply);
        assert!(
            line(&sep2, "late_fee")
                .waived
                .as_deref()
                .is_some_and(|w| w.contains("은행 장애로 입금 지연"))
        );
    }
);

backend_test!(
    async fn a_closed_month_prints_its_bills_as_pdf(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "가온빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (2_000_000, 300_000),
            10,
            (0, 0),
        )
        .await;
        lease_with(
            app,
            &staff,
            &f,
            f.units[1],
            ("2026-01-01", "2027-12-31"),
            (1_000_000, 100_000),
            10,
            (0, 0),
        )
        .await;
        let b = f.building.to_string();
        // Month end: every open building at once.
        let other = fixture(app, &staff, "나래빌딩").await;
        lease_with(
            app,
            &staff,
            &other,
            other.units[0],
            ("2026-01-01", "2027-12-31"),
            (900_000, 0),
            10,
            (0, 0),
        )
        .await;
        generate(app, &staff, "2026-10").await;
        let closed: i64 = ok(app
            .call(&staff, "billing/close-all", &[("month", "2026-10")])
            .await)
        .await;
        assert_eq!(closed, 2);
        let again: i64 = ok(app
            .call(&staff, "billing/close-all", &[("month", "2026-10")])
            .await)
        .await;
        assert_eq!(again, 0);
        let id = invoice_id(app, l, "2026-10").await;
        let res = staff
            .get(app.url(&format!("/platform/billing/invoices/{id}/bill.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let one = res.bytes().await.unwrap();
        assert!(one.starts_with(b"%PDF-"));
        assert!(
            one.len() < 200_000,
            "{} bytes: the font is not subset",
            one.len()
        );
        let res = staff
            .get(app.url(&format!(
                "/platform/billing/bills.pdf?building_id={b}&month=2026-10"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let all = res.bytes().await.unwrap();
        assert!(all.starts_with(b"%PDF-") && all.len() > one.len());
        // The month's lists export.
        let res = staff
            .get(app.url("/platform/export/invoices?month=2026-10"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
);

backend_test!(
    async fn arrears_age_by_days_and_flag_three_unpaid_periods(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "누리빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2027-12-31"),
            (1_000_000, 0),
            10,
            (1200, 5),
        )
        .await;
        for m in ["2026-07", "2026-08", "2026-09", "2026-10"] {
            generate(app, &staff, m).await;
        }
        let v: ArrearsView = ok(app.call(&staff, "billing/arrears", &[]).await).await;
        let row = v
            .rows
            .iter()
            .find(|r| r.lease_id == l)
            .expect("the lease owes");
        assert!(row.unpaid_periods >= 3, "{row:?}");
        assert!(
            row.buckets[3] > 0,
            "July is over 90 days past due on {}: {row:?}",
            v.as_of
        );
        assert!(row.accruing_late_fee > 0);
        let text = app.page_text(&staff, "/platform/billing/arrears").await;
        assert!(text.contains("3기 이상 연체"), "{text}");
        let res = staff
            .get(app.url("/platform/export/arrears"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        // The overview's chart and rate.
        let o: BillingOverview = ok(app
            .call(&staff, "billing/overview", &[("query[month]", "2026-10")])
            .await)
        .await;
        assert_eq!(o.chart.len(), 12);
        assert_eq!(o.chart.last().unwrap().month, "2026-10");
        assert!(o.chart.iter().filter(|m| m.billed > 0).count() >= 4);
        assert_eq!(o.rate_permille, 0);
    }
);

backend_test!(
    async fn the_daily_job_marks_invoices_past_due_as_overdue(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "바람빌딩").await;
        let l = lease_with(
            app,
            &staff,
            &f,
            f.units[0],
            ("2026-01-01", "2028-12-31"),
            (1_000_000, 0),
            10,
            (0, 3),
        )
        .await;
        generate(app, &staff, "2027-01").await;
        assert_eq!(
            invoice(app, &staff, l, "2027-01").await.status,
            InvoiceStatus::Unpaid
        );
        // Its due date passes (as if time went by).
        doongji::db_run!(&app.state.db, |pool| sqlx::query(
            "UPDATE invoices SET due_date = ? WHERE lease_id = ?"
        )
        .bind(chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap())
        .bind(l)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
        let n = doongji::areas::billing::service::refresh_overdue(&app.state)
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(
            invoice(app, &staff, l, "2027-01").await.status,
            InvoiceStatus::Overdue
        );
        assert_eq!(
            doongji::areas::billing::service::refresh_overdue(&app.state)
                .await
                .unwrap(),
            0
        );
    }
);

backend_test!(
    async fn a_client_sees_only_their_own_buildings_billing(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let mine = fixture(app, &staff, "내건물").await;
        let theirs = fixture(app, &staff, "남의건물").await;
        let my_lease = lease_with(
            app,
            &staff,
            &mine,
            mine.units[0],
            ("2026-01-01", "2027-12-31"),
            (1_000_000, 0),
            10,
            (0, 0),
        )
        .await;
        let their_lease = lease_with(
            app,
            &staff,
            &theirs,
            theirs.units[0],
            ("2026-01-01", "2027-12-31"),
            (2_000_000, 0),
            10,
            (0, 0),
        )
        .await;
        let (_, owner) = owned(app, &staff, &mine, "내 건물주").await;
        generate(app, &staff, "2026-11").await;
        let o: BillingOverview = ok(app
            .call(&owner, "billing/overview", &[("query[month]", "2026-11")])
            .await)
        .await;
        assert_eq!(o.rows.total, 1);
        assert_eq!(o.totals.billed, 1_100_000);
        invoice(app, &owner, my_lease, "2026-11").await;
        let theirs_id = invoice_id(app, their_lease, "2026-11").await;
        err(
            app.call(&owner, "billing/invoice", &[("id", &theirs_id.to_string())])
                .await,
            404,
        )
        .await;
        err(pay(app, &owner, my_lease, "2026-11-20", "1000").await, 403).await;
        let res = owner
            .get(app.url(&format!("/platform/billing/invoices/{theirs_id}/bill.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
);
