//! Buildings, units, tenants and leases over HTTP: utility records with a new building, history
//! on every change, overlapping terms refused, the renewal cap, and client isolation.

use crate::helpers::*;
use doongji::areas::leases::LeaseDto;
use doongji::areas::leases::store as repo;
use doongji::domain::{ApiError, Role};

pub async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub async fn err(res: reqwest::Response, status: u16) -> ApiError {
    assert_eq!(res.status(), status);
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

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

#[tokio::test]
async fn a_new_building_gets_its_utility_records_and_units() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "망원빌딩").await;
        let kinds = doongji::areas::buildings::store::utility_kinds(&app.state.db, f.building)
            .await
            .unwrap();
        assert_eq!(kinds, ["electricity", "gas", "water"], "{}", backend.name);
        assert_eq!(f.units.len(), 4);
        assert_eq!(
            doongji::server::db::audit::count(&app.state.db, "building", f.building)
                .await
                .unwrap(),
            1
        );
        // The same names again are refused by field, and nothing is half-added.
        let b = f.building.to_string();
        let e = err(
            app.call(
                &staff,
                "units/bulk-add",
                &[
                    ("building_id", &b),
                    ("floor", "1"),
                    ("from", "104"),
                    ("to", "105"),
                    ("exclusive_area_m2", "30"),
                    ("common_area_m2", "10"),
                ],
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("units").is_some());
        app.stop().await;
    }
}

