//! Spreadsheets: the XLSX lease import (all or nothing, or the valid rows; large and odd
//! files) and the list exports, which carry the list's filters.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::leases::LeaseListRow;
use doongji::areas::tenants::TenantSummary;
use doongji::domain::Role;
use doongji::domain::list::ListPage;
type LeaseListPage = ListPage<LeaseListRow>;
use doongji::areas::spreadsheets::ImportReport;

/// Four rows: one valid, one with a bad business number, one with an unknown unit and a bad
/// date, and one overlapping the first within the file.
fn mixed_rows() -> Vec<Vec<String>> {
    vec![
        import_row(
            "(주)하나상사",
            "220-81-62517",
            "010-1111-2222",
            "101호",
            "2026-01-01",
            "2027-12-31",
        ),
        import_row(
            "(주)둘상사",
            "220-81-62518",
            "010-1111-3333",
            "102호",
            "2026-01-01",
            "2027-12-31",
        ),
        import_row(
            "(주)셋상사",
            "",
            "02-123-4567",
            "999호",
            "2026-13-01",
            "2027-12-31",
        ),
        import_row(
            "(주)넷상사",
            "1048137225",
            "01022223333",
            "101호",
            "2027-01-01",
            "2028-12-31",
        ),
    ]
}

backend_test!(
    async fn an_import_with_a_bad_row_saves_nothing_and_reports_each_row(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let report: ImportReport =
            ok(import(app, &staff, f.building, "all", import_file(&mixed_rows())).await).await;
        assert!(!report.saved);
        assert_eq!((report.total_rows, report.valid_rows), (4, 1));
        let row3 = &report.rows[1];
        assert_eq!(row3.row, 3);
        assert!(
            row3.errors.iter().any(|e| e.contains("사업자등록번호")),
            "{row3:?}"
        );
        let row4 = &report.rows[2].errors;
        assert!(
            row4.iter().any(|e| e.contains("999호")) && row4.iter().any(|e| e.contains("시작일")),
            "{row4:?}"
        );
        assert!(
            report.rows[3].errors.iter().any(|e| e.contains("101호")),
            "overlap within the file"
        );
        let none: ListPage<TenantSummary> = ok(app
            .call(&staff, "tenants/list", &[("query[q]", "하나상사")])
            .await)
        .await;
        assert_eq!(
            none.total, 0,
            "nothing saved when a row fails ({})",
            app.backend.name
        );
    }
);

backend_test!(
    async fn an_import_of_the_valid_rows_saves_them_and_reuses_tenants(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let b = f.building.to_string();
        let report: ImportReport =
            ok(import(app, &staff, f.building, "valid", import_file(&mixed_rows())).await).await;
        assert!(report.saved);
        assert_eq!(
            (report.leases_created, report.tenants_created),
            (1, 0),
            "the existing tenant with this number is reused"
        );
        let leases: LeaseListPage = ok(app
            .call(&staff, "leases/list", &[("query[building_id]", &b)])
            .await)
        .await;
        assert_eq!(leases.total, 1);
    }
);

backend_test!(
    async fn a_file_that_is_not_a_spreadsheet_is_refused(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let e = err(
            import(app, &staff, f.building, "all", PDF.to_vec()).await,
            422,
        )
        .await;
        assert!(e.field_message("file").is_some());
    }
);

backend_test!(
    async fn a_two_thousand_row_import_takes_seconds(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "대형빌딩").await;
        for floor in 1..=20 {
            let res = app
                .call(
                    &staff,
                    "units/bulk-add",
                    &[
                        ("building_id", &f.building.to_string()),
                        ("floor", &floor.to_string()),
                        ("from", &(floor * 1000 + 1).to_string()),
                        ("to", &(floor * 1000 + 100).to_string()),
                        ("exclusive_area_m2", "20"),
                        ("common_area_m2", "5"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200);
        }
        let rows: Vec<Vec<String>> = (0..2000)
            .map(|i| {
                let floor = i / 100 + 1;
                let unit = format!("{}호", floor * 1000 + i % 100 + 1);
                import_row(
                    &format!("임차인{i}"),
                    "",
                    &format!("010{:08}", 20_000_000 + i),
                    &unit,
                    "2026-01-01",
                    "2027-12-31",
                )
                .into_iter()
                .enumerate()
                .map(|(c, v)| if c == 0 { "개인".into() } else { v })
                .collect()
            })
            .collect();
        let started = std::time::Instant::now();
        let report: ImportReport =
            ok(import(app, &staff, f.building, "all", import_file(&rows)).await).await;
        let took = started.elapsed();
        assert!(
            report.saved,
            "{:?}",
            report.rows.iter().find(|r| !r.errors.is_empty())
        );
        assert_eq!(
            (report.leases_created, report.tenants_created),
            (2000, 2000)
        );
        eprintln!(
            "import of 2,000 rows on {}: {:?} (server {} ms)",
            app.backend.name, took, report.elapsed_ms
        );
        assert!(
            took < std::time::Duration::from_secs(20),
            "{took:?} on {}",
            app.backend.name
        );
    }
);

/// An import file with one valid row and one far-away cell.
fn sparse_file(far: (u32, u16)) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in doongji::areas::spreadsheets::IMPORT_COLUMNS
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let row = import_row(
        "(주)하나상사",
        "220-81-62517",
        "010-1111-2222",
        "101호",
        "2026-01-01",
        "2027-12-31",
    );
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, v).unwrap();
    }
    ws.write_string(far.0, far.1, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

/// The last cell of the sheet, far right: ignored, not billions of empty cells.
#[tokio::test]
async fn an_import_file_with_a_far_away_cell_is_read_safely() {
    let backend = backends().into_iter().next().unwrap();
    let app = spawn_app(&backend).await;
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(&app, &staff, "망원빌딩").await;
    let report: ImportReport = ok(import(
        &app,
        &staff,
        f.building,
        "all",
        sparse_file((1_048_575, 16_383)),
    )
    .await)
    .await;
    assert!(report.saved && report.total_rows == 1, "{report:?}");
    app.stop().await;
}

/// Data far below the limit of rows: refused with the reason.
#[tokio::test]
async fn an_import_file_with_data_past_the_row_limit_is_refused() {
    let backend = backends().into_iter().next().unwrap();
    let app = spawn_app(&backend).await;
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(&app, &staff, "망원빌딩").await;
    let e = err(
        import(&app, &staff, f.building, "all", sparse_file((20_000, 0))).await,
        422,
    )
    .await;
    assert!(
        e.field_message("file")
            .is_some_and(|m| m.contains("10,000행")),
        "{e:?}"
    );
    app.stop().await;
}

fn first_sheet(bytes: Vec<u8>) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    wb.worksheet_range_at(0).unwrap().unwrap()
}

