//! The public page document: head with title, description, canonical, Open Graph, Twitter and
//! JSON-LD; the header navigation; the footer with the facts a Korean company site must show.

use crate::areas::content::CompanyInfo;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// What every public page needs to know about the site.
#[derive(Clone, Debug)]
pub struct Site {
    pub company: CompanyInfo,
    /// `https://doongji.co.kr` (no trailing slash).
    pub origin: String,
    pub stylesheet: String,
    pub year: i32,
}

impl Site {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}

#[derive(Clone, Debug)]
pub struct PageMeta {
    /// The page's own title; the site name is appended.
    pub title: String,
    pub description: String,
    /// Canonical path (`/news/slug`).
    pub path: String,
    pub og_type: &'static str,
    pub image: Option<String>,
    /// Trail below 홈 for BreadcrumbList: (name, path).
    pub breadcrumbs: Vec<(String, String)>,
    /// Extra JSON-LD (an Article on posts).
    pub json_ld: Vec<serde_json::Value>,
    pub noindex: bool,
}

impl PageMeta {
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        PageMeta {
            title: title.into(),
            description: description.into(),
            path: path.into(),
            og_type: "website",
            image: None,
            breadcrumbs: Vec::new(),
            json_ld: Vec::new(),
            noindex: false,
        }
    }

    pub fn trail(mut self, name: impl Into<String>, path: impl Into<String>) -> Self {
        self.breadcrumbs.push((name.into(), path.into()));
        self
    }
}

const NAV: [(&str, &str); 6] = [
    ("/", "홈"),
    ("/about", "회사소개"),
    ("/services", "서비스"),
    ("/portfolio", "관리 실적"),
    ("/news", "공지사항"),
    ("/contact", "문의하기"),
];

/// `</script>` cannot end a JSON-LD block early once `<` is escaped.
fn json_for_script(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

fn organization(site: &Site) -> serde_json::Value {
    let c = &site.company;
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": c.name,
        "url": site.url("/"),
        "logo": site.url("/favicon.svg"),
        "email": c.email,
        "telephone": c.phone,
        "taxID": c.business_number,
        "address": { "@type": "PostalAddress", "streetAddress": c.address, "addressCountry": "KR" },
    })
}

fn breadcrumb_list(site: &Site, trail: &[(String, String)]) -> serde_json::Value {
    let mut items = vec![
        serde_json::json!({"@type": "ListItem", "position": 1, "name": "홈", "item": site.url("/")}),
    ];
    for (i, (name, path)) in trail.iter().enumerate() {
        items.push(serde_json::json!({"@type": "ListItem", "position": i + 2, "name": name, "item": site.url(path)}));
    }
    serde_json::json!({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
}

fn escape_attr(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn open_graph_tags(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!(r#"<meta property="{k}" content="{}">"#, escape_attr(v)))
        .collect()
}

/// Renders a whole public page to HTML.
pub fn render_document(site: &Site, meta: &PageMeta, body: impl IntoView + 'static) -> String {
    let full_title = if meta.path == "/" {
        format!("{} | {}", site.company.name, meta.title)
    } else {
        format!("{} | {}", meta.title, site.company.name)
    };
    let canonical = site.url(&meta.path);
    let image = site.url(meta.image.as_deref().unwrap_or("/images/og-default.png"));
    let mut ld = vec![organization(site)];
    if !meta.breadcrumbs.is_empty() {
        ld.push(breadcrumb_list(site, &meta.breadcrumbs));
    }
    ld.extend(meta.json_ld.iter().cloned());
    let ld: Vec<String> = ld.iter().map(json_for_script).collect();
    let c = site.company.clone();
    let current = meta.path.clone();
    let robots = if meta.noindex {
        "noindex"
    } else {
        "index, follow"
    };
    let description = meta.description.clone();
    let open_graph = open_graph_tags(&[
        ("og:type", meta.og_type),
        ("og:site_name", &c.name),
        ("og:locale", "ko_KR"),
        ("og:title", &full_title),
        ("og:description", &meta.description),
        ("og:url", &canonical),
        ("og:image", &image),
    ]);
    let stylesheet = site.stylesheet.clone();
    let year = site.year;

    let page = view! {
        <html lang="ko">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{full_title.clone()}</title>
                <meta name="description" content=description.clone() />
                <meta name="robots" content=robots />
                <link rel="canonical" href=canonical.clone() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <meta name="theme-color" content="#047857" />
                <meta name="twitter:card" content="summary_large_image" />
                <meta name="twitter:title" content=full_title />
                <meta name="twitter:description" content=description />
                <meta name="twitter:image" content=image />
                {ld.into_iter().map(|json| view! { <script type="application/ld+json" inner_html=json></script> }).collect_view()}
            </head>
            <body class="flex min-h-screen flex-col break-keep bg-white text-slate-800 antialiased">
                <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:p-2">"본문 바로가기"</a>
                <header class="border-b border-slate-200">
                    <div class="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-5 py-4">
                        <a href="/" class="text-xl font-bold text-emerald-800">{c.name.clone()}</a>
                        <nav aria-label="주 메뉴">
                            <ul class="flex flex-wrap gap-x-4 gap-y-2 text-sm">
                                {NAV
                                    .iter()
                                    .map(|(href, label)| {
                                        let active = if *href == "/" { current == "/" } else { current.starts_with(href) };
                                        view! {
                                            <li>
                                                <a
                                                    href=*href
                                                    class=if active { "font-semibold text-emerald-800 underline underline-offset-4" } else { "text-slate-700 hover:text-emerald-800" }
                                                    aria-current=active.then_some("page")
                                                >
                                                    {*label}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </nav>
                    </div>
                </header>
                <main id="main" class="mx-auto w-full max-w-5xl flex-1 px-5 py-10">{body}</main>
                <footer class="border-t border-slate-200 bg-slate-50 text-sm text-slate-700">
                    <div class="mx-auto max-w-5xl space-y-1 px-5 py-8">
                        <p class="font-semibold text-slate-900">{c.name.clone()}</p>
                        <p>
                            {format!("대표 {} · 사업자등록번호 {}", c.representative, c.business_number)}
                        </p>
                        <p>{format!("주소 {}", c.address)}</p>
                        <p>
                            "전화 " <a href=format!("tel:{}", c.phone) class="underline">{c.phone.clone()}</a>
                            " · 이메일 " <a href=format!("mailto:{}", c.email) class="underline">{c.email.clone()}</a>
                        </p>
                        <p class="pt-2">
                            <a href="/privacy" class="font-semibold underline">"개인정보처리방침"</a>
                            " · "
                            <a href="/login" class="underline">"직원·건물주 로그인"</a>
                        </p>
                        <p class="pt-2 text-slate-600">{format!("© {year} {}. All rights reserved.", c.name)}</p>
                    </div>
                </footer>
            </body>
        </html>
    };
    let html = Owner::new().with(|| page.to_html());
    // `<!>` comments mark text and empty branches for hydration, which these pages never do;
    // left in, one shows in the title (tabs and search results). Text and attributes are
    // escaped, so the only `<!>` in the output are those markers.
    let html = html.replace("<!>", "");
    // The view macro has no `property` attribute, so Open Graph tags are added as text.
    let html = html.replacen("</head>", &format!("{open_graph}</head>"), 1);
    format!("<!DOCTYPE html>{html}")
}
