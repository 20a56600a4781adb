//! Clients (the owners whose buildings are managed): validation, linked users and buildings,
//! corrections.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::clients::ClientDetail;
use doongji::domain::Role;

backend_test!(
    async fn a_company_client_needs_a_valid_business_number(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
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
    }
);

backend_test!(
    async fn a_client_shows_its_linked_users_and_buildings(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let (client, _) = owned(app, &staff, &f, "(주)망원자산").await;
        let detail: ClientDetail = ok(app
            .call(&staff, "clients/get", &[("id", &client.to_string())])
            .await)
        .await;
        assert_eq!(detail.users.len(), 1);
        assert_eq!(detail.buildings.len(), 1);
    }
);

backend_test!(
    async fn a_staff_account_cannot_be_linked_as_an_owner(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let (client, _) = owned(app, &staff, &f, "(주)망원자산").await;
        let (_, staff_email) = app.signed_in(Role::Manager).await;
        let res = app
            .call(
                &staff,
                "clients/link-user",
                &[("client_id", &client.to_string()), ("email", &staff_email)],
            )
            .await;
        assert_eq!(res.status(), 422);
    }
);

backend_test!(
    async fn a_client_record_can_be_corrected(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let (client, _) = owned(app, &staff, &f, "(주)망원자산").await;
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
    }
);
