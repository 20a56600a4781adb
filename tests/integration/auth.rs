use crate::helpers::*;
use doongji::domain::Role;

#[tokio::test]
async fn platform_without_a_session_leads_to_login() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let client = app.client();
        let res = client
            .get(app.url("/platform/admin/users?x=1"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{}", backend.name);
        assert_eq!(
            location(&res),
            "/login?next=%2Fplatform%2Fadmin%2Fusers%3Fx%3D1"
        );

        let login = client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(login.status(), 200);
        let html = login.text().await.unwrap();
        assert!(
            html.contains("action=\"/api/login\""),
            "a plain form works without JS"
        );
        assert!(html.contains("로그인"));
        app.stop().await;
    }
}

#[tokio::test]
async fn login_sets_a_fresh_http_only_session_and_shows_the_shell() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_user("kim@doongji.kr", "김매니저", Role::Manager)
            .await;
        let client = app.client();

        // Emails are matched case-insensitively.
        let res = app.login(&client, "Kim@Doongji.kr", PASSWORD).await;
        assert_eq!(res.status(), 303, "{}", backend.name);
        assert_eq!(location(&res), "/platform");
        let cookie = set_cookie(&res).expect("session cookie");
        assert!(cookie.starts_with("doongji_session="));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let first = cookie.split(';').next().unwrap().to_string();

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

        // Logging in again replaces the session id; the old one stops working.
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
        app.stop().await;
    }
}

#[tokio::test]
async fn wrong_password_or_unknown_account_is_refused_without_a_session() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_user("lee@doongji.kr", "이대리", Role::Manager)
            .await;
        let client = app.client();
        for (email, pw) in [
            ("lee@doongji.kr", "wrong-Pass-99"),
            ("nobody@doongji.kr", PASSWORD),
            ("", ""),
        ] {
            let res = app.login(&client, email, pw).await;
            assert_eq!(res.status(), 303);
            assert!(
                location(&res).starts_with("/login?error="),
                "{}",
                location(&res)
            );
            assert!(set_cookie(&res).is_none());
        }
        let page = client
            .get(app.url("/login?error=invalid"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("이메일 또는 비밀번호가 올바르지 않습니다"));
        app.stop().await;
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (client, _) = app.signed_in(Role::Manager).await;
        let res = client.post(app.url("/api/logout")).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res), "/login?logged_out=1");
        assert!(set_cookie(&res).unwrap().contains("Max-Age=0"));
        let res = client.get(app.url("/platform")).send().await.unwrap();
        assert_eq!(res.status(), 303, "{}", backend.name);
        app.stop().await;
    }
}

#[tokio::test]
async fn ten_failures_for_an_account_lock_it_with_a_korean_wait_message() {
    for backend in backends() {
        // Each guess comes from another address (behind a trusted balancer), so only the
        // account's own counter can stop them; spellings of the email all count for it.
        let app = spawn_app_with(
            &backend,
            Options {
                extra: vec![("TRUST_PROXY_HEADERS", "true".into())],
                ..Default::default()
            },
        )
        .await;
        app.create_user("park@doongji.kr", "박과장", Role::Manager)
            .await;
        let client = app.client();
        let login_from = |ip: String, email: &'static str, password: &'static str| {
            let client = client.clone();
            let url = app.url("/api/login");
            async move {
                client
                    .post(url)
                    .header("x-forwarded-for", format!("203.0.113.9, {ip}"))
                    .form(&[("email", email), ("password", password)])
                    .send()
                    .await
                    .unwrap()
            }
        };
        for i in 0..10 {
            let email = if i % 2 == 0 {
                "park@doongji.kr"
            } else {
                "PARK@doongji.kr"
            };
            let res = login_from(format!("198.51.100.{i}"), email, "wrong-Pass-99").await;
            assert_eq!(res.status(), 303, "failure {i} is an ordinary refusal");
        }
        // Even the right password, from yet another address, is refused until the window passes.
        let res = login_from("192.0.2.77".into(), "park@doongji.kr", PASSWORD).await;
        assert_eq!(res.status(), 429, "{}", backend.name);
        assert!(res.headers().get("retry-after").is_some());
        let body = res.text().await.unwrap();
        assert!(body.contains("10분 후에 다시 시도해 주세요"), "{body}");
        app.stop().await;
    }
}

#[tokio::test]
async fn ten_failures_from_one_address_lock_that_address() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
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
        assert_eq!(res.status(), 429, "{}", backend.name);
        app.stop().await;
    }
}

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

#[tokio::test]
async fn login_only_redirects_inside_the_platform() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    app.create_user("han@doongji.kr", "한팀장", Role::Admin)
        .await;
    let client = app.client();
    let res = client
        .post(app.url("/api/login"))
        .form(&[
            ("email", "han@doongji.kr"),
            ("password", PASSWORD),
            ("next", "https://evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/platform");
    let res = client
        .post(app.url("/api/login"))
        .form(&[
            ("email", "han@doongji.kr"),
            ("password", PASSWORD),
            ("next", "/platform/admin/users"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/platform/admin/users");
    app.stop().await;
}
