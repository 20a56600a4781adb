//! `/login`: a plain HTML form posting to `/api/login`, usable without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn error_text(code: &str) -> Option<&'static str> {
    match code {
        "invalid" => Some("이메일 또는 비밀번호가 올바르지 않습니다."),
        "missing" => Some("이메일과 비밀번호를 모두 입력해 주세요."),
        "inactive" => Some("비활성화된 계정입니다. 관리자에게 문의해 주세요."),
        _ => None,
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let error = error_text(&get("error"));
    let logged_out = get("logged_out") == "1";
    let email = get("email");
    let next = get("next");

    view! {
        <Title text="로그인 | 둥지 플랫폼" />
        <main class="flex min-h-screen items-center justify-center px-4">
            <div class="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
                <h1 class="text-2xl font-bold text-slate-900">"둥지 플랫폼 로그인"</h1>
                <p class="mt-1 text-sm text-slate-500">"직원과 건물주를 위한 관리 플랫폼입니다."</p>
                {logged_out
                    .then(|| {
                        view! {
                            <p class="mt-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800" role="status">
                                "로그아웃되었습니다."
                            </p>
                        }
                    })}
                {error
                    .map(|e| {
                        view! {
                            <p class="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-700" role="alert">
                                {e}
                            </p>
                        }
                    })}
                <form method="post" action="/api/login" class="mt-6 space-y-4">
                    <input type="hidden" name="next" value=next />
                    <div>
                        <label for="email" class="block text-sm font-medium">"이메일"</label>
                        <input
                            id="email"
                            name="email"
                            type="email"
                            autocomplete="username"
                            required
                            value=email
                            class="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
                        />
                    </div>
                    <div>
                        <label for="password" class="block text-sm font-medium">"비밀번호"</label>
                        <input
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                            class="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
                        />
                    </div>
                    <button
                        type="submit"
                        class="w-full rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800"
                    >
                        "로그인"
                    </button>
                </form>
                <p class="mt-6 text-center text-sm">
                    <a href="/" rel="external" class="text-slate-500 hover:underline">"← 홈페이지로"</a>
                </p>
            </div>
        </main>
    }
}
