//! Signing in and out: the login page, sessions and their cookies, refusals, and the limits
//! on failed attempts per account and per address.

use crate::helpers::*;
use doongji::domain::Role;

backend_test!(
    async fn the_platform_without_a_session_leads_to_login_and_back(app: &TestApp) {
        let res = app
            .client()
            .get(app.url("/platform/admin/users?x=1"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{}", app.backend.name);
        assert_eq!(
            location(&res),
            "/login?next=%2Fplatform%2Fadmin%2Fusers%3Fx%3D1"
        );
    }
);

backend_test!(
    async fn the_login_page_is_a_plain_form_that_works_without_javascript(app: &TestApp) {
        let login = app.client().get(app.url("/login")).send().await.unwrap();
        assert_eq!(login.status(), 200);
        let html = login.text().await.unwrap();
        assert!(
            html.contains("action=\"/api/login\""),
            "a plain form works without JS"
        );
        assert!(html.contains("로그인"));
        // It loads no WASM and no script: the bundle waits until the person is signed in.
        assert!(
            !html.contains(".wasm") && !html.contains("<script"),
            "{html}"
        );
        // A foreign `next` is not carried into the form; a platform one is.
        let (_, html) = get(app, "/login?next=https%3A%2F%2Fevil.example%2F").await;
        assert!(!html.contains("evil.example"));
        let (_, html) = get(app, "/login?next=%2Fplatform%2Fleases&email=%22%3E%3Cb%3E").await;
        assert!(html.contains(r#"name="next" value="/platform/leases""#));
        assert!(!html.contains("\"><b>") && html.contains("&quot;&gt;&lt;b&gt;"));
    }
);

/// kim@doongji.kr (김매니저) logging in with the email typed in another case: the client and
/// the login's response.
async fn kim_signed_in(app: &TestApp) -> (reqwest::Client, reqwest::Response) {
    app.create_user("kim@doongji.kr", "김매니저", Role::Manager)
        .await;
    let client = app.client();
    let res = app.login(&client, "Kim@Doongji.kr", PASSWORD).await;
    (client, res)
}

backend_test!(
    /// Emails are matched case-insensitively; the session cookie is HttpOnly and SameSite=Lax.
    async fn login_sets_an_http_only_session_cookie(app: &TestApp) {
        let (_, res) = kim_signed_in(app).await;
        assert_eq!(res.status(), 303, "{}", app.backend.name);
        assert_eq!(location(&res), "/platform");
        let cookie = set_cookie(&res).expect("session cookie");
        assert!(cookie.starts_with("doongji_session="));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    }
);

backend_test!(
    async fn the_shell_shows_the_users_name_and_role(app: &TestApp) {
        let (client, _) = kim_signed_in(app).await;
        let page = client.get(app.url("/platform")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("김매니저"), "the shell shows the user's name");
        assert!(html.contains("매니저"), "and role");
        assert!(html.contains("action=\"/api/logout\""));
        assert!(
            !html.contains("사용자 관리"),
            "managers do not see the admin menu"
        );
    }
);

backend_test!(
    /// Logging in again replaces the session id; the old one stops working.
    async fn logging_in_again_replaces_the_session_id(app: &TestApp) {
        let (client, res) = kim_signed_in(app).await;
        let first = set_cookie(&res)
            .expect("session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let res = app.login(&client, "kim@doongji.kr", PASSWORD).await;
        let second = set_cookie(&res)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert_ne!(first, second, "session id changes at login");
        let stale = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let res = stale
            .get(app.url("/platform"))
            .header("cookie", &first)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "the pre-login session id is dead");
        let res = stale
            .get(app.url("/platform"))
            .header("cookie", &second)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
);

/// The login is refused back to the login page with an error, and no session.
async fn refused_without_a_session(app: &TestApp, email: &str, pw: &str) {
    app.create_user("lee@doongji.kr", "이대리", Role::Manager)
        .await;
    let res = app.login(&app.client(), email, pw).await;
    assert_eq!(res.status(), 303);
    assert!(
        location(&res).starts_with("/login?error="),
        "{}",
        location(&res)
    );
    assert!(set_cookie(&res).is_none());
}

backend_test!(
    async fn a_wrong_password_is_refused_without_a_session(app: &TestApp) {
        refused_without_a_session(app, "lee@doongji.kr", "wrong-Pass-99").await;
    }
);

backend_test!(
    async fn an_unknown_account_is_refused_without_a_session(app: &TestApp) {
        refused_without_a_session(app, "nobody@doongji.kr", PASSWORD).await;
    }
);

backend_test!(
    async fn an_empty_login_is_refused_without_a_session(app: &TestApp) {
        refused_without_a_session(app, "", "").await;
    }
);

backend_test!(
    async fn the_login_page_explains_a_refused_login(app: &TestApp) {
        let page = app
            .client()
            .get(app.url("/login?error=invalid"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("이메일 또는 비밀번호가 올바르지 않습니다"));
    }
);

backend_test!(
    async fn logout_ends_the_session(app: &TestApp) {
        let (client, _) = app.signed_in(Role::Manager).await;
        let res = client.post(app.url("/api/logout")).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res), "/login?logged_out=1");
        assert!(set_cookie(&res).unwrap().contains("Max-Age=0"));
        let res = client.get(app.url("/platform")).send().await.unwrap();
        assert_eq!(res.status(), 303, "{}", app.backend.name);
    }
);

backend_test!(
    /// Each guess comes from another address (behind a trusted balancer), so only the account's
    /// own counter sees them all; spellings of the email all count for it. Nobody can lock an
    /// account out: the guesses only slow it, and its owner still signs in from elsewhere.
    #[options(Options {
        extra: vec![("TRUSTED_PROXIES", "127.0.0.1".into())],
        ..Default::default()
    })]
    async fn an_account_guessed_from_many_addresses_is_slowed_not_locked(app: &TestApp) {
        app.create_user("park@doongji.kr", "박과장", Role::Manager)
            .await;
        let client = app.client();
        let login_from = |ip: String, email: &'static str, password: &'static str| {
            let client = client.clone();
            let url = app.url("/api/login");
            async move {
                let started = std::time::Instant::now();
                let res = client
                    .post(url)
                    .header("x-forwarded-for", format!("203.0.113.9, {ip}"))
                    .form(&[("email", email), ("password", password)])
                    .send()
                    .await
                    .unwrap();
                (res, started.elapsed())
            }
        };
        for i in 0..12 {
            let email = if i % 2 == 0 {
                "park@doongji.kr"
            } else {
                "PARK@doongji.kr"
            };
            let (res, _) = login_from(format!("198.51.100.{i}"), email, "wrong-Pass-99").await;
            assert_eq!(res.status(), 303, "failure {i} is an ordinary refusal");
            assert!(location(&res).contains("error=invalid"));
        }
        // 12 failures, 10 allowed: the owner's next attempt waits 1.5 s, then gets in.
        let (res, took) = login_from("192.0.2.77".into(), "park@doongji.kr", PASSWORD).await;
        assert_eq!(res.status(), 303, "{}", app.backend.name);
        assert_eq!(location(&res), "/platform");
        assert!(took >= std::time::Duration::from_millis(1_400), "{took:?}");
    }
);

backend_test!(
    /// 200 guesses sent at once for one account from one address: every attempt is counted
    /// before its password is checked, so only the limit (10) are checked; the rest get 429 with
    /// the Korean wait message.
    async fn a_burst_of_parallel_guesses_checks_no_more_passwords_than_the_limit(app: &TestApp) {
        app.create_user("yoon@doongji.kr", "윤대리", Role::Manager)
            .await;
        let client = app.client();
        let attempts = (0..200).map(|_| {
            client
                .post(app.url("/api/login"))
                .form(&[("email", "yoon@doongji.kr"), ("password", "wrong-Pass-99")])
                .send()
        });
        let responses = futures_join_all(attempts).await;
        let checked = responses.iter().filter(|r| r.status() == 303).count();
        let refused = responses.iter().filter(|r| r.status() == 429).count();
        assert_eq!(checked + refused, 200);
        assert!(checked <= 10, "{checked} passwords checked");
        assert_eq!(checked, 10, "the limit itself is still checked");
    }
);

/// Awaits every request (all in flight at once) and unwraps them.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<reqwest::Response>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap().unwrap());
    }
    out
}

