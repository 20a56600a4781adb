//! Management contracts: the owner requirement, scope, history of every change, stale forms,
//! domain events, the owner's view and the contract list.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::contracts::{ContractDto, ContractListRow};
use doongji::domain::Role;
use doongji::domain::list::ListPage;

/// 망원빌딩 owned by (주)망원자산 (linked to a client user), with a management contract.
struct Contracted {
    staff: reqwest::Client,
    owner: reqwest::Client,
    id: i64,
}

async fn contracted(app: &TestApp) -> Contracted {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "망원빌딩").await;
    let (client, owner) = owned(app, &staff, &f, "(주)망원자산").await;
    let id: i64 = ok(contract(app, &staff, f.building, client).await).await;
    Contracted { staff, owner, id }
}

/// Version 1 → 2: ends 2028-06-30, scope PM,LM,FM, 380만 a month.
pub async fn change_contract(app: &TestApp, staff: &reqwest::Client, id: i64) -> ContractDto {
    ok(app
        .call(
            staff,
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
    .await
}

/// An update still at version 1, after someone else changed the contract.
pub async fn stale_contract_update(
    app: &TestApp,
    staff: &reqwest::Client,
    id: i64,
) -> reqwest::Response {
    app.call(
        staff,
        "contracts/update",
        &[
            ("id", &id.to_string()),
            ("version", "1"),
            ("end_date", "2029-12-31"),
            ("scope", "PM"),
            ("monthly_fee", "1"),
        ],
    )
    .await
}

backend_test!(
    async fn a_contract_needs_the_buildings_owner(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "망원빌딩").await;
        let client = create_client(app, &staff, "(주)망원자산").await;
        let refused = err(contract(app, &staff, f.building, client).await, 422).await;
        assert!(refused.field_message("client_id").is_some());
    }
);

backend_test!(
    async fn a_new_contract_has_a_normalized_scope_and_no_history(app: &TestApp) {
        let c = contracted(app).await;
        let dto: ContractDto = ok(app
            .call(&c.staff, "contracts/get", &[("id", &c.id.to_string())])
            .await)
        .await;
        assert_eq!(dto.contract.scope, "PM,FM");
        assert!(dto.history.is_empty());
    }
);

backend_test!(
    async fn a_contract_change_keeps_the_previous_version(app: &TestApp) {
        let c = contracted(app).await;
        let changed = change_contract(app, &c.staff, c.id).await;
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
    }
);

backend_test!(
    /// A stale form is refused instead of overwriting, and leaves no event behind.
    async fn a_stale_contract_form_is_refused(app: &TestApp) {
        let c = contracted(app).await;
        change_contract(app, &c.staff, c.id).await;
        let stale = stale_contract_update(app, &c.staff, c.id).await;
        assert_eq!(stale.status(), 409);

        let id = c.id;
        let kinds: Vec<String> = doongji::db_run!(&app.state.db, |pool| {
            sqlx::query_scalar(
                "SELECT kind FROM domain_events WHERE entity = 'contract' AND entity_id = ? ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .unwrap()
        });
        assert_eq!(kinds, ["contract.created", "contract.changed"]);
    }
);

backend_test!(
    async fn the_owner_reads_their_contract(app: &TestApp) {
        let c = contracted(app).await;
        change_contract(app, &c.staff, c.id).await;
        let seen: ContractDto = ok(app
            .call(&c.owner, "contracts/get", &[("id", &c.id.to_string())])
            .await)
        .await;
        assert_eq!(seen.contract.client_name, "(주)망원자산");
    }
);

backend_test!(
    async fn the_contract_list_filters_by_status_and_client_name(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let a = fixture(app, &staff, "망원빌딩").await;
        fixture(app, &staff, "서교타워").await;
        let client = create_client(app, &staff, "(주)마포자산").await;
        set_building_client(app, &staff, a.building, client).await;
        ok::<i64>(contract(app, &staff, a.building, client).await).await;

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
    }
);
