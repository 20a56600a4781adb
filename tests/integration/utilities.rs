//! Utilities: a bill split by metered usage with move-ins by days and vacant days the owner's,
//! the shares as invoice lines, a changed reading recomputing only the affected leases, an
//! adjustment after the month closed, roll-over and replacement, unusual readings asking
//! first, the XLSX sheet and its import, settings, and who sees what.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::billing::InvoiceDto;
use doongji::areas::utilities::{ReadingGrid, SplitReport, UtilityMonth};
use doongji::domain::Role;

async fn lease_unit(
    app: &TestApp,
    staff: &reqwest::Client,
    f: &Fixture,
    unit: i64,
    start: &str,
    end: &str,
) -> i64 {
    ok(lease(app, staff, f, &[unit], start, end).await).await
}

async fn save_bill(
    app: &TestApp,
    staff: &reqwest::Client,
    building: i64,
    kind: &str,
    month: &str,
    total: &str,
) -> i64 {
    ok(app
        .call(
            staff,
            "utilities/bill",
            &[
                ("building_id", &building.to_string()),
                ("kind", kind),
                ("month", month),
                ("total", total),
                ("period_from", "2026-11-01"),
                ("period_to", "2026-11-30"),
            ],
        )
        .await)
    .await
}

/// Saves readings: (unit, previous typed for a first reading or "", current).
async fn save_readings(
    app: &TestApp,
    staff: &reqwest::Client,
    building: i64,
    month: &str,
    cells: &[(String, String)],
) -> reqwest::Response {
    let b = building.to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("building_id", &b),
        ("kind", "electricity"),
        ("month", month),
    ];
    for (k, v) in cells {
        form.push((k, v));
    }
    app.call(staff, "utilities/readings/save", &form).await
}

