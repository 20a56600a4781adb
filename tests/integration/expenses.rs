//! Expenses: entering items with VAT by the rule, totals by category, the pay-date event in the
//! same transaction, pinned items copied once however often, a deleted copy not made again, the
//! bill attached, the owner's report, and who sees what.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::expenses::{CopyReport, ExpenseDto, ExpenseMonth, OwnerReport};
use doongji::domain::Role;

async fn add(
    app: &TestApp,
    staff: &reqwest::Client,
    building: i64,
    month: &str,
    fields: &[(&str, &str)],
) -> i64 {
    let b = building.to_string();
    let mut form: Vec<(&str, &str)> = vec![("building_id", &b), ("month", month)];
    form.extend_from_slice(fields);
    ok(app.call(staff, "expenses/save", &form).await).await
}

async fn month_of(app: &TestApp, c: &reqwest::Client, building: i64, month: &str) -> ExpenseMonth {
    ok(app
        .call(
            c,
            "expenses/month",
            &[
                ("query[month]", month),
                ("query[building_id]", &building.to_string()),
            ],
        )
        .await)
    .await
}

async fn pay_date_events(app: &TestApp, id: i64) -> i64 {
    scalar(
        app,
        &format!("SELECT COUNT(*) FROM domain_events WHERE kind = 'expense.pay_date' AND entity_id = {id}"),
    )
    .await
}

backend_test!(
    async fn items_add_up_by_category_with_vat_by_the_rule(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "한강빌딩").await;
        add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[
                ("category", "cleaning"),
                ("vendor", "깨끗한청소"),
                ("amount", "1,234,567원"),
                ("vat_auto", "on"),
                ("pay_date", "2026-11-25"),
                ("paid_on", "2026-11-25"),
            ],
        )
        .await;
        add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[
                ("category", "elevator"),
                ("vendor", "오르내림"),
                ("amount", "500000"),
                ("vat", "50000"),
            ],
        )
        .await;
        add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[
                ("category", "cleaning"),
                ("vendor", "소모품"),
                ("amount", "10000"),
            ],
        )
        .await;
        let m = month_of(app, &staff, f.building, "2026-11").await;
        assert_eq!(m.rows.len(), 3);
        // 1,234,567 + 123,456 (10% cut below the won) + 550,000 + 10,000.
        assert_eq!(m.total, 1_358_023 + 550_000 + 10_000);
        assert_eq!(m.paid, 1_358_023);
        let cleaning = m
            .by_category
            .iter()
            .find(|c| c.category == "cleaning")
            .unwrap();
        assert_eq!(
            (cleaning.items, cleaning.total, cleaning.paid),
            (2, 1_368_023, 1_358_023)
        );
        // Another month is empty; bad input is refused field by field.
        assert!(
            month_of(app, &staff, f.building, "2026-12")
                .await
                .rows
                .is_empty()
        );
        let e = err(
            app.call(
                &staff,
                "expenses/save",
                &[
                    ("building_id", &f.building.to_string()),
                    ("month", "2026-11"),
                    ("category", "cleaning"),
                    ("amount", "-1"),
                ],
            )
            .await,
            422,
        )
        .await;
        assert!(format!("{e:?}").contains("amount"), "{e:?}");
        let page = app
            .page_text(
                &staff,
                &format!(
                    "/platform/expenses?month=2026-11&building_id={}",
                    f.building
                ),
            )
            .await;
        assert!(
            page.contains("1,918,023원") && page.contains("승강기 유지보수"),
            "{page}"
        );
        let res = staff
            .get(app.url(&format!(
                "/platform/export/expenses?month=2026-11&building_id={}",
                f.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    }
);

backend_test!(
    async fn setting_or_changing_a_pay_date_writes_its_event_in_the_same_change(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "여의빌딩").await;
        let id = add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[
                ("category", "security"),
                ("amount", "2000000"),
                ("pay_date", "2026-11-20"),
            ],
        )
        .await;
        assert_eq!(pay_date_events(app, id).await, 1);
        let edit = |pay: &'static str, memo: &'static str| {
            let idt = id.to_string();
            let b = f.building.to_string();
            let staff = staff.clone();
            async move {
                ok::<i64>(
                    app.call(
                        &staff,
                        "expenses/save",
                        &[
                            ("id", idt.as_str()),
                            ("building_id", b.as_str()),
                            ("month", "2026-11"),
                            ("category", "security"),
                            ("amount", "2000000"),
                            ("pay_date", pay),
                            ("memo", memo),
                        ],
                    )
                    .await,
                )
                .await
            }
        };
        // A change of something else writes no event.
        edit("2026-11-20", "11월분").await;
        assert_eq!(pay_date_events(app, id).await, 1);
        edit("2026-11-27", "11월분").await;
        assert_eq!(pay_date_events(app, id).await, 2);
        let payload: String = doongji::db_run!(&app.state.db, |pool| {
            sqlx::query_scalar::<_, String>(
            "SELECT payload FROM domain_events WHERE kind = 'expense.pay_date' ORDER BY id DESC LIMIT 1"
        )
        .fetch_one(pool)
        .await
        .unwrap()
        });
        assert!(
            payload.contains("2026-11-20") && payload.contains("2026-11-27"),
            "{payload}"
        );
        // Every change is in the audit log.
        assert_eq!(
            scalar(
                app,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE entity = 'expense' AND entity_id = {id}"
                )
            )
            .await,
            3
        );
    }
);

