//! Tenant pages: the list with its filters and the register form, and a tenant with its leases,
//! files, correction form and deletion.

use super::TenantInput;
use super::api::{CreateTenant, DeleteTenant, UpdateTenant, get_tenant, list_tenants};
use crate::app::ui::{
    BUTTON, BuildingFilter, CARD, ErrorBox, FILTER, FILTER_SUBMIT, FieldError, INPUT, LOADING,
    ListFooter, SelectFilter, TABLE, TD, TH, action_error, choices, field_error, is_staff,
    param_id, use_list_query,
};
use crate::areas::files::pages::FilesSection;
use crate::domain::ApiError;
use crate::domain::money::format_won;
use crate::domain::validation::{format_mobile, kind_label};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn TenantsPage() -> impl IntoView {
    let query = use_list_query();
    let create = ServerAction::<CreateTenant>::new();
    let tenants = Resource::new(move || query.get(), list_tenants);
    let value = create.value();
    let q0 = query.get_untracked();
    view! {
        <Title text="임차인 | 둥지 플랫폼" />
        <h1 class="text-2xl font-bold">"임차인"</h1>
        <form method="get" action="/platform/tenants" class="mt-4 flex flex-wrap items-end gap-3 text-sm">
            <BuildingFilter selected=q0.building_id />
            <label>"이름·사업자번호·휴대전화 검색"<input name="q" value=q0.q.clone() class=FILTER /></label>
            <SelectFilter label="정렬" field="sort" selected=q0.sort.clone() options=choices(&[("", "이름 순"), ("recent", "최근 등록 순")]) />
            <button type="submit" class=FILTER_SUBMIT>"조회"</button>
        </form>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match tenants.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(page) => view! {
                        <table class=TABLE data-testid="tenants">
                            <thead class="bg-slate-50 text-left text-slate-500"><tr>
                                <th class=TH>"임차인"</th><th class=TH>"구분"</th><th class=TH>"사업자등록번호"</th><th class=TH>"휴대전화"</th><th class=TH>"이메일"</th><th class=TH>"계약"</th>
                            </tr></thead>
                            <tbody>
                                {page.rows.into_iter().map(|t| view! {
                                    <tr class="border-t border-slate-100">
                                        <td class=TD><A href=format!("/platform/tenants/{}", t.id) attr:class="font-medium text-emerald-800 hover:underline">{t.name}</A></td>
                                        <td class=TD>{kind_label(&t.kind)}</td>
                                        <td class=TD>{t.business_number.unwrap_or_default()}</td>
                                        <td class=TD>{format_mobile(&t.mobile)}</td>
                                        <td class=TD>{t.email}</td>
                                        <td class=TD>{t.leases}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <ListFooter base="/platform/tenants" export="tenants" query=query.get_untracked() total=page.total page=page.page pages=page.pages />
                    }.into_any(),
                }
            })}
        </Transition>
        {is_staff().then(|| view! {
            <section class=CARD aria-labelledby="new-tenant">
                <h2 id="new-tenant" class="text-lg font-semibold">"임차인 등록"</h2>
                <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                    {tenant_fields(TenantInput { kind: "company".into(), ..Default::default() }, value)}
                    <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"임차인 등록"</button>{action_error(move || value.get())}</div>
                </ActionForm>
            </section>
        })}
    }
}

/// The tenant form's fields, filled with `t` (empty for a new tenant).
fn tenant_fields<T, S>(t: TenantInput, value: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, ApiError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let err = move |f| field_error(value, f);
    view! {
        <label class="block text-sm">"구분"
            <select name="kind" class=INPUT>
                <option value="company" selected=t.kind == "company">"법인·사업자"</option>
                <option value="person" selected=t.kind == "person">"개인"</option>
            </select>
        </label>
        <label class="block text-sm">"상호·이름"<input name="name" value=t.name class=INPUT /><FieldError message=err("name") /></label>
        <label class="block text-sm">"사업자등록번호"<input name="business_number" value=t.business_number class=INPUT placeholder="123-45-67890" /><FieldError message=err("business_number") /></label>
        <label class="block text-sm">"대표자"<input name="representative" value=t.representative class=INPUT /><FieldError message=err("representative") /></label>
        <label class="block text-sm">"담당자"<input name="contact_name" value=t.contact_name class=INPUT /><FieldError message=err("contact_name") /></label>
        <label class="block text-sm">"휴대전화 (알림톡)"<input name="mobile" value=t.mobile class=INPUT placeholder="010-1234-5678" /><FieldError message=err("mobile") /></label>
        <label class="block text-sm">"이메일"<input name="email" type="email" value=t.email class=INPUT /><FieldError message=err("email") /></label>
    }
}

