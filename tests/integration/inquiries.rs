//! The inquiry form on the homepage, with and without JavaScript: the inbox and follow-up,
//! validation that keeps the input, and the spam defences.

use crate::helpers::*;
use doongji::areas::inquiries::InquiryInbox;
use doongji::domain::Role;

fn inquiry(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![
        ("name", "홍길동"),
        ("company", "길동빌딩"),
        ("phone", "010-1234-5678"),
        ("email", "Hong@Example.com"),
        ("area", "서울 강남구 역삼동"),
        ("message", "빌딩 관리 위탁을 상담받고 싶습니다."),
        ("consent", "on"),
        ("website", ""),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    form
}

/// Sends the form as a browser without JavaScript does.
async fn send_plain(
    app: &TestApp,
    browser: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser
        .post(app.url("/contact"))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Sends the form as the page's script does, asking for JSON.
async fn send_json(
    app: &TestApp,
    browser: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser
        .post(app.url("/contact"))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn count_new(app: &TestApp) -> i64 {
    doongji::areas::inquiries::store::count_new(&app.state.db)
        .await
        .unwrap()
}

async fn inbox(app: &TestApp, manager: &reqwest::Client, status: &str) -> InquiryInbox {
    json(
        app.call(manager, "inquiries/list", &[("query[status]", status)])
            .await,
    )
    .await
}

backend_test!(
    async fn an_inquiry_without_javascript_is_thanked(app: &TestApp) {
        let res = send_plain(app, &app.client(), &inquiry(&[])).await;
        assert_eq!(res.status(), 303, "{}", app.backend.name);
        assert_eq!(location(&res), "/contact?sent=1");
        let (_, thanks) = get(app, "/contact?sent=1").await;
        assert!(thanks.contains("문의가 접수되었습니다"));
    }
);

backend_test!(
    async fn an_inquiry_reaches_the_inbox_with_normalized_contacts(app: &TestApp) {
        assert_eq!(
            send_plain(app, &app.client(), &inquiry(&[])).await.status(),
            303
        );
        let (manager, _) = app.signed_in(Role::Manager).await;
        let count = app
            .call(&manager, "inquiries/count-new", &[])
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(count, "1");
        let inbox = inbox(app, &manager, "new").await;
        let item = &inbox.page.rows[0];
        assert_eq!(
            (item.name.as_str(), item.phone.as_str(), item.email.as_str()),
            ("홍길동", "01012345678", "hong@example.com")
        );
    }
);

backend_test!(
    /// Follow-up: contacted, assigned, with a note; no longer counted as new.
    async fn an_inquiry_followed_up_keeps_status_assignee_and_notes(app: &TestApp) {
        assert_eq!(
            send_plain(app, &app.client(), &inquiry(&[])).await.status(),
            303
        );
        let (manager, _) = app.signed_in(Role::Manager).await;
        let new = inbox(app, &manager, "new").await;
        let me = new
            .staff
            .iter()
            .find(|s| s.name.contains("매니저"))
            .unwrap()
            .id
            .to_string();
        let id = new.page.rows[0].id.to_string();
        let res = app
            .call(
                &manager,
                "inquiries/update",
                &[
                    ("id", &id),
                    ("status", "contacted"),
                    ("assignee_id", &me),
                    ("notes", "11/26 통화함"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let contacted = inbox(app, &manager, "contacted").await;
        assert_eq!(contacted.page.rows[0].notes, "11/26 통화함");
        assert!(contacted.page.rows[0].assignee_name.is_some());
        assert_eq!(
            app.call(&manager, "inquiries/count-new", &[])
                .await
                .text()
                .await
                .unwrap(),
            "0"
        );
    }
);

backend_test!(
    async fn an_invalid_inquiry_stores_nothing_and_keeps_the_input(app: &TestApp) {
        let res = send_plain(
            app,
            &app.client(),
            &inquiry(&[
                ("phone", "전화주세요"),
                ("email", "not-mail"),
                ("consent", ""),
            ]),
        )
        .await;
        assert_eq!(res.status(), 422, "{}", app.backend.name);
        let html = res.text().await.unwrap();
        assert!(html.contains("연락처 형식이 올바르지 않습니다"));
        assert!(html.contains("이메일 형식이 올바르지 않습니다"));
        assert!(html.contains("개인정보 수집·이용에 동의해 주세요"));
        assert!(html.contains("value=\"홍길동\""), "input kept");
        assert!(
            html.contains("빌딩 관리 위탁을 상담받고 싶습니다."),
            "message kept"
        );
        assert_eq!(count_new(app).await, 0);
    }
);

backend_test!(
    /// With JavaScript the same answer comes as JSON for the page to show in place.
    async fn with_javascript_an_invalid_inquiry_answers_errors_as_json(app: &TestApp) {
        let res = send_json(app, &app.client(), &inquiry(&[("message", "")])).await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(
            body["errors"]["message"]
                .as_str()
                .unwrap()
                .contains("5자 이상")
        );
        assert_eq!(count_new(app).await, 0, "nothing stored");
    }
);

backend_test!(
    async fn with_javascript_a_valid_inquiry_answers_ok(app: &TestApp) {
        let res = send_json(app, &app.client(), &inquiry(&[])).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["ok"], true);
        assert_eq!(count_new(app).await, 1);
    }
);

fn two_an_hour() -> Options {
    Options {
        extra: vec![("INQUIRY_MAX_PER_HOUR", "2".into())],
        ..Default::default()
    }
}

/// A bot fills in the hidden `website` field.
fn spam() -> Vec<(&'static str, &'static str)> {
    inquiry(&[("website", "http://spam.example")])
}

backend_test!(
    #[options(two_an_hour())]
    async fn a_bot_filling_the_honeypot_is_thanked_and_nothing_stored(app: &TestApp) {
        let res = send_plain(app, &app.client(), &spam()).await;
        assert_eq!(res.status(), 303, "a bot is thanked");
        assert_eq!(count_new(app).await, 0, "and nothing is stored");
    }
);

backend_test!(
    /// Two an hour from one address, a bot's attempt included: the third is refused in Korean,
    /// with the input kept, and as JSON too.
    #[options(two_an_hour())]
    async fn too_many_inquiries_from_one_address_are_refused(app: &TestApp) {
        let browser = app.client();
        assert_eq!(send_plain(app, &browser, &spam()).await.status(), 303);
        let res = send_plain(app, &browser, &inquiry(&[])).await;
        assert_eq!(res.status(), 303);
        let res = send_plain(app, &browser, &inquiry(&[])).await;
        assert_eq!(res.status(), 429, "{}", app.backend.name);
        let html = res.text().await.unwrap();
        assert!(html.contains("분 후에 다시 시도"), "Korean wait message");
        assert!(html.contains("value=\"홍길동\""), "input kept");
        let res = send_json(app, &browser, &inquiry(&[])).await;
        assert_eq!(res.status(), 429);
        assert_eq!(count_new(app).await, 1);
    }
);

backend_test!(
    /// Twenty sent at once from one address: each is counted before it is stored, so the
    /// address's limit (two an hour here) holds under a burst.
    #[options(two_an_hour())]
    async fn a_burst_from_one_address_stores_no_more_than_its_limit(app: &TestApp) {
        let browser = app.client();
        let sends: Vec<_> = (0..20)
            .map(|_| {
                let req = browser
                    .post(app.url("/contact"))
                    .header("accept", "application/json")
                    .form(&inquiry(&[]));
                tokio::spawn(req.send())
            })
            .collect();
        let mut refused = 0;
        for s in sends {
            if s.await.unwrap().unwrap().status() == 429 {
                refused += 1;
            }
        }
        assert_eq!(count_new(app).await, 2, "{}", app.backend.name);
        assert_eq!(refused, 18);
    }
);

backend_test!(
    /// A flood from many addresses stops at the hourly total (three here); a form with mistakes
    /// does not use up anyone's turn.
    #[options(Options {
        extra: vec![
            ("INQUIRY_MAX_PER_HOUR_TOTAL", "3".into()),
            ("TRUSTED_PROXIES", "127.0.0.1".into()),
        ],
        ..Default::default()
    })]
    async fn inquiries_from_everyone_together_stop_at_the_hourly_total(app: &TestApp) {
        let browser = app.client();
        let from = |i: u32, form: Vec<(&'static str, &'static str)>| {
            browser
                .post(app.url("/contact"))
                .header("accept", "application/json")
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .form(&form)
                .send()
        };
        for i in 0..5 {
            let res = from(100, inquiry(&[("consent", "")])).await.unwrap();
            assert_eq!(res.status(), 422, "mistake {i} is only a mistake");
        }
        for i in 0..3 {
            assert_eq!(
                from(i, inquiry(&[])).await.unwrap().status(),
                200,
                "inquiry {i}"
            );
        }
        let res = from(9, inquiry(&[])).await.unwrap();
        assert_eq!(res.status(), 429);
        assert_eq!(count_new(app).await, 3);
    }
);

fn behind_balancer() -> Options {
    Options {
        extra: vec![("TRUSTED_PROXIES", "127.0.0.1".into())],
        ..Default::default()
    }
}

backend_test!(
    /// Behind a trusted balancer the client is the first hop it did not add: whatever a client
    /// writes at the left of X-Forwarded-For does not give it a new address, and an IPv6 client
    /// is one client across its whole /64.
    #[options(behind_balancer())]
    async fn a_client_behind_the_balancer_cannot_pick_a_new_address(app: &TestApp) {
        let browser = app.client();
        let from = |xff: String| {
            browser
                .post(app.url("/contact"))
                .header("accept", "application/json")
                .header("x-forwarded-for", xff)
                .form(&inquiry(&[]))
                .send()
        };
        for i in 0..5 {
            let res = from(format!("10.9.9.{i}, 198.51.100.7")).await.unwrap();
            assert_eq!(res.status(), 200, "inquiry {i}");
        }
        let res = from("10.9.9.99, 198.51.100.7".into()).await.unwrap();
        assert_eq!(res.status(), 429, "{}", app.backend.name);
        // Another client is not held back by it.
        assert_eq!(from("198.51.100.8".into()).await.unwrap().status(), 200);

        for i in 1..=5 {
            let res = from(format!("2001:db8:7:7::{i:x}")).await.unwrap();
            assert_eq!(res.status(), 200, "ipv6 inquiry {i}");
        }
        let res = from("2001:db8:7:7:ffff::1".into()).await.unwrap();
        assert_eq!(res.status(), 429, "the same /64");
        assert_eq!(from("2001:db8:7:8::1".into()).await.unwrap().status(), 200);
        assert_eq!(count_new(app).await, 12);
    }
);

backend_test!(
    /// With no trusted proxy, X-Forwarded-For is ignored: every request is its socket's peer.
    async fn without_trusted_proxies_the_header_is_ignored(app: &TestApp) {
        let browser = app.client();
        for i in 0..6 {
            let res = browser
                .post(app.url("/contact"))
                .header("accept", "application/json")
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .form(&inquiry(&[]))
                .send()
                .await
                .unwrap();
            let expected = if i < 5 { 200 } else { 429 };
            assert_eq!(res.status(), expected, "inquiry {i}");
        }
    }
);

backend_test!(
    /// The inbox pages 50 at a time; likely spam waits under its own tab, out of the way of
    /// leads, and staff can move an inquiry in or out of it.
    #[options(Options {
        extra: vec![("INQUIRY_MAX_PER_HOUR", "200".into())],
        ..Default::default()
    })]
    async fn the_inbox_pages_and_keeps_spam_apart(app: &TestApp) {
        let browser = app.client();
        for i in 0..53 {
            let name = format!("고객{i}");
            let res = browser
                .post(app.url("/contact"))
                .header("accept", "application/json")
                .form(&[
                    ("name", name.as_str()),
                    ("phone", "010-1234-5678"),
                    ("email", "lead@example.com"),
                    ("message", "빌딩 관리 견적 문의드립니다."),
                    ("consent", "on"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
        let spam = browser
            .post(app.url("/contact"))
            .header("accept", "application/json")
            .form(&[
                ("name", "Cheap SEO"),
                ("phone", "010-9999-8888"),
                ("email", "seo@example.com"),
                (
                    "message",
                    "Rank first! http://a.example http://b.example http://c.example",
                ),
                ("consent", "on"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(spam.status(), 200, "spam is thanked like anyone");

        let (manager, _) = app.signed_in(Role::Manager).await;
        let first = inbox(app, &manager, "").await;
        assert_eq!(first.page.total, 53, "{}", app.backend.name);
        assert_eq!((first.page.page, first.page.pages), (1, 2));
        assert_eq!(first.page.rows.len(), 50);
        assert_eq!(first.page.rows[0].name, "고객52", "newest first");
        let second: InquiryInbox = json(
            app.call(&manager, "inquiries/list", &[("query[page]", "2")])
                .await,
        )
        .await;
        assert_eq!(second.page.rows.len(), 3);
        assert_eq!(second.page.rows[2].name, "고객0");
        assert_eq!(count_new(app).await, 53, "spam is not counted as new work");

        let flagged = inbox(app, &manager, "spam").await;
        assert_eq!(flagged.page.total, 1);
        let s = &flagged.page.rows[0];
        assert_eq!(s.name, "Cheap SEO");
        assert!(!s.spam_reason.is_empty());

        // Not spam after all: back among the leads.
        let id = s.id.to_string();
        let res = app
            .call(
                &manager,
                "inquiries/update",
                &[
                    ("id", &id),
                    ("status", "new"),
                    ("assignee_id", ""),
                    ("notes", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(inbox(app, &manager, "spam").await.page.total, 0);
        assert_eq!(inbox(app, &manager, "").await.page.total, 54);
        // And marked by hand.
        let res = app
            .call(
                &manager,
                "inquiries/update",
                &[
                    ("id", &id),
                    ("status", "closed"),
                    ("assignee_id", ""),
                    ("notes", ""),
                    ("spam", "on"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let flagged = inbox(app, &manager, "spam").await;
        assert_eq!(flagged.page.rows[0].spam_reason, "직원이 스팸으로 표시");
        let searched: InquiryInbox = json(
            app.call(&manager, "inquiries/list", &[("query[q]", "고객5")])
                .await,
        )
        .await;
        // 고객5 and 고객50–52.
        assert_eq!(searched.page.total, 4);
    }
);