backend_test!(
    async fn pinned_items_are_copied_into_the_next_month_once(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "마포빌딩").await;
        let pinned = add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[
                ("category", "cleaning"),
                ("vendor", "깨끗한청소"),
                ("amount", "900000"),
                ("vat_auto", "on"),
                ("pay_date", "2026-11-30"),
                ("paid_on", "2026-11-30"),
                ("pinned", "on"),
            ],
        )
        .await;
        add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[("category", "repair"), ("amount", "300000")],
        )
        .await;
        // Twice, and two at once: one copy.
        let first: CopyReport = ok(app
            .call(&staff, "expenses/copy-pinned", &[("month", "2026-11")])
            .await)
        .await;
        assert_eq!((first.copied, first.already), (1, 0));
        let (a, b) = tokio::join!(
            app.call(&staff, "expenses/copy-pinned", &[("month", "2026-11")]),
            app.call(&staff, "expenses/copy-pinned", &[("month", "2026-11")]),
        );
        let (a, b): (CopyReport, CopyReport) = (ok(a).await, ok(b).await);
        assert_eq!((a.copied + b.copied, a.already + b.already), (0, 2));
        let dec = month_of(app, &staff, f.building, "2026-12").await;
        assert_eq!(dec.rows.len(), 1);
        let copy = &dec.rows[0];
        // Unpaid, the pay date a month on, still pinned, the same amounts.
        assert_eq!(
            (
                copy.amount,
                copy.vat,
                copy.paid_on,
                copy.pay_date.map(|d| d.to_string()),
                copy.pinned,
                copy.source_id
            ),
            (
                900_000,
                90_000,
                None,
                // 11/30 is November's last day: December's last day.
                Some("2026-12-31".into()),
                true,
                Some(pinned)
            )
        );
        let d: ExpenseDto = ok(app
            .call(&staff, "expenses/get", &[("id", &pinned.to_string())])
            .await)
        .await;
        assert_eq!(d.copies, vec![(copy.id, "2026-12".to_string())]);
        // A copy stays in its month (moved, the next run would copy the item again).
        let moved = app
            .call(
                &staff,
                "expenses/save",
                &[
                    ("id", &copy.id.to_string()),
                    ("building_id", &f.building.to_string()),
                    ("month", "2027-01"),
                    ("category", "cleaning"),
                    ("amount", "900000"),
                ],
            )
            .await;
        let e = err(moved, 422).await;
        assert!(format!("{e:?}").contains("month"), "{e:?}");
        // A copy deleted by hand is not made again.
        ok::<serde_json::Value>(
            app.call(
                &staff,
                "expenses/delete",
                &[("id", &copy.id.to_string()), ("reason", "계약 종료")],
            )
            .await,
        )
        .await;
        let again: CopyReport = ok(app
            .call(&staff, "expenses/copy-pinned", &[("month", "2026-11")])
            .await)
        .await;
        assert_eq!(again.copied, 0);
        assert!(
            month_of(app, &staff, f.building, "2026-12")
                .await
                .rows
                .is_empty()
        );
        assert_eq!(
            scalar(app, "SELECT COUNT(*) FROM expenses WHERE month = '2026-12'").await,
            1,
            "the deleted copy is kept, marked"
        );
    }
);

