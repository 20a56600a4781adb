//! The homepage's content in the platform: posts (list and editor), company info, and which
//! buildings the public portfolio shows.

use super::api::{
    DeletePost, SaveCompany, SavePost, SetBuildingPublic, get_company, get_post,
    list_portfolio_buildings, list_posts,
};
use super::{CompanyInfo, PostInput};
use crate::app::ui::{ErrorBox, FieldError, INPUT, action_error, field_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PostsPage() -> impl IntoView {
    let posts = Resource::new(|| (), |_| list_posts());
    view! {
        <Title text="홈페이지 글 | 둥지 플랫폼" />
        <div class="flex items-center justify-between">
            <h1 class="text-2xl font-bold">"홈페이지 글"</h1>
            <A href="/platform/content/posts/new" attr:class="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800">"새 글 쓰기"</A>
        </div>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match posts.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(list) => view! {
                        <table class="mt-6 min-w-full rounded-lg bg-white text-sm ring-1 ring-slate-200">
                            <thead class="bg-slate-50 text-left text-slate-500">
                                <tr><th class="px-4 py-2">"제목"</th><th class="px-4 py-2">"주소"</th><th class="px-4 py-2">"게시일"</th><th class="px-4 py-2">"상태"</th></tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|p| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class="px-4 py-2"><A href=format!("/platform/content/posts/{}", p.id) attr:class="font-medium text-emerald-800 hover:underline">{p.title.clone()}</A></td>
                                        <td class="px-4 py-2 text-slate-500">{format!("/news/{}", p.slug)}</td>
                                        <td class="px-4 py-2">{p.published_on.clone()}</td>
                                        <td class="px-4 py-2">{if p.published { "게시" } else { "임시저장" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PostEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    // Nothing to load for a new post, but only staff may write one.
    let staff = crate::app::ui::is_staff();
    #[cfg(feature = "ssr")]
    if !staff
        && id().is_none()
        && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
    {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    let post = Resource::new(id, move |id| async move {
        match id {
            Some(id) => get_post(id).await,
            None if staff => Ok(PostInput::default()),
            None => Err(crate::domain::ApiError::Forbidden),
        }
    });
    view! {
        <Title text="글 편집 | 둥지 플랫폼" />
        <p><A href="/platform/content/posts" attr:class="text-sm text-emerald-800 hover:underline">"← 홈페이지 글 목록"</A></p>
        <h1 class="mt-2 text-2xl font-bold">{move || if id().is_some() { "글 수정" } else { "새 글 쓰기" }}</h1>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match post.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(input) => view! { <PostForm id=id() input /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PostForm(id: Option<i64>, input: PostInput) -> impl IntoView {
    let save = ServerAction::<SavePost>::new();
    let delete = ServerAction::<DeletePost>::new();
    let value = save.value();
    let err = move |f| field_error(value, f);
    view! {
        <ActionForm action=save attr:class="mt-6 grid gap-4 rounded-lg bg-white p-5 ring-1 ring-slate-200">
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <label class="block text-sm">"제목"
                <input name="title" value=input.title class=INPUT />
                <FieldError message=err("title") />
            </label>
            <label class="block text-sm">"주소(slug) — /news/ 뒤에 붙는 영문 주소"
                <input name="slug" value=input.slug class=INPUT placeholder="2026-winter-notice" />
                <FieldError message=err("slug") />
            </label>
            <label class="block text-sm">"요약 (목록과 검색 결과에 보입니다)"
                <input name="summary" value=input.summary class=INPUT />
                <FieldError message=err("summary") />
            </label>
            <label class="block text-sm">"본문 (마크다운)"
                <textarea name="body_markdown" rows="12" class=format!("{INPUT} font-mono")>{input.body_markdown}</textarea>
                <FieldError message=err("body_markdown") />
            </label>
            <label class="block text-sm">"표지 이미지 (/images/…처럼 이 사이트의 경로)"
                <input name="cover_image" value=input.cover_image class=INPUT />
                <FieldError message=err("cover_image") />
            </label>
            <div class="grid gap-4 sm:grid-cols-2">
                <label class="block text-sm">"게시 일시 (비우면 지금)"
                    <input name="published_at" type="datetime-local" value=input.published_at class=INPUT />
                    <FieldError message=err("published_at") />
                </label>
                <label class="mt-6 flex items-center gap-2 text-sm">
                    <input type="checkbox" name="published" value="on" checked=input.published class="h-5 w-5" />
                    "홈페이지에 게시"
                </label>
            </div>
            <div class="flex items-center gap-4">
                <button type="submit" class="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800">"저장"</button>
                {action_error(move || value.get())}
            </div>
        </ActionForm>
        {id.map(|id| view! {
            <ActionForm action=delete attr:class="mt-4">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50">"이 글 삭제"</button>
                {action_error(move || delete.value().get())}
            </ActionForm>
        })}
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let save = ServerAction::<SaveCompany>::new();
    let company = Resource::new(|| (), |_| get_company());
    let value = save.value();
    view! {
        <Title text="회사 정보 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"회사 정보와 서비스 소개"</h1>
        <p class="mt-1 text-sm text-slate-600">"홈페이지의 회사소개, 서비스, 하단 정보에 그대로 보입니다."</p>
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match company.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(info) => view! {
                        <ActionForm action=save attr:class="mt-6 grid gap-4 rounded-lg bg-white p-5 ring-1 ring-slate-200">
                            {CompanyInfo::FIELDS.iter().map(|(key, label)| {
                                let key = *key;
                                let long = matches!(key, "about" | "service_pm" | "service_lm" | "service_fm");
                                let current = info.get(key).to_string();
                                view! {
                                    <label class="block text-sm">{*label}
                                        {if long {
                                            view! { <textarea name=key rows="4" class=INPUT>{current}</textarea> }.into_any()
                                        } else {
                                            view! { <input name=key value=current class=INPUT /> }.into_any()
                                        }}
                                        <FieldError message=field_error(value, key) />
                                    </label>
                                }
                            }).collect_view()}
                            <div class="flex items-center gap-4">
                                <button type="submit" class="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800">"저장"</button>
                                {action_error(move || value.get())}
                            </div>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let set = ServerAction::<SetBuildingPublic>::new();
    let buildings = Resource::new(|| (), |_| list_portfolio_buildings());
    view! {
        <Title text="관리 실적 공개 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"관리 실적 공개"</h1>
        <p class="mt-1 text-sm text-slate-600">"건물주가 동의한 건물만 홈페이지 ‘관리 실적’에 공개하세요."</p>
        {move || set.value().get().and_then(|r| r.err()).map(|e| view! { <div class="mt-4"><ErrorBox error=e /></div> })}
        <Transition fallback=|| view! { <p class="mt-6">"불러오는 중…"</p> }>
            {move || Suspend::new(async move {
                match buildings.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="mt-6 text-slate-600">"등록된 건물이 없습니다."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-6 space-y-3">
                            {list.into_iter().map(|b| view! {
                                <li class="rounded-lg bg-white p-4 ring-1 ring-slate-200">
                                    <p class="font-semibold">{b.name.clone()}<span class="ml-2 text-sm font-normal text-slate-500">{b.road_address.clone()}</span></p>
                                    <ActionForm action=set attr:class="mt-2 flex flex-wrap items-center gap-3">
                                        <input type="hidden" name="id" value=b.id.to_string() />
                                        <label class="flex items-center gap-2 text-sm">
                                            <input type="checkbox" name="show" value="on" checked=b.show_on_homepage class="h-5 w-5" />
                                            "홈페이지에 공개"
                                        </label>
                                        <input name="public_description" value=b.public_description.clone() placeholder="공개 설명" aria-label="공개 설명" class="min-w-64 flex-1 rounded border border-slate-300 px-2 py-1 text-sm" />
                                        <input name="photo" value=b.photo.clone() placeholder="사진 경로 (/images/…)" aria-label="사진 경로" class="w-56 rounded border border-slate-300 px-2 py-1 text-sm" />
                                        <button type="submit" class="rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-emerald-800">"저장"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
