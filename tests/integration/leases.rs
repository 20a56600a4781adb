//! Leases: overlapping terms, history of every change, renewal caps, the deposit ledger,
//! early termination, and the lease list on the server.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::leases::{LeaseDto, LeaseListRow, LeaseStatus};
use doongji::domain::Role;
use doongji::domain::list::ListPage;
type LeaseListPage = ListPage<LeaseListRow>;
use doongji::areas::leases::store as repo;

backend_test!(
    async fn a_new_lease_records_its_creation(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "합정빌딩").await;
        let first: i64 = ok(lease(
            app,
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
    }
);

/// 합정빌딩 with 101호 and 102호 leased for 2026–2027.
async fn two_units_leased(app: &TestApp) -> (reqwest::Client, Fixture) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "합정빌딩").await;
    ok::<i64>(
        lease(
            app,
            &staff,
            &f,
            &[f.units[0], f.units[1]],
            "2026-01-01",
            "2027-12-31",
        )
        .await,
    )
    .await;
    (staff, f)
}

backend_test!(
    async fn an_overlapping_lease_is_refused_naming_the_taken_unit(app: &TestApp) {
        let (staff, f) = two_units_leased(app).await;
        let e = err(
            lease(
                app,
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
        assert!(
            e.to_string().contains("102호"),
            "{e} on {}",
            app.backend.name
        );
        assert!(!e.to_string().contains("103호"));
    }
);

backend_test!(
    async fn a_unit_is_free_the_day_after_its_lease_ends(app: &TestApp) {
        let (staff, f) = two_units_leased(app).await;
        let _: i64 =
            ok(lease(app, &staff, &f, &[f.units[1]], "2028-01-01", "2029-12-31").await).await;
    }
);

backend_test!(
    async fn another_unit_is_free_at_any_time(app: &TestApp) {
        let (staff, f) = two_units_leased(app).await;
        let _: i64 =
            ok(lease(app, &staff, &f, &[f.units[2]], "2026-06-01", "2027-05-31").await).await;
    }
);

backend_test!(
    async fn a_lease_of_an_unknown_unit_is_refused_by_field(app: &TestApp) {
        let (staff, f) = two_units_leased(app).await;
        let e = err(
            lease(app, &staff, &f, &[999_999], "2026-01-01", "2026-12-31").await,
            422,
        )
        .await;
        assert!(e.field_message("unit_ids").is_some());
    }
);

/// 연남빌딩 101호 leased for 2026–2027, then its fee and payment day changed (version 2).
async fn changed_lease(app: &TestApp) -> (reqwest::Client, i64, LeaseDto) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "연남빌딩").await;
    let id = leased(app, &staff, &f).await;
    let updated: LeaseDto = ok(app
        .call(
            &staff,
            "leases/update",
            &[
                ("id", &id.to_string()),
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
    (staff, id, updated)
}

backend_test!(
    async fn a_lease_change_keeps_the_previous_version(app: &TestApp) {
        let (_, _, updated) = changed_lease(app).await;
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
    }
);

backend_test!(
    /// A stale version (someone else changed it first) is refused, and leaves no trace.
    async fn a_stale_lease_change_is_refused(app: &TestApp) {
        let (staff, id, _) = changed_lease(app).await;
        let res = app
            .call(
                &staff,
                "leases/update",
                &[
                    ("id", &id.to_string()),
                    ("version", "1"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "1"),
                    ("monthly_rent", "1"),
                    ("management_fee", "1"),
                    ("payment_day", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 409, "{}", app.backend.name);
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
    }
);

async fn renew(
    app: &TestApp,
    staff: &reqwest::Client,
    id: i64,
    end: &str,
    rent: &str,
) -> reqwest::Response {
    app.call(
        staff,
        "leases/renew",
        &[
            ("id", &id.to_string()),
            ("version", "1"),
            ("end_date", end),
            ("deposit", "100000000"),
            ("monthly_rent", rent),
            ("management_fee", "500000"),
            ("payment_day", "31"),
        ],
    )
    .await
}

/// 서교빌딩 101호 leased 2024–2025: 1억 + 300만 × 100 = 4억 환산보증금, protected in Seoul.
async fn protected_lease(app: &TestApp) -> (reqwest::Client, Fixture, i64) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "서교빌딩").await;
    let id: i64 = ok(lease(app, &staff, &f, &[f.units[0]], "2024-01-01", "2025-12-31").await).await;
    (staff, f, id)
}

backend_test!(
    async fn a_protected_renewal_above_five_percent_is_refused(app: &TestApp) {
        let (staff, _, id) = protected_lease(app).await;
        let e = err(renew(app, &staff, id, "2027-12-31", "3180000").await, 409).await;
        assert!(
            e.to_string().contains("5%") && e.to_string().contains("3,150,000원"),
            "{e} on {}",
            app.backend.name
        );
    }
);

backend_test!(
    async fn a_protected_renewal_within_five_percent_extends_the_lease(app: &TestApp) {
        let (staff, _, id) = protected_lease(app).await;
        let renewed: LeaseDto = ok(renew(app, &staff, id, "2027-12-31", "3150000").await).await;
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
    }
);

backend_test!(
    /// A short lease renewed with an increase less than a year after its start is refused.
    async fn an_increase_within_a_year_of_the_start_is_refused(app: &TestApp) {
        let (staff, f, _) = protected_lease(app).await;
        let short: i64 =
            ok(lease(app, &staff, &f, &[f.units[3]], "2026-01-01", "2026-06-30").await).await;
        let e = err(
            renew(app, &staff, short, "2027-06-30", "3100000").await,
            409,
        )
        .await;
        assert!(e.to_string().contains("1년"), "{e}");
    }
);

/// 망원빌딩 101호 leased for 2026, and again for 2027.
async fn lease_and_successor(app: &TestApp) -> (reqwest::Client, i64) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "망원빌딩").await;
    let first: i64 =
        ok(lease(app, &staff, &f, &[f.units[0]], "2026-01-01", "2026-12-31").await).await;
    ok::<i64>(lease(app, &staff, &f, &[f.units[0]], "2027-01-01", "2027-12-31").await).await;
    (staff, first)
}

backend_test!(
    /// Extending a lease into its successor's term is refused, by renewal or correction.
    async fn a_lease_cannot_be_extended_into_its_successors_term(app: &TestApp) {
        let (staff, first) = lease_and_successor(app).await;
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
    }
);

backend_test!(
    async fn a_terminated_lease_stays_terminated(app: &TestApp) {
        let (staff, first) = lease_and_successor(app).await;
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
        assert_eq!(res.status(), 409, "{}", app.backend.name);
    }
);

async fn deposit(
    app: &TestApp,
    staff: &reqwest::Client,
    lease_id: i64,
    kind: &str,
    amount: &str,
) -> reqwest::Response {
    app.call(
        staff,
        "leases/deposit",
        &[
            ("lease_id", &lease_id.to_string()),
            ("kind", kind),
            ("amount", amount),
            ("on_date", "2026-01-02"),
            ("note", "계좌이체"),
        ],
    )
    .await
}

/// 연남빌딩 101호 leased for 2026–2027 with a 1억 deposit.
async fn deposit_lease(app: &TestApp) -> (reqwest::Client, Fixture, i64) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "연남빌딩").await;
    let id = leased(app, &staff, &f).await;
    (staff, f, id)
}

