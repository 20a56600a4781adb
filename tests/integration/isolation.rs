//! Client isolation: a client-role user reaches only what belongs to their own buildings, reads
//! nothing else (404, as if it did not exist) and changes nothing at all (403).

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::buildings::{BuildingDetail, BuildingSummary};
use doongji::areas::leases::{LeaseDto, LeaseListRow};
use doongji::areas::tenants::TenantSummary;
use doongji::domain::list::ListPage;
type LeaseListPage = ListPage<LeaseListRow>;
use doongji::areas::files::FileDto;
use doongji::domain::list::NamedRef;
use doongji::domain::{ApiError, Role};

/// 내빌딩 and 남의빌딩, 101호 of each leased; a client user linked (directly in the database)
/// to a client owning 내빌딩.
struct Owner {
    staff: reqwest::Client,
    owner: reqwest::Client,
    mine: Fixture,
    other: Fixture,
    my_lease: i64,
    other_lease: i64,
}

async fn owner_of_one_building(app: &TestApp) -> Owner {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let mine = fixture(app, &staff, "내빌딩").await;
    let other = fixture(app, &staff, "남의빌딩").await;
    let my_lease = leased(app, &staff, &mine).await;
    let other_lease = leased(app, &staff, &other).await;

    let (owner, owner_email) = app.signed_in(Role::Client).await;
    let owner_id = user_id(app, &owner_email).await;
    let now = doongji::server::db::now_utc();
    let building = mine.building;
    doongji::db_run!(&app.state.db, |pool| {
        let client_id = sqlx::query("INSERT INTO clients (kind, name, created_at, updated_at) VALUES ('person', '김건물주', ?, ?)")
            .bind(now).bind(now).execute(pool).await.unwrap();
        let client_id = doongji::server::db::InsertedId::inserted_id(&client_id);
        sqlx::query("INSERT INTO client_users (client_id, user_id) VALUES (?, ?)")
            .bind(client_id)
            .bind(owner_id)
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE buildings SET client_id = ? WHERE id = ?")
            .bind(client_id)
            .bind(building)
            .execute(pool)
            .await
            .unwrap();
    });
    Owner {
        staff,
        owner,
        mine,
        other,
        my_lease,
        other_lease,
    }
}

backend_test!(
    async fn a_client_user_reads_a_lease_in_their_building(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let seen: LeaseDto = ok(app
            .call(&o.owner, "leases/get", &[("id", &o.my_lease.to_string())])
            .await)
        .await;
        assert_eq!(seen.tenant_name, "(주)행복상사");
    }
);

backend_test!(
    /// Another owner's lease does not exist for this client, like a lease that does not exist.
    async fn a_client_user_gets_404_for_another_owners_lease(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let res = app
            .call(
                &o.owner,
                "leases/get",
                &[("id", &o.other_lease.to_string())],
            )
            .await;
        assert_eq!(
            res.status(),
            404,
            "another owner's lease does not exist for this client ({})",
            app.backend.name
        );
        assert_eq!(
            app.call(&o.owner, "leases/get", &[("id", "999999")])
                .await
                .status(),
            404
        );
    }
);

backend_test!(
    async fn a_client_user_lists_only_their_own_buildings(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let list: ListPage<BuildingSummary> =
            ok(app.call(&o.owner, "buildings/list", &[]).await).await;
        assert_eq!(
            list.rows
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>(),
            ["내빌딩"],
            "only their own buildings"
        );
    }
);

backend_test!(
    async fn a_client_user_sees_their_buildings_units_and_leases_and_no_other(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let detail: BuildingDetail = ok(app
            .call(
                &o.owner,
                "buildings/get",
                &[("id", &o.mine.building.to_string())],
            )
            .await)
        .await;
        assert_eq!((detail.units.len(), detail.leases.len()), (4, 1));
        assert_eq!(
            app.call(
                &o.owner,
                "buildings/get",
                &[("id", &o.other.building.to_string())]
            )
            .await
            .status(),
            404
        );
    }
);

backend_test!(
    async fn a_client_user_lists_only_tenants_leasing_in_their_buildings(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let tenants: ListPage<TenantSummary> =
            ok(app.call(&o.owner, "tenants/list", &[]).await).await;
        assert_eq!(
            tenants.total, 1,
            "only the tenant leasing in their building"
        );
    }
);

backend_test!(
    async fn staff_see_every_building(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let all: ListPage<BuildingSummary> =
            ok(app.call(&o.staff, "buildings/list", &[]).await).await;
        assert_eq!(all.total, 2, "staff see every building");
    }
);

