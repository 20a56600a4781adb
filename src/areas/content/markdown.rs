//! Post bodies: Markdown rendered to HTML that is safe to put in a page.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// Markdown → HTML that is safe to put in a page: raw HTML in the source is shown as text, and
/// links or images may only point to http(s), mailto, tel or paths on this site.
pub fn render_markdown(source: &str) -> String {
    // Links may go to the web, mail, phone or this site; images only to this site (the page's
    // Content-Security-Policy allows no other images). `\` would let `/\host` escape the site.
    let local = |u: &str| u.starts_with('/') && !u.starts_with("//") && !u.contains('\\');
    let safe_link = |url: &str| {
        let u = url.trim().to_ascii_lowercase();
        ["https://", "http://", "mailto:", "tel:", "#"]
            .iter()
            .any(|p| u.starts_with(p))
            || local(&u)
    };
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // The page's title is its one <h1>: headings in a post start at <h2>.
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: one_lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(one_lower(level))),
        // An autolinked address: the HTML writer adds `mailto:` itself.
        Event::Start(Tag::Link {
            link_type: LinkType::Email,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type: LinkType::Email,
            dest_url,
            title,
            id,
        }),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_link(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !local(dest_url.trim()) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

fn one_lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_raw_html_is_neutralized() {
        let html = render_markdown(
            "# 제목\n\n**굵게** <script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://doongji.co.kr)",
        );
        assert!(
            html.contains("<h2>제목</h2>"),
            "post headings start below the page's h1: {html}"
        );
        assert!(html.contains("<strong>굵게</strong>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("javascript:"));
        assert!(html.contains("href=\"https://doongji.co.kr\""));
        let img = render_markdown(
            "![a](javascript:x) ![b](https://elsewhere.example/x.png) ![c](/images/ok.svg) <img src=x onerror=alert(1)>",
        );
        assert!(
            !img.contains("javascript:") && !img.contains("elsewhere.example"),
            "{img}"
        );
        assert!(img.contains("src=\"/images/ok.svg\""), "{img}");
        assert!(
            img.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "raw HTML shown as text: {img}"
        );
        let links = render_markdown("<kim@doongji.kr> [x](/\\evil.example)");
        assert!(links.contains("href=\"mailto:kim@doongji.kr\""), "{links}");
        assert!(!links.contains("evil.example\""), "{links}");
    }
}
