//! The files section of a record's page: the list with previews, download and delete links,
//! and the upload form.

use super::FileDto;
use super::api::{DeleteFile, upload_file};
use crate::app::ui::{BUTTON, CARD, ErrorBox, action_error};
use leptos::prelude::*;

/// Files attached to a record: download links, and for staff an upload form and delete
/// buttons. `changed` is bumped after every upload or delete so the page reloads its data.
#[component]
pub fn FilesSection(
    owner_kind: &'static str,
    owner_id: i64,
    files: Vec<FileDto>,
    can_edit: bool,
    changed: RwSignal<u32>,
) -> impl IntoView {
    use web_sys::{FormData, HtmlFormElement, SubmitEvent};
    let upload = Action::new_local(|data: &FormData| upload_file(data.clone().into()));
    let remove = ServerAction::<DeleteFile>::new();
    let uploading = upload.pending();
    Effect::new(move |_| {
        if let Some(Ok(_)) = upload.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<HtmlFormElement>(t).ok())
        else {
            return;
        };
        if let Ok(data) = FormData::new_with_form(&form) {
            upload.dispatch_local(data);
            form.reset();
        }
    };
    let empty = files.is_empty();
    view! {
        <section class=CARD aria-labelledby=format!("files-{owner_kind}")>
            <h2 id=format!("files-{owner_kind}") class="text-lg font-semibold">"첨부 파일"</h2>
            {empty.then(|| view! { <p class="mt-2 text-sm text-slate-600">"첨부 파일이 없습니다."</p> })}
            <ul class="mt-3 space-y-2 text-sm" data-testid="files">
                {files.into_iter().map(|f| {
                    let id = f.id;
                    let href = format!("/platform/files/{id}");
                    view! {
                        <li class="flex flex-wrap items-center gap-3">
                            {f.is_image().then(|| view! { <img src=format!("{href}?inline=1") alt=f.name.clone() class="h-16 w-24 rounded object-cover ring-1 ring-slate-200" loading="lazy" /> })}
                            <a href=href.clone() rel="external" download=f.name.clone() class="font-medium text-emerald-800 hover:underline">{f.name.clone()}</a>
                            <span class="text-slate-500">{format!("{} · {} · {}", f.size_label(), f.uploaded_at, f.uploaded_by.clone().unwrap_or_default())}</span>
                            {can_edit.then(|| view! {
                                <ActionForm action=remove attr:class="inline">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <button type="submit" class="text-xs text-red-700 underline" aria-label=format!("{} 삭제", f.name)>"삭제"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <form class="mt-4 flex flex-wrap items-end gap-3" on:submit=on_submit>
                    <input type="hidden" name="owner_kind" value=owner_kind />
                    <input type="hidden" name="owner_id" value=owner_id.to_string() />
                    <label class="text-sm">"파일 (PDF, PNG, JPEG, WebP)"
                        <input type="file" name="file" required accept="application/pdf,image/png,image/jpeg,image/webp" class="mt-1 block text-sm" />
                    </label>
                    <button type="submit" class=BUTTON disabled=move || uploading.get()>
                        {move || if uploading.get() { "올리는 중…" } else { "파일 올리기" }}
                    </button>
                </form>
                <div class="mt-2" data-testid="upload-error">
                    {move || match upload.value().get() {
                        Some(Err(e)) => Some(view! { <ErrorBox error=e /> }),
                        _ => None,
                    }}
                    {action_error(move || remove.value().get())}
                </div>
            })}
        </section>
    }
}