backend_test!(
    async fn more_than_the_deposit_cannot_be_received(app: &TestApp) {
        let (staff, _, id) = deposit_lease(app).await;
        assert_eq!(
            deposit(app, &staff, id, "received", "100000000")
                .await
                .status(),
            200
        );
        let over = err(deposit(app, &staff, id, "received", "1").await, 422).await;
        assert!(
            over.field_message("amount")
                .is_some_and(|m| m.contains("100,000,000원"))
        );
    }
);

backend_test!(
    async fn more_than_was_received_cannot_be_returned(app: &TestApp) {
        let (staff, _, id) = deposit_lease(app).await;
        assert_eq!(
            deposit(app, &staff, id, "received", "100000000")
                .await
                .status(),
            200
        );
        assert_eq!(
            deposit(app, &staff, id, "returned", "40000000")
                .await
                .status(),
            200
        );
        let too_much = err(deposit(app, &staff, id, "returned", "60000001").await, 422).await;
        assert!(
            too_much
                .field_message("amount")
                .is_some_and(|m| m.contains("60,000,000원")),
            "{too_much:?}"
        );
    }
);

/// Received in full, 4천만 returned; the two refused entries count for nothing.
async fn partly_returned(app: &TestApp, staff: &reqwest::Client, id: i64) {
    assert_eq!(
        deposit(app, staff, id, "received", "100000000")
            .await
            .status(),
        200
    );
    assert_eq!(deposit(app, staff, id, "received", "1").await.status(), 422);
    assert_eq!(
        deposit(app, staff, id, "returned", "40000000")
            .await
            .status(),
        200
    );
    assert_eq!(
        deposit(app, staff, id, "returned", "60000001")
            .await
            .status(),
        422
    );
}

