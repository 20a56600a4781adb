//! Client pages: the list with its filters and the register form, and a client with its
//! correction form, linked users, buildings and management contracts.

use super::ClientInput;
use super::api::{
    CreateClient, LinkClientUser, UnlinkClientUser, UpdateClient, get_client, list_clients,
};
use crate::app::ui::{
    BUTTON, CARD, ErrorBox, FILTER, FILTER_SUBMIT, FieldError, INPUT, LOADING, ListFooter,
    SelectFilter, TABLE, TD, TH, action_error, choices, field_error, is_staff, param_id,
    use_list_query,
};
use crate::domain::money::format_won;
use crate::domain::validation::kind_label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ClientsPage() -> impl IntoView {
    let query = use_list_query();
    let create = ServerAction::<CreateClient>::new();
    let clients = Resource::new(move || query.get(), list_clients);
    let value = create.value();
    let q0 = query.get_untracked();
    view! {
        <Title text="고객 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"고객 (건물주)"</h1>
        <form method="get" action="/platform/clients" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <label>"이름·사업자번호 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("", "이름 순"), ("recent", "최근 등록 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE>
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class=TH>"고객"</th><th class=TH>"구분"</th><th class=TH>"사업자등록번호"</th><th class=TH>"대표자"</th><th class=TH>"연락처"</th><th class=TH>"건물"</th><th class=TH>"사용자"</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|c| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/clients/{}", c.id) attr:class="font-medium text-emerald-800 hover:underline">{c.name}</A></td>
                                        <td class=TD>{kind_label(&c.kind)}</td>
                                        <td class=TD>{c.business_number.unwrap_or_default()}</td>
                                        <td class=TD>{c.representative}</td>
                                        <td class=TD>{c.contact_phone}</td>
                                        <td class=TD>{c.buildings}</td>
                                        <td class=TD>{c.users}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/clients" export="clients" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
        {is_staff().then(|| view! {
            <section class=CARD aria-labelledby="new-client">
                <h2 id="new-client" class="text-lg font-semibold">"고객 등록"</h2>
                <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    {client_fields(ClientInput { kind: "company".into(), ..Default::default() }, value)}
                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"고객 등록"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
        })}
    }
}

/// The client form's fields, filled with `c` (empty for a new client).
fn client_fields<T, S>(c: ClientInput, value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, crate::domain::ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let err = move |f| field_error(value, f);
    view! {
        <label class="block text-sm">"구분"
            <select name="kind" class=INPUT>
                <option value="company" selected=c.kind == "company">"법인·사업자"</option>
                <option value="person" selected=c.kind == "person">"개인"</option>
            </select>
        </label>
        <label class="block text-sm">"고객 이름(상호)"<input name="name" value=c.name class=INPUT /><FieldError message=err("name") /></label>
        <label class="block text-sm">"사업자등록번호"<input name="business_number" value=c.business_number class=INPUT placeholder="123-45-67890" /><FieldError message=err("business_number") /></label>
        <label class="block text-sm">"대표자"<input name="representative" value=c.representative class=INPUT /><FieldError message=err("representative") /></label>
        <label class="block text-sm">"연락처"<input name="contact_phone" value=c.contact_phone class=INPUT placeholder="02-1234-5678" /><FieldError message=err("contact_phone") /></label>
        <label class="block text-sm">"이메일"<input name="contact_email" type="email" value=c.contact_email class=INPUT /><FieldError message=err("contact_email") /></label>
    }
}

