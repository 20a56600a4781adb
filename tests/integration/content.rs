//! The public homepage and its content: pages and their metadata for crawlers, sitemap and
//! robots, posts and company info edited in the platform showing up at once (the page cache is
//! cleared by every edit), who may edit, and the portfolio.

use crate::helpers::*;
use doongji::domain::Role;

const PAGES: [(&str, &str); 8] = [
    ("/", "건물 관리의 모든 것"),
    ("/about", "회사소개"),
    ("/services", "서비스"),
    ("/portfolio", "관리 실적"),
    ("/news", "공지사항"),
    (
        "/news/lease-law-guide",
        "상가임대차 갱신 시 임대료 인상 한도 안내",
    ),
    ("/contact", "문의하기"),
    ("/privacy", "개인정보처리방침"),
];

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

backend_test!(
    async fn every_public_page_is_complete_html_for_crawlers(app: &TestApp) {
        let mut titles = std::collections::HashSet::new();
        for (path, h1) in PAGES {
            let (status, html) = get(app, path).await;
            assert_eq!(status, 200, "{path} on {}", app.backend.name);
            assert!(
                html.starts_with("<!DOCTYPE html><html lang=\"ko\""),
                "{path}"
            );
            assert_eq!(count(&html, "<h1"), 1, "{path}: one h1");
            assert!(html.contains(h1), "{path}: h1 {h1}");
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap()
                .to_string();
            assert!(titles.insert(title.clone()), "{path}: unique title {title}");
            assert!(
                html.contains("<meta name=\"description\" content=\""),
                "{path}"
            );
            assert!(
                html.contains(&format!(
                    "<link rel=\"canonical\" href=\"{}{}\"",
                    app.base, path
                )),
                "{path}: canonical"
            );
            for tag in [
                "og:title",
                "og:description",
                "og:url",
                "og:image",
                "og:type",
            ] {
                assert!(
                    html.contains(&format!("property=\"{tag}\"")),
                    "{path}: {tag}"
                );
            }
            assert!(html.contains("name=\"twitter:card\""), "{path}");
            assert!(
                html.contains("\"@type\":\"Organization\""),
                "{path}: Organization JSON-LD"
            );
            if path != "/" {
                assert!(
                    html.contains("\"@type\":\"BreadcrumbList\""),
                    "{path}: breadcrumbs"
                );
            }
            assert!(!html.contains(".wasm"), "{path}: no WASM on public pages");
            assert!(
                html.contains("사업자등록번호 220-81-62517"),
                "{path}: footer business number"
            );
        }
    }
);

backend_test!(
    /// Hydration markers (`<!>`) belong to pages that hydrate; the public pages do not, and one
    /// showed at the end of every title in tabs and search results.
    async fn public_pages_carry_no_hydration_markers(app: &TestApp) {
        for (path, _) in PAGES
            .iter()
            .chain(&[("/contact?sent=1", ""), ("/no-such-page", "")])
        {
            let (_, html) = get(app, path).await;
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or_default();
            assert!(!title.is_empty(), "{path}: a title");
            assert!(!title.contains('<'), "{path}: title {title:?}");
            assert!(
                !html.contains("<!>"),
                "{path}: a hydration marker in the page"
            );
        }
    }
);

backend_test!(
    async fn a_post_is_an_article_with_its_markdown_rendered(app: &TestApp) {
        let (_, post) = get(app, "/news/lease-law-guide").await;
        assert!(post.contains("\"@type\":\"Article\""));
        assert!(
            post.contains("<strong>5%를 넘을 수 없고</strong>"),
            "markdown rendered"
        );
    }
);

