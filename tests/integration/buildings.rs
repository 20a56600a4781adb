//! Buildings and their units: utility records with a new building, unit names, register codes,
//! the owner under a live contract, and the building and unit lists.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::buildings::{BuildingSummary, UnitListRow};
use doongji::domain::Role;
use doongji::domain::list::ListPage;

backend_test!(
    async fn a_new_building_gets_its_utility_records_and_units(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let kinds = doongji::areas::buildings::store::utility_kinds(&app.state.db, f.building)
            .await
            .unwrap();
        assert_eq!(
            kinds,
            ["electricity", "gas", "water"],
            "{}",
            app.backend.name
        );
        assert_eq!(f.units.len(), 4);
        assert_eq!(
            doongji::server::db::audit::count(&app.state.db, "building", f.building)
                .await
                .unwrap(),
            1
        );
    }
);

backend_test!(
    /// The same unit names again are refused by field, and nothing is half-added.
    async fn units_whose_names_are_taken_are_refused_by_field(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
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
    }
);

backend_test!(
    /// The register codes were validated and padded (read by the building's owner).
    async fn register_codes_are_validated_and_padded(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let (_, owner) = owned(app, &staff, &f, "(주)망원자산").await;
        let b: doongji::areas::buildings::BuildingDetail = ok(app
            .call(&owner, "buildings/get", &[("id", &f.building.to_string())])
            .await)
        .await;
        assert_eq!(b.info.register_key(), "11440-12000-0-0395-0012");
    }
);

backend_test!(
    /// The owner cannot change under a live management contract.
    async fn a_buildings_owner_cannot_change_under_a_live_contract(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let client = create_client(app, &staff, "(주)망원자산").await;
        set_building_client(app, &staff, f.building, client).await;
        ok::<i64>(contract(app, &staff, f.building, client).await).await;
        let other = create_client(app, &staff, "(주)다른자산").await;
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
    }
);

/// 망원빌딩 (lot address 서교동, owned by (주)마포자산) and 서교타워 (no owner).
async fn two_buildings(app: &TestApp, staff: &reqwest::Client) -> (Fixture, Fixture, i64) {
    let a = fixture(app, staff, "망원빌딩").await;
    let b = fixture(app, staff, "서교타워").await;
    let client = create_client(app, staff, "(주)마포자산").await;
    set_building_client(app, staff, a.building, client).await;
    (a, b, client)
}

backend_test!(
    async fn the_building_list_searches_names_and_lot_addresses(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        two_buildings(app, &staff).await;
        let buildings: ListPage<BuildingSummary> = ok(app
            .call(&staff, "buildings/list", &[("query[q]", "서교")])
            .await)
        .await;
        assert_eq!(buildings.total, 2, "name and lot address both searched");
    }
);

backend_test!(
    async fn the_building_list_filters_by_client(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let (_, _, client) = two_buildings(app, &staff).await;
        let buildings: ListPage<BuildingSummary> = ok(app
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
    }
);

backend_test!(
    async fn the_unit_list_filters_vacant_units(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let a = fixture(app, &staff, "망원빌딩").await;
        leased(app, &staff, &a).await;
        let units: ListPage<UnitListRow> = ok(app
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
    }
);
