//! Security headers, the CSP nonce, HTTPS-only settings, and cross-site requests.

use crate::helpers::*;
use doongji::domain::Role;

backend_test!(
    async fn every_response_carries_the_security_headers(app: &TestApp) {
        let client = app.client();
        for path in ["/", "/login", "/healthz", "/no-such-page", "/platform"] {
            let res = client.get(app.url(path)).send().await.unwrap();
            let h = res.headers();
            let csp = h
                .get("content-security-policy")
                .unwrap_or_else(|| panic!("CSP on {path}"))
                .to_str()
                .unwrap();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert_eq!(
                h.get("x-content-type-options").unwrap(),
                "nosniff",
                "{path}"
            );
            assert!(h.get("referrer-policy").is_some(), "{path}");
            assert!(
                h.get("strict-transport-security").is_none(),
                "no HSTS over plain http"
            );
        }
    }
);

#[tokio::test]
async fn interactive_pages_allow_only_their_own_nonce_scripts() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    // The platform is the interactive part (the sign-in page is plain HTML with no script).
    let (client, _) = app.signed_in(Role::Manager).await;
    let res = client.get(app.url("/platform")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csp = res
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the CSP nonce"
    );
    app.stop().await;
}

#[tokio::test]
async fn https_public_url_adds_hsts_and_secure_cookies() {
    let backend = backends().remove(0);
    let app = spawn_app_with(
        &backend,
        Options {
            extra: vec![("PUBLIC_URL", "https://doongji.example".into())],
            ..Default::default()
        },
    )
    .await;
    app.create_user("secure@doongji.kr", "보안", Role::Manager)
        .await;
    let client = app.client();
    let res = app.login(&client, "secure@doongji.kr", PASSWORD).await;
    assert_eq!(res.status(), 303);
    let cookie = set_cookie(&res).unwrap();
    assert!(cookie.contains("; Secure"));
    assert!(res.headers().get("strict-transport-security").is_some());
    // On https the cookie carries the __Host- prefix (Secure, Path=/, no Domain), and that is
    // the name the session is read from.
    assert!(cookie.starts_with("__Host-doongji_session="), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_string();
    let page = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/platform"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "signed in with the prefixed cookie");
    let bare = pair.replacen("__Host-", "", 1);
    let page = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/platform"))
        .header("cookie", &bare)
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        303,
        "the unprefixed name is not read on https"
    );
    app.stop().await;
}

/// An admin's login form posted with `header: value` added.
async fn login_with(
    app: &TestApp,
    client: &reqwest::Client,
    header: (&str, &str),
) -> reqwest::Response {
    client
        .post(app.url("/api/login"))
        .header(header.0, header.1)
        .form(&[("email", "origin@doongji.kr"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
}

async fn admin_client(app: &TestApp) -> reqwest::Client {
    app.create_user("origin@doongji.kr", "출처", Role::Admin)
        .await;
    app.client()
}

backend_test!(
    async fn a_login_from_another_origin_is_refused(app: &TestApp) {
        let client = admin_client(app).await;
        let res = login_with(app, &client, ("origin", "https://evil.example")).await;
        assert_eq!(res.status(), 403, "{}", app.backend.name);
        assert!(set_cookie(&res).is_none());
    }
);

backend_test!(
    async fn a_login_with_a_foreign_referer_is_refused(app: &TestApp) {
        let client = admin_client(app).await;
        let res = login_with(app, &client, ("referer", "https://evil.example/page")).await;
        assert_eq!(res.status(), 403, "a foreign Referer is refused too");
    }
);

backend_test!(
    async fn a_login_from_an_opaque_origin_is_refused(app: &TestApp) {
        let client = admin_client(app).await;
        let res = login_with(app, &client, ("origin", "null")).await;
        assert_eq!(res.status(), 403, "an opaque origin is refused");
    }
);

backend_test!(
    async fn a_same_origin_login_works(app: &TestApp) {
        let client = admin_client(app).await;
        let res = login_with(app, &client, ("origin", &app.base)).await;
        assert_eq!(res.status(), 303, "same-origin login works");
    }
);

backend_test!(
    /// A signed-in admin's browser tricked into calling a server function from elsewhere.
    async fn a_server_function_called_from_another_site_is_refused(app: &TestApp) {
        let client = admin_client(app).await;
        let res = login_with(app, &client, ("origin", &app.base)).await;
        assert_eq!(res.status(), 303, "same-origin login works");
        let res = client
            .post(app.url("/api/users/create"))
            .header("origin", "https://evil.example")
            .form(&[
                ("email", "x@evil.example"),
                ("name", "x"),
                ("role", "admin"),
                ("password", "evil-Pass-123"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert!(
            doongji::server::db::users::find_by_email(&app.state.db, "x@evil.example")
                .await
                .unwrap()
                .is_none()
        );
    }
);

backend_test!(
    /// One user's XLSX exports per hour are limited (EXPORT_MAX_PER_HOUR); others are not held up.
    #[options(Options {
        extra: vec![("EXPORT_MAX_PER_HOUR", "3".into())],
        ..Default::default()
    })]
    async fn exports_are_limited_per_user(app: &TestApp) {
        let (one, _) = app.signed_in(Role::Manager).await;
        let (other, _) = app.signed_in(Role::Manager).await;
        for i in 0..3 {
            let res = one
                .get(app.url("/platform/export/leases"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "export {i}");
        }
        let res = one
            .get(app.url("/platform/export/buildings"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429, "{}", app.backend.name);
        assert!(res.text().await.unwrap().contains("한 시간에 3번"));
        let res = other
            .get(app.url("/platform/export/leases"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
);