backend_test!(
    async fn the_unit_export_carries_the_lists_filters(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let a = fixture(app, &staff, "망원빌딩").await;
        leased(app, &staff, &a).await;
        let xlsx = staff
            .get(app.url(&format!(
                "/platform/export/units?building_id={}&status=vacant",
                a.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200);
        assert!(
            xlsx.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let sheet = first_sheet(xlsx.bytes().await.unwrap().to_vec());
        assert_eq!(sheet.height(), 4, "header and three vacant units");
    }
);

backend_test!(
    async fn the_lease_export_carries_the_search(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let a = fixture(app, &staff, "망원빌딩").await;
        let b = fixture(app, &staff, "서교타워").await;
        ok::<i64>(lease(app, &staff, &a, &[a.units[0]], "2026-01-01", "2027-12-31").await).await;
        ok::<i64>(lease(app, &staff, &b, &[b.units[1]], "2025-01-01", "2026-12-31").await).await;
        let leases = staff
            .get(app.url("/platform/export/leases?q=%ED%96%89%EB%B3%B5"))
            .send()
            .await
            .unwrap();
        let sheet = first_sheet(leases.bytes().await.unwrap().to_vec());
        assert_eq!(sheet.height(), 3, "header and both leases of (주)행복상사");
        assert_eq!(
            sheet.get((1, 6)).map(|c| c.to_string()).as_deref(),
            Some("3000000")
        );
    }
);

backend_test!(
    /// A late fee typed into a percentage cell (which holds 0.12) is 12% a year, not 0.12%; an
    /// empty deposit or rent is a row error, not 0 won.
    async fn percent_cells_and_empty_amounts_are_read_as_meant(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = import_sheet(&mut wb);
        let mut rows = [
            import_row(
                "(주)하나상사",
                "220-81-62517",
                "010-1111-2222",
                "101호",
                "2026-01-01",
                "2027-12-31",
            ),
            import_row(
                "(주)둘상사",
                "1048137225",
                "010-1111-3333",
                "102호",
                "2026-01-01",
                "2027-12-31",
            ),
        ];
        rows[0][15] = String::new();
        rows[1][11] = String::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                ws.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
        let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
        ws.write_number_with_format(1, 15, 0.12, &percent).unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let report: ImportReport = ok(import(app, &staff, f.building, "valid", bytes).await).await;
        assert!(report.saved, "{report:?}");
        assert_eq!(report.valid_rows, 1, "{report:?}");
        assert!(
            report.rows[1]
                .errors
                .iter()
                .any(|e| e.contains("월 임대료이(가) 비어 있습니다")),
            "{:?}",
            report.rows[1]
        );
        let b = f.building.to_string();
        let leases: LeaseListPage = ok(app
            .call(&staff, "leases/list", &[("query[building_id]", &b)])
            .await)
        .await;
        assert_eq!(leases.total, 1);
        let lease: doongji::areas::leases::LeaseDto = ok(app
            .call(
                &staff,
                "leases/get",
                &[("id", &leases.rows[0].id.to_string())],
            )
            .await)
        .await;
        assert_eq!(lease.late_fee_rate_bp, 1_200);
    }
);

backend_test!(
    /// A small file that would unpack to many megabytes (a zip bomb) is refused before it is
    /// read, with a Korean reason.
    async fn a_file_that_unpacks_far_beyond_its_size_is_refused(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = import_sheet(&mut wb);
        let filler = "가".repeat(30_000);
        for r in 1..=200u32 {
            ws.write_string(r, 1, format!("{r}{filler}")).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        assert!(bytes.len() < 200_000);
        let e = err(import(app, &staff, f.building, "all", bytes).await, 422).await;
        let message = e.field_message("file").unwrap_or_default();
        assert!(message.contains("너무 큽니다"), "{message}");
    }
);