backend_test!(
    /// Clients change nothing, not even in their own building.
    async fn a_client_user_cannot_change_leasing_records(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        let f = &o.mine;
        assert_eq!(
            lease(app, &o.owner, f, &[f.units[1]], "2026-01-01", "2026-12-31")
                .await
                .status(),
            403
        );
        let b = f.building.to_string();
        let l = o.my_lease.to_string();
        for (endpoint, form) in [
            (
                "buildings/create",
                vec![
                    ("name", "x"),
                    ("road_address", ""),
                    ("main_use", ""),
                    ("region_class", "seoul"),
                    ("floors_above", "1"),
                    ("floors_below", "0"),
                    ("total_area_m2", "1"),
                ],
            ),
            (
                "units/bulk-add",
                vec![
                    ("building_id", b.as_str()),
                    ("floor", "2"),
                    ("from", "201"),
                    ("to", "202"),
                    ("exclusive_area_m2", "1"),
                    ("common_area_m2", "1"),
                ],
            ),
            (
                "tenants/create",
                vec![
                    ("kind", "person"),
                    ("name", "x"),
                    ("business_number", ""),
                    ("representative", ""),
                    ("contact_name", ""),
                    ("mobile", "010-1111-2222"),
                    ("email", ""),
                ],
            ),
            (
                "leases/update",
                vec![
                    ("id", l.as_str()),
                    ("version", "1"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "1"),
                    ("monthly_rent", "1"),
                    ("management_fee", "1"),
                    ("payment_day", "1"),
                ],
            ),
            (
                "leases/renew",
                vec![
                    ("id", l.as_str()),
                    ("version", "1"),
                    ("end_date", "2029-12-31"),
                    ("deposit", "1"),
                    ("monthly_rent", "1"),
                    ("management_fee", "1"),
                    ("payment_day", "1"),
                ],
            ),
        ] {
            assert_eq!(
                app.call(&o.owner, endpoint, &form).await.status(),
                403,
                "{endpoint}"
            );
        }
    }
);

backend_test!(
    async fn an_anonymous_visitor_gets_401_for_a_lease(app: &TestApp) {
        let o = owner_of_one_building(app).await;
        assert_eq!(
            app.call(
                &app.client(),
                "leases/get",
                &[("id", &o.my_lease.to_string())]
            )
            .await
            .status(),
            401
        );
    }
);

backend_test!(
    /// With 130 demo leases in the database, a client user linked to no client sees none.
    async fn a_client_user_linked_to_no_client_sees_no_lease(app: &TestApp) {
        doongji::server::db::seed::seed_demo(&app.state.db, 6, 130)
            .await
            .unwrap();
        let (owner, _) = app.signed_in(Role::Client).await;
        let theirs: LeaseListPage = ok(app.call(&owner, "leases/list", &[]).await).await;
        assert_eq!(theirs.total, 0);
    }
);

/// The full matrix: (주)내자산 (with a client user) owns 내빌딩, (주)남의자산 owns 남의빌딩;
/// each has a management contract and a lease on 101호; the other lease has a file; and a
/// tenant (남의임차인) leases nothing in 내빌딩.
struct Matrix {
    staff: reqwest::Client,
    owner: reqwest::Client,
    mine: Fixture,
    my_client: i64,
    my_contract: i64,
    my_lease: i64,
    other: Fixture,
    other_client: i64,
    other_contract: i64,
    other_lease: i64,
    other_file: FileDto,
    stranger_tenant: i64,
}

async fn matrix(app: &TestApp) -> Matrix {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let mine = fixture(app, &staff, "내빌딩").await;
    let (my_client, owner) = owned(app, &staff, &mine, "(주)내자산").await;
    let other = fixture(app, &staff, "남의빌딩").await;
    let other_client = create_client(app, &staff, "(주)남의자산").await;
    set_building_client(app, &staff, other.building, other_client).await;
    let other_contract: i64 = ok(contract(app, &staff, other.building, other_client).await).await;
    let other_lease = leased(app, &staff, &other).await;
    let other_file: FileDto = ok(upload(
        app,
        &staff,
        "lease",
        other_lease,
        "계약서.pdf",
        PDF.to_vec(),
    )
    .await)
    .await;
    let my_contract: i64 = ok(contract(app, &staff, mine.building, my_client).await).await;
    let my_lease = leased(app, &staff, &mine).await;
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
    Matrix {
        staff,
        owner,
        mine,
        my_client,
        my_contract,
        my_lease,
        other,
        other_client,
        other_contract,
        other_lease,
        other_file,
        stranger_tenant,
    }
}

