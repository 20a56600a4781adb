//! One function per public page: builds its metadata and body and renders the document.

use super::document::{PageMeta, Site, render_document};
use crate::areas::content::{PortfolioItem, PostSummary};
use crate::areas::inquiries::InquiryInput;
use crate::domain::error::FieldErrors;
use crate::domain::measure::format_area;
use leptos::prelude::*;

const H1: &str = "text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl";
const H2: &str = "text-xl font-bold text-slate-900";
const LEAD: &str = "mt-4 text-lg leading-8 text-slate-700";
const BUTTON: &str = "inline-block rounded-md bg-emerald-800 px-5 py-3 font-semibold text-white hover:bg-emerald-900";

fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p class="mt-4 leading-8 text-slate-700">{p}</p> })
        .collect_view()
}

fn post_cards(posts: Vec<PostSummary>) -> impl IntoView {
    view! {
        <ul class="mt-6 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
            {posts
                .into_iter()
                .map(|p| {
                    let href = format!("/news/{}", p.slug);
                    view! {
                        <li class="overflow-hidden rounded-lg border border-slate-200">
                            {p.cover_image.clone().map(|src| view! {
                                <img src=src alt="" width="640" height="360" loading="lazy" decoding="async" class="aspect-video w-full bg-slate-100 object-cover" />
                            })}
                            <div class="p-4">
                                <p class="text-sm text-slate-600"><time datetime=p.published_on.clone()>{p.published_on.clone()}</time></p>
                                <h3 class="mt-1 font-semibold text-slate-900"><a href=href class="hover:underline">{p.title.clone()}</a></h3>
                                <p class="mt-2 text-sm leading-6 text-slate-700">{p.summary.clone()}</p>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

pub fn home_page(site: &Site, posts: Vec<PostSummary>, managed_buildings: usize) -> String {
    let c = site.company.clone();
    let meta = PageMeta::new("빌딩 자산관리 전문 기업", c.tagline.clone(), "/");
    let services = [
        ("PM", "자산관리", c.service_pm.clone()),
        ("LM", "임대관리", c.service_lm.clone()),
        ("FM", "시설관리", c.service_fm.clone()),
    ];
    let body = view! {
        <section class="py-8">
            <p class="text-sm font-semibold text-emerald-800">"빌딩 자산관리 · PM · LM · FM"</p>
            <h1 class=format!("mt-3 {H1}")>"건물 관리의 모든 것, 둥지"</h1>
            <p class=LEAD>{c.tagline.clone()}</p>
            <p class="mt-8 flex flex-wrap gap-4">
                <a href="/contact" class=BUTTON>"관리 상담 신청"</a>
                <a href="/services" class="inline-block rounded-md border border-slate-300 px-5 py-3 font-semibold text-slate-800 hover:bg-slate-50">"서비스 알아보기"</a>
            </p>
        </section>
        <section class="mt-10" aria-labelledby="services-heading">
            <h2 id="services-heading" class=H2>"둥지가 하는 일"</h2>
            <ul class="mt-6 grid gap-6 sm:grid-cols-3">
                {services.into_iter().map(|(code, name, text)| view! {
                    <li class="rounded-lg bg-slate-50 p-5">
                        <h3 class="font-semibold text-slate-900">{format!("{code} · {name}")}</h3>
                        <p class="mt-2 text-sm leading-6 text-slate-700">{text}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        {(managed_buildings > 0).then(|| view! {
            <p class="mt-10 text-slate-700">
                {format!("현재 {managed_buildings}개 건물의 관리 실적을 공개하고 있습니다. ")}
                <a href="/portfolio" class="font-semibold text-emerald-800 underline">"관리 실적 보기"</a>
            </p>
        })}
        <section class="mt-12" aria-labelledby="news-heading">
            <h2 id="news-heading" class=H2>"공지사항"</h2>
            {post_cards(posts)}
            <p class="mt-6"><a href="/news" class="font-semibold text-emerald-800 underline">"공지사항 전체 보기"</a></p>
        </section>
    };
    render_document(site, &meta, body)
}

pub fn about_page(site: &Site) -> String {
    let c = site.company.clone();
    let meta = PageMeta::new("회사소개", format!("{}: {}", c.name, c.tagline), "/about")
        .trail("회사소개", "/about");
    let body = view! {
        <h1 class=H1>"회사소개"</h1>
        <p class=LEAD>{c.tagline.clone()}</p>
        {paragraphs(&c.about)}
        <dl class="mt-8 grid gap-4 rounded-lg bg-slate-50 p-5 text-sm sm:grid-cols-2">
            <div><dt class="text-slate-600">"회사명"</dt><dd class="font-semibold">{c.name.clone()}</dd></div>
            <div><dt class="text-slate-600">"대표자"</dt><dd class="font-semibold">{c.representative.clone()}</dd></div>
            <div><dt class="text-slate-600">"주소"</dt><dd class="font-semibold">{c.address.clone()}</dd></div>
            <div><dt class="text-slate-600">"대표 전화"</dt><dd class="font-semibold">{c.phone.clone()}</dd></div>
        </dl>
    };
    render_document(site, &meta, body)
}

pub fn services_page(site: &Site) -> String {
    let c = site.company.clone();
    let meta = PageMeta::new(
        "서비스",
        "PM(자산관리), LM(임대관리), FM(시설관리): 건물 운영을 한 곳에서 맡기세요.",
        "/services",
    )
    .trail("서비스", "/services");
    let sections = [
        ("pm", "PM · 자산관리", c.service_pm.clone()),
        ("lm", "LM · 임대관리", c.service_lm.clone()),
        ("fm", "FM · 시설관리", c.service_fm.clone()),
    ];
    let body = view! {
        <h1 class=H1>"서비스"</h1>
        <p class=LEAD>"건물주와 맺는 관리 계약의 범위에 따라 세 가지 서비스를 함께 또는 따로 제공합니다."</p>
        {sections.into_iter().map(|(id, title, text)| view! {
            <section id=id class="mt-10" aria-labelledby=format!("{id}-heading")>
                <h2 id=format!("{id}-heading") class=H2>{title}</h2>
                {paragraphs(&text)}
            </section>
        }).collect_view()}
        <p class="mt-12"><a href="/contact" class=BUTTON>"관리 상담 신청"</a></p>
    };
    render_document(site, &meta, body)
}

pub fn portfolio_page(site: &Site, buildings: Vec<PortfolioItem>) -> String {
    let meta = PageMeta::new(
        "관리 실적",
        "둥지가 관리하는 건물의 위치, 용도, 규모를 소개합니다.",
        "/portfolio",
    )
    .trail("관리 실적", "/portfolio");
    let empty = buildings.is_empty();
    let body = view! {
        <h1 class=H1>"관리 실적"</h1>
        <p class=LEAD>"둥지가 관리하고 있는 건물 가운데 건물주께서 공개에 동의하신 건물입니다."</p>
        {empty.then(|| view! { <p class="mt-8 rounded-lg bg-slate-50 p-5 text-slate-700">"공개된 관리 실적을 준비하고 있습니다."</p> })}
        <ul class="mt-8 grid gap-6 sm:grid-cols-2">
            {buildings.into_iter().map(|b| {
                let floors = if b.floors_below > 0 {
                    format!("지상 {}층 · 지하 {}층", b.floors_above, b.floors_below)
                } else {
                    format!("지상 {}층", b.floors_above)
                };
                view! {
                    <li class="overflow-hidden rounded-lg border border-slate-200">
                        {b.photo.clone().map(|src| view! {
                            <img src=src alt=format!("{} 외관", b.name) width="640" height="400" loading="lazy" decoding="async" class="aspect-[16/10] w-full bg-slate-100 object-cover" />
                        })}
                        <div class="p-5">
                            <h2 class="text-lg font-semibold text-slate-900">{b.name.clone()}</h2>
                            <p class="mt-1 text-sm text-slate-600">{b.road_address.clone()}</p>
                            <p class="mt-2 text-sm text-slate-700">{format!("{} · {} · 연면적 {}", b.main_use, floors, format_area(b.total_area_m2))}</p>
                            {(!b.public_description.is_empty()).then(|| view! { <p class="mt-3 text-sm leading-6 text-slate-700">{b.public_description.clone()}</p> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    };
    render_document(site, &meta, body)
}

pub fn news_page(site: &Site, posts: Vec<PostSummary>, page: i64, pages: i64) -> String {
    let path = if page > 1 {
        format!("/news?page={page}")
    } else {
        "/news".to_string()
    };
    let title = if page > 1 {
        format!("공지사항 ({page}쪽)")
    } else {
        "공지사항".to_string()
    };
    let meta =
        PageMeta::new(title, "둥지의 공지사항과 소식을 전합니다.", path).trail("공지사항", "/news");
    let empty = posts.is_empty();
    let body = view! {
        <h1 class=H1>"공지사항"</h1>
        {empty.then(|| view! { <p class="mt-8 text-slate-700">"등록된 글이 없습니다."</p> })}
        {post_cards(posts)}
        {(pages > 1).then(|| view! {
            <nav class="mt-10 flex items-center gap-4" aria-label="쪽 이동">
                {(page > 1).then(|| view! { <a href=format!("/news?page={}", page - 1) rel="prev" class="underline">"이전 쪽"</a> })}
                <span class="text-sm text-slate-600">{format!("{page} / {pages}쪽")}</span>
                {(page < pages).then(|| view! { <a href=format!("/news?page={}", page + 1) rel="next" class="underline">"다음 쪽"</a> })}
            </nav>
        })}
    };
    render_document(site, &meta, body)
}

pub struct PostPage {
    pub summary: PostSummary,
    pub body_html: String,
    /// RFC 3339, for the Article JSON-LD.
    pub published_iso: String,
    pub modified_iso: String,
}

pub fn post_page(site: &Site, post: PostPage) -> String {
    let p = post.summary;
    let path = format!("/news/{}", p.slug);
    let description = if p.summary.is_empty() {
        p.title.clone()
    } else {
        p.summary.clone()
    };
    let mut meta = PageMeta::new(p.title.clone(), description.clone(), path.clone())
        .trail("공지사항", "/news")
        .trail(p.title.clone(), path.clone());
    meta.og_type = "article";
    meta.image = p.cover_image.clone().filter(|c| c.starts_with('/'));
    meta.json_ld.push(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": p.title,
        "description": description,
        "datePublished": post.published_iso,
        "dateModified": post.modified_iso,
        "mainEntityOfPage": site.url(&path),
        "image": p.cover_image.as_deref().map(|c| if c.starts_with('/') { site.url(c) } else { c.to_string() }),
        "author": { "@type": "Organization", "name": site.company.name },
        "publisher": { "@type": "Organization", "name": site.company.name, "logo": { "@type": "ImageObject", "url": site.url("/favicon.svg") } },
    }));
    let body = view! {
        <article>
            <nav aria-label="위치" class="text-sm text-slate-600"><a href="/news" class="underline">"공지사항"</a>" › 글"</nav>
            <h1 class=format!("mt-3 {H1}")>{p.title.clone()}</h1>
            <p class="mt-2 text-sm text-slate-600"><time datetime=p.published_on.clone()>{p.published_on.clone()}</time></p>
            {p.cover_image.clone().map(|src| view! {
                <img src=src alt="" width="1280" height="720" decoding="async" class="mt-6 aspect-video w-full rounded-lg bg-slate-100 object-cover" />
            })}
            <div class="prose mt-8 max-w-none leading-8 [&_h1]:text-2xl [&_h1]:font-bold [&_h2]:mt-8 [&_h2]:text-xl [&_h2]:font-bold [&_li]:ml-5 [&_ul]:list-disc [&_ol]:list-decimal [&_p]:mt-4 [&_a]:text-emerald-800 [&_a]:underline" inner_html=post.body_html></div>
            <p class="mt-12"><a href="/news" class="font-semibold text-emerald-800 underline">"목록으로"</a></p>
        </article>
    };
    render_document(site, &meta, body)
}

/// The state of the inquiry form: what was typed and what was wrong, or that it was sent.
#[derive(Default)]
pub struct ContactForm {
    pub values: InquiryInput,
    pub errors: FieldErrors,
    pub sent: bool,
    pub rate_limited: Option<String>,
}

pub fn contact_page(site: &Site, form: ContactForm) -> String {
    let c = site.company.clone();
    let mut meta = PageMeta::new(
        "문의하기",
        "건물 관리 상담과 관리 문의를 남겨 주시면 담당 매니저가 연락드립니다.",
        "/contact",
    )
    .trail("문의하기", "/contact");
    meta.noindex = form.sent || !form.errors.is_empty();
    let v = form.values;
    let errors = form.errors;
    let err = |f: &str| errors.get(f).cloned();
    let field_class = |f: &str| {
        if errors.contains_key(f) {
            "mt-1 w-full rounded-md border border-red-600 px-3 py-2"
        } else {
            "mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
        }
    };
    let has_errors = !errors.is_empty();
    let text_field = |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      value: String,
                      required: bool,
                      autocomplete: &'static str| {
        let e = err(name);
        let described = e.as_ref().map(|_| format!("{name}-error"));
        view! {
            <div>
                <label for=name class="block text-sm font-semibold">{label}{required.then_some(" (필수)")}</label>
                <input id=name name=name type=kind value=value required=required autocomplete=autocomplete
                    aria-invalid=e.is_some().then_some("true") aria-describedby=described class=field_class(name) />
                <p id=format!("{name}-error") class="mt-1 text-sm text-red-700" data-error-for=name>{e}</p>
            </div>
        }
    };
    let message_error = err("message");
    let consent_error = err("consent");
    let body = view! {
        <h1 class=H1>"문의하기"</h1>
        <p class=LEAD>"건물 관리 상담이나 관리 중인 건물에 관한 문의를 남겨 주세요. 영업일 기준 하루 안에 연락드립니다."</p>
        <p class="mt-2 text-slate-700">{format!("전화 문의: {} (평일 09:00–18:00)", c.phone)}</p>
        <div id="contact-status" role="status" aria-live="polite" class="mt-6">
            {form.sent.then(|| view! { <p class="rounded-md bg-emerald-50 p-4 text-emerald-900">"문의가 접수되었습니다. 담당 매니저가 곧 연락드리겠습니다."</p> })}
            {form.rate_limited.map(|m| view! { <p class="rounded-md bg-red-50 p-4 text-red-800">{m}</p> })}
            {has_errors.then(|| view! { <p class="rounded-md bg-red-50 p-4 text-red-800">"입력 내용을 확인해 주세요."</p> })}
        </div>
        <form id="contact-form" method="post" action="/contact" novalidate class="mt-6 grid gap-5 sm:grid-cols-2">
            {text_field("name", "성함", "text", v.name.clone(), true, "name")}
            {text_field("company", "회사명", "text", v.company.clone(), false, "organization")}
            {text_field("phone", "연락처", "tel", v.phone.clone(), true, "tel")}
            {text_field("email", "이메일", "email", v.email.clone(), true, "email")}
            <div class="sm:col-span-2">{text_field("area", "건물 주소 또는 지역", "text", v.area.clone(), false, "street-address")}</div>
            <div class="sm:col-span-2">
                <label for="message" class="block text-sm font-semibold">"문의 내용 (필수)"</label>
                <textarea id="message" name="message" rows="6" required
                    aria-invalid=message_error.is_some().then_some("true")
                    aria-describedby=message_error.as_ref().map(|_| "message-error")
                    class=field_class("message")>{v.message.clone()}</textarea>
                <p id="message-error" class="mt-1 text-sm text-red-700" data-error-for="message">{message_error.clone()}</p>
            </div>
            <div class="absolute -left-[9999px] h-px w-px overflow-hidden" aria-hidden="true">
                <label for="website">"웹사이트 (비워 두세요)"</label>
                <input id="website" name="website" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <div class="sm:col-span-2">
                <p class="rounded-md bg-slate-50 p-4 text-sm leading-6 text-slate-700">
                    "수집 항목: 성함, 회사명, 연락처, 이메일, 건물 주소, 문의 내용 · 목적: 문의 응대 · 보유 기간: 문의 종결 후 1년. "
                    <a href="/privacy" class="underline">"개인정보처리방침 보기"</a>
                </p>
                <label class="mt-3 flex items-center gap-2">
                    <input type="checkbox" name="consent" value="on" checked=v.consent.is_some() required
                        aria-describedby=consent_error.as_ref().map(|_| "consent-error") class="h-5 w-5" />
                    <span class="text-sm font-semibold">"개인정보 수집·이용에 동의합니다 (필수)"</span>
                </label>
                <p id="consent-error" class="mt-1 text-sm text-red-700" data-error-for="consent">{consent_error.clone()}</p>
            </div>
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON>"문의 보내기"</button>
            </div>
        </form>
        <script src="/contact.js" defer></script>
    };
    render_document(site, &meta, body)
}

pub fn privacy_page(site: &Site) -> String {
    let c = site.company.clone();
    let meta = PageMeta::new(
        "개인정보처리방침",
        format!("{}의 개인정보처리방침입니다.", c.name),
        "/privacy",
    )
    .trail("개인정보처리방침", "/privacy");
    let items = [
        (
            "1. 수집하는 개인정보 항목",
            "문의하기: 성함, 회사명, 연락처, 이메일, 건물 주소 또는 지역, 문의 내용. 플랫폼 이용: 이름, 이메일, 접속 기록.",
        ),
        (
            "2. 수집·이용 목적",
            "관리 상담과 문의 응대, 관리 계약의 이행, 건물 운영 관련 안내 발송.",
        ),
        (
            "3. 보유 및 이용 기간",
            "문의 정보는 문의 종결 후 1년, 계약 관련 정보는 관계 법령이 정한 기간 동안 보관한 뒤 지체 없이 파기합니다.",
        ),
        (
            "4. 제3자 제공",
            "법령에 근거가 있거나 정보주체가 동의한 경우 외에는 개인정보를 제3자에게 제공하지 않습니다.",
        ),
        (
            "5. 처리 위탁",
            "알림톡·문자 발송을 위해 메시지 발송 대행사에 연락처와 발송 내용을 위탁합니다.",
        ),
        (
            "6. 정보주체의 권리",
            "언제든지 개인정보의 열람, 정정, 삭제, 처리 정지를 요구할 수 있으며, 아래 연락처로 요청하시면 지체 없이 처리합니다.",
        ),
        (
            "7. 안전성 확보 조치",
            "비밀번호의 일방향 암호화, 접근 권한 관리, 접속 기록 보관, 전송 구간 암호화를 시행합니다.",
        ),
    ];
    let body = view! {
        <h1 class=H1>"개인정보처리방침"</h1>
        <p class=LEAD>{format!("{}(이하 \"회사\")는 개인정보 보호법에 따라 정보주체의 개인정보를 보호하고 관련 고충을 신속하게 처리하기 위해 다음과 같이 개인정보처리방침을 둡니다.", c.name)}</p>
        {items.into_iter().map(|(h, t)| view! {
            <section class="mt-8"><h2 class=H2>{h}</h2><p class="mt-3 leading-8 text-slate-700">{t}</p></section>
        }).collect_view()}
        <section class="mt-8">
            <h2 class=H2>"8. 개인정보 보호책임자"</h2>
            <p class="mt-3 leading-8 text-slate-700">{format!("책임자: 대표 {} · 전화 {} · 이메일 {}", c.representative, c.phone, c.email)}</p>
        </section>
    };
    render_document(site, &meta, body)
}

pub fn not_found_page(site: &Site, path: &str) -> String {
    let mut meta = PageMeta::new(
        "페이지를 찾을 수 없습니다",
        "요청하신 페이지를 찾을 수 없습니다.",
        path.to_string(),
    );
    meta.noindex = true;
    let body = view! {
        <h1 class=H1>"페이지를 찾을 수 없습니다"</h1>
        <p class=LEAD>"주소가 바뀌었거나 삭제된 페이지입니다. 아래에서 찾으시는 내용을 골라 보세요."</p>
        <ul class="mt-6 list-disc space-y-2 pl-6">
            <li><a href="/" class="underline">"홈"</a></li>
            <li><a href="/services" class="underline">"서비스 안내"</a></li>
            <li><a href="/news" class="underline">"공지사항"</a></li>
            <li><a href="/contact" class="underline">"문의하기"</a></li>
        </ul>
    };
    render_document(site, &meta, body)
}