#[component]
pub fn TenantPage() -> impl IntoView {
    let id = param_id();
    let remove = ServerAction::<DeleteTenant>::new();
    let edit = ServerAction::<UpdateTenant>::new();
    let tenant = Resource::new(id, get_tenant);
    let edit_value = edit.value();
    let staff = is_staff();
    view! {
        <Title text="임차인 상세 | 둥지 플랫폼" />
        <p><A href="/platform/tenants" attr:class="text-sm text-emerald-800 hover:underline">"← 임차인 목록"</A></p>
        <Transition fallback=|| view! { <p class="mt-6">{LOADING}</p> }>
            {move || Suspend::new(async move {
                match tenant.await {
                    Err(e) => view! { <div class="mt-6"><ErrorBox error=e /></div> }.into_any(),
                    Ok(d) => {
                        let t = d.tenant;
                        let tid = t.id;
                        view! {
                            <h1 class="mt-2 text-2xl font-bold">{t.name.clone()}</h1>
                            <dl class="mt-4 grid gap-3 rounded-lg bg-white p-5 text-sm ring-1 ring-slate-200 sm:grid-cols-3" data-testid="tenant-info">
                                <div><dt class="text-slate-500">"구분"</dt><dd>{kind_label(&t.kind)}</dd></div>
                                <div><dt class="text-slate-500">"사업자등록번호"</dt><dd>{t.business_number.clone().unwrap_or_else(|| "-".into())}</dd></div>
                                <div><dt class="text-slate-500">"대표자"</dt><dd>{t.representative.clone()}</dd></div>
                                <div><dt class="text-slate-500">"담당자"</dt><dd>{t.contact_name.clone()}</dd></div>
                                <div><dt class="text-slate-500">"휴대전화"</dt><dd>{format_mobile(&t.mobile)}</dd></div>
                                <div><dt class="text-slate-500">"이메일"</dt><dd>{t.email.clone()}</dd></div>
                            </dl>
                            <section class=CARD>
                                <h2 class="text-lg font-semibold">"임대 계약"</h2>
                                <ul class="mt-2 space-y-1 text-sm">
                                    {d.leases.into_iter().map(|l| view! {
                                        <li><A href=format!("/platform/leases/{}", l.id) attr:class="text-emerald-800 hover:underline">
                                            {format!("{} {} · {} ~ {} · 월 {} · {}", l.building_name, l.units, l.start_date, l.end_date, format_won(l.monthly_rent), l.status.label_ko())}
                                        </A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            {staff.then(|| {
                                let t = t.clone();
                                view! {
                                    <details class=CARD open=move || edit_value.with(|r| matches!(r, Some(Err(_))))>
                                        <summary class="cursor-pointer text-lg font-semibold">"임차인 정보 수정"</summary>
                                        <ActionForm action=edit attr:class="mt-4 grid gap-4 sm:grid-cols-3">
                                            <input type="hidden" name="id" value=tid.to_string() />
                                            {tenant_fields(TenantInput {
                                                kind: t.kind.clone(),
                                                name: t.name.clone(),
                                                business_number: t.business_number.clone().unwrap_or_default(),
                                                representative: t.representative.clone(),
                                                contact_name: t.contact_name.clone(),
                                                mobile: format_mobile(&t.mobile),
                                                email: t.email.clone(),
                                            }, edit_value)}
                                            <div class="flex items-end gap-3"><button type="submit" class=BUTTON>"임차인 정보 저장"</button>{action_error(move || edit_value.get())}</div>
                                        </ActionForm>
                                    </details>
                                }
                            })}
                            <FilesSection owner_kind="tenant" owner_id=tid files=d.files can_edit=staff />
                            {staff.then(|| view! {
                                <section class=CARD>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=tid.to_string() />
                                        <button type="submit" class="rounded-md border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50">"임차인 삭제"</button>
                                        <span class="ml-3 text-xs text-slate-500">"계약이나 첨부 파일이 있으면 삭제할 수 없습니다."</span>
                                        <div class="mt-2">{action_error(move || remove.value().get())}</div>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
