//! `/platform/admin/users`: the admin lists, creates, deactivates and reactivates users,
//! changes roles and resets passwords.

use super::api::{ChangeUserRole, CreateUser, ResetUserPassword, SetUserActive, list_users};
use crate::app::ui::{ErrorBox, FieldError, INPUT, action_error, field_error};
use crate::domain::{Role, UserDto};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let change_role = ServerAction::<ChangeUserRole>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let users = Resource::new(|| (), |_| list_users());
    let create_value = create.value();
    let err = move |f| field_error(create_value, f);
    let last_action_error = move || {
        [
            set_active.value().get().and_then(|r| r.err()),
            change_role.value().get().and_then(|r| r.err()),
            reset.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    };

    view! {
        <Title text="사용자 관리 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"사용자 관리"</h1>

        <section class="mt-6 rounded-lg bg-white p-5 ring-1 ring-slate-200" aria-labelledby="new-user">
            <h2 id="new-user" class="text-lg font-semibold">"새 사용자"</h2>
            <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-2">
                <label class="block text-sm">"이메일"
                    <input name="email" type="email" required class=INPUT />
                    <FieldError message=err("email") />
                </label>
                <label class="block text-sm">"이름"
                    <input name="name" required class=INPUT />
                    <FieldError message=err("name") />
                </label>
                <label class="block text-sm">"역할"
                    <select name="role" class=INPUT>
                        <option value="manager">"매니저"</option>
                        <option value="client">"건물주"</option>
                        <option value="admin">"관리자"</option>
                    </select>
                    <FieldError message=err("role") />
                </label>
                <label class="block text-sm">"초기 비밀번호"
                    <input name="password" type="password" autocomplete="new-password" required class=INPUT />
                    <FieldError message=err("password") />
                </label>
                <div class="sm:col-span-2 flex items-center gap-4">
                    <button type="submit" class="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800">
                        "사용자 만들기"
                    </button>
                    {action_error(move || create_value.get())}
                </div>
            </ActionForm>
        </section>

        {move || last_action_error().map(|e| view! { <div class="mt-4"><ErrorBox error=e /></div> })}

        <section class="mt-6 overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
            <Transition fallback=|| view! { <p class="p-5">"불러오는 중…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! { <UserTable users=list set_active change_role reset /> }.into_any(),
                        Err(e) => view! { <div class="p-5"><ErrorBox error=e /></div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UserTable(
    users: Vec<UserDto>,
    set_active: ServerAction<SetUserActive>,
    change_role: ServerAction<ChangeUserRole>,
    reset: ServerAction<ResetUserPassword>,
) -> impl IntoView {
    view! {
        <table class="min-w-full text-sm">
            <thead class="bg-slate-50 text-left text-slate-500">
                <tr>
                    <th class="px-4 py-2">"이름"</th>
                    <th class="px-4 py-2">"이메일"</th>
                    <th class="px-4 py-2">"역할"</th>
                    <th class="px-4 py-2">"상태"</th>
                    <th class="px-4 py-2">"등록일"</th>
                    <th class="px-4 py-2">"작업"</th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|u| {
                        let id = u.id.0.to_string();
                        let (id_active, id_role) = (id.clone(), id.clone());
                        let row_id = format!("user-{}", u.id.0);
                        view! {
                            <tr id=row_id class="border-t border-slate-100 align-top" data-email=u.email.clone()>
                                <td class="px-4 py-2 font-medium">{u.name.clone()}</td>
                                <td class="px-4 py-2">{u.email.clone()}</td>
                                <td class="px-4 py-2">{u.role.label_ko()}</td>
                                <td class="px-4 py-2">
                                    {if u.active {
                                        view! { <span class="text-emerald-700">"활성"</span> }.into_any()
                                    } else {
                                        view! { <span class="text-slate-400">"비활성"</span> }.into_any()
                                    }}
                                </td>
                                <td class="px-4 py-2 text-slate-500">{u.created_at.clone()}</td>
                                <td class="space-y-2 px-4 py-2">
                                    <ActionForm action=set_active attr:class="inline">
                                        <input type="hidden" name="id" value=id_active />
                                        <input type="hidden" name="active" value=(!u.active).to_string() />
                                        <button type="submit" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
                                            {if u.active { "비활성화" } else { "다시 활성화" }}
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=change_role attr:class="flex gap-1">
                                        <input type="hidden" name="id" value=id_role />
                                        <select name="role" aria-label="역할" class="rounded border border-slate-300 px-1">
                                            {Role::ALL
                                                .iter()
                                                .map(|r| view! { <option value=r.as_str() selected=*r == u.role>{r.label_ko()}</option> })
                                                .collect_view()}
                                        </select>
                                        <button type="submit" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">"역할 변경"</button>
                                    </ActionForm>
                                    <ActionForm action=reset attr:class="flex gap-1">
                                        <input type="hidden" name="id" value=id />
                                        <input name="password" type="password" autocomplete="new-password" placeholder="새 비밀번호" aria-label="새 비밀번호" class="w-36 rounded border border-slate-300 px-2" />
                                        <button type="submit" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">"비밀번호 재설정"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `/platform/account` (내 계정): anyone signed in changes their own password here.
#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<super::api::ChangeOwnPassword>::new();
    let value = change.value();
    let err = move |f| field_error(value, f);
    view! {
        <Title text="내 계정 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"내 계정"</h1>
        <section class="mt-6 max-w-lg rounded-lg bg-white p-5 ring-1 ring-slate-200" aria-labelledby="password-change">
            <h2 id="password-change" class="text-lg font-semibold">"비밀번호 변경"</h2>
            <p class="mt-1 text-sm text-slate-600">
                "바꾸면 이 브라우저를 뺀 다른 기기의 로그인은 모두 끝납니다. 서로 관계없는 단어 서너 개를 이어 붙인 10자 이상의 비밀번호를 권합니다."
            </p>
            <ActionForm action=change attr:class="mt-4 grid gap-4">
                <label class="block text-sm">"현재 비밀번호"
                    <input name="current_password" type="password" autocomplete="current-password" required class=INPUT />
                    <FieldError message=err("current_password") />
                </label>
                <label class="block text-sm">"새 비밀번호"
                    <input name="new_password" type="password" autocomplete="new-password" minlength="10" maxlength="128" required class=INPUT />
                    <FieldError message=err("new_password") />
                </label>
                <label class="block text-sm">"새 비밀번호 확인"
                    <input name="new_password_confirm" type="password" autocomplete="new-password" required class=INPUT />
                    <FieldError message=err("new_password_confirm") />
                </label>
                <div>
                    <button type="submit" class="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800">"비밀번호 변경"</button>
                </div>
            </ActionForm>
        </section>
    }
}
