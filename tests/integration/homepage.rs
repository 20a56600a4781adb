//! The public homepage over HTTP: pages and their metadata for crawlers, sitemap and robots,
//! the inquiry form with and without JavaScript, spam defences, and content edited in the
//! platform showing up at once (the page cache is cleared by every edit).

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

async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let res = reqwest::get(app.url(path)).await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn every_public_page_is_complete_html_for_crawlers() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let mut titles = std::collections::HashSet::new();
        for (path, h1) in PAGES {
            let (status, html) = get(&app, path).await;
            assert_eq!(status, 200, "{path} on {}", backend.name);
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
        let (_, post) = get(&app, "/news/lease-law-guide").await;
        assert!(post.contains("\"@type\":\"Article\""));
        assert!(
            post.contains("<strong>5%를 넘을 수 없고</strong>"),
            "markdown rendered"
        );
        app.stop().await;
    }
}

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

#[tokio::test]
async fn sitemap_follows_publishing_and_pages_follow_edits() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (admin, _) = app.signed_in(Role::Admin).await;
        let (_, sitemap) = get(&app, "/sitemap.xml").await;
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
        // Warm the cache, then publish: the list and the sitemap show the new post at once.
        let (_, news) = get(&app, "/news").await;
        assert!(!news.contains("신규 관리 건물 안내"));
        let res = app
            .call(
                &admin,
                "posts/save",
                &[
                    ("title", "신규 관리 건물 안내"),
                    ("slug", "new-building"),
                    ("summary", "새 건물"),
                    ("body_markdown", "본문입니다."),
                    ("cover_image", ""),
                    ("published", "on"),
                    ("published_at", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", backend.name);
        let id: i64 = res.text().await.unwrap().parse().unwrap();
        let (_, news) = get(&app, "/news").await;
        assert!(
            news.contains("신규 관리 건물 안내"),
            "cache cleared on publish"
        );
        let (_, sitemap) = get(&app, "/sitemap.xml").await;
        assert!(sitemap.contains("/news/new-building</loc>"));

        // Unpublish: gone from the list, the sitemap and its own URL.
        let id = id.to_string();
        let res = app
            .call(
                &admin,
                "posts/save",
                &[
                    ("id", &id),
                    ("title", "신규 관리 건물 안내"),
                    ("slug", "new-building"),
                    ("summary", "새 건물"),
                    ("body_markdown", "본문입니다."),
                    ("cover_image", ""),
                    ("published_at", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let (_, sitemap) = get(&app, "/sitemap.xml").await;
        assert!(!sitemap.contains("/news/new-building</loc>"));
        assert_eq!(get(&app, "/news/new-building").await.0, 404);
        assert!(!get(&app, "/news").await.1.contains("신규 관리 건물 안내"));

        // A future publish time keeps a post hidden until then.
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
        assert_eq!(get(&app, "/news/scheduled").await.0, 404);

        // Company info edited in the platform shows on every page.
        let _ = get(&app, "/about").await;
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
        form.iter_mut()
            .find(|(k, _)| k == "representative")
            .unwrap()
            .1 = "박대표".into();
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(app.call(&admin, "company/save", &pairs).await.status(), 200);
        assert!(get(&app, "/about").await.1.contains("박대표"));
        app.stop().await;
    }
}

#[tokio::test]
async fn invalid_posts_and_company_info_are_refused_by_field() {
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
    let err: doongji::domain::ApiError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    for f in [
        "title",
        "slug",
        "body_markdown",
        "cover_image",
        "published_at",
    ] {
        assert!(err.field_message(f).is_some(), "{f}: {err:?}");
    }
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
    form.iter_mut()
        .find(|(k, _)| k == "business_number")
        .unwrap()
        .1 = "123-45-67890".into();
    form.iter_mut().find(|(k, _)| k == "name").unwrap().1 = "".into();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.call(&admin, "company/save", &pairs).await;
    assert_eq!(res.status(), 422);
    let err: doongji::domain::ApiError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert!(
        err.field_message("business_number").is_some() && err.field_message("name").is_some(),
        "{err:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn content_editing_is_for_staff_and_company_info_for_admins() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let anonymous = app.client();
        let (client, _) = app.signed_in(Role::Client).await;
        let (manager, _) = app.signed_in(Role::Manager).await;
        for endpoint in [
            "posts/list",
            "inquiries/list",
            "inquiries/count-new",
            "portfolio/list",
        ] {
            let form = [("status", "")];
            assert_eq!(
                app.call(&anonymous, endpoint, &form).await.status(),
                401,
                "{endpoint}"
            );
            assert_eq!(
                app.call(&client, endpoint, &form).await.status(),
                403,
                "{endpoint} as client"
            );
            assert_eq!(
                app.call(&manager, endpoint, &form).await.status(),
                200,
                "{endpoint} as manager"
            );
        }
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
            app.call(&manager, "company/get", &[]).await.status(),
            403,
            "company info is admin-only"
        );
        assert_eq!(
            get(&app, "/news/lease-law-guide").await.0,
            200,
            "nothing was deleted"
        );
        app.stop().await;
    }
}

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

#[tokio::test]
async fn an_inquiry_without_javascript_reaches_the_inbox() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let browser = app.client();
        let res = browser
            .post(app.url("/contact"))
            .form(&inquiry(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{}", backend.name);
        assert_eq!(location(&res), "/contact?sent=1");
        let (_, thanks) = get(&app, "/contact?sent=1").await;
        assert!(thanks.contains("문의가 접수되었습니다"));

        let (manager, _) = app.signed_in(Role::Manager).await;
        let count = app
            .call(&manager, "inquiries/count-new", &[])
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(count, "1");
        let inbox: doongji::areas::inquiries::InquiryInbox = serde_json::from_str(
            &app.call(&manager, "inquiries/list", &[("status", "new")])
                .await
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        let item = &inbox.items[0];
        assert_eq!(
            (item.name.as_str(), item.phone.as_str(), item.email.as_str()),
            ("홍길동", "01012345678", "hong@example.com")
        );

        // Follow-up: contacted, assigned, with a note.
        let me = inbox
            .staff
            .iter()
            .find(|s| s.name.contains("매니저"))
            .unwrap()
            .id
            .to_string();
        let id = item.id.to_string();
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
        let inbox: doongji::areas::inquiries::InquiryInbox = serde_json::from_str(
            &app.call(&manager, "inquiries/list", &[("status", "contacted")])
                .await
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(inbox.items[0].notes, "11/26 통화함");
        assert!(inbox.items[0].assignee_name.is_some());
        assert_eq!(
            app.call(&manager, "inquiries/count-new", &[])
                .await
                .text()
                .await
                .unwrap(),
            "0"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn invalid_inquiries_store_nothing_and_keep_the_input() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let res = app
            .client()
            .post(app.url("/contact"))
            .form(&inquiry(&[
                ("phone", "전화주세요"),
                ("email", "not-mail"),
                ("consent", ""),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{}", backend.name);
        let html = res.text().await.unwrap();
        assert!(html.contains("연락처 형식이 올바르지 않습니다"));
        assert!(html.contains("이메일 형식이 올바르지 않습니다"));
        assert!(html.contains("개인정보 수집·이용에 동의해 주세요"));
        assert!(html.contains("value=\"홍길동\""), "input kept");
        assert!(
            html.contains("빌딩 관리 위탁을 상담받고 싶습니다."),
            "message kept"
        );
        assert_eq!(
            doongji::areas::inquiries::store::count_new(&app.state.db)
                .await
                .unwrap(),
            0
        );

        // With JavaScript the same answer comes as JSON for the page to show in place.
        let res = app
            .client()
            .post(app.url("/contact"))
            .header("accept", "application/json")
            .form(&inquiry(&[("message", "")]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(
            body["errors"]["message"]
                .as_str()
                .unwrap()
                .contains("5자 이상")
        );
        let res = app
            .client()
            .post(app.url("/contact"))
            .header("accept", "application/json")
            .form(&inquiry(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["ok"], true);
        assert_eq!(
            doongji::areas::inquiries::store::count_new(&app.state.db)
                .await
                .unwrap(),
            1
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn honeypot_and_rate_limit_stop_spam() {
    for backend in backends() {
        let app = spawn_app_with(
            &backend,
            Options {
                extra: vec![("INQUIRY_MAX_PER_HOUR", "2".into())],
                ..Default::default()
            },
        )
        .await;
        let browser = app.client();
        let res = browser
            .post(app.url("/contact"))
            .form(&inquiry(&[("website", "http://spam.example")]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "a bot is thanked");
        assert_eq!(
            doongji::areas::inquiries::store::count_new(&app.state.db)
                .await
                .unwrap(),
            0,
            "and nothing is stored"
        );

        let res = browser
            .post(app.url("/contact"))
            .form(&inquiry(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let res = browser
            .post(app.url("/contact"))
            .form(&inquiry(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429, "{}", backend.name);
        let html = res.text().await.unwrap();
        assert!(html.contains("분 후에 다시 시도"), "Korean wait message");
        assert!(html.contains("value=\"홍길동\""), "input kept");
        let res = browser
            .post(app.url("/contact"))
            .header("accept", "application/json")
            .form(&inquiry(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429);
        assert_eq!(
            doongji::areas::inquiries::store::count_new(&app.state.db)
                .await
                .unwrap(),
            1
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn portfolio_shows_only_buildings_marked_public() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
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
        let shown = doongji::areas::buildings::store::insert_building(
            &app.state.db,
            &new("둥지타워"),
            None,
        )
        .await
        .unwrap();
        doongji::areas::buildings::store::insert_building(&app.state.db, &new("비공개빌딩"), None)
            .await
            .unwrap();
        assert!(
            get(&app, "/portfolio")
                .await
                .1
                .contains("공개된 관리 실적을 준비하고 있습니다")
        );

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
        assert_eq!(res.status(), 200, "{}", backend.name);
        let (_, html) = get(&app, "/portfolio").await;
        assert!(html.contains("둥지타워") && html.contains("역삼역 도보 3분 업무시설"));
        assert!(html.contains("지상 12층 · 지하 3층") && html.contains("12,345.6㎡"));
        assert!(
            html.contains("src=\"/images/og-default.png\""),
            "the building's photo"
        );
        let res = app
            .call(
                &manager,
                "portfolio/set",
                &[
                    ("id", &id),
                    ("show", "on"),
                    ("public_description", ""),
                    ("photo", "https://elsewhere.example/x.jpg"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "photos come from this site only");
        assert!(!html.contains("비공개빌딩"));
        app.stop().await;
    }
}

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