backend_test!(
    async fn the_deposit_ledger_shows_what_was_received_and_returned(app: &TestApp) {
        let (staff, _, id) = deposit_lease(app).await;
        partly_returned(app, &staff, id).await;
        let l: LeaseDto = ok(app
            .call(&staff, "leases/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(
            (l.deposit_ledger.received, l.deposit_ledger.returned),
            (100_000_000, 40_000_000)
        );
        assert_eq!(l.deposit_ledger.state_ko(l.deposit), "일부 반환");
    }
);

async fn terminate(
    app: &TestApp,
    staff: &reqwest::Client,
    id: i64,
    on: &str,
    reason: &str,
) -> reqwest::Response {
    app.call(
        staff,
        "leases/terminate",
        &[
            ("id", &id.to_string()),
            ("version", "1"),
            ("terminated_on", on),
            ("reason", reason),
        ],
    )
    .await
}

backend_test!(
    async fn a_termination_date_outside_the_term_is_refused(app: &TestApp) {
        let (staff, _, id) = deposit_lease(app).await;
        let outside = terminate(app, &staff, id, "2030-01-01", "폐업").await;
        assert_eq!(outside.status(), 422);
    }
);

backend_test!(
    /// After deposit entries (which are no change of the lease), an early termination.
    async fn an_early_termination_ends_the_lease_on_its_date(app: &TestApp) {
        let (staff, _, id) = deposit_lease(app).await;
        partly_returned(app, &staff, id).await;
        let res = terminate(app, &staff, id, "2026-08-31", "폐업으로 중도 해지").await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let l: LeaseDto = ok(app
            .call(&staff, "leases/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(l.status, LeaseStatus::Terminated);
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
            repo::event_kinds(&app.state.db, id).await.unwrap(),
            ["lease.created", "lease.ended"]
        );
    }
);

backend_test!(
    async fn a_unit_is_free_again_after_the_termination_date(app: &TestApp) {
        let (staff, f, id) = deposit_lease(app).await;
        let res = terminate(app, &staff, id, "2026-08-31", "폐업으로 중도 해지").await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let next = lease(app, &staff, &f, &[f.units[0]], "2026-09-01", "2028-08-31").await;
        assert_eq!(next.status(), 200, "{}", app.backend.name);
    }
);

/// Six demo buildings with 130 leases, and a manager.
async fn seeded(app: &TestApp) -> reqwest::Client {
    doongji::server::db::seed::seed_demo(&app.state.db, 6, 130)
        .await
        .unwrap();
    app.signed_in(Role::Manager).await.0
}

async fn list(app: &TestApp, staff: &reqwest::Client, form: &[(&str, &str)]) -> LeaseListPage {
    ok(app.call(staff, "leases/list", form).await).await
}

backend_test!(
    async fn demo_data_goes_only_into_an_empty_database(app: &TestApp) {
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
    }
);

backend_test!(
    async fn the_lease_list_pages_by_fifty_sorted_by_end_date(app: &TestApp) {
        let staff = seeded(app).await;
        let all = list(app, &staff, &[("query[status]", "all")]).await;
        assert_eq!(
            (all.total, all.rows.len(), all.pages),
            (130, 50, 3),
            "{}",
            app.backend.name
        );
        assert!(
            all.rows.windows(2).all(|w| w[0].end_date <= w[1].end_date),
            "sorted by end date"
        );
        let third = list(
            app,
            &staff,
            &[("query[page]", "3"), ("query[status]", "all")],
        )
        .await;
        assert_eq!(third.rows.len(), 30);
    }
);

backend_test!(
    /// The list opens on the leases running now, soonest expiry first, not on leases that
    /// ended years ago.
    async fn the_lease_list_opens_on_running_leases_ending_soonest(app: &TestApp) {
        let staff = seeded(app).await;
        let opened = list(app, &staff, &[]).await;
        assert!(opened.total > 0);
        assert!(
            opened
                .rows
                .iter()
                .all(|r| matches!(r.status, LeaseStatus::Active | LeaseStatus::Ending)),
            "{:?}",
            opened.rows.iter().map(|r| r.status).collect::<Vec<_>>()
        );
        assert!(
            opened
                .rows
                .windows(2)
                .all(|w| w[0].end_date <= w[1].end_date)
        );
        let all = list(app, &staff, &[("query[status]", "all")]).await;
        assert!(
            all.total > opened.total,
            "ended and scheduled leases are one choice away"
        );
    }
);

backend_test!(
    async fn the_lease_list_filters_by_status(app: &TestApp) {
        let staff = seeded(app).await;
        let active = list(app, &staff, &[("query[status]", "active")]).await;
        assert!(active.rows.iter().all(|r| r.status == LeaseStatus::Active));
    }
);

backend_test!(
    async fn the_lease_list_filters_leases_ending_soon(app: &TestApp) {
        let staff = seeded(app).await;
        let ending = list(app, &staff, &[("query[expiring_days]", "90")]).await;
        let today = doongji::server::time::today_seoul();
        assert!(
            ending
                .rows
                .iter()
                .all(|r| r.end_date >= today && r.end_date <= today + chrono::Duration::days(90))
        );
    }
);

backend_test!(
    async fn the_lease_list_searches_tenant_names_literally(app: &TestApp) {
        let staff = seeded(app).await;
        let all = list(app, &staff, &[("query[status]", "all")]).await;
        let name = all.rows[0].tenant_name.clone();
        let all_statuses = ("query[status]", "all");
        let found = list(app, &staff, &[("query[q]", &name), all_statuses]).await;
        assert!(found.total >= 1 && found.rows.iter().all(|r| r.tenant_name.contains(&name)));
        let none = list(app, &staff, &[("query[q]", "%_없는이름")]).await;
        assert_eq!(none.total, 0, "wildcards in the search are taken literally");
    }
);

backend_test!(
    async fn the_lease_list_sorts_by_rent(app: &TestApp) {
        let staff = seeded(app).await;
        let by_rent = list(app, &staff, &[("query[sort]", "rent")]).await;
        assert!(
            by_rent
                .rows
                .windows(2)
                .all(|w| w[0].monthly_rent >= w[1].monthly_rent)
        );
    }
);

/// A correction of the lease's amounts, with an optional agreement reason.
async fn correct(
    app: &TestApp,
    staff: &reqwest::Client,
    id: i64,
    version: &str,
    rent: &str,
    agreed: &str,
) -> reqwest::Response {
    app.call(
        staff,
        "leases/update",
        &[
            ("id", &id.to_string()),
            ("version", version),
            ("end_date", "2025-12-31"),
            ("deposit", "100000000"),
            ("monthly_rent", rent),
            ("management_fee", "500000"),
            ("payment_day", "31"),
            ("agreed_reason", agreed),
        ],
    )
    .await
}

backend_test!(
    /// A correction that raises the rent passes the renewal cap's rules too; past them it is
    /// recorded only as an agreed increase with its reason, shown in history and audit, and it
    /// moves the date of the last increase.
    async fn a_correction_cannot_bypass_the_cap_but_an_agreed_increase_is_recorded(app: &TestApp) {
        let (staff, _, id) = protected_lease(app).await;
        let e = err(correct(app, &staff, id, "1", "3600000", "").await, 409).await;
        assert!(e.to_string().contains("5%"), "{e} on {}", app.backend.name);
        assert!(e.to_string().contains("합의"), "{e}");
        // Too short a reason is no agreement.
        err(correct(app, &staff, id, "1", "3600000", "합의").await, 409).await;

        let reason = "2026-11-20 리모델링 후 20% 인상 합의, 합의서 첨부";
        let raised: LeaseDto = ok(correct(app, &staff, id, "1", "3600000", reason).await).await;
        assert_eq!(raised.monthly_rent, 3_600_000);
        assert_eq!(raised.increase_agreement, reason);
        let today = doongji::server::time::today_seoul();
        assert_eq!(raised.last_increase_on, Some(today));
        assert_eq!(raised.history[0].change_kind, "lease.increase_agreed");
        assert!(
            raised.history[0]
                .changes
                .iter()
                .any(|c| c.field == "합의 인상 사유" && c.after == reason),
            "{:?}",
            raised.history[0].changes
        );
        let audit = doongji::server::db::audit::count(&app.state.db, "lease", id)
            .await
            .unwrap();
        assert!(audit >= 2, "created and agreed increase audited: {audit}");

        // The increase moved the last-increase date: another raise within a year is refused,
        // even within 5%.
        let e = err(correct(app, &staff, id, "2", "3650000", "").await, 409).await;
        assert!(e.to_string().contains("1년"), "{e}");
        // Lowering needs nothing.
        let lowered: LeaseDto = ok(correct(app, &staff, id, "2", "3500000", "").await).await;
        assert_eq!(
            lowered.increase_agreement, reason,
            "a decrease keeps the record"
        );
    }
);

backend_test!(
    /// Ten years from the first start the tenant's renewal right ends: a renewal past it is a
    /// new bargain, not capped. The lease shows the notice window of 묵시적 갱신.
    async fn past_the_ten_year_renewal_right_the_cap_does_not_bind(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "십년빌딩").await;
        let id: i64 =
            ok(lease(app, &staff, &f, &[f.units[0]], "2017-01-01", "2025-12-31").await).await;
        // To 2026-12-31: still inside the right (it runs to 2026-12-31): capped.
        err(renew(app, &staff, id, "2026-12-31", "3600000").await, 409).await;
        // To 2027-12-31: past it: the parties are free.
        let renewed: LeaseDto = ok(renew(app, &staff, id, "2027-12-31", "3600000").await).await;
        assert_eq!(renewed.monthly_rent, 3_600_000, "{}", app.backend.name);
        assert_eq!(renewed.renewal_right_until.to_string(), "2026-12-31");
        assert!(renewed.increase_agreement.is_empty());
        assert_eq!(
            (
                renewed.renewal_notice_window.0.to_string(),
                renewed.renewal_notice_window.1.to_string()
            ),
            ("2027-06-30".into(), "2027-11-30".into())
        );
    }
);

backend_test!(
    /// The region class follows the building's 시군구코드: a lease in 평택 with 5억 환산보증금 is
    /// above that region's threshold (3억7천), so its renewal is not capped; the same lease in
    /// Seoul is. Choosing another class than the code's needs a reason.
    async fn the_region_class_follows_the_sigungu_code(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let building =
            |name: &'static str, code: &'static str, class: &'static str, reason: &'static str| {
                let staff = staff.clone();
                async move {
                    app.call(
                        &staff,
                        "buildings/create",
                        &[
                            ("name", name),
                            ("road_address", "경기도 평택시 중앙로 1"),
                            ("sigungu_cd", code),
                            ("region_class", class),
                            ("region_reason", reason),
                            ("main_use", "근린생활시설"),
                            ("floors_above", "3"),
                            ("floors_below", "0"),
                        ],
                    )
                    .await
                }
            };
        let e = err(building("평택빌딩", "41220", "seoul", "").await, 422).await;
        assert!(
            e.field_message("region_reason")
                .is_some_and(|m| m.contains("그 밖의 지역")),
            "{e:?}"
        );
        err(building("코드없음", "", "", "").await, 422).await;
        let id: i64 = ok(building("평택빌딩", "41220", "", "").await).await;
        let detail: doongji::areas::buildings::BuildingDetail = ok(app
            .call(&staff, "buildings/get", &[("id", &id.to_string())])
            .await)
        .await;
        assert_eq!(detail.region, "그 밖의 지역", "{}", app.backend.name);
        let overridden: i64 = ok(building(
            "송도빌딩",
            "28185",
            "metro_and_named_cities",
            "송도 경제자유구역 안",
        )
        .await)
        .await;
        let detail: doongji::areas::buildings::BuildingDetail = ok(app
            .call(&staff, "buildings/get", &[("id", &overridden.to_string())])
            .await)
        .await;
        assert!(
            detail.region.contains("직접 지정: 송도 경제자유구역 안"),
            "{}",
            detail.region
        );

        // 1억 + 400만 × 100 = 5억: unprotected in 평택, protected in Seoul.
        let units: Vec<i64> = ok(app
            .call(
                &staff,
                "units/bulk-add",
                &[
                    ("building_id", &id.to_string()),
                    ("floor", "1"),
                    ("from", "101"),
                    ("to", "101"),
                    ("exclusive_area_m2", "50"),
                    ("common_area_m2", "10"),
                ],
            )
            .await)
        .await;
        let seoul = fixture(app, &staff, "서울빌딩").await;
        let mut pyeongtaek = fixture(app, &staff, "임차인용").await;
        pyeongtaek.building = id;
        pyeongtaek.units = units;
        for (f, expected) in [(&pyeongtaek, 200), (&seoul, 409)] {
            let lease_id: i64 = ok(app
                .call(
                    &staff,
                    "leases/create",
                    &[
                        ("tenant_id", &f.tenant.to_string()),
                        ("building_id", &f.building.to_string()),
                        ("unit_ids", &f.units[0].to_string()),
                        ("start_date", "2024-01-01"),
                        ("end_date", "2025-12-31"),
                        ("deposit", "100000000"),
                        ("monthly_rent", "4000000"),
                        ("management_fee", "0"),
                        ("payment_day", "10"),
                        ("late_fee_rate_bp", "0"),
                        ("grace_days", "0"),
                    ],
                )
                .await)
            .await;
            let res = renew(app, &staff, lease_id, "2027-12-31", "4800000").await;
            assert_eq!(res.status(), expected, "{}", res.text().await.unwrap());
        }
    }
);