backend_test!(
    /// Every read of something else's answers 404 (and the own one works).
    async fn reads_of_another_owners_records_are_404_and_of_the_own_200(app: &TestApp) {
        let m = matrix(app).await;
        let ob = m.other.building.to_string();
        type Form<'a> = Vec<(&'a str, String)>;
        let reads: Vec<(&str, Form, Form)> = vec![
            (
                "buildings/get",
                vec![("id", ob.clone())],
                vec![("id", m.mine.building.to_string())],
            ),
            (
                "leases/get",
                vec![("id", m.other_lease.to_string())],
                vec![("id", m.my_lease.to_string())],
            ),
            (
                "contracts/get",
                vec![("id", m.other_contract.to_string())],
                vec![("id", m.my_contract.to_string())],
            ),
            (
                "clients/get",
                vec![("id", m.other_client.to_string())],
                vec![("id", m.my_client.to_string())],
            ),
            (
                "units/list",
                vec![("query[building_id]", ob.clone())],
                vec![("query[building_id]", m.mine.building.to_string())],
            ),
        ];
        for (endpoint, theirs, own) in reads {
            let form: Vec<(&str, &str)> = theirs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&m.owner, endpoint, &form).await;
            assert_eq!(res.status(), 404, "{endpoint} on {}", app.backend.name);
            let form: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&m.owner, endpoint, &form).await;
            assert_eq!(res.status(), 200, "own {endpoint} on {}", app.backend.name);
        }
    }
);