#[tokio::test]
async fn tenants_are_validated_and_mobile_numbers_normalized() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let (staff, _) = app.signed_in(Role::Manager).await;
    let e = err(
        app.call(
            &staff,
            "tenants/create",
            &[
                ("kind", "company"),
                ("name", "상사"),
                ("business_number", "123-45-67890"),
                ("representative", ""),
                ("contact_name", ""),
                ("mobile", "02-123-4567"),
                ("email", ""),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(
        e.field_message("business_number").is_some() && e.field_message("mobile").is_some(),
        "{e:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn overlapping_leases_on_a_unit_are_refused() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "합정빌딩").await;
        let first: i64 = ok(lease(
            &app,
            &staff,
            &f,
            &[f.units[0], f.units[1]],
            "2026-01-01",
            "2027-12-31",
        )
        .await)
        .await;
        assert_eq!(
            repo::event_kinds(&app.state.db, first).await.unwrap(),
            ["lease.created"]
        );

        let e = err(
            lease(
                &app,
                &staff,
                &f,
                &[f.units[1], f.units[2]],
                "2027-12-31",
                "2029-12-30",
            )
            .await,
            409,
        )
        .await;
        assert!(e.to_string().contains("102호"), "{e} on {}", backend.name);
        assert!(!e.to_string().contains("103호"));

        // The day after the end is free; another unit is free at any time.
        let _: i64 =
            ok(lease(&app, &staff, &f, &[f.units[1]], "2028-01-01", "2029-12-31").await).await;
        let _: i64 =
            ok(lease(&app, &staff, &f, &[f.units[2]], "2026-06-01", "2027-05-31").await).await;
        let e = err(
            lease(&app, &staff, &f, &[999_999], "2026-01-01", "2026-12-31").await,
            422,
        )
        .await;
        assert!(e.field_message("unit_ids").is_some());
        app.stop().await;
    }
}

#[tokio::test]
async fn every_change_keeps_the_previous_version() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "연남빌딩").await;
        let id: i64 =
            ok(lease(&app, &staff, &f, &[f.units[0]], "2026-01-01", "2027-12-31").await).await;
        let lease_id = id.to_string();
        let updated: LeaseDto = ok(app
            .call(
                &staff,
                "leases/update",
                &[
                    ("id", &lease_id),
                    ("version", "1"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "100000000"),
                    ("monthly_rent", "3000000"),
                    ("management_fee", "550000"),
                    ("payment_day", "25"),
                ],
            )
            .await)
        .await;
        assert_eq!(
            (updated.version, updated.management_fee, updated.payment_day),
            (2, 550_000, 25)
        );
        let h = &updated.history[0];
        assert_eq!(h.version, 1);
        assert!(
            h.changed_by
                .as_deref()
                .unwrap_or_default()
                .contains("매니저")
        );
        let fee = h
            .changes
            .iter()
            .find(|c| c.field == "관리비")
            .expect("fee change shown");
        assert_eq!(
            (fee.before.as_str(), fee.after.as_str()),
            ("500,000원", "550,000원")
        );
        assert!(
            h.changes
                .iter()
                .any(|c| c.field == "납부일" && c.before == "31" && c.after == "25")
        );
        assert!(
            !h.changes.iter().any(|c| c.field == "보증금"),
            "unchanged fields are not listed"
        );

        // A stale version (someone else changed it first) is refused.
        let res = app
            .call(
                &staff,
                "leases/update",
                &[
                    ("id", &lease_id),
                    ("version", "1"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "1"),
                    ("monthly_rent", "1"),
                    ("management_fee", "1"),
                    ("payment_day", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 409, "{}", backend.name);
        assert_eq!(
            doongji::server::db::audit::count(&app.state.db, "lease", id)
                .await
                .unwrap(),
            2,
            "create + one update"
        );
        assert_eq!(
            repo::event_kinds(&app.state.db, id).await.unwrap(),
            ["lease.created", "lease.changed"]
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn renewal_of_a_protected_lease_is_capped_at_five_percent_after_a_year() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(&app, &staff, "서교빌딩").await;
        // 1억 + 300만 × 100 = 4억 환산보증금: protected in Seoul.
        let id: i64 =
            ok(lease(&app, &staff, &f, &[f.units[0]], "2024-01-01", "2025-12-31").await).await;
        let lease_id = id.to_string();
        let renew = |version: &'static str, end: &'static str, rent: &'static str| {
            let lease_id = lease_id.clone();
            let staff = staff.clone();
            let app = &app;
            async move {
                app.call(
                    &staff,
                    "leases/renew",
                    &[
                        ("id", &lease_id),
                        ("version", version),
                        ("end_date", end),
                        ("deposit", "100000000"),
                        ("monthly_rent", rent),
                        ("management_fee", "500000"),
                        ("payment_day", "31"),
                    ],
                )
                .await
            }
        };
        let e = err(renew("1", "2027-12-31", "3180000").await, 409).await;
        assert!(
            e.to_string().contains("5%") && e.to_string().contains("3,150,000원"),
            "{e} on {}",
            backend.name
        );
        let renewed: LeaseDto = ok(renew("1", "2027-12-31", "3150000").await).await;
        assert_eq!(
            (
                renewed.monthly_rent,
                renewed.end_date.to_string().as_str(),
                renewed.version
            ),
            (3_150_000, "2027-12-31", 2)
        );
        assert_eq!(renewed.history[0].change_kind, "lease.renewed");
        assert!(
            renewed.history[0]
                .changes
                .iter()
                .any(|c| c.field == "종료일" && c.before == "2025-12-31")
        );

        // A short lease renewed with an increase less than a year after its start is refused.
        let short: i64 =
            ok(lease(&app, &staff, &f, &[f.units[3]], "2026-01-01", "2026-06-30").await).await;
        let e = err(
            app.call(
                &staff,
                "leases/renew",
                &[
                    ("id", &short.to_string()),
                    ("version", "1"),
                    ("end_date", "2027-06-30"),
                    ("deposit", "100000000"),
                    ("monthly_rent", "3100000"),
                    ("management_fee", "500000"),
                    ("payment_day", "31"),
                ],
            )
            .await,
            409,
        )
        .await;
        assert!(e.to_string().contains("1년"), "{e}");
        app.stop().await;
    }
}

#[tokio::test]
async fn clients_see_only_leases_in_their_own_buildings() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (staff, _) = app.signed_in(Role::Manager).await;
        let mine = fixture(&app, &staff, "내빌딩").await;
        let other = fixture(&app, &staff, "남의빌딩").await;
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

        let (owner, owner_email) = app.signed_in(Role::Client).await;
        let owner_id = doongji::server::db::users::find_by_email(&app.state.db, &owner_email)
            .await
            .unwrap()
            .unwrap()
            .id;
        let now = doongji::server::db::now_utc();
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
                .bind(mine.building)
                .execute(pool)
                .await
                .unwrap();
        });

        let seen: LeaseDto = ok(app
            .call(&owner, "leases/get", &[("id", &my_lease.to_string())])
            .await)
        .await;
        assert_eq!(seen.tenant_name, "(주)행복상사");
        let res = app
            .call(&owner, "leases/get", &[("id", &other_lease.to_string())])
            .await;
        assert_eq!(
            res.status(),
            404,
            "another owner's lease does not exist for this client ({})",
            backend.name
        );
        assert_eq!(
            app.call(&owner, "leases/get", &[("id", "999999")])
                .await
                .status(),
            404
        );
        let list: doongji::domain::list::ListPage<doongji::areas::buildings::BuildingSummary> =
            ok(app.call(&owner, "buildings/list", &[]).await).await;
        assert_eq!(
            list.rows
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>(),
            ["내빌딩"],
            "only their own buildings"
        );
        let detail: doongji::areas::buildings::BuildingDetail = ok(app
            .call(
                &owner,
                "buildings/get",
                &[("id", &mine.building.to_string())],
            )
            .await)
        .await;
        assert_eq!((detail.units.len(), detail.leases.len()), (4, 1));
        assert_eq!(
            app.call(
                &owner,
                "buildings/get",
                &[("id", &other.building.to_string())]
            )
            .await
            .status(),
            404
        );
        let tenants: doongji::domain::list::ListPage<doongji::areas::tenants::TenantSummary> =
            ok(app.call(&owner, "tenants/list", &[]).await).await;
        assert_eq!(
            tenants.total, 1,
            "only the tenant leasing in their building"
        );
        let all: doongji::domain::list::ListPage<doongji::areas::buildings::BuildingSummary> =
            ok(app.call(&staff, "buildings/list", &[]).await).await;
        assert_eq!(all.total, 2, "staff see every building");

        // Clients change nothing.
        let f = &mine;
        assert_eq!(
            lease(&app, &owner, f, &[f.units[1]], "2026-01-01", "2026-12-31")
                .await
                .status(),
            403
        );
        let b = f.building.to_string();
        let l = my_lease.to_string();
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
                app.call(&owner, endpoint, &form).await.status(),
                403,
                "{endpoint}"
            );
        }
        assert_eq!(
            app.call(
                &app.client(),
                "leases/get",
                &[("id", &my_lease.to_string())]
            )
            .await
            .status(),
            401
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn the_lease_list_filters_sorts_and_pages_on_the_server() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let report = doongji::server::db::seed::seed_demo(&app.state.db, 6, 130)
            .await
            .unwrap();
        assert_eq!(
            (report.buildings, report.leases, report.tenants),
            (6, 130, 130)
        );
        assert!(
            doongji::server::db::seed::seed_demo(&app.state.db, 1, 1)
                .await
                .is_err(),
            "only into an empty database"
        );
        let (staff, _) = app.signed_in(Role::Manager).await;
        let list = |form: Vec<(&'static str, String)>| {
            let staff = staff.clone();
            let app = &app;
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                ok::<doongji::domain::list::ListPage<doongji::areas::leases::LeaseListRow>>(
                    app.call(&staff, "leases/list", &form).await,
                )
                .await
            }
        };
        let all = list(vec![]).await;
        assert_eq!(
            (all.total, all.rows.len(), all.pages),
            (130, 50, 3),
            "{}",
            backend.name
        );
        assert!(
            all.rows.windows(2).all(|w| w[0].end_date <= w[1].end_date),
            "sorted by end date"
        );
        let third = list(vec![("query[page]", "3".into())]).await;
        assert_eq!(third.rows.len(), 30);

        let active = list(vec![("query[status]", "active".into())]).await;
        assert!(
            active
                .rows
                .iter()
                .all(|r| r.status == doongji::areas::leases::LeaseStatus::Active)
        );
        let ending = list(vec![("query[expiring_days]", "90".into())]).await;
        let today = doongji::server::time::today_seoul();
        assert!(
            ending
                .rows
                .iter()
                .all(|r| r.end_date >= today && r.end_date <= today + chrono::Duration::days(90))
        );

        let name = all.rows[0].tenant_name.clone();
        let found = list(vec![("query[q]", name.clone())]).await;
        assert!(found.total >= 1 && found.rows.iter().all(|r| r.tenant_name.contains(&name)));
        let none = list(vec![("query[q]", "%_없는이름".into())]).await;
        assert_eq!(none.total, 0, "wildcards in the search are taken literally");
        let by_rent = list(vec![("query[sort]", "rent".into())]).await;
        assert!(
            by_rent
                .rows
                .windows(2)
                .all(|w| w[0].monthly_rent >= w[1].monthly_rent)
        );

        // A client user linked to no client sees no lease at all.
        let (owner, _) = app.signed_in(Role::Client).await;
        let theirs: doongji::domain::list::ListPage<doongji::areas::leases::LeaseListRow> =
            ok(app.call(&owner, "leases/list", &[]).await).await;
        assert_eq!(theirs.total, 0);
        app.stop().await;
    }
}
