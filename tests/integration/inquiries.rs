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
        app.call(manager, "inquiries/list", &[("status", status)])
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
        let item = &inbox.items[0];
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
        let id = new.items[0].id.to_string();
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
        assert_eq!(contacted.items[0].notes, "11/26 통화함");
        assert!(contacted.items[0].assignee_name.is_some());
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
            ("TRUST_PROXY_HEADERS", "true".into()),
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