backend_test!(
    async fn the_owners_report_sets_collected_rent_against_paid_expenses(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "성수빌딩").await;
        let lease = leased(app, &staff, &f).await;
        ok::<serde_json::Value>(
            app.call(&staff, "billing/generate", &[("month", "2026-11")])
                .await,
        )
        .await;
        let billed: i64 = scalar(
            app,
            "SELECT CAST(COALESCE(SUM(total), 0) AS SIGNED) FROM invoices WHERE month = '2026-11'",
        )
        .await;
        assert!(billed > 0);
        let res = app
            .call(
                &staff,
                "billing/pay",
                &[
                    ("lease_id", &lease.to_string()),
                    ("paid_on", "2026-11-20"),
                    ("amount", "1000000"),
                    ("method", "transfer"),
                    ("depositor", "임차인"),
                    ("memo", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[
                ("category", "cleaning"),
                ("amount", "300000"),
                ("vat_auto", "on"),
                ("paid_on", "2026-11-25"),
            ],
        )
        .await;
        add(
            app,
            &staff,
            f.building,
            "2026-11",
            &[("category", "insurance"), ("amount", "120000")],
        )
        .await;
        let r: OwnerReport = ok(app
            .call(
                &staff,
                "expenses/report",
                &[
                    ("building_id", &f.building.to_string()),
                    ("month", "2026-11"),
                ],
            )
            .await)
        .await;
        assert_eq!((r.billed, r.collected), (billed, 1_000_000.min(billed)));
        assert_eq!(
            (r.expenses_total, r.expenses_paid, r.expenses_unpaid),
            (450_000, 330_000, 120_000)
        );
        assert_eq!(r.balance, r.collected - 330_000);
        let text = app
            .page_text(
                &staff,
                &format!(
                    "/platform/expenses/report?building_id={}&month=2026-11",
                    f.building
                ),
            )
            .await;
        assert!(
            text.contains("월간 보고서") && text.contains("330,000원"),
            "{text}"
        );
        let res = staff
            .get(app.url(&format!(
                "/platform/export/owner-report?building_id={}&month=2026-11",
                f.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let res = staff
            .get(app.url(&format!(
                "/platform/expenses/report.pdf?building_id={}&month=2026-11",
                f.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "application/pdf"
        );
        assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
    }
);

backend_test!(
    async fn a_client_sees_only_their_buildings_expenses_and_changes_nothing(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let mine = fixture(app, &staff, "내건물").await;
        let theirs = fixture(app, &staff, "남의건물").await;
        let my_item = add(
            app,
            &staff,
            mine.building,
            "2026-11",
            &[("category", "fire"), ("amount", "70000")],
        )
        .await;
        let their_item = add(
            app,
            &staff,
            theirs.building,
            "2026-11",
            &[("category", "fire"), ("amount", "80000")],
        )
        .await;
        let (_, owner) = owned(app, &staff, &mine, "내 건물주").await;
        // Every visible building: only theirs.
        let all: ExpenseMonth = ok(app
            .call(&owner, "expenses/month", &[("query[month]", "2026-11")])
            .await)
        .await;
        assert_eq!(
            all.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![my_item]
        );
        ok::<ExpenseDto>(
            app.call(&owner, "expenses/get", &[("id", &my_item.to_string())])
                .await,
        )
        .await;
        err(
            app.call(&owner, "expenses/get", &[("id", &their_item.to_string())])
                .await,
            404,
        )
        .await;
        err(
            app.call(
                &owner,
                "expenses/report",
                &[
                    ("building_id", &theirs.building.to_string()),
                    ("month", "2026-11"),
                ],
            )
            .await,
            404,
        )
        .await;
        err(
            app.call(
                &owner,
                "expenses/paid",
                &[("id", &my_item.to_string()), ("paid_on", "2026-11-20")],
            )
            .await,
            403,
        )
        .await;
        let res = owner
            .get(app.url(&format!(
                "/platform/expenses/report.pdf?building_id={}&month=2026-11",
                theirs.building
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        // The bill attached to another owner's item stays out of reach.
        let res = upload(
            app,
            &staff,
            "expense",
            their_item,
            "청구서.pdf",
            b"%PDF-1.4\n%test\n".to_vec(),
        )
        .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let file: i64 = scalar(
            app,
            &format!(
                "SELECT id FROM files WHERE owner_kind = 'expense' AND owner_id = {their_item}"
            ),
        )
        .await;
        let res = owner
            .get(app.url(&format!("/platform/files/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let res = staff
            .get(app.url(&format!("/platform/files/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
);
