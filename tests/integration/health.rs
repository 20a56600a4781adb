//! Operations: health and readiness, metrics, the server-rendered home and 404, compression,
//! and pages finishing while routers are built.

use crate::helpers::*;

backend_test!(
    async fn healthz_reports_version_and_commit(app: &TestApp) {
        let res = reqwest::get(app.url("/healthz")).await.unwrap();
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        assert!(
            body.contains(&format!("version: {}", env!("CARGO_PKG_VERSION"))),
            "{body}"
        );
        assert!(body.contains("commit: "), "{body}");
    }
);

backend_test!(
    async fn readyz_checks_the_database_and_redis(app: &TestApp) {
        let res = reqwest::get(app.url("/readyz")).await.unwrap();
        assert_eq!(res.status(), 200, "{}", app.backend.name);
        let body = res.text().await.unwrap();
        assert!(body.starts_with("ready"), "{body}");
        assert!(body.contains("database"), "{body}");
        if app.backend.uses_redis() {
            assert!(body.contains("redis: ok"), "{body}");
        } else {
            assert!(body.contains("redis: not configured"), "{body}");
        }
    }
);

#[tokio::test]
async fn readyz_fails_when_the_database_is_gone() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    app.state.db.close().await;
    let res = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(res.status(), 503);
    // The failing part is named; its cause (pool closed) goes to the log, not to whoever asks.
    assert_eq!(
        res.text().await.unwrap(),
        "not ready\ndatabase (sqlite): unavailable\nredis: not configured\n"
    );
    app.stop().await;
}

backend_test!(
    async fn metrics_count_requests_in_prometheus_format(app: &TestApp) {
        reqwest::get(app.url("/healthz")).await.unwrap();
        let body = reqwest::get(app.url("/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains("http_requests_total{"), "{body}");
        assert!(body.contains("path=\"/healthz\""), "{body}");
        assert!(
            body.contains("http_request_duration_seconds_bucket"),
            "{body}"
        );
    }
);

backend_test!(
    async fn home_is_korean_and_server_rendered(app: &TestApp) {
        let res = reqwest::get(app.url("/")).await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("<html lang=\"ko\""), "{html}");
        assert!(html.contains("<h1"), "{html}");
        assert!(html.contains("둥지"));
        assert!(
            !html.contains(".wasm"),
            "public pages do not load the platform's WASM"
        );
    }
);

backend_test!(
    async fn unknown_paths_are_404_in_korean(app: &TestApp) {
        let res = reqwest::get(app.url("/no-such-page")).await.unwrap();
        assert_eq!(res.status(), 404);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("페이지를 찾을 수 없습니다")
        );
    }
);

#[tokio::test]
async fn html_is_compressed_when_the_client_accepts_it() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let client = reqwest::Client::new();
    for enc in ["br", "gzip"] {
        let res = client
            .get(app.url("/"))
            .header("accept-encoding", enc)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers().get("content-encoding").unwrap(), enc);
    }
    app.stop().await;
}

/// A page that loads data finishes its response even while another router is being built in the
/// same process, as happens when tests start apps in parallel (see `web::route_list`). Without
/// the guard some responses stopped mid-body and never ended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_while_another_router_is_built() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let (admin, _) = app.signed_in(doongji::domain::Role::Admin).await;

    let stop = Arc::new(AtomicBool::new(false));
    let builder = std::thread::spawn({
        let stop = stop.clone();
        let state = app.state.clone();
        let runtime = tokio::runtime::Handle::current();
        move || {
            let _entered = runtime.enter();
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                drop(doongji::startup::router(state.clone()));
                built += 1;
            }
            built
        }
    });
    let mut stalled = 0;
    for _ in 0..40 {
        let page = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            admin
                .get(app.url("/platform/admin/users"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        })
        .await;
        match page {
            Ok(body) => assert!(body.contains("사용자 관리"), "{body}"),
            Err(_) => stalled += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let built = builder.join().unwrap();
    assert!(built > 0, "routers were built meanwhile");
    assert_eq!(stalled, 0, "responses that never finished, of 40");
    app.stop().await;
}

fn metrics_token() -> Options {
    Options {
        extra: vec![
            ("METRICS_TOKEN", "metrics-token-for-tests".into()),
            ("TRUSTED_PROXIES", "127.0.0.1".into()),
        ],
        ..Default::default()
    }
}

backend_test!(
    /// Metrics name every route and its traffic: this machine may read them, a caller from
    /// elsewhere only with the bearer token.
    #[options(metrics_token())]
    async fn metrics_are_for_this_machine_or_a_token_holder(app: &TestApp) {
        let client = reqwest::Client::new();
        let get = |xff: Option<&str>, token: Option<&str>| {
            let mut req = client.get(app.url("/metrics"));
            if let Some(ip) = xff {
                req = req.header("X-Forwarded-For", ip);
            }
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req.send()
        };
        assert_eq!(get(None, None).await.unwrap().status(), 200, "loopback");
        let outside = Some("203.0.113.9");
        assert_eq!(get(outside, None).await.unwrap().status(), 403);
        assert_eq!(
            get(outside, Some("wrong-token-for-tests!"))
                .await
                .unwrap()
                .status(),
            403
        );
        let res = get(outside, Some("metrics-token-for-tests")).await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("http_requests_total"));
    }
);