backend_test!(
    async fn ten_failures_from_one_address_lock_that_address(app: &TestApp) {
        app.create_user("choi@doongji.kr", "최부장", Role::Manager)
            .await;
        let client = app.client();
        for i in 0..10 {
            let res = app
                .login(&client, &format!("guess{i}@doongji.kr"), "wrong-Pass-99")
                .await;
            assert_eq!(res.status(), 303);
        }
        let res = app.login(&client, "choi@doongji.kr", PASSWORD).await;
        assert_eq!(res.status(), 429, "{}", app.backend.name);
    }
);

#[tokio::test]
async fn the_lock_lifts_when_the_window_passes() {
    let backend = backends().remove(0);
    let app = spawn_app_with(
        &backend,
        Options {
            extra: vec![
                ("LOGIN_MAX_FAILURES", "2".into()),
                ("LOGIN_WINDOW_SECONDS", "10".into()),
            ],
            ..Default::default()
        },
    )
    .await;
    app.create_user("jung@doongji.kr", "정사원", Role::Manager)
        .await;
    let client = app.client();
    for _ in 0..2 {
        app.login(&client, "jung@doongji.kr", "wrong-Pass-99").await;
    }
    assert_eq!(
        app.login(&client, "jung@doongji.kr", PASSWORD)
            .await
            .status(),
        429
    );
    tokio::time::sleep(std::time::Duration::from_secs(11)).await;
    assert_eq!(
        app.login(&client, "jung@doongji.kr", PASSWORD)
            .await
            .status(),
        303
    );
    app.stop().await;
}

