//! The one route table of the app.

use super::login::LoginPage;
use super::platform::{Dashboard, PlatformLayout, users::UsersPage};
use super::ui::NotFound;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, after hydration: browser tests wait for this mark.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("/platform") view=PlatformLayout>
                    <Route path=path!("") view=Dashboard />
                    <Route path=path!("admin/users") view=UsersPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