fn cells(rows: &[(i64, &str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (unit, prev, cur) in rows {
        if !prev.is_empty() {
            out.push((format!("prev_{unit}"), prev.to_string()));
        }
        out.push((format!("cur_{unit}"), cur.to_string()));
    }
    out
}

async fn month_view(
    app: &TestApp,
    c: &reqwest::Client,
    building: i64,
    month: &str,
) -> UtilityMonth {
    ok(app
        .call(
            c,
            "utilities/month",
            &[("building_id", &building.to_string()), ("month", month)],
        )
        .await)
    .await
}

async fn invoice(app: &TestApp, c: &reqwest::Client, lease: i64, month: &str) -> InvoiceDto {
    let id = scalar(
        app,
        &format!("SELECT id FROM invoices WHERE lease_id = {lease} AND month = '{month}'"),
    )
    .await;
    ok(app
        .call(c, "billing/invoice", &[("id", &id.to_string())])
        .await)
    .await
}

/// The lease's utility line (supply) for the kind label on its invoice, if any.
fn line(inv: &InvoiceDto, kind: &str, label: &str) -> Option<(i64, i64)> {
    inv.lines
        .iter()
        .find(|l| l.kind == kind && l.label.contains(label))
        .map(|l| (l.id, l.supply))
}

async fn generate(app: &TestApp, staff: &reqwest::Client, month: &str) {
    let _: doongji::areas::billing::GenerateReport = ok(app
        .call(staff, "billing/generate", &[("month", month)])
        .await)
    .await;
}

backend_test!(
    async fn shares_land_on_invoices_and_a_reading_change_touches_only_its_kind(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "검침빌딩").await;
        let (u0, u1, u2) = (f.units[0], f.units[1], f.units[2]);
        let a = lease_unit(app, &staff, &f, u0, "2026-01-01", "2027-12-31").await;
        // Moves in on the 16th: 15 of November's 30 days.
        let b = lease_unit(app, &staff, &f, u1, "2026-11-16", "2027-11-15").await;
        generate(app, &staff, "2026-11").await;
        let before_a = invoice(app, &staff, a, "2026-11").await.total;

        // First readings: the previous value typed.
        let r: SplitReport = ok(save_readings(
            app,
            &staff,
            f.building,
            "2026-11",
            &cells(&[(u0, "1000", "1100"), (u1, "500", "560"), (u2, "0", "40")]),
        )
        .await)
        .await;
        assert_eq!(r.saved, 3);
        assert!(r.bills.is_empty(), "no bill yet: nothing split");
        save_bill(
            app,
            &staff,
            f.building,
            "electricity",
            "2026-11",
            "200,000원",
        )
        .await;
        save_bill(app, &staff, f.building, "water", "2026-11", "90000").await;

        // Weights: 101호 100×30, 102호 60×15 for the tenant and 60×15 vacant, 103호 40×30
        // vacant: 3000 + 900 + 900 + 1200 = 6000.
        let m = month_view(app, &staff, f.building, "2026-11").await;
        let elec = m
            .kinds
            .iter()
            .find(|k| k.setting.kind == "electricity")
            .unwrap();
        let share = |lease: Option<i64>, unit: i64| {
            elec.shares
                .iter()
                .filter(|s| s.lease_id == lease && s.unit_id == unit)
                .map(|s| s.amount)
                .sum::<i64>()
        };
        assert_eq!(share(Some(a), u0), 100_000);
        assert_eq!(share(Some(b), u1), 30_000);
        assert_eq!(share(None, u1), 30_000);
        assert_eq!(share(None, u2), 40_000);
        assert_eq!(elec.tenants_total + elec.owner_total, 200_000);
        assert_eq!(elec.owner_total, 70_000);
        let inv_a = invoice(app, &staff, a, "2026-11").await;
        assert_eq!(line(&inv_a, "utility", "전기").map(|l| l.1), Some(100_000));
        assert_eq!(
            inv_a.total,
            before_a + 100_000 + line(&inv_a, "utility", "수도").unwrap().1
        );
        let inv_b = invoice(app, &staff, b, "2026-11").await;
        assert_eq!(line(&inv_b, "utility", "전기").map(|l| l.1), Some(30_000));
        let water_a = line(&inv_a, "utility", "수도").unwrap();
        let water_b = line(&inv_b, "utility", "수도").unwrap();
        // Water by exclusive area: every unit 33.1㎡, so 22,500 a unit's month, 11,250 for 15 days.
        assert_eq!((water_a.1, water_b.1), (22_500, 11_250));

        // Another building with its own bill and lease: untouched by what follows.
        let g = fixture(app, &staff, "옆건물").await;
        let c = lease_unit(app, &staff, &g, g.units[0], "2026-01-01", "2027-12-31").await;
        generate(app, &staff, "2026-11").await;
        ok::<SplitReport>(
            save_readings(
                app,
                &staff,
                g.building,
                "2026-11",
                &cells(&[(g.units[0], "10", "20")]),
            )
            .await,
        )
        .await;
        save_bill(app, &staff, g.building, "electricity", "2026-11", "50000").await;
        let inv_c = invoice(app, &staff, c, "2026-11").await;
        assert_eq!(line(&inv_c, "utility", "전기").map(|l| l.1), Some(50_000));
        let audits = scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'utility_split'",
        )
        .await;

        // 101호 corrected to 1,160 (usage 160): 4800 + 900 + 900 + 1200 = 7800.
        let r: SplitReport = ok(save_readings(
            app,
            &staff,
            f.building,
            "2026-11",
            &cells(&[(u0, "", "1160")]),
        )
        .await)
        .await;
        assert_eq!(r.bills.len(), 1, "only the electricity bill is split again");
        assert_eq!(r.leases_changed, 2);
        assert_eq!(r.invoices_changed, 2);
        let inv_a2 = invoice(app, &staff, a, "2026-11").await;
        let inv_b2 = invoice(app, &staff, b, "2026-11").await;
        let (ea, eb) = (
            line(&inv_a2, "utility", "전기").unwrap(),
            line(&inv_b2, "utility", "전기").unwrap(),
        );
        // 200,000 × 4800/7800 = 123,076.9…, the remainders decide the last won.
        assert_eq!((ea.1, eb.1), (123_077, 23_077));
        let m = month_view(app, &staff, f.building, "2026-11").await;
        let elec = m
            .kinds
            .iter()
            .find(|k| k.setting.kind == "electricity")
            .unwrap();
        assert_eq!(elec.tenants_total + elec.owner_total, 200_000);
        // The same lines changed in place; water and the other building untouched.
        assert_eq!(ea.0, line(&inv_a, "utility", "전기").unwrap().0);
        assert_eq!(line(&inv_a2, "utility", "수도"), Some(water_a));
        assert_eq!(line(&inv_b2, "utility", "수도"), Some(water_b));
        assert_eq!(invoice(app, &staff, c, "2026-11").await.lines, inv_c.lines);
        assert_eq!(inv_a2.total, inv_a.total + 23_077);
        // One audited split, naming the two leases.
        assert_eq!(
            scalar(
                app,
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'utility_split'"
            )
            .await,
            audits + 1
        );
        // The split is stored with the reading grid showing what was saved and carried.
        let grid: ReadingGrid = ok(app
            .call(
                &staff,
                "utilities/readings",
                &[
                    ("building_id", &f.building.to_string()),
                    ("kind", "electricity"),
                    ("month", "2026-12"),
                ],
            )
            .await)
        .await;
        let row0 = grid.rows.iter().find(|r| r.unit_id == u0).unwrap();
        assert_eq!(
            row0.previous, 1_160_000,
            "December starts from November's reading"
        );
        assert_eq!(row0.history, vec![160_000]);
    }
);

