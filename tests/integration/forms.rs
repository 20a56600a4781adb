//! The platform's forms as a browser sends them without JavaScript (README "The platform's
//! WASM"): a plain form post to a server function comes back to the page, a refusal shows next
//! to its field, a success leaves a one-time message, and check boxes post one value each.

use crate::fixtures::fixture;
use crate::helpers::*;
use doongji::domain::Role;

/// A form post as a browser makes it from `page` (it accepts HTML, so the server answers with a
/// redirect instead of JSON).
async fn browser_post(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    page: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("origin", app.url(""))
        .header("referer", app.url(page))
        .form(form)
        .send()
        .await
        .expect("form post")
}

async fn page_html(app: &TestApp, client: &reqwest::Client, location: &str) -> String {
    let url = if location.starts_with("http") {
        location.to_string()
    } else {
        app.url(location)
    };
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{location} on {}", app.backend.name);
    res.text().await.unwrap()
}

backend_test!(
    async fn a_refused_plain_post_comes_back_with_the_message_beside_its_field(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let email = format!("plain-{}@doongji.kr", unique());
        let res = browser_post(
            app,
            &admin,
            "users/create",
            "/platform/admin/users",
            &[
                ("email", &email),
                ("name", "김평문"),
                ("role", "manager"),
                ("password", "short"),
            ],
        )
        .await;
        assert!(
            res.status().is_redirection(),
            "{} on {}",
            res.status(),
            app.backend.name
        );
        let back = location(&res);
        assert!(
            back.starts_with(&app.url("/platform/admin/users?")) && back.contains("__err="),
            "{back}"
        );
        let html = page_html(app, &admin, &back).await;
        assert!(html.contains("비밀번호는 10자 이상"), "the field's message");
        assert!(html.contains("data-field-error"), "in the field's place");
        assert!(
            !html.contains(&email),
            "nothing was created: {}",
            app.backend.name
        );

        // Refused again from that page: only the new refusal comes back.
        let res = browser_post(
            app,
            &admin,
            "users/create",
            back.trim_start_matches(&app.url("")),
            &[
                ("email", "not-an-email"),
                ("name", "김평문"),
                ("role", "manager"),
                ("password", "Quartz-meadow-Falcon-29"),
            ],
        )
        .await;
        let again = location(&res);
        assert_eq!(again.matches("__err=").count(), 1, "{again}");
        let html = page_html(app, &admin, &again).await;
        assert!(
            html.contains("이메일 형식이 올바르지 않습니다"),
            "the email's message"
        );
        assert!(
            !html.contains("비밀번호는 10자 이상"),
            "not the earlier one"
        );
    }
);

backend_test!(
    async fn a_plain_post_that_succeeds_leaves_a_message_shown_once(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let email = format!("flash-{}@doongji.kr", unique());
        let res = browser_post(
            app,
            &admin,
            "users/create",
            "/platform/admin/users?__path=x&__err=old",
            &[
                ("email", &email),
                ("name", "김메시지"),
                ("role", "manager"),
                ("password", "Quartz-meadow-Falcon-29"),
            ],
        )
        .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let back = location(&res);
        assert_eq!(
            back,
            app.url("/platform/admin/users"),
            "an earlier error leaves the address"
        );
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("doongji_flash="))
            .unwrap_or_default()
            .to_string();
        assert!(
            cookie.contains("doongji_flash=") && cookie.contains("HttpOnly"),
            "{cookie}"
        );

        let html = page_html(app, &admin, &back).await;
        assert!(
            html.contains(&format!("김메시지({email}) 계정을 만들었습니다.")),
            "the message on {}",
            app.backend.name
        );
        assert!(html.contains(r#"data-testid="flash""#));
        let again = page_html(app, &admin, &back).await;
        assert!(!again.contains(r#"data-testid="flash""#), "shown once");
        assert!(again.contains(&email), "the new user is listed");
    }
);

backend_test!(
    async fn checked_boxes_post_one_value_each(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "체크박스빌딩").await;
        let (a, b) = (f.units[0].to_string(), f.units[2].to_string());
        let lease: i64 = ok(app
            .call(
                &staff,
                "leases/create",
                &[
                    ("tenant_id", &f.tenant.to_string()),
                    ("building_id", &f.building.to_string()),
                    ("unit_ids[]", &a),
                    ("unit_ids[]", &b),
                    ("start_date", "2026-01-01"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "10000000"),
                    ("monthly_rent", "1000000"),
                    ("management_fee", "0"),
                    ("payment_day", "25"),
                    ("late_fee_rate_bp", "0"),
                    ("grace_days", "0"),
                ],
            )
            .await)
        .await;
        let dto: serde_json::Value = ok(app
            .call(&staff, "leases/get", &[("id", &lease.to_string())])
            .await)
        .await;
        let mut units: Vec<i64> = dto["unit_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        units.sort_unstable();
        assert_eq!(units, vec![f.units[0], f.units[2]], "{}", app.backend.name);

        // No box checked: the field's own message, not an unreadable form.
        let e = err(
            app.call(
                &staff,
                "leases/create",
                &[
                    ("tenant_id", &f.tenant.to_string()),
                    ("building_id", &f.building.to_string()),
                    ("start_date", "2026-01-01"),
                    ("end_date", "2027-12-31"),
                    ("deposit", "0"),
                    ("monthly_rent", "0"),
                    ("management_fee", "0"),
                    ("payment_day", "25"),
                    ("late_fee_rate_bp", "0"),
                    ("grace_days", "0"),
                ],
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("unit_ids").is_some(), "{e:?}");
    }
);

backend_test!(
    async fn platform_pages_hydrate_islands_only(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "섬빌딩").await;
        let html = page_html(app, &staff, &format!("/platform/buildings/{}", f.building)).await;
        assert!(
            html.contains("<leptos-island") && html.contains("Enhanced"),
            "the forms' island"
        );
        assert!(html.contains("ImportSection"), "the import's island");
        assert!(
            html.contains(r#"form="new-lease-form""#),
            "unit boxes belong to the lease form"
        );
    }
);

backend_test!(
    async fn deleting_a_tenant_sends_the_browser_to_the_list(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let f = fixture(app, &staff, "삭제빌딩").await;
        let res = app
            .call(&staff, "tenants/delete", &[("id", &f.tenant.to_string())])
            .await;
        assert_eq!(res.status(), 200, "{}", app.backend.name);
        assert_eq!(location(&res), "/platform/tenants");
        assert!(res.headers().contains_key("serverfnredirect"));
    }
);

backend_test!(
    async fn a_page_for_a_missing_record_keeps_its_status_for_a_browser(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        let res = staff
            .get(app.url("/platform/buildings/999999999"))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{}", app.backend.name);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("요청하신 항목을 찾을 수 없습니다")
        );
    }
);

backend_test!(
    async fn a_refusal_in_a_link_from_another_site_is_not_shown(app: &TestApp) {
        let (staff, _) = app.signed_in(Role::Manager).await;
        // A phishing link: `__err` carries any text the sender likes.
        let forged = "__path=%2Fapi%2Ftenants%2Fcreate&__err=eyJDb25mbGljdCI6IuqwgOynnCJ9";
        let res = staff
            .get(app.url(&format!("/platform/tenants?q=x&{forged}")))
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{}", app.backend.name);
        assert_eq!(location(&res), "/platform/tenants?q=x");
        // The same address reached from the site itself (the redirect after a form) shows it.
        let res = staff
            .get(app.url(&format!("/platform/tenants?q=x&{forged}")))
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("가짜"));
    }
);
