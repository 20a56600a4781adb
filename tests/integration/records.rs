//! Clients, management contracts with history, the deposit ledger, termination, files (local
//! folder and S3), lists with filters and their XLSX export, the spreadsheet import, the audit
//! log, and client isolation for every server function of this area.

use crate::helpers::*;
use crate::leasing::{Fixture, err, fixture, lease, ok};
use doongji::areas::audit::AuditEntry;
use doongji::areas::clients::ClientDetail;
use doongji::areas::contracts::{ContractDto, ContractListRow};
use doongji::areas::files::FileDto;
use doongji::areas::leases::LeaseDto;
use doongji::areas::spreadsheets::ImportReport;
use doongji::areas::tenants::TenantSummary;
use doongji::domain::list::ListPage;
use doongji::domain::{ApiError, Role};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn create_client(app: &TestApp, staff: &reqwest::Client, name: &str) -> i64 {
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
async fn owned(
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

async fn set_building_client(app: &TestApp, staff: &reqwest::Client, building: i64, client: i64) {
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

async fn contract(
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

async fn upload(
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

#[tokio::test]
async fn management_contracts_keep_their_history_and_clients_their_users() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "망원빌딩").await;

        // A company needs a valid business number.
        let bad = app
            .call(
                &staff,
                "clients/create",
                &[
                    ("kind", "company"),
                    ("name", "(주)오류"),
                    ("business_number", "220-81-62518"),
                ],
            )
            .await;
        let e = err(bad, 422).await;
        assert!(e.field_message("business_number").is_some());

        let (client, owner) = owned(&app, &staff, &f, "(주)망원자산").await;
        let detail: ClientDetail = ok(app
            .call(&staff, "clients/get", &[("id", &client.to_string())])
            .await)
        .await;
        assert_eq!(detail.users.len(), 1);
        assert_eq!(detail.buildings.len(), 1);
        // A staff account cannot be linked as an owner.
        let (_, staff_email) = app.signed_in(Role::Manager).await;
        let res = app
            .call(
                &staff,
                "clients/link-user",
                &[("client_id", &client.to_string()), ("email", &staff_email)],
            )
            .await;
        assert_eq!(res.status(), 422);

        // The register codes were validated and padded.
        let b: doongji::areas::buildings::BuildingDetail = ok(app
            .call(&owner, "buildings/get", &[("id", &f.building.to_string())])
            .await)
        .await;
        assert_eq!(b.info.register_key(), "11440-12000-0-0395-0012");

        let id: i64 = ok(contract(&app, &staff, f.building, client).await).await;
        let c: ContractDto = ok(app
            .call(&staff, "contracts/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(c.contract.scope, "PM,FM");
        assert!(c.history.is_empty());

        let changed: ContractDto = ok(app
            .call(
                &staff,
                "contracts/update",
                &[
                    ("id", &id.to_string()),
                    ("version", "1"),
                    ("end_date", "2028-06-30"),
                    ("scope", "PM,LM,FM"),
                    ("monthly_fee", "3800000"),
                    ("vat_applies", "on"),
                ],
            )
            .await)
        .await;
        assert_eq!(changed.version, 2);
        let h = &changed.history[0];
        let fields: Vec<String> = h
            .changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
            .collect();
        assert!(
            fields.contains(&"월 관리 수수료: 3,500,000원 → 3,800,000원".to_string()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"종료일: 2027-12-31 → 2028-06-30".to_string()),
            "{fields:?}"
        );
        assert_eq!(h.changed_by.as_deref(), Some("매니저 사용자"));

        // A stale form is refused instead of overwriting.
        let stale = app
            .call(
                &staff,
                "contracts/update",
                &[
                    ("id", &id.to_string()),
                    ("version", "1"),
                    ("end_date", "2029-12-31"),
                    ("scope", "PM"),
                    ("monthly_fee", "1"),
                ],
            )
            .await;
        assert_eq!(stale.status(), 409);

        let kinds: Vec<String> = doongji::db_run!(&app.state.db, |pool| {
            sqlx::query_scalar(
            "SELECT kind FROM domain_events WHERE entity = 'contract' AND entity_id = ? ORDER BY id"
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap()
        });
        assert_eq!(kinds, ["contract.created", "contract.changed"]);

        // The owner reads the contract; the audit log has both writes.
        let seen: ContractDto = ok(app
            .call(&owner, "contracts/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(seen.contract.client_name, "(주)망원자산");
        let admin = app.signed_in(Role::Admin).await.0;
        let audit: ListPage<AuditEntry> = ok(app
            .call(
                &admin,
                "audit/list",
                &[("query[entity]", "contract"), ("query[q]", &id.to_string())],
            )
            .await)
        .await;
        assert_eq!(audit.total, 2, "{}", backend.name);
        assert!(
            audit.rows[0]
                .before
                .as_deref()
                .is_some_and(|b| b.contains("3500000"))
        );
        let res = app.call(&staff, "audit/list", &[]).await;
        assert_eq!(res.status(), 403, "the audit log is for admins");

        // Tenant and client records can be corrected; the audit keeps the previous values.
        let res = app
            .call(
                &staff,
                "tenants/update",
                &[
                    ("id", &f.tenant.to_string()),
                    ("kind", "company"),
                    ("name", "(주)행복상사"),
                    ("business_number", "2208162517"),
                    ("mobile", "010 9876 5432"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let t: doongji::areas::tenants::TenantDetail = ok(app
            .call(&staff, "tenants/get", &[("id", &f.tenant.to_string())])
            .await)
        .await;
        assert_eq!(
            (
                t.tenant.mobile.as_str(),
                t.tenant.business_number.as_deref()
            ),
            ("01098765432", Some("220-81-62517"))
        );
        let bad = app
            .call(
                &staff,
                "tenants/update",
                &[
                    ("id", &f.tenant.to_string()),
                    ("kind", "company"),
                    ("name", "x"),
                    ("mobile", "02-123"),
                ],
            )
            .await;
        assert!(err(bad, 422).await.field_message("mobile").is_some());
        let res = app
            .call(
                &staff,
                "clients/update",
                &[
                    ("id", &client.to_string()),
                    ("kind", "company"),
                    ("name", "(주)망원자산관리"),
                    ("business_number", "220-81-62517"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let audit: ListPage<AuditEntry> = ok(app
            .call(
                &admin,
                "audit/list",
                &[
                    ("query[entity]", "tenant"),
                    ("query[q]", &f.tenant.to_string()),
                ],
            )
            .await)
        .await;
        assert!(
            audit.rows[0]
                .before
                .as_deref()
                .is_some_and(|b| b.contains("01023456789")),
            "{:?}",
            audit.rows[0]
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn the_deposit_ledger_and_early_termination() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "연남빌딩").await;
        let id: i64 =
            ok(lease(&app, &staff, &f, &[f.units[0]], "2026-01-01", "2027-12-31").await).await;
        let entry = |kind: &'static str, amount: &'static str| {
            let staff = staff.clone();
            let app = &app;
            async move {
                app.call(
                    &staff,
                    "leases/deposit",
                    &[
                        ("lease_id", &id.to_string()),
                        ("kind", kind),
                        ("amount", amount),
                        ("on_date", "2026-01-02"),
                        ("note", "계좌이체"),
                    ],
                )
                .await
            }
        };
        assert_eq!(entry("received", "100000000").await.status(), 200);
        let over = err(entry("received", "1").await, 422).await;
        assert!(
            over.field_message("amount")
                .is_some_and(|m| m.contains("100,000,000원"))
        );
        assert_eq!(entry("returned", "40000000").await.status(), 200);
        let too_much = err(entry("returned", "60000001").await, 422).await;
        assert!(
            too_much
                .field_message("amount")
                .is_some_and(|m| m.contains("60,000,000원")),
            "{too_much:?}"
        );

        let l: LeaseDto = ok(app
            .call(&staff, "leases/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(
            (l.deposit_ledger.received, l.deposit_ledger.returned),
            (100_000_000, 40_000_000)
        );
        assert_eq!(l.deposit_ledger.state_ko(l.deposit), "일부 반환");

        let outside = app
            .call(
                &staff,
                "leases/terminate",
                &[
                    ("id", &id.to_string()),
                    ("version", "1"),
                    ("terminated_on", "2030-01-01"),
                    ("reason", "폐업"),
                ],
            )
            .await;
        assert_eq!(outside.status(), 422);
        let res = app
            .call(
                &staff,
                "leases/terminate",
                &[
                    ("id", &id.to_string()),
                    ("version", "1"),
                    ("terminated_on", "2026-08-31"),
                    ("reason", "폐업으로 중도 해지"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let l: LeaseDto = ok(app
            .call(&staff, "leases/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(l.status, doongji::areas::leases::LeaseStatus::Terminated);
        assert_eq!(
            l.terminated_on.map(|d| d.to_string()).as_deref(),
            Some("2026-08-31")
        );
        assert_eq!(l.history[0].change_kind, "lease.ended");
        assert!(
            l.history[0]
                .changes
                .iter()
                .any(|c| c.field == "종료일" && c.after == "2026-08-31")
        );
        assert_eq!(
            doongji::areas::leases::store::event_kinds(&app.state.db, id)
                .await
                .unwrap(),
            ["lease.created", "lease.ended"]
        );
        // The unit is free again after the termination date.
        let next = lease(&app, &staff, &f, &[f.units[0]], "2026-09-01", "2028-08-31").await;
        assert_eq!(next.status(), 200, "{}", backend.name);
        app.stop().await;
    }
}

/// Upload, type and size refusal, download permission and deletion, on the given store.
async fn files_round_trip(app: &TestApp, label: &str) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "망원빌딩").await;
    let (_, owner) = owned(app, &staff, &f, "(주)망원자산").await;
    let other = fixture(app, &staff, "남의빌딩").await;
    let (_, stranger) = owned(app, &staff, &other, "(주)남의자산").await;
    let lease_id: i64 =
        ok(lease(app, &staff, &f, &[f.units[0]], "2026-01-01", "2027-12-31").await).await;

    let res = upload(
        app,
        &staff,
        "lease",
        lease_id,
        "../계약서 2026.pdf",
        PDF.to_vec(),
    )
    .await;
    let file: FileDto = ok(res).await;
    assert_eq!(
        (file.name.as_str(), file.content_type.as_str()),
        ("계약서 2026.pdf", "application/pdf"),
        "{label}"
    );

    // A program renamed to .pdf is refused by its content, not accepted by its name.
    let fake = upload(
        app,
        &staff,
        "lease",
        lease_id,
        "계약서.pdf",
        b"MZ\x90\x00\x03 this is not a pdf".to_vec(),
    )
    .await;
    let e = err(fake, 422).await;
    assert!(
        e.field_message("file").is_some_and(|m| m.contains("PDF")),
        "{e:?}"
    );
    // Over the limit (1 MB in these tests).
    let big = upload(
        app,
        &staff,
        "lease",
        lease_id,
        "큰파일.pdf",
        [PDF, &vec![b' '; 1_100_000]].concat(),
    )
    .await;
    assert!(
        matches!(big.status().as_u16(), 413 | 422),
        "{label}: {}",
        big.status()
    );
    // Clients cannot upload.
    assert_eq!(
        upload(app, &owner, "lease", lease_id, "a.pdf", PDF.to_vec())
            .await
            .status(),
        403
    );

    let url = app.url(&format!("/platform/files/{}", file.id));
    let got = staff.get(&url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert!(
        got.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    assert_eq!(got.bytes().await.unwrap().as_ref(), PDF, "{label}");
    assert_eq!(
        owner.get(&url).send().await.unwrap().status(),
        200,
        "the owner of the building may download"
    );
    assert_eq!(
        stranger.get(&url).send().await.unwrap().status(),
        404,
        "another owner may not"
    );

    // A tenant with a file cannot be deleted; the file can, and then it is gone.
    let t_file: FileDto = ok(upload(
        app,
        &staff,
        "tenant",
        f.tenant,
        "사업자등록증.png",
        b"\x89PNG\r\n\x1a\nrest".to_vec(),
    )
    .await)
    .await;
    let refused = app
        .call(&staff, "tenants/delete", &[("id", &f.tenant.to_string())])
        .await;
    assert_eq!(refused.status(), 409);
    assert_eq!(
        app.call(&staff, "files/delete", &[("id", &t_file.id.to_string())])
            .await
            .status(),
        200
    );
    let gone = staff
        .get(app.url(&format!("/platform/files/{}", t_file.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn files_in_the_local_folder_are_typed_limited_and_guarded() {
    for backend in backends() {
        let app = spawn_app_with(
            &backend,
            Options {
                extra: vec![("FILE_MAX_MB", "1".into())],
                ..Default::default()
            },
        )
        .await;
        files_round_trip(&app, backend.name).await;
        let stored = walk(&app.files_dir());
        assert_eq!(
            stored, 1,
            "one lease file left in the folder, the deleted one removed"
        );
        app.stop().await;
    }
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The S3 path, against a real S3-speaking server on loopback (moto, started by the test
/// command; `TEST_S3_ENDPOINT`).
#[tokio::test]
async fn files_on_s3_work_the_same() {
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        eprintln!("TEST_S3_ENDPOINT not set: the S3 test runs under the test command (.ci/test)");
        return;
    };
    let bucket = format!("doongji-test-{}", uuid::Uuid::new_v4().simple());
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "create bucket: {}",
        created.status()
    );
    let backend = backends().into_iter().next().unwrap();
    let app = spawn_app_with(
        &backend,
        Options {
            extra: vec![
                ("FILE_MAX_MB", "1".into()),
                ("S3_BUCKET", bucket.clone()),
                ("S3_ENDPOINT", endpoint.clone()),
                ("S3_REGION", "us-east-1".into()),
                ("S3_ACCESS_KEY_ID", "test".into()),
                ("S3_SECRET_ACCESS_KEY", "test".into()),
            ],
            ..Default::default()
        },
    )
    .await;
    assert_eq!(app.state.files.backend, "s3");
    files_round_trip(&app, "s3").await;
    // The bucket holds exactly the one remaining file.
    let listing = reqwest::Client::new()
        .get(format!("{endpoint}/{bucket}?list-type=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(listing.matches("<Key>").count(), 1, "{listing}");
    assert_eq!(
        walk(&app.files_dir()),
        0,
        "nothing went to the local folder"
    );
    app.stop().await;
}

/// An XLSX import file: the template's header, then `rows`.
fn import_file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in doongji::areas::spreadsheets::IMPORT_COLUMNS
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn import_row(
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

async fn import(
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

#[tokio::test]
async fn the_import_saves_all_or_nothing_or_the_valid_rows() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "망원빌딩").await;
        let b = f.building.to_string();
        let rows = vec![
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
        ];
        let report: ImportReport =
            ok(import(&app, &staff, f.building, "all", import_file(&rows)).await).await;
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
            backend.name
        );

        let report: ImportReport =
            ok(import(&app, &staff, f.building, "valid", import_file(&rows)).await).await;
        assert!(report.saved);
        assert_eq!(
            (report.leases_created, report.tenants_created),
            (1, 0),
            "the existing tenant with this number is reused"
        );
        let leases: doongji::domain::list::ListPage<doongji::areas::leases::LeaseListRow> = ok(app
            .call(&staff, "leases/list", &[("query[building_id]", &b)])
            .await)
        .await;
        assert_eq!(leases.total, 1);

        // Not a spreadsheet at all.
        let e = err(
            import(&app, &staff, f.building, "all", PDF.to_vec()).await,
            422,
        )
        .await;
        assert!(e.field_message("file").is_some());
        app.stop().await;
    }
}

#[tokio::test]
async fn a_two_thousand_row_import_takes_seconds() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "대형빌딩").await;
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
        let mut rng_bn = 0u32;
        let rows: Vec<Vec<String>> = (0..2000)
            .map(|i| {
                rng_bn += 1;
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
            ok(import(&app, &staff, f.building, "all", import_file(&rows)).await).await;
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
            backend.name, took, report.elapsed_ms
        );
        assert!(
            took < std::time::Duration::from_secs(20),
            "{took:?} on {}",
            backend.name
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn lists_filter_on_the_server_and_export_what_they_show() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let a = fixture(&app, &staff, "망원빌딩").await;
        let b = fixture(&app, &staff, "서교타워").await;
        let client = create_client(&app, &staff, "(주)마포자산").await;
        set_building_client(&app, &staff, a.building, client).await;
        ok::<i64>(contract(&app, &staff, a.building, client).await).await;
        ok::<i64>(lease(&app, &staff, &a, &[a.units[0]], "2026-01-01", "2027-12-31").await).await;
        ok::<i64>(lease(&app, &staff, &b, &[b.units[1]], "2025-01-01", "2026-12-31").await).await;

        let buildings: ListPage<doongji::areas::buildings::BuildingSummary> = ok(app
            .call(&staff, "buildings/list", &[("query[q]", "서교")])
            .await)
        .await;
        assert_eq!(buildings.total, 2, "name and lot address both searched");
        let buildings: ListPage<doongji::areas::buildings::BuildingSummary> = ok(app
            .call(
                &staff,
                "buildings/list",
                &[("query[client_id]", &client.to_string())],
            )
            .await)
        .await;
        assert_eq!(buildings.total, 1);
        assert_eq!(
            buildings.rows[0].client_name.as_deref(),
            Some("(주)마포자산")
        );

        let contracts: ListPage<ContractListRow> = ok(app
            .call(
                &staff,
                "contracts/list",
                &[("query[status]", "active"), ("query[q]", "마포자산")],
            )
            .await)
        .await;
        assert_eq!(contracts.total, 1);
        let none: ListPage<ContractListRow> = ok(app
            .call(&staff, "contracts/list", &[("query[status]", "ended")])
            .await)
        .await;
        assert_eq!(none.total, 0);

        let units: ListPage<doongji::areas::buildings::UnitListRow> = ok(app
            .call(
                &staff,
                "units/list",
                &[
                    ("query[building_id]", &a.building.to_string()),
                    ("query[status]", "vacant"),
                ],
            )
            .await)
        .await;
        assert_eq!(units.total, 3, "101호 is leased, three are vacant");

        let tenants: ListPage<TenantSummary> = ok(app
            .call(&staff, "tenants/list", &[("query[q]", "010-2345")])
            .await)
        .await;
        assert_eq!(tenants.total, 2, "found by the mobile number as typed");

        // The export carries the same filters.
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
        let bytes = xlsx.bytes().await.unwrap().to_vec();
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(sheet.height(), 4, "header and three vacant units");
        let leases = staff
            .get(app.url("/platform/export/leases?q=%ED%96%89%EB%B3%B5"))
            .send()
            .await
            .unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(
            leases.bytes().await.unwrap().to_vec(),
        ))
        .unwrap();
        let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(sheet.height(), 3, "header and both leases of (주)행복상사");
        assert_eq!(
            sheet.get((1, 6)).map(|c| c.to_string()).as_deref(),
            Some("3000000")
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_client_reaches_nothing_outside_their_buildings() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let mine = fixture(&app, &staff, "내빌딩").await;
        let (my_client, owner) = owned(&app, &staff, &mine, "(주)내자산").await;
        let other = fixture(&app, &staff, "남의빌딩").await;
        let other_client = create_client(&app, &staff, "(주)남의자산").await;
        set_building_client(&app, &staff, other.building, other_client).await;
        let other_contract: i64 =
            ok(contract(&app, &staff, other.building, other_client).await).await;
        let other_lease: i64 = ok(lease(
            &app,
            &staff,
            &other,
            &[other.units[0]],
            "2026-01-01",
            "2027-12-31",
        )
        .await)
        .await;
        let other_file: FileDto = ok(upload(
            &app,
            &staff,
            "lease",
            other_lease,
            "계약서.pdf",
            PDF.to_vec(),
        )
        .await)
        .await;
        let my_contract: i64 = ok(contract(&app, &staff, mine.building, my_client).await).await;
        let my_lease: i64 = ok(lease(
            &app,
            &staff,
            &mine,
            &[mine.units[0]],
            "2026-01-01",
            "2027-12-31",
        )
        .await)
        .await;

        // Every read of something else's answers 404 (and the own one works).
        let ob = other.building.to_string();
        type Form<'a> = Vec<(&'a str, String)>;
        let reads: Vec<(&str, Form, Form)> = vec![
            (
                "buildings/get",
                vec![("id", ob.clone())],
                vec![("id", mine.building.to_string())],
            ),
            (
                "leases/get",
                vec![("id", other_lease.to_string())],
                vec![("id", my_lease.to_string())],
            ),
            (
                "contracts/get",
                vec![("id", other_contract.to_string())],
                vec![("id", my_contract.to_string())],
            ),
            (
                "clients/get",
                vec![("id", other_client.to_string())],
                vec![("id", my_client.to_string())],
            ),
            (
                "units/list",
                vec![("query[building_id]", ob.clone())],
                vec![("query[building_id]", mine.building.to_string())],
            ),
        ];
        for (endpoint, theirs, own) in reads {
            let form: Vec<(&str, &str)> = theirs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&owner, endpoint, &form).await;
            assert_eq!(res.status(), 404, "{endpoint} on {}", backend.name);
            let form: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&owner, endpoint, &form).await;
            assert_eq!(res.status(), 200, "own {endpoint} on {}", backend.name);
        }
        // The tenant here leases in both buildings: visible through the own lease. A tenant
        // only in the other building is not.
        let stranger_tenant: i64 = ok(app
            .call(
                &staff,
                "tenants/create",
                &[
                    ("kind", "person"),
                    ("name", "남의임차인"),
                    ("mobile", "010-9999-8888"),
                ],
            )
            .await)
        .await;
        assert_eq!(
            app.call(
                &owner,
                "tenants/get",
                &[("id", &stranger_tenant.to_string())]
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            app.call(&owner, "tenants/get", &[("id", &mine.tenant.to_string())])
                .await
                .status(),
            200
        );
        let file = owner
            .get(app.url(&format!("/platform/files/{}", other_file.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 404, "files/download");
        let export = owner
            .get(app.url(&format!(
                "/platform/export/units?building_id={}",
                other.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 404, "export of another building's units");

        // Lists hold only the own records.
        for endpoint in [
            "buildings/list",
            "contracts/list",
            "leases/list",
            "clients/list",
            "tenants/list",
        ] {
            let res = app.call(&owner, endpoint, &[]).await;
            let text = res.text().await.unwrap();
            assert!(!text.contains("남의"), "{endpoint} leaks: {text}");
            let page: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(page["total"], 1, "{endpoint} on {}: {text}", backend.name);
        }

        let options: Vec<doongji::domain::list::NamedRef> =
            ok(app.call(&owner, "buildings/options", &[]).await).await;
        assert_eq!(
            options.iter().map(|b| b.id).collect::<Vec<_>>(),
            [mine.building],
            "buildings/options"
        );

        // Every change is refused to a client.
        let writes: Vec<(&str, Vec<(&str, String)>)> = vec![
            (
                "clients/create",
                vec![("kind", "person".into()), ("name", "x".into())],
            ),
            (
                "clients/link-user",
                vec![
                    ("client_id", other_client.to_string()),
                    ("email", "a@b.kr".into()),
                ],
            ),
            (
                "clients/unlink-user",
                vec![
                    ("client_id", my_client.to_string()),
                    ("user_id", "1".into()),
                ],
            ),
            (
                "buildings/create",
                vec![
                    ("name", "x".into()),
                    ("road_address", "x".into()),
                    ("region_class", "seoul".into()),
                    ("main_use", "x".into()),
                    ("floors_above", "1".into()),
                    ("floors_below", "0".into()),
                    ("total_area_m2", "1".into()),
                ],
            ),
            (
                "buildings/update",
                vec![
                    ("id", ob.clone()),
                    ("name", "x".into()),
                    ("road_address", "x".into()),
                    ("region_class", "seoul".into()),
                    ("main_use", "x".into()),
                    ("floors_above", "1".into()),
                    ("floors_below", "0".into()),
                    ("total_area_m2", "1".into()),
                ],
            ),
            (
                "clients/update",
                vec![
                    ("id", my_client.to_string()),
                    ("kind", "person".into()),
                    ("name", "x".into()),
                ],
            ),
            (
                "tenants/update",
                vec![
                    ("id", mine.tenant.to_string()),
                    ("kind", "person".into()),
                    ("name", "x".into()),
                    ("mobile", "010-1234-5678".into()),
                ],
            ),
            ("buildings/choices", vec![]),
            ("users/staff", vec![]),
            (
                "units/bulk-add",
                vec![
                    ("building_id", ob.clone()),
                    ("floor", "1".into()),
                    ("from", "201".into()),
                    ("to", "202".into()),
                    ("exclusive_area_m2", "1".into()),
                    ("common_area_m2", "1".into()),
                ],
            ),
            (
                "contracts/create",
                vec![
                    ("building_id", ob.clone()),
                    ("client_id", other_client.to_string()),
                    ("start_date", "2026-01-01".into()),
                    ("end_date", "2026-12-31".into()),
                    ("scope", "PM".into()),
                    ("monthly_fee", "1".into()),
                ],
            ),
            (
                "contracts/update",
                vec![
                    ("id", other_contract.to_string()),
                    ("version", "1".into()),
                    ("end_date", "2026-12-31".into()),
                    ("scope", "PM".into()),
                    ("monthly_fee", "1".into()),
                ],
            ),
            (
                "tenants/create",
                vec![
                    ("kind", "person".into()),
                    ("name", "x".into()),
                    ("mobile", "010-1234-5678".into()),
                ],
            ),
            ("tenants/delete", vec![("id", stranger_tenant.to_string())]),
            (
                "leases/create",
                vec![
                    ("tenant_id", mine.tenant.to_string()),
                    ("building_id", ob.clone()),
                    ("unit_ids", other.units[1].to_string()),
                    ("start_date", "2026-01-01".into()),
                    ("end_date", "2026-12-31".into()),
                    ("deposit", "0".into()),
                    ("monthly_rent", "0".into()),
                    ("management_fee", "0".into()),
                    ("payment_day", "1".into()),
                    ("late_fee_rate_bp", "0".into()),
                    ("grace_days", "0".into()),
                ],
            ),
            (
                "leases/update",
                vec![
                    ("id", other_lease.to_string()),
                    ("version", "1".into()),
                    ("end_date", "2027-12-31".into()),
                    ("deposit", "0".into()),
                    ("monthly_rent", "0".into()),
                    ("management_fee", "0".into()),
                    ("payment_day", "1".into()),
                ],
            ),
            (
                "leases/renew",
                vec![
                    ("id", other_lease.to_string()),
                    ("version", "1".into()),
                    ("end_date", "2029-12-31".into()),
                    ("deposit", "0".into()),
                    ("monthly_rent", "0".into()),
                    ("management_fee", "0".into()),
                    ("payment_day", "1".into()),
                ],
            ),
            (
                "leases/deposit",
                vec![
                    ("lease_id", other_lease.to_string()),
                    ("kind", "received".into()),
                    ("amount", "1".into()),
                    ("on_date", "2026-01-01".into()),
                ],
            ),
            (
                "leases/terminate",
                vec![
                    ("id", other_lease.to_string()),
                    ("version", "1".into()),
                    ("terminated_on", "2026-06-01".into()),
                    ("reason", "x".into()),
                ],
            ),
            ("files/delete", vec![("id", other_file.id.to_string())]),
            ("audit/list", vec![]),
        ];
        for (endpoint, form) in writes {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&owner, endpoint, &form).await;
            assert_eq!(res.status(), 403, "{endpoint} on {}", backend.name);
        }
        assert_eq!(
            upload(&app, &owner, "lease", other_lease, "a.pdf", PDF.to_vec())
                .await
                .status(),
            403,
            "files/upload"
        );
        assert_eq!(
            import(&app, &owner, other.building, "all", import_file(&[]))
                .await
                .status(),
            403,
            "imports/leases"
        );
        let template = owner
            .get(app.url("/platform/import-template.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(template.status(), 403);
        // Nothing changed.
        let l: LeaseDto = ok(app
            .call(&staff, "leases/get", &[("id", &other_lease.to_string())])
            .await)
        .await;
        assert_eq!(
            (l.version, l.deposit_ledger.received, l.files.len()),
            (1, 0, 1)
        );
        let e: ApiError = serde_json::from_str(
            &app.call(&owner, "audit/list", &[])
                .await
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(e, ApiError::Forbidden);
        app.stop().await;
    }
}

#[tokio::test]
async fn changes_cannot_overlap_revive_or_move_what_belongs_to_others() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "망원빌딩").await;
        let first: i64 =
            ok(lease(&app, &staff, &f, &[f.units[0]], "2026-01-01", "2026-12-31").await).await;
        ok::<i64>(lease(&app, &staff, &f, &[f.units[0]], "2027-01-01", "2027-12-31").await).await;
        // Extending the first lease into its successor's term is refused, by renewal or correction.
        for endpoint in ["leases/renew", "leases/update"] {
            let res = app
                .call(
                    &staff,
                    endpoint,
                    &[
                        ("id", &first.to_string()),
                        ("version", "1"),
                        ("end_date", "2027-06-30"),
                        ("deposit", "100000000"),
                        ("monthly_rent", "3000000"),
                        ("management_fee", "500000"),
                        ("payment_day", "31"),
                    ],
                )
                .await;
            let e = err(res, 409).await;
            assert!(e.to_string().contains("101호"), "{endpoint}: {e:?}");
        }
        // A terminated lease stays terminated.
        let res = app
            .call(
                &staff,
                "leases/terminate",
                &[
                    ("id", &first.to_string()),
                    ("version", "1"),
                    ("terminated_on", "2026-06-30"),
                    ("reason", "합의 해지"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let res = app
            .call(
                &staff,
                "leases/update",
                &[
                    ("id", &first.to_string()),
                    ("version", "2"),
                    ("end_date", "2026-12-31"),
                    ("deposit", "1"),
                    ("monthly_rent", "1"),
                    ("management_fee", "0"),
                    ("payment_day", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 409, "{}", backend.name);

        // A contract needs the building's owner; the owner cannot change under a live contract.
        let client = create_client(&app, &staff, "(주)망원자산").await;
        let refused = err(contract(&app, &staff, f.building, client).await, 422).await;
        assert!(refused.field_message("client_id").is_some());
        set_building_client(&app, &staff, f.building, client).await;
        ok::<i64>(contract(&app, &staff, f.building, client).await).await;
        let other = create_client(&app, &staff, "(주)다른자산").await;
        let res = app
            .call(
                &staff,
                "buildings/update",
                &[
                    ("id", &f.building.to_string()),
                    ("name", "망원빌딩"),
                    ("road_address", "x"),
                    ("region_class", "seoul"),
                    ("main_use", "x"),
                    ("floors_above", "5"),
                    ("floors_below", "1"),
                    ("client_id", &other.to_string()),
                ],
            )
            .await;
        let e = err(res, 422).await;
        assert!(
            e.field_message("client_id")
                .is_some_and(|m| m.contains("1건")),
            "{e:?}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_import_file_with_far_away_cells_is_read_safely() {
    let backend = backends().into_iter().next().unwrap();
    let app = spawn_app(&backend).await;
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(&app, &staff, "망원빌딩").await;
    let file = |far: (u32, u16)| {
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
    };
    // The last cell of the sheet, far right: ignored, not billions of empty cells.
    let report: ImportReport =
        ok(import(&app, &staff, f.building, "all", file((1_048_575, 16_383))).await).await;
    assert!(report.saved && report.total_rows == 1, "{report:?}");
    // Data far below the limit of rows: refused with the reason.
    let e = err(
        import(&app, &staff, f.building, "all", file((20_000, 0))).await,
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