backend_test!(
    async fn a_change_after_closing_becomes_an_adjustment_on_the_next_invoice(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "마감빌딩").await;
        let (u0, u1) = (f.units[0], f.units[1]);
        let a = lease_unit(app, &staff, &f, u0, "2026-01-01", "2027-12-31").await;
        let b = lease_unit(app, &staff, &f, u1, "2026-01-01", "2027-12-31").await;
        ok::<SplitReport>(
            save_readings(
                app,
                &staff,
                f.building,
                "2026-10",
                &cells(&[(u0, "0", "100"), (u1, "0", "100")]),
            )
            .await,
        )
        .await;
        save_bill(app, &staff, f.building, "electricity", "2026-10", "100000").await;
        // The bill came before the invoices: generation carries the shares.
        generate(app, &staff, "2026-10").await;
        let oct_a = invoice(app, &staff, a, "2026-10").await;
        assert_eq!(line(&oct_a, "utility", "전기").map(|l| l.1), Some(50_000));
        let bld = f.building.to_string();
        ok::<()>(
            app.call(
                &staff,
                "billing/close",
                &[("building_id", &bld), ("month", "2026-10")],
            )
            .await,
        )
        .await;
        // Corrected after closing, before November is generated: 101호 300 → 75,000 / 25,000.
        ok::<SplitReport>(
            save_readings(
                app,
                &staff,
                f.building,
                "2026-10",
                &cells(&[(u0, "", "300")]),
            )
            .await,
        )
        .await;
        assert_eq!(
            invoice(app, &staff, a, "2026-10").await.lines,
            oct_a.lines,
            "closed: frozen"
        );
        generate(app, &staff, "2026-11").await;
        let nov_a = invoice(app, &staff, a, "2026-11").await;
        let nov_b = invoice(app, &staff, b, "2026-11").await;
        assert_eq!(
            line(&nov_a, "adjustment", "전기").map(|l| l.1),
            Some(25_000)
        );
        assert_eq!(
            line(&nov_b, "adjustment", "전기").map(|l| l.1),
            Some(-25_000)
        );
        // Corrected again with November open: the difference goes on November's invoice now.
        ok::<SplitReport>(
            save_readings(
                app,
                &staff,
                f.building,
                "2026-10",
                &cells(&[(u0, "", "100")]),
            )
            .await,
        )
        .await;
        let nov_a2 = invoice(app, &staff, a, "2026-11").await;
        let adj: i64 = nov_a2
            .lines
            .iter()
            .filter(|l| l.kind == "adjustment" && l.label.contains("전기"))
            .map(|l| l.supply)
            .sum();
        assert_eq!(adj, 0, "back to 50,000: the adjustments cancel out");
        assert_eq!(nov_a2.total, nov_a.total - 25_000);
        let billed = scalar(
            app,
            &format!(
                "SELECT billed FROM utility_charges WHERE lease_id = {a} AND month = '2026-10'"
            ),
        )
        .await;
        assert_eq!(billed, 50_000);
        // Generating again adds nothing twice.
        generate(app, &staff, "2026-11").await;
        assert_eq!(invoice(app, &staff, a, "2026-11").await.lines, nov_a2.lines);
    }
);