backend_test!(
    /// A tenant leasing in the own building is visible; one leasing nothing there is not.
    async fn a_client_reads_only_tenants_of_their_buildings(app: &TestApp) {
        let m = matrix(app).await;
        assert_eq!(
            app.call(
                &m.owner,
                "tenants/get",
                &[("id", &m.stranger_tenant.to_string())]
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            app.call(
                &m.owner,
                "tenants/get",
                &[("id", &m.mine.tenant.to_string())]
            )
            .await
            .status(),
            200
        );
    }
);

backend_test!(
    async fn another_owners_file_is_404_to_a_client(app: &TestApp) {
        let m = matrix(app).await;
        let file = m
            .owner
            .get(app.url(&format!("/platform/files/{}", m.other_file.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 404, "files/download");
    }
);

backend_test!(
    async fn exporting_another_buildings_units_is_404_to_a_client(app: &TestApp) {
        let m = matrix(app).await;
        let export = m
            .owner
            .get(app.url(&format!(
                "/platform/export/units?building_id={}",
                m.other.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 404, "export of another building's units");
    }
);

backend_test!(
    /// Lists hold only the own records.
    async fn a_clients_lists_hold_only_their_own_records(app: &TestApp) {
        let m = matrix(app).await;
        for endpoint in [
            "buildings/list",
            "contracts/list",
            "leases/list",
            "clients/list",
            "tenants/list",
        ] {
            let res = app.call(&m.owner, endpoint, &[]).await;
            let text = res.text().await.unwrap();
            assert!(!text.contains("남의"), "{endpoint} leaks: {text}");
            let page: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                page["total"], 1,
                "{endpoint} on {}: {text}",
                app.backend.name
            );
        }
    }
);

backend_test!(
    async fn building_options_offer_a_client_only_their_buildings(app: &TestApp) {
        let m = matrix(app).await;
        let options: Vec<NamedRef> = ok(app.call(&m.owner, "buildings/options", &[]).await).await;
        assert_eq!(
            options.iter().map(|b| b.id).collect::<Vec<_>>(),
            [m.mine.building],
            "buildings/options"
        );
    }
);

backend_test!(
    /// Every change is refused to a client, and nothing changed.
    async fn every_change_is_refused_to_a_client(app: &TestApp) {
        let m = matrix(app).await;
        let ob = m.other.building.to_string();
        let writes: Vec<(&str, Vec<(&str, String)>)> = vec![
            (
                "clients/create",
                vec![("kind", "person".into()), ("name", "x".into())],
            ),
            (
                "clients/link-user",
                vec![
                    ("client_id", m.other_client.to_string()),
                    ("email", "a@b.kr".into()),
                ],
            ),
            (
                "clients/unlink-user",
                vec![
                    ("client_id", m.my_client.to_string()),
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
                    ("id", m.my_client.to_string()),
                    ("kind", "person".into()),
                    ("name", "x".into()),
                ],
            ),
            (
                "tenants/update",
                vec![
                    ("id", m.mine.tenant.to_string()),
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
                    ("client_id", m.other_client.to_string()),
                    ("start_date", "2026-01-01".into()),
                    ("end_date", "2026-12-31".into()),
                    ("scope", "PM".into()),
                    ("monthly_fee", "1".into()),
                ],
            ),
            (
                "contracts/update",
                vec![
                    ("id", m.other_contract.to_string()),
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
            (
                "tenants/delete",
                vec![("id", m.stranger_tenant.to_string())],
            ),
            (
                "leases/create",
                vec![
                    ("tenant_id", m.mine.tenant.to_string()),
                    ("building_id", ob.clone()),
                    ("unit_ids", m.other.units[1].to_string()),
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
                    ("id", m.other_lease.to_string()),
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
                    ("id", m.other_lease.to_string()),
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
                    ("lease_id", m.other_lease.to_string()),
                    ("kind", "received".into()),
                    ("amount", "1".into()),
                    ("on_date", "2026-01-01".into()),
                ],
            ),
            (
                "leases/terminate",
                vec![
                    ("id", m.other_lease.to_string()),
                    ("version", "1".into()),
                    ("terminated_on", "2026-06-01".into()),
                    ("reason", "x".into()),
                ],
            ),
            ("files/delete", vec![("id", m.other_file.id.to_string())]),
            ("audit/list", vec![]),
        ];
        for (endpoint, form) in writes {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&m.owner, endpoint, &form).await;
            assert_eq!(res.status(), 403, "{endpoint} on {}", app.backend.name);
        }
        assert_eq!(
            upload(app, &m.owner, "lease", m.other_lease, "a.pdf", PDF.to_vec())
                .await
                .status(),
            403,
            "files/upload"
        );
        assert_eq!(
            import(app, &m.owner, m.other.building, "all", import_file(&[]))
                .await
                .status(),
            403,
            "imports/leases"
        );
        let template = m
            .owner
            .get(app.url("/platform/import-template.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(template.status(), 403);
        // Nothing changed.
        let l: LeaseDto = ok(app
            .call(
                &m.staff,
                "leases/get",
                &[("id", &m.other_lease.to_string())],
            )
            .await)
        .await;
        assert_eq!(
            (l.version, l.deposit_ledger.received, l.files.len()),
            (1, 0, 1)
        );
    }
);

backend_test!(
    async fn the_audit_log_answers_a_client_forbidden(app: &TestApp) {
        let m = matrix(app).await;
        let e: ApiError = json(app.call(&m.owner, "audit/list", &[]).await).await;
        assert_eq!(e, ApiError::Forbidden);
    }
);

backend_test!(
    /// A tenant leasing in two owners' buildings: each owner sees the tenant with their own
    /// leases only, and neither sees the tenant's own documents (they may concern the other
    /// owner's lease); naming the other owner's building in a filter shows nothing.
    async fn a_tenant_leasing_from_two_owners_shows_each_only_their_part(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let fa = fixture(app, &staff, "망원빌딩").await;
        let fb = fixture(app, &staff, "서교빌딩").await;
        let (_, owner_a) = owned(app, &staff, &fa, "김건물주").await;
        owned(app, &staff, &fb, "박건물주").await;
        leased(app, &staff, &fa).await;
        let in_b = Fixture {
            building: fb.building,
            units: fb.units.clone(),
            tenant: fa.tenant,
        };
        leased(app, &staff, &in_b).await;
        let file: FileDto = ok(upload(
            app,
            &staff,
            "tenant",
            fa.tenant,
            "사업자등록증.pdf",
            PDF.to_vec(),
        )
        .await)
        .await;
        let id = fa.tenant.to_string();

        let seen: doongji::areas::tenants::TenantDetail =
            ok(app.call(&owner_a, "tenants/get", &[("id", &id)]).await).await;
        assert_eq!(
            seen.tenant.leases, 1,
            "only the owner's own lease is counted"
        );
        assert_eq!(seen.leases.len(), 1);
        assert!(seen.files.is_empty(), "{:?}", seen.files);
        let res = owner_a
            .get(app.url(&format!("/platform/files/{}", file.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let list: ListPage<TenantSummary> = ok(app.call(&owner_a, "tenants/list", &[]).await).await;
        let row = list.rows.iter().find(|t| t.id == fa.tenant).unwrap();
        assert_eq!(row.leases, 1);
        let other: ListPage<TenantSummary> = ok(app
            .call(
                &owner_a,
                "tenants/list",
                &[("query[building_id]", &fb.building.to_string())],
            )
            .await)
        .await;
        assert_eq!(other.total, 0);

        let all: doongji::areas::tenants::TenantDetail =
            ok(app.call(&staff, "tenants/get", &[("id", &id)]).await).await;
        assert_eq!(
            (all.tenant.leases, all.files.len()),
            (2, 1),
            "staff see it all"
        );
    }
);
