//! Tenants: validation, corrections with normalized numbers, the tenant list, and deletion.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::tenants::TenantSummary;
use doongji::domain::Role;
use doongji::domain::list::ListPage;

/// Corrects the fixture's tenant: business number without dashes, mobile with spaces.
pub async fn correct_tenant(app: &TestApp, staff: &reqwest::Client, tenant: i64) {
    let res = app
        .call(
            staff,
            "tenants/update",
            &[
                ("id", &tenant.to_string()),
                ("kind", "company"),
                ("name", "(주)행복상사"),
                ("business_number", "2208162517"),
                ("mobile", "010 9876 5432"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// A correction with a landline fragment as the mobile number.
pub async fn bad_tenant_correction(
    app: &TestApp,
    staff: &reqwest::Client,
    tenant: i64,
) -> reqwest::Response {
    app.call(
        staff,
        "tenants/update",
        &[
            ("id", &tenant.to_string()),
            ("kind", "company"),
            ("name", "x"),
            ("mobile", "02-123"),
        ],
    )
    .await
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

backend_test!(
    async fn a_corrected_tenant_has_normalized_numbers(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        correct_tenant(app, &staff, f.tenant).await;
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
    }
);

backend_test!(
    async fn an_invalid_tenant_correction_is_refused_by_field(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let bad = bad_tenant_correction(app, &staff, f.tenant).await;
        assert!(err(bad, 422).await.field_message("mobile").is_some());
    }
);

backend_test!(
    async fn the_tenant_list_finds_a_mobile_number_as_typed(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        fixture(app, &staff, "망원빌딩").await;
        fixture(app, &staff, "서교타워").await;
        let tenants: ListPage<TenantSummary> = ok(app
            .call(&staff, "tenants/list", &[("query[q]", "010-2345")])
            .await)
        .await;
        assert_eq!(tenants.total, 2, "found by the mobile number as typed");
    }
);

backend_test!(
    async fn a_tenant_with_a_file_cannot_be_deleted(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        ok::<doongji::areas::files::FileDto>(
            upload(
                app,
                &staff,
                "tenant",
                f.tenant,
                "사업자등록증.png",
                b"\x89PNG\r\n\x1a\nrest".to_vec(),
            )
            .await,
        )
        .await;
        let refused = app
            .call(&staff, "tenants/delete", &[("id", &f.tenant.to_string())])
            .await;
        assert_eq!(refused.status(), 409);
    }
);
