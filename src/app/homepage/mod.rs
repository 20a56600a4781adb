//! The public homepage. For now a placeholder; the homepage issue replaces it.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="둥지 | 빌딩 자산관리 전문 기업" />
        <Meta name="description" content="둥지는 건물주를 대신해 빌딩의 임대·시설·운영을 관리합니다." />
        <main class="mx-auto max-w-3xl px-6 py-24">
            <p class="text-sm font-semibold text-emerald-700">"빌딩 자산관리 · PM · LM · FM"</p>
            <h1 class="mt-3 text-4xl font-bold tracking-tight text-slate-900">
                "건물 관리의 모든 것, 둥지"
            </h1>
            <p class="mt-6 text-lg leading-8 text-slate-600">
                "둥지는 건물주를 대신해 임차인 유치와 계약, 임대료 수납, 관리비와 공과금, 시설 관리까지 책임집니다. "
                "새 홈페이지를 준비하고 있습니다."
            </p>
            <div class="mt-10 flex gap-4">
                <a
                    href="/login"
                    class="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800"
                >
                    "직원·건물주 로그인"
                </a>
            </div>
        </main>
    }
}