async fn login_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    app.create_user("han@doongji.kr", "한팀장", Role::Admin)
        .await;
    app.client()
        .post(app.url("/api/login"))
        .form(&[
            ("email", "han@doongji.kr"),
            ("password", PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn login_does_not_redirect_outside_the_platform() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let res = login_with_next(&app, "https://evil.example/").await;
    assert_eq!(location(&res), "/platform");
    app.stop().await;
}

#[tokio::test]
async fn login_redirects_to_the_page_asked_for_inside_the_platform() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let res = login_with_next(&app, "/platform/admin/users").await;
    assert_eq!(location(&res), "/platform/admin/users");
    app.stop().await;
}

backend_test!(
    /// An "email" longer than any address is refused before it is looked up or counted, and
    /// is not echoed back.
    async fn an_overlong_email_is_refused_unread(app: &TestApp) {
        let email = format!("{}@doongji.kr", "a".repeat(5_000));
        let res = app
            .client()
            .post(app.url("/api/login"))
            .form(&[("email", email.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let to = location(&res);
        assert!(to.starts_with("/login?error=invalid"), "{to}");
        assert!(!to.contains("aaaa"), "{to}");
    }
);

backend_test!(
    /// A session unused longer than SESSION_IDLE_SECONDS ends; each use pushes the deadline on.
    #[options(Options {
        extra: vec![("SESSION_IDLE_SECONDS", "3".into())],
        ..Default::default()
    })]
    async fn an_idle_session_ends_and_a_used_one_goes_on(app: &TestApp) {
        let (client, _) = app.signed_in(Role::Manager).await;
        let me = |client: reqwest::Client| async move {
            let res = client.get(app.url("/platform")).send().await.unwrap();
            res.status().as_u16()
        };
        // Used every 1.5 s for 6 s: longer than the idle time in all, never idle that long.
        for _ in 0..4 {
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            assert_eq!(me(client.clone()).await, 200, "{}", app.backend.name);
        }
        tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
        assert_eq!(me(client.clone()).await, 303, "idle too long");
        let res = client.post(app.url("/api/me")).send().await.unwrap();
        assert_eq!(res.text().await.unwrap(), "null");
    }
);

backend_test!(
    /// Anyone signed in changes their own password with the current one; their other sessions
    /// end, the one they used goes on, and only the new password signs in.
    async fn changing_your_own_password_ends_your_other_sessions(app: &TestApp) {
        let (here, email) = app.signed_in(Role::Client).await;
        let elsewhere = app.client();
        assert_eq!(app.login(&elsewhere, &email, PASSWORD).await.status(), 303);
        let change = |current: &'static str, new: &'static str, confirm: &'static str| {
            let here = here.clone();
            async move {
                app.call(
                    &here,
                    "account/password",
                    &[
                        ("current_password", current),
                        ("new_password", new),
                        ("new_password_confirm", confirm),
                    ],
                )
                .await
            }
        };
        let e = err(
            change(
                "wrong-Guess-12",
                "Violet-harbor-Tundra-81",
                "Violet-harbor-Tundra-81",
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("current_password").is_some(), "{e:?}");
        let e = err(
            change(
                PASSWORD,
                "Violet-harbor-Tundra-81",
                "Violet-harbor-Tundra-18",
            )
            .await,
            422,
        )
        .await;
        assert!(e.field_message("new_password_confirm").is_some(), "{e:?}");
        let e = err(change(PASSWORD, "password1234", "password1234").await, 422).await;
        assert!(e.field_message("new_password").is_some(), "{e:?}");

        let res = change(
            PASSWORD,
            "Violet-harbor-Tundra-81",
            "Violet-harbor-Tundra-81",
        )
        .await;
        assert_eq!(res.status(), 200, "{}", app.backend.name);
        let page = |c: &reqwest::Client| c.get(app.url("/platform")).send();
        assert_eq!(
            page(&here).await.unwrap().status(),
            200,
            "this session goes on"
        );
        assert_eq!(
            page(&elsewhere).await.unwrap().status(),
            303,
            "the other one ended"
        );
        let fresh = app.client();
        let res = app.login(&fresh, &email, PASSWORD).await;
        assert!(location(&res).contains("error=invalid"));
        assert_eq!(
            location(&app.login(&fresh, &email, "Violet-harbor-Tundra-81").await),
            "/platform"
        );
        // The page is there for every role.
        let (status, html) = {
            let res = here.get(app.url("/platform/account")).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        };
        assert_eq!(status, 200);
        assert!(html.contains("비밀번호 변경"));
    }
);

backend_test!(
    /// Server functions are closed to visitors before they run, all but the sign-in ones.
    async fn anonymous_api_calls_are_refused_centrally(app: &TestApp) {
        let visitor = app.client();
        let res = app.call(&visitor, "no/such-function", &[]).await;
        assert_eq!(res.status(), 401, "even a path that names nothing");
        let res = app.call(&visitor, "leases/list", &[]).await;
        assert_eq!(res.status(), 401);
        assert_eq!(
            serde_json::from_str::<doongji::domain::ApiError>(&res.text().await.unwrap()).unwrap(),
            doongji::domain::ApiError::Unauthorized
        );
        let res = app.call(&visitor, "me", &[]).await;
        assert_eq!(res.status(), 200);
    }
);