#[tokio::test]
async fn unknown_paths_and_posts_answer_a_korean_404() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    for path in [
        "/nope",
        "/news/no-such-post",
        "/news?page=99",
        "/news?page=abc",
    ] {
        let (status, html) = get(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("페이지를 찾을 수 없습니다"), "{path}");
        assert!(html.contains("noindex"), "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn robots_keeps_crawlers_out_of_the_platform() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let (status, robots) = get(&app, "/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Allow: /\n"));
    assert!(robots.contains("Disallow: /platform\n"));
    assert!(robots.contains("Disallow: /api\n"));
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", app.base)));
    app.stop().await;
}

backend_test!(
    async fn the_sitemap_lists_every_public_page(app: &TestApp) {
        let (_, sitemap) = get(app, "/sitemap.xml").await;
        for path in [
            "/about",
            "/services",
            "/portfolio",
            "/news",
            "/contact",
            "/privacy",
            "/news/lease-law-guide",
        ] {
            assert!(
                sitemap.contains(&format!("<loc>{}{}</loc>", app.base, path)),
                "{path}"
            );
        }
        assert!(sitemap.contains("<lastmod>"));
    }
);

/// Saves the post 신규 관리 건물 안내 (/news/new-building), published or not; its id.
async fn save_new_building_post(
    app: &TestApp,
    admin: &reqwest::Client,
    id: Option<&str>,
    published: bool,
) -> String {
    let mut form = vec![
        ("title", "신규 관리 건물 안내"),
        ("slug", "new-building"),
        ("summary", "새 건물"),
        ("body_markdown", "본문입니다."),
        ("cover_image", ""),
    ];
    if let Some(id) = id {
        form.insert(0, ("id", id));
    }
    if published {
        form.push(("published", "on"));
    }
    form.push(("published_at", ""));
    let res = app.call(admin, "posts/save", &form).await;
    assert_eq!(res.status(), 200, "{}", app.backend.name);
    let text = res.text().await.unwrap();
    id.map(str::to_string).unwrap_or(text)
}

backend_test!(
    /// Warm the cache, then publish: the list and the sitemap show the new post at once.
    async fn a_published_post_shows_in_the_list_and_sitemap_at_once(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        get(app, "/sitemap.xml").await;
        let (_, news) = get(app, "/news").await;
        assert!(!news.contains("신규 관리 건물 안내"));
        let id = save_new_building_post(app, &admin, None, true).await;
        let _: i64 = id.parse().unwrap();
        let (_, news) = get(app, "/news").await;
        assert!(
            news.contains("신규 관리 건물 안내"),
            "cache cleared on publish"
        );
        let (_, sitemap) = get(app, "/sitemap.xml").await;
        assert!(sitemap.contains("/news/new-building</loc>"));
    }
);

backend_test!(
    /// Unpublish (with the list and sitemap cached): gone from the list, the sitemap and its URL.
    async fn an_unpublished_post_leaves_the_list_the_sitemap_and_its_url(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let id = save_new_building_post(app, &admin, None, true).await;
        assert!(get(app, "/news").await.1.contains("신규 관리 건물 안내"));
        assert!(
            get(app, "/sitemap.xml")
                .await
                .1
                .contains("/news/new-building</loc>")
        );
        save_new_building_post(app, &admin, Some(&id), false).await;
        let (_, sitemap) = get(app, "/sitemap.xml").await;
        assert!(!sitemap.contains("/news/new-building</loc>"));
        assert_eq!(get(app, "/news/new-building").await.0, 404);
        assert!(!get(app, "/news").await.1.contains("신규 관리 건물 안내"));
    }
);

backend_test!(
    /// A future publish time keeps a post hidden until then.
    async fn a_post_scheduled_for_later_stays_hidden(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let res = app
            .call(
                &admin,
                "posts/save",
                &[
                    ("title", "예약 글"),
                    ("slug", "scheduled"),
                    ("summary", ""),
                    ("body_markdown", "곧 공개"),
                    ("cover_image", ""),
                    ("published", "on"),
                    ("published_at", "2099-01-01T09:00"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(get(app, "/news/scheduled").await.0, 404);
    }
);

/// The company info form as it is by default, with `changes`.
fn company_form(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = doongji::areas::content::CompanyInfo::FIELDS
        .iter()
        .map(|(k, _)| {
            (
                k.to_string(),
                doongji::areas::content::service::default_company()
                    .get(k)
                    .to_string(),
            )
        })
        .collect();
    for (field, value) in changes {
        form.iter_mut().find(|(k, _)| k == field).unwrap().1 = value.to_string();
    }
    form
}

backend_test!(
    /// Company info edited in the platform shows on every page (the cached one too).
    async fn company_info_edited_in_the_platform_shows_at_once(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let _ = get(app, "/about").await;
        let form = company_form(&[("representative", "박대표")]);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(app.call(&admin, "company/save", &pairs).await.status(), 200);
        assert!(get(app, "/about").await.1.contains("박대표"));
    }
);

#[tokio::test]
async fn an_invalid_post_is_refused_by_field() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let res = app
        .call(
            &admin,
            "posts/save",
            &[
                ("title", ""),
                ("slug", "한글 주소"),
                ("summary", ""),
                ("body_markdown", ""),
                ("cover_image", "javascript:alert(1)"),
                ("published_at", "어제"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let err: doongji::domain::ApiError = json(res).await;
    for f in [
        "title",
        "slug",
        "body_markdown",
        "cover_image",
        "published_at",
    ] {
        assert!(err.field_message(f).is_some(), "{f}: {err:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_post_address_already_taken_is_refused() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let res = app
        .call(
            &admin,
            "posts/save",
            &[
                ("title", "중복"),
                ("slug", "lease-law-guide"),
                ("summary", ""),
                ("body_markdown", "x"),
                ("cover_image", ""),
                ("published_at", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "slug already taken");
    app.stop().await;
}

#[tokio::test]
async fn invalid_company_info_is_refused_by_field() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let form = company_form(&[("business_number", "123-45-67890"), ("name", "")]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.call(&admin, "company/save", &pairs).await;
    assert_eq!(res.status(), 422);
    let err: doongji::domain::ApiError = json(res).await;
    assert!(
        err.field_message("business_number").is_some() && err.field_message("name").is_some(),
        "{err:?}"
    );
    app.stop().await;
}

const CONTENT_LISTS: [&str; 4] = [
    "posts/list",
    "inquiries/list",
    "inquiries/count-new",
    "portfolio/list",
];

/// Asserts what every content list answers to `who`.
async fn content_lists_answer(app: &TestApp, who: &reqwest::Client, status: u16) {
    for endpoint in CONTENT_LISTS {
        let res = app.call(who, endpoint, &[("status", "")]).await;
        assert_eq!(res.status(), status, "{endpoint}");
    }
}

backend_test!(
    async fn content_lists_need_a_login(app: &TestApp) {
        content_lists_answer(app, &app.client(), 401).await;
    }
);

backend_test!(
    async fn content_lists_are_not_for_clients(app: &TestApp) {
        let (client, _) = app.signed_in(Role::Client).await;
        content_lists_answer(app, &client, 403).await;
    }
);

backend_test!(
    async fn content_lists_are_for_staff(app: &TestApp) {
        let (manager, _) = app.signed_in(Role::Manager).await;
        content_lists_answer(app, &manager, 200).await;
    }
);

backend_test!(
    async fn clients_cannot_change_content(app: &TestApp) {
        let (client, _) = app.signed_in(Role::Client).await;
        for (endpoint, form) in [
            ("posts/delete", vec![("id", "1")]),
            (
                "posts/save",
                vec![
                    ("title", "x"),
                    ("slug", "x"),
                    ("summary", ""),
                    ("body_markdown", "x"),
                    ("cover_image", ""),
                    ("published_at", ""),
                ],
            ),
            (
                "inquiries/update",
                vec![
                    ("id", "1"),
                    ("status", "closed"),
                    ("assignee_id", ""),
                    ("notes", ""),
                ],
            ),
            (
                "portfolio/set",
                vec![("id", "1"), ("public_description", "")],
            ),
        ] {
            assert_eq!(
                app.call(&client, endpoint, &form).await.status(),
                403,
                "{endpoint} as client"
            );
        }
        assert_eq!(
            get(app, "/news/lease-law-guide").await.0,
            200,
            "nothing was deleted"
        );
    }
);

backend_test!(
    async fn company_info_is_for_admins(app: &TestApp) {
        let (manager, _) = app.signed_in(Role::Manager).await;
        assert_eq!(
            app.call(&manager, "company/get", &[]).await.status(),
            403,
            "company info is admin-only"
        );
    }
);

/// 둥지타워 and 비공개빌딩, straight into the database, neither marked public; 둥지타워's id.
async fn two_buildings(app: &TestApp) -> i64 {
    let new = |name: &str| doongji::areas::buildings::BuildingInput {
        name: name.into(),
        road_address: "서울특별시 강남구 테헤란로 152".into(),
        main_use: "업무시설".into(),
        floors_above: 12,
        floors_below: 3,
        total_area_m2: 12345.64,
        region_class: "seoul".into(),
        ..Default::default()
    };
    let shown =
        doongji::areas::buildings::store::insert_building(&app.state.db, &new("둥지타워"), None)
            .await
            .unwrap();
    doongji::areas::buildings::store::insert_building(&app.state.db, &new("비공개빌딩"), None)
        .await
        .unwrap();
    shown
}

backend_test!(
    async fn the_portfolio_waits_for_a_building_marked_public(app: &TestApp) {
        two_buildings(app).await;
        assert!(
            get(app, "/portfolio")
                .await
                .1
                .contains("공개된 관리 실적을 준비하고 있습니다")
        );
    }
);

backend_test!(
    async fn the_portfolio_shows_only_buildings_marked_public(app: &TestApp) {
        let shown = two_buildings(app).await;
        let (manager, _) = app.signed_in(Role::Manager).await;
        let id = shown.to_string();
        let res = app
            .call(
                &manager,
                "portfolio/set",
                &[
                    ("id", &id),
                    ("show", "on"),
                    ("public_description", "역삼역 도보 3분 업무시설"),
                    ("photo", "/images/og-default.png"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", app.backend.name);
        let (_, html) = get(app, "/portfolio").await;
        assert!(html.contains("둥지타워") && html.contains("역삼역 도보 3분 업무시설"));
        assert!(html.contains("지상 12층 · 지하 3층") && html.contains("12,345.6㎡"));
        assert!(
            html.contains("src=\"/images/og-default.png\""),
            "the building's photo"
        );
        assert!(!html.contains("비공개빌딩"));
    }
);

backend_test!(
    async fn portfolio_photos_come_from_this_site_only(app: &TestApp) {
        let shown = two_buildings(app).await;
        let (manager, _) = app.signed_in(Role::Manager).await;
        let res = app
            .call(
                &manager,
                "portfolio/set",
                &[
                    ("id", &shown.to_string()),
                    ("show", "on"),
                    ("public_description", ""),
                    ("photo", "https://elsewhere.example/x.jpg"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "photos come from this site only");
    }
);

#[tokio::test]
async fn home_is_small_and_served_compressed_from_the_cache() {
    let backend = backends().remove(0);
    let app = spawn_app(&backend).await;
    let client = reqwest::Client::new();
    let first = client
        .get(app.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(first.headers().get("content-encoding").unwrap(), "br");
    let compressed = first.bytes().await.unwrap().len();
    assert!(
        compressed < 20_000,
        "home page is {compressed} bytes compressed"
    );
    let plain = get(&app, "/").await.1;
    assert!(plain.len() < 100_000);
    assert!(!plain.contains("<script src"), "no script on the home page");
    app.stop().await;
}