backend_test!(
    async fn roll_over_replacement_and_unusual_readings(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "계량기빌딩").await;
        let (u0, u1) = (f.units[0], f.units[1]);
        for (m, a, b) in [
            ("2026-07", ("9000", "9100"), ("100", "200")),
            ("2026-08", ("", "9200"), ("", "300")),
            ("2026-09", ("", "9300"), ("", "400")),
        ] {
            ok::<SplitReport>(
                save_readings(
                    app,
                    &staff,
                    f.building,
                    m,
                    &cells(&[(u0, a.0, a.1), (u1, b.0, b.1)]),
                )
                .await,
            )
            .await;
        }
        let usage = |unit: i64, month: &'static str| {
            let sql = format!(
                "SELECT consumption FROM meter_readings WHERE unit_id = {unit} AND kind = 'electricity' AND month = '{month}'"
            );
            async move { scalar(app, &sql).await }
        };
        // A four-digit dial past 9,999: 9,300 → 40 is 740 used.
        let b = f.building.to_string();
        let mut form = vec![
            ("building_id", b.as_str()),
            ("kind", "electricity"),
            ("month", "2026-10"),
        ];
        let (c0, e0, d0, c1, e1, o1, s1, m1) = (
            format!("cur_{u0}"),
            format!("evt_{u0}"),
            format!("dig_{u0}"),
            format!("cur_{u1}"),
            format!("evt_{u1}"),
            format!("old_{u1}"),
            format!("start_{u1}"),
            format!("mul_{u1}"),
        );
        form.extend([
            (c0.as_str(), "40"),
            (e0.as_str(), "rollover"),
            (d0.as_str(), "4"),
            // Replaced at 450 (50 on the old meter), the new one from 0 to 20 at ×2.
            (c1.as_str(), "20"),
            (e1.as_str(), "replaced"),
            (o1.as_str(), "450"),
            (s1.as_str(), "0"),
            (m1.as_str(), "2"),
        ]);
        // 740 against an average of 100 asks first; the replaced meter's 90 is usual.
        let e = err(
            app.call(&staff, "utilities/readings/save", &form).await,
            422,
        )
        .await;
        assert!(
            e.field_message(&c0).is_some_and(|m| m.contains("평균")),
            "{e:?}"
        );
        assert!(e.field_message(&c1).is_none());
        let saved = format!(
            "SELECT COUNT(*) FROM meter_readings WHERE building_id = {} AND month = '2026-10'",
            f.building
        );
        assert_eq!(scalar(app, &saved).await, 0, "nothing saved");
        form.push(("confirm", "on"));
        ok::<SplitReport>(app.call(&staff, "utilities/readings/save", &form).await).await;
        assert_eq!(usage(u0, "2026-10").await, 740_000);
        assert_eq!(usage(u1, "2026-10").await, 90_000);
        // November starts from the new meter and keeps its multiplier.
        let grid: ReadingGrid = ok(app
            .call(
                &staff,
                "utilities/readings",
                &[
                    ("building_id", &b),
                    ("kind", "electricity"),
                    ("month", "2026-11"),
                ],
            )
            .await)
        .await;
        let r1 = grid.rows.iter().find(|r| r.unit_id == u1).unwrap();
        assert_eq!((r1.previous, r1.multiplier), (20_000, 2));
        // A reading below last month's without roll-over or replacement is refused.
        let e = err(
            save_readings(
                app,
                &staff,
                f.building,
                "2026-11",
                &cells(&[(u1, "", "10")]),
            )
            .await,
            422,
        )
        .await;
        assert!(
            e.field_message(&c1).is_some_and(|m| m.contains("작습니다")),
            "{e:?}"
        );
        // Bad numbers are refused with the field named.
        let e = err(
            save_readings(
                app,
                &staff,
                f.building,
                "2026-11",
                &cells(&[(u1, "", "12.3456")]),
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message(&c1).is_some());
    }
);

