//! The HTML document around the Leptos app's pages (the platform). The public homepage
//! (`areas/content/site/`) and the sign-in page (`server/auth/login_page.rs`) are made on the
//! server alone and never load the WASM.

use super::App;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags};

/// Paths whose pages are interactive (and so load the WASM).
pub fn is_interactive_path(path: &str) -> bool {
    path == "/platform" || path.starts_with("/platform/")
}

fn request_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|p| p.uri.path().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let interactive = is_interactive_path(&request_path());
    view! {
        <!DOCTYPE html>
        <html lang="ko">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                {interactive
                    .then(|| {
                        view! {
                            <AutoReload options=options.clone() />
                            <HydrationScripts options=options.clone() islands=true />
                        }
                    })}
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-800 antialiased">
                <App />
            </body>
        </html>
    }
}
