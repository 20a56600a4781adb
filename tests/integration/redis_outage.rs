use crate::helpers::*;
use doongji::domain::Role;

/// Redis vanishes while the app runs: the process keeps serving, `/readyz` names the problem,
/// pages that need a session answer a clear 503 page, and all recovers when Redis returns.
#[tokio::test]
async fn the_app_survives_redis_going_away() {
    let Some(backend) = backends().into_iter().find(|b| b.uses_redis()) else {
        eprintln!("TEST_REDIS_URL not set: Redis outage test skipped");
        return;
    };
    let mut proxy = RedisProxy::start().await;
    let app = spawn_app_with(
        &backend,
        Options {
            redis_url: Some(proxy.url()),
            ..Default::default()
        },
    )
    .await;
    let (client, _) = app.signed_in(Role::Manager).await;
    assert_eq!(
        client
            .get(app.url("/platform"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    proxy.cut();

    let res = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("redis: unavailable"));
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        200,
        "still running"
    );
    assert_eq!(
        reqwest::get(app.url("/")).await.unwrap().status(),
        200,
        "public pages still served"
    );

    let res = client.get(app.url("/platform")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("잠시 후 다시 시도해 주세요")
    );
    let res = app.call(&client, "users/list", &[]).await;
    assert_eq!(res.status(), 503, "server functions answer 503 too");

    proxy.restore().await;
    let mut ready = false;
    for _ in 0..40 {
        if reqwest::get(app.url("/readyz")).await.unwrap().status() == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(ready, "reconnects by itself when Redis is back");
    assert_eq!(
        client
            .get(app.url("/platform"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the session survived"
    );
    app.stop().await;
    proxy.cut();
}
