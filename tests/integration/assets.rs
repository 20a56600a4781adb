use crate::helpers::*;

/// Hashed asset names (cargo-leptos `hash-files`) never change content: a year of caching.
#[tokio::test]
async fn hashed_assets_are_cached_long_and_compressed() {
    let site = std::env::temp_dir().join(format!("doongji-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let css = ".a{color:red}\n".repeat(200);
    std::fs::write(site.join("pkg/doongji.Abc123.css"), &css).unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();

    let backend = backends().remove(0);
    let app = spawn_app_with(
        &backend,
        Options {
            extra: vec![("LEPTOS_SITE_ROOT", site.display().to_string())],
            ..Default::default()
        },
    )
    .await;
    let client = reqwest::Client::new();
    let res = client
        .get(app.url("/pkg/doongji.Abc123.css"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers().get("cache-control").unwrap(),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers().get("content-encoding").unwrap(), "br");
    assert!(res.bytes().await.unwrap().len() < css.len() / 4);

    let res = client.get(app.url("/favicon.svg")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = client.get(app.url("/pkg/missing.js")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    app.stop().await;
    let _ = std::fs::remove_dir_all(site);
}
