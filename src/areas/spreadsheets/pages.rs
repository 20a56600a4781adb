//! The import section of a building's page: the template link, the file and mode, the progress
//! while it runs, and the report row by row. It is an island (it runs in the browser): the
//! report is shown without leaving the page.

use super::api::{ImportLeases, import_leases};
use crate::app::ui::{BUTTON, CARD, ErrorBox, TABLE, TD, TH};
use leptos::prelude::*;

/// Import of tenants and leases from the XLSX template into one building, with the per-row
/// report; after a saved import, a link loads the building's page again with the new leases.
#[island]
pub fn ImportSection(building_id: i64) -> impl IntoView {
    use web_sys::{FormData, HtmlFormElement, SubmitEvent};
    let import = Action::new_local(|data: &FormData| import_leases(data.clone().into()));
    let pending = import.pending();
    let url = <ImportLeases as leptos::server_fn::ServerFn>::url();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = ev
            .target()
            .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<HtmlFormElement>(t).ok())
            && let Ok(data) = FormData::new_with_form(&form)
        {
            import.dispatch_local(data);
        }
    };
    view! {
        <section class=CARD aria-labelledby="import">
            <h2 id="import" class="text-lg font-semibold">"엑셀로 임차인·계약 가져오기"</h2>
            <p class="text-sm text-slate-600">
                <a href="/platform/import-template.xlsx" rel="external" download="" class="text-emerald-800 underline">"양식 내려받기"</a>
                " 후 한 줄에 계약 하나씩 입력해 올려 주세요. 모든 행을 검사한 뒤 결과를 행별로 보여 드립니다."
            </p>
            <form method="post" action=url enctype="multipart/form-data" class="mt-4 flex flex-wrap items-end gap-4" on:submit=on_submit>
                <input type="hidden" name="building_id" value=building_id.to_string() />
                <label class="text-sm">"엑셀 파일 (.xlsx)"<input type="file" name="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" class="mt-1 block text-sm" /></label>
                <fieldset class="text-sm">
                    <label class="flex items-center gap-2"><input type="radio" name="mode" value="all" checked />"모든 행이 맞을 때만 저장"</label>
                    <label class="flex items-center gap-2"><input type="radio" name="mode" value="valid" />"올바른 행만 저장"</label>
                </fieldset>
                <button type="submit" class=BUTTON disabled=move || pending.get()>{move || if pending.get() { "검사하는 중…" } else { "가져오기" }}</button>
            </form>
            <div class="mt-4" data-testid="import-report">
                {move || import.value().get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(r) => {
                        let failed: Vec<_> = r.rows.iter().filter(|x| !x.errors.is_empty()).cloned().collect();
                        let summary = r.summary_ko();
                        view! {
                            <p class=if r.saved { "text-sm font-medium text-emerald-800" } else { "text-sm font-medium text-red-700" } role="status">{summary}</p>
                            {r.saved.then(|| view! { <a href=this_page() class="mt-1 inline-block text-sm text-emerald-800 underline">"건물 화면 새로 고침 (가져온 계약 보기)"</a> })}
                            {(!failed.is_empty()).then(|| view! {
                                <table class=TABLE>
                                    <thead class="bg-slate-50 text-left text-slate-500"><tr><th class=TH>"행"</th><th class=TH>"임차인"</th><th class=TH>"문제"</th></tr></thead>
                                    <tbody>
                                        {failed.into_iter().map(|x| view! {
                                            <tr class="border-t border-slate-100 align-top">
                                                <td class=TD>{format!("{}행", x.row)}</td>
                                                <td class=TD>{x.tenant_name}</td>
                                                <td class=TD><ul class="list-disc pl-4">{x.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                        }.into_any()
                    }
                })}
            </div>
        </section>
    }
}

/// This page's address without its query (where a refused plain post left its error); the
/// report that links here exists only in the browser.
fn this_page() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().pathname().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