#[component]
pub fn ClientPage() -> impl IntoView {
    let id = param_id();
    let link = ServerAction::<LinkClientUser>::new();
    let unlink = ServerAction::<UnlinkClientUser>::new();
    let edit = ServerAction::<UpdateClient>::new();
    let client = Resource::new(id, get_client);
    let edit_value = edit.value();
    let staff = is_staff();
    let link_value = link.value();
    view! {
        <Title text="고객 상세 | 둥지 플랫폼" />
        <p><A href="/platform/clients" attr:class="text-sm text-emerald-800 hover:underline">"← 고객 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match client.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(d) => {
                        let c = d.client;
                        let cid = c.id;
                        view! {
                            <h1 class="mt-2 text-2xl font-bold">{c.name.clone()}</h1>
                            <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3">
                                <div><dt class="text-slate-500">"구분"</dt><dd>{kind_label(&c.kind)}</dd></div>
                                <div><dt class="text-slate-500">"사업자등록번호"</dt><dd>{c.business_number.clone().unwrap_or_else(|| "-".into())}</dd></div>
                                <div><dt class="text-slate-500">"대표자"</dt><dd>{c.representative.clone()}</dd></div>
                                <div><dt class="text-slate-500">"연락처"</dt><dd>{c.contact_phone.clone()}</dd></div>
                                <div><dt class="text-slate-500">"이메일"</dt><dd>{c.contact_email.clone()}</dd></div>
                            </dl>
                            {staff.then(|| {
                                let c = c.clone();
                                view! {
                                    <details class=CARD open=move || edit_value.with(|r| matches!(r, Some(Err(_))))>
                                        <summary class="cursor-pointer text-lg font-semibold">"고객 정보 수정"</summary>
                                        <ActionForm action=edit attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                                            <input type="hidden" name="id" value=cid.to_string() />
                                            {client_fields(ClientInput {
                                                kind: c.kind.clone(),
                                                name: c.name.clone(),
                                                business_number: c.business_number.clone().unwrap_or_default(),
                                                representative: c.representative.clone(),
                                                contact_phone: c.contact_phone.clone(),
                                                contact_email: c.contact_email.clone(),
                                            }, edit_value)}
                                            <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"고객 정보 저장"</button>{action_error(move || edit_value.get())}</div>
                                        </ActionForm>
                                    </details>
                                }
                            })}
                            <section class=CARD>
                                <h2 class="text-lg font-semibold">"건물"</h2>
                                <ul class="mt-2 space-y-1 text-sm" data-testid="client-buildings">
                                    {d.buildings.into_iter().map(|b| view! {
                                        <li><A href=format!("/platform/buildings/{}", b.id) attr:class="text-emerald-800 hover:underline">{b.name}</A>{format!(" · {}", b.detail)}</li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class=CARD>
                                <h2 class="text-lg font-semibold">"관리 계약"</h2>
                                <ul class="mt-2 space-y-1 text-sm">
                                    {d.contracts.into_iter().map(|k| view! {
                                        <li><A href=format!("/platform/contracts/{}", k.id) attr:class="text-emerald-800 hover:underline">
                                            {format!("{} · {} · {} ~ {} · 월 {} · {}", k.building_name, k.scope, k.start_date, k.end_date, format_won(k.monthly_fee), k.status.label_ko())}
                                        </A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class=CARD aria-labelledby="client-users">
                                <h2 id="client-users" class="text-lg font-semibold">"고객 사용자 (건물주 로그인)"</h2>
                                <ul class="mt-2 space-y-1 text-sm" data-testid="client-users">
                                    {d.users.into_iter().map(|u| {
                                        let uid = u.id;
                                        view! {
                                            <li class="flex items-center gap-3">{format!("{} · {}", u.name, u.detail)}
                                                {staff.then(|| view! {
                                                    <ActionForm action=unlink attr:class="inline">
                                                        <input type="hidden" name="client_id" value=cid.to_string() />
                                                        <input type="hidden" name="user_id" value=uid.to_string() />
                                                        <button type="submit" class="text-xs text-red-700 underline">"연결 해제"</button>
                                                        {action_error(move || unlink.value().get())}
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {staff.then(|| view! {
                                    <ActionForm action=link attr:class="mt-4 flex flex-wrap items-end gap-3">
                                        <input type="hidden" name="client_id" value=cid.to_string() />
                                        <label class="text-sm">"고객 계정 이메일"<input name="email" type="email" class=INPUT /></label>
                                        <button type="submit" class=BUTTON>"사용자 연결"</button>
                                        <FieldError message=field_error(link_value, "email") />
                                        {action_error(move || link_value.get())}
                                    </ActionForm>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