backend_test!(
    async fn the_sheet_downloads_and_imports_and_settings_split_again(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "엑셀빌딩").await;
        let a = lease_unit(app, &staff, &f, f.units[0], "2026-01-01", "2027-12-31").await;
        let b = lease_unit(app, &staff, &f, f.units[1], "2026-01-01", "2027-12-31").await;
        ok::<SplitReport>(
            save_readings(
                app,
                &staff,
                f.building,
                "2026-10",
                &cells(&[(f.units[0], "0", "100"), (f.units[1], "0", "100")]),
            )
            .await,
        )
        .await;
        let res = staff
            .get(app.url(&format!(
                "/platform/utilities/readings.xlsx?building_id={}&kind=electricity&month=2026-11",
                f.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.bytes().await.unwrap().starts_with(b"PK"));
        // The sheet filled in: 101호 130 (a number cell), 102호 "250".
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in doongji::areas::utilities::service::SHEET_COLUMNS
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "101호").unwrap();
        ws.write_number(1, 3, 130.0).unwrap();
        ws.write_string(2, 0, "102호").unwrap();
        ws.write_string(2, 3, "250").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let unit_names: Vec<String> = doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar(
            "SELECT name FROM units WHERE building_id = ? ORDER BY id"
        )
        .bind(f.building)
        .fetch_all(pool)
        .await
        .unwrap());
        assert_eq!(&unit_names[..2], ["101호", "102호"], "{unit_names:?}");
        let form = reqwest::multipart::Form::new()
            .text("building_id", f.building.to_string())
            .text("kind", "electricity")
            .text("month", "2026-11")
            .text("confirm", "on")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("검침표.xlsx"),
            );
        let r: SplitReport = ok(staff
            .post(app.url("/api/utilities/readings/import"))
            .multipart(form)
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(r.saved, 2);
        let used = scalar(
            app,
            &format!(
                "SELECT consumption FROM meter_readings WHERE unit_id = {} AND month = '2026-11'",
                f.units[1]
            ),
        )
        .await;
        assert_eq!(used, 150_000);
        // A bill, then the basis changed to fixed ratios 3:1 with a 20% common part by area.
        generate(app, &staff, "2026-11").await;
        save_bill(app, &staff, f.building, "electricity", "2026-11", "100000").await;
        // Usage 30 and 150: 16,667 and 83,333.
        assert_eq!(
            line(&invoice(app, &staff, a, "2026-11").await, "utility", "전기").map(|l| l.1),
            Some(16_667)
        );
        let bld = f.building.to_string();
        let (r0, r1) = (
            format!("ratio_{}", f.units[0]),
            format!("ratio_{}", f.units[1]),
        );
        let r: SplitReport = ok(app
            .call(
                &staff,
                "utilities/kind",
                &[
                    ("building_id", bld.as_str()),
                    ("kind", "electricity"),
                    ("label", "전기"),
                    ("basis", "fixed_ratio"),
                    ("common_percent", "20"),
                    ("month", "2026-11"),
                    (r0.as_str(), "75"),
                    (r1.as_str(), "25"),
                ],
            )
            .await)
        .await;
        assert_eq!(r.bills.len(), 1);
        // 80,000 by 3:1 (60,000 / 20,000); 20,000 common over four equal units (5,000 each,
        // two of them vacant).
        assert_eq!(
            line(&invoice(app, &staff, a, "2026-11").await, "utility", "전기").map(|l| l.1),
            Some(65_000)
        );
        assert_eq!(
            line(&invoice(app, &staff, b, "2026-11").await, "utility", "전기").map(|l| l.1),
            Some(25_000)
        );
        let m = month_view(app, &staff, f.building, "2026-11").await;
        let elec = m
            .kinds
            .iter()
            .find(|k| k.setting.kind == "electricity")
            .unwrap();
        assert_eq!(
            (elec.owner_total, elec.setting.basis.as_str()),
            (10_000, "fixed_ratio")
        );
        // A building's own kind.
        ok::<SplitReport>(
            app.call(
                &staff,
                "utilities/kind",
                &[
                    ("building_id", bld.as_str()),
                    ("kind", ""),
                    ("label", "정화조"),
                    ("basis", "equal"),
                    ("common_percent", "0"),
                ],
            )
            .await,
        )
        .await;
        save_bill(app, &staff, f.building, "etc1", "2026-11", "40000").await;
        assert_eq!(
            line(
                &invoice(app, &staff, a, "2026-11").await,
                "utility",
                "정화조"
            )
            .map(|l| l.1),
            Some(10_000)
        );
        // Bad settings are refused.
        let e = err(
            app.call(
                &staff,
                "utilities/kind",
                &[
                    ("building_id", bld.as_str()),
                    ("kind", "water"),
                    ("label", "수도"),
                    ("basis", "fixed_ratio"),
                    ("common_percent", "120"),
                ],
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("common_percent").is_some());
    }
);

backend_test!(
    async fn owners_read_their_buildings_and_only_staff_write(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "소유빌딩").await;
        let g = fixture(app, &staff, "남의빌딩").await;
        let (_, owner) = owned(app, &staff, &f, "(주)소유").await;
        save_bill(app, &staff, f.building, "water", "2026-11", "30000").await;
        let m = month_view(app, &owner, f.building, "2026-11").await;
        assert_eq!(
            m.kinds
                .iter()
                .find(|k| k.setting.kind == "water")
                .unwrap()
                .owner_total,
            30_000
        );
        err(
            app.call(
                &owner,
                "utilities/month",
                &[
                    ("building_id", &g.building.to_string()),
                    ("month", "2026-11"),
                ],
            )
            .await,
            404,
        )
        .await;
        err(
            app.call(
                &owner,
                "utilities/bill",
                &[
                    ("building_id", &f.building.to_string()),
                    ("kind", "water"),
                    ("month", "2026-11"),
                    ("total", "1"),
                ],
            )
            .await,
            403,
        )
        .await;
        let res = owner
            .get(app.url(&format!(
                "/platform/utilities/readings.xlsx?building_id={}&kind=electricity&month=2026-11",
                g.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
);
