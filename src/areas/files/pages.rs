//! The files section of a record's page: the list with previews, download and delete links,
//! and the upload form.

use super::FileDto;
use super::api::{DeleteFile, UploadFile};
use crate::app::ui::{BUTTON, CARD, FieldError, action_error};
use leptos::prelude::*;

/// Files attached to a record: download links, and for staff an upload form and delete
/// buttons. The upload is a plain multipart form post (`app::enhance` sends it with `fetch`
/// once the page's script runs).
#[component]
pub fn FilesSection(
    owner_kind: &'static str,
    owner_id: i64,
    files: Vec<FileDto>,
    can_edit: bool,
) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let upload_url = <UploadFile as ServerFn>::url();
    let upload = crate::app::ui::posted_error(<UploadFile as ServerFn>::PATH);
    let remove = ServerAction::<DeleteFile>::new();
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
                <form method="post" action=upload_url enctype="multipart/form-data" class="mt-4 flex flex-wrap items-end gap-3">
                    <input type="hidden" name="owner_kind" value=owner_kind />
                    <input type="hidden" name="owner_id" value=owner_id.to_string() />
                    <label class="text-sm">"파일 (PDF, PNG, JPEG, WebP)"
                        <input type="file" name="file" required accept="application/pdf,image/png,image/jpeg,image/webp" class="mt-1 block text-sm" />
                        <FieldError message={
                            let refused = upload.clone();
                            move || refused.as_ref().and_then(|e| e.field_message("file"))
                        } />
                    </label>
                    <button type="submit" class=BUTTON data-busy-label="올리는 중…">"파일 올리기"</button>
                    <div class="w-full" data-testid="upload-error">{action_error(move || upload.clone().map(Err::<(), _>))}</div>
                </form>
                {action_error(move || remove.value().get())}
            })}
        </section>
    }
}
