//! The audit log: admins only, and every write keeps the values it replaced.

use crate::contracts::{change_contract, stale_contract_update};
use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::audit::AuditEntry;
use doongji::domain::Role;
use doongji::domain::list::ListPage;

backend_test!(
    /// Creation and the one accepted change are logged (a refused stale form is not), with the
    /// previous values.
    async fn contract_writes_are_logged_with_the_previous_values(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let (client, _) = owned(app, &staff, &f, "(주)망원자산").await;
        let id: i64 = ok(contract(app, &staff, f.building, client).await).await;
        change_contract(app, &staff, id).await;
        assert_eq!(stale_contract_update(app, &staff, id).await.status(), 409);

        let admin = app.signed_in(Role::Admin).await.0;
        let audit: ListPage<AuditEntry> = ok(app
            .call(
                &admin,
                "audit/list",
                &[("query[entity]", "contract"), ("query[q]", &id.to_string())],
            )
            .await)
        .await;
        assert_eq!(audit.total, 2, "{}", app.backend.name);
        assert!(
            audit.rows[0]
                .before
                .as_deref()
                .is_some_and(|b| b.contains("3500000"))
        );
    }
);

backend_test!(
    async fn the_audit_log_is_for_admins(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let res = app.call(&staff, "audit/list", &[]).await;
        assert_eq!(res.status(), 403, "the audit log is for admins");
    }
);

backend_test!(
    /// A tenant corrected (and a refused correction after it): the log keeps the previous values.
    async fn a_tenant_correction_keeps_the_previous_values(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        crate::tenants::correct_tenant(app, &staff, f.tenant).await;
        let bad = crate::tenants::bad_tenant_correction(app, &staff, f.tenant).await;
        assert_eq!(bad.status(), 422);

        let admin = app.signed_in(Role::Admin).await.0;
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
    }
);
