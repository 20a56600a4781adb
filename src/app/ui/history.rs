//! A versioned record's history as a list of changes.

use super::CARD;
use crate::domain::history::HistoryEntry;
use leptos::prelude::*;

/// A record's previous versions: who, when, which fields before → after.
#[component]
pub fn HistoryList(entries: Vec<HistoryEntry>) -> impl IntoView {
    let kind = |k: &str| match k {
        "lease.renewed" => "갱신",
        "lease.increase_agreed" => "합의 인상",
        "lease.ended" => "해지",
        _ => "수정",
    };
    view! {
        <section class=CARD aria-labelledby="history">
            <h2 id="history" class="text-lg font-semibold">"변경 이력"</h2>
            {entries.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-600">"변경 이력이 없습니다."</p> })}
            <ol class="mt-3 space-y-3 text-sm" data-testid="lease-history">
                {entries.into_iter().map(|h| view! {
                    <li class="rounded border border-slate-200 p-3">
                        <p class="font-medium">{format!("{} · {} · {}", h.changed_at, h.changed_by.unwrap_or_else(|| "-".into()), kind(&h.change_kind))}</p>
                        <ul class="mt-1 list-disc pl-5">
                            {h.changes.into_iter().map(|c| view! { <li>{format!("{}: {} → {}", c.field, c.before, c.after)}</li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
