//! The staff and client platform's layout: navigation, the signed-in user, and the dashboard.
//! Each area's pages live in its folder under `src/areas/`.

use super::enhance::Enhanced;
use crate::areas::users::api::platform_session;
use crate::domain::{Role, UserDto};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet};

/// Areas still to come appear in the navigation, marked as not yet available.
const UPCOMING_AREAS: [&str; 3] = ["이슈", "메시지", "설정"];

#[component]
pub fn PlatformLayout() -> impl IntoView {
    let me = Resource::new_blocking(|| (), |_| platform_session());
    view! {
        <Suspense fallback=|| view! { <p class="p-8">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(session)) => view! { <Shell user=session.user new_inquiries=session.new_inquiries /> }.into_any(),
                    Ok(None) => {
                        view! {
                            <main class="p-8">
                                <p>"로그인이 필요합니다. " <a href="/login" rel="external" class="text-emerald-700 underline">"로그인"</a></p>
                            </main>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <main class="p-8"><crate::app::ui::ErrorBox error=e /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Shell(user: UserDto, new_inquiries: i64) -> impl IntoView {
    let is_admin = user.role == Role::Admin;
    let is_staff = user.role.is_staff();
    const LINK: &str =
        "block rounded px-3 py-2 hover:bg-slate-800 aria-[current=page]:bg-slate-700";
    let user = StoredValue::new(user);
    provide_context(user);
    // The one-time message of the form sent just before ("저장했습니다.").
    #[cfg(feature = "ssr")]
    let flash = crate::server::context::take_flash();
    #[cfg(not(feature = "ssr"))]
    let flash: Option<String> = None;
    view! {
        <div class="flex min-h-screen">
            <nav class="w-56 shrink-0 bg-slate-900 text-slate-100" aria-label="플랫폼 메뉴">
                <a href="/platform" class="block px-5 py-5 text-lg font-bold">"둥지 플랫폼"</a>
                <ul class="space-y-1 px-3 text-sm">
                    <li><A href="/platform" exact=true attr:class="block rounded px-3 py-2 hover:bg-slate-800 aria-[current=page]:bg-slate-700">"대시보드"</A></li>
                    <li><A href="/platform/clients" attr:class=LINK>{if is_staff { "고객" } else { "내 정보" }}</A></li>
                    <li><A href="/platform/buildings" attr:class=LINK>"건물"</A></li>
                    <li><A href="/platform/contracts" attr:class=LINK>"관리 계약"</A></li>
                    <li><A href="/platform/leases" attr:class=LINK>"임대 계약"</A></li>
                    <li><A href="/platform/tenants" attr:class=LINK>"임차인"</A></li>
                    <li><A href="/platform/billing" attr:class=LINK>"청구·수납"</A></li>
                    <li><A href="/platform/expenses" attr:class=LINK>"지출"</A></li>
                    <li><A href="/platform/utilities" attr:class=LINK>"공과금·검침"</A></li>
                    {UPCOMING_AREAS
                        .iter()
                        .map(|area| {
                            view! {
                                <li class="flex items-center justify-between px-3 py-2 text-slate-500" aria-disabled="true">
                                    <span>{*area}</span>
                                    <span class="rounded bg-slate-800 px-1.5 text-xs">"준비 중"</span>
                                </li>
                            }
                        })
                        .collect_view()}
                    {is_staff.then(|| view! {
                        <li class="pt-4 px-3 text-xs font-semibold uppercase text-slate-400">"홈페이지"</li>
                        <li><A href="/platform/inquiries" attr:class=LINK>"문의함"{(new_inquiries > 0).then(|| view! {
                            <span class="ml-2 rounded-full bg-emerald-600 px-2 text-xs font-semibold text-white" data-testid="new-inquiries" aria-label=format!("새 문의 {new_inquiries}건")>{new_inquiries}</span>
                        })}</A></li>
                        <li><A href="/platform/content/posts" attr:class=LINK>"홈페이지 글"</A></li>
                        <li><A href="/platform/content/portfolio" attr:class=LINK>"관리 실적 공개"</A></li>
                    })}
                    {is_admin
                        .then(|| {
                            view! {
                                <li class="pt-4 px-3 text-xs font-semibold uppercase text-slate-400">"관리"</li>
                                <li><A href="/platform/content/company" attr:class=LINK>"회사 정보"</A></li>
                                <li><A href="/platform/admin/users" attr:class=LINK>"사용자 관리"</A></li>
                                <li><A href="/platform/admin/audit" attr:class=LINK>"감사 로그"</A></li>
                                <li><A href="/platform/admin/jobs" attr:class=LINK>"예약 작업"</A></li>
                                <li><A href="/platform/admin/queue" attr:class=LINK>"작업 대기열"</A></li>
                                <li><A href="/platform/admin/backups" attr:class=LINK>"백업"</A></li>
                            }
                        })}
                </ul>
            </nav>
            <div class="flex-1">
                <header class="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-6 py-3 text-sm">
                    <span data-testid="signed-in-user">
                        <strong>{user.with_value(|u| u.name.clone())}</strong>
                        " · "
                        <span class="text-slate-500">{user.with_value(|u| u.role.label_ko())}</span>
                    </span>
                    <A href="/platform/account" attr:class="text-slate-600 underline-offset-2 hover:underline">"내 계정"</A>
                    <form method="post" action="/api/logout">
                        <button type="submit" class="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100">
                            "로그아웃"
                        </button>
                    </form>
                </header>
                <div class="p-6">
                    {flash.map(|m| view! {
                        <p class="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800" role="status" data-testid="flash">{m}</p>
                    })}
                    <Enhanced>
                        <Outlet />
                    </Enhanced>
                </div>
            </div>
        </div>
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let user = use_context::<StoredValue<UserDto>>();
    let name = user
        .map(|u| u.with_value(|u| u.name.clone()))
        .unwrap_or_default();
    view! {
        <Title text="대시보드 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"대시보드"</h1>
        <p class="mt-2 text-slate-600">{format!("{name}님, 안녕하세요.")}</p>
        <p class="mt-6 text-sm text-slate-500">
            "청구, 이슈, 메시지 메뉴는 순서대로 열릴 예정입니다."
        </p>
        <crate::areas::audit::pages::RecentActivity />
    }
}
