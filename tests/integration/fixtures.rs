//! Small pieces of setup shared by the tests: a building with units and a tenant, leases,
//! clients who own buildings, management contracts, file uploads and import files.

use crate::helpers::*;
use doongji::domain::Role;

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub struct Fixture {
    pub building: i64,
    pub units: Vec<i64>,
    pub tenant: i64,
}

/// A Seoul building with units 101–104호 on the first floor, and one tenant.
pub async fn fixture(app: &TestApp, staff: &reqwest::Client, name: &str) -> Fixture {
    let building: i64 = ok(app
        .call(
            staff,
            "buildings/create",
            &[
                ("name", name),
                ("road_address", "서울특별시 마포구 양화로 45"),
                ("main_use", "근린생활시설"),
                ("region_class", "seoul"),
                ("floors_above", "5"),
                ("floors_below", "1"),
                ("total_area_m2", "1520.5"),
            ],
        )
        .await)
    .await;
    let b = building.to_string();
    let units: Vec<i64> = ok(app
        .call(
            staff,
            "units/bulk-add",
            &[
                ("building_id", &b),
                ("floor", "1"),
                ("from", "101"),
                ("to", "104"),
                ("exclusive_area_m2", "33.1"),
                ("common_area_m2", "12.4"),
            ],
        )
        .await)
    .await;
    let tenant: i64 = ok(app
        .call(
            staff,
            "tenants/create",
            &[
                ("kind", "company"),
                ("name", "(주)행복상사"),
                ("business_number", "220-81-62517"),
                ("representative", "이행복"),
                ("contact_name", "김담당"),
                ("mobile", "010-2345-6789"),
                ("email", "lease@happy.example"),
            ],
        )
        .await)
    .await;
    Fixture {
        building,
        units,
        tenant,
    }
}

/// Leases `units` of the fixture's building to its tenant: 1억 deposit, 300만 rent.
pub async fn lease(
    app: &TestApp,
    staff: &reqwest::Client,
    f: &Fixture,
    units: &[i64],
    start: &str,
    end: &str,
) -> reqwest::Response {
    let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
    app.call(
        staff,
        "leases/create",
        &[
            ("tenant_id", &f.tenant.to_string()),
            ("building_id", &f.building.to_string()),
            ("unit_ids", &units.join(",")),
            ("start_date", start),
            ("end_date", end),
            ("deposit", "100000000"),
            ("monthly_rent", "3000000"),
            ("management_fee", "500000"),
            ("vat_applies", "on"),
            ("payment_day", "31"),
            ("late_fee_rate_bp", "1200"),
            ("grace_days", "5"),
        ],
    )
    .await
}

/// The fixture's first unit leased for 2026–2027; the lease id.
pub async fn leased(app: &TestApp, staff: &reqwest::Client, f: &Fixture) -> i64 {
    ok(lease(app, staff, f, &[f.units[0]], "2026-01-01", "2027-12-31").await).await
}

/// The id of the user with this email.
pub async fn user_id(app: &TestApp, email: &str) -> i64 {
    doongji::server::db::users::find_by_email(&app.state.db, email)
        .await
        .unwrap()
        .unwrap()
        .id
}

pub async fn create_client(app: &TestApp, staff: &reqwest::Client, name: &str) -> i64 {
    ok(app
        .call(
            staff,
            "clients/create",
            &[
                ("kind", "company"),
                ("name", name),
                ("business_number", "220-81-62517"),
                ("representative", "박대표"),
                ("contact_phone", "02-333-4444"),
                ("contact_email", "owner@example.com"),
            ],
        )
        .await)
    .await
}

/// A client, linked to a new client-role user, owning the fixture's building.
pub async fn owned(
    app: &TestApp,
    staff: &reqwest::Client,
    f: &Fixture,
    name: &str,
) -> (i64, reqwest::Client) {
    let client = create_client(app, staff, name).await;
    let (owner, email) = app.signed_in(Role::Client).await;
    let res = app
        .call(
            staff,
            "clients/link-user",
            &[("client_id", &client.to_string()), ("email", &email)],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    set_building_client(app, staff, f.building, client).await;
    (client, owner)
}

/// Makes `client` the owner of `building` (and sets its register codes and lot address,
/// 서울특별시 마포구 서교동 395-12).
pub async fn set_building_client(
    app: &TestApp,
    staff: &reqwest::Client,
    building: i64,
    client: i64,
) {
    let res = app
        .call(
            staff,
            "buildings/update",
            &[
                ("id", &building.to_string()),
                ("name", "망원빌딩"),
                ("road_address", "서울특별시 마포구 양화로 45"),
                ("lot_address", "서울특별시 마포구 서교동 395-12"),
                ("sigungu_cd", "11440"),
                ("bjdong_cd", "12000"),
                ("plat_gb_cd", "0"),
                ("bun", "395"),
                ("ji", "12"),
                ("region_class", "seoul"),
                ("main_use", "근린생활시설"),
                ("floors_above", "5"),
                ("floors_below", "1"),
                ("land_area_m2", "412.5"),
                ("building_area_m2", "240.1"),
                ("total_area_m2", "1520.5"),
                ("approval_date", "2011-05-20"),
                ("client_id", &client.to_string()),
                ("manager_ids", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// A management contract for 2026–2027: scope "fm, pm", 350만 a month.
pub async fn contract(
    app: &TestApp,
    staff: &reqwest::Client,
    building: i64,
    client: i64,
) -> reqwest::Response {
    app.call(
        staff,
        "contracts/create",
        &[
            ("building_id", &building.to_string()),
            ("client_id", &client.to_string()),
            ("start_date", "2026-01-01"),
            ("end_date", "2027-12-31"),
            ("scope", "fm, pm"),
            ("monthly_fee", "3500000"),
            ("vat_applies", "on"),
        ],
    )
    .await
}

pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    owner_kind: &str,
    owner_id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("owner_kind", owner_kind.to_string())
        .text("owner_id", owner_id.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    client
        .post(app.url("/api/files/upload"))
        .multipart(form)
        .send()
        .await
        .expect("upload request")
}

/// A new sheet in `wb` with the import template's header row.
pub fn import_sheet(wb: &mut rust_xlsxwriter::Workbook) -> &mut rust_xlsxwriter::Worksheet {
    let ws = wb.add_worksheet();
    for (c, h) in doongji::areas::spreadsheets::IMPORT_COLUMNS
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws
}

/// An XLSX import file: the template's header, then `rows`.
pub fn import_file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = import_sheet(&mut wb);
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

pub fn import_row(
    name: &str,
    bn: &str,
    mobile: &str,
    unit: &str,
    start: &str,
    end: &str,
) -> Vec<String> {
    [
        "법인",
        name,
        bn,
        "대표",
        "담당",
        mobile,
        "",
        unit,
        start,
        end,
        "50,000,000",
        "2500000",
        "300000",
        "Y",
        "25",
        "12",
        "5",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub async fn import(
    app: &TestApp,
    staff: &reqwest::Client,
    building: i64,
    mode: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("building_id", building.to_string())
        .text("mode", mode.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("임대계약.xlsx"),
        );
    staff
        .post(app.url("/api/imports/leases"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}
