//! Rendered public pages, kept until their content changes (cleared by every edit) or five
//! minutes pass (so a post scheduled for later appears on time). In Redis when configured, so
//! one edit clears every instance; in process otherwise. A Redis failure is only a cache miss.
//!
//! A generation number guards against a render that read the database before an edit storing
//! its page after the edit cleared the cache; keys carry the build, so pages that name the
//! previous release's hashed stylesheet are never served after a deploy.

use crate::server::kv::{RedisCall, RedisKv};
use axum::body::Bytes;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub const PAGE_TTL: Duration = Duration::from_secs(300);
const MAX_MEMORY_PAGES: usize = 2_000;

fn build_tag() -> String {
    format!(
        "{}-{}",
        env!("CARGO_PKG_VERSION"),
        env!("DOONGJI_GIT_COMMIT")
    )
}

/// One page as sent: the HTML and its brotli form, compressed once when cached.
#[derive(Clone, Debug)]
pub struct CachedPage {
    pub html: Bytes,
    pub br: Bytes,
}

impl CachedPage {
    pub fn new(html: String) -> Self {
        let mut br = Vec::with_capacity(html.len() / 4);
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 9, 22);
            // Writing into a Vec cannot fail.
            let _ = w.write_all(html.as_bytes());
        }
        CachedPage {
            html: Bytes::from(html),
            br: Bytes::from(br),
        }
    }
}

#[derive(Default)]
pub struct MemoryPages {
    generation: AtomicU64,
    pages: RwLock<HashMap<String, (Instant, CachedPage)>>,
}

#[derive(Clone)]
pub enum PageCache {
    Memory(Arc<MemoryPages>),
    Redis(RedisKv),
}

type PagePair = (Option<Vec<u8>>, Option<Vec<u8>>);

impl PageCache {
    pub fn memory() -> Self {
        PageCache::Memory(Arc::default())
    }

    fn keys(kv: &RedisKv, key: &str) -> (String, String) {
        let tag = build_tag();
        (
            kv.key(&format!("page:{tag}:{key}:html")),
            kv.key(&format!("page:{tag}:{key}:br")),
        )
    }

    /// The current generation; read it before rendering and hand it to [`PageCache::put`].
    /// `None` when it cannot be known (Redis away): then nothing is stored.
    pub async fn generation(&self) -> Option<u64> {
        match self {
            PageCache::Memory(m) => Some(m.generation.load(Ordering::SeqCst)),
            PageCache::Redis(kv) => {
                let key = kv.key("page-generation");
                kv.run::<Option<u64>>(|| RedisCall::Cmd(redis::Cmd::get(&key)))
                    .await
                    .ok()
                    .map(|g| g.unwrap_or(0))
            }
        }
    }

    pub async fn get(&self, key: &str) -> Option<CachedPage> {
        match self {
            PageCache::Memory(m) => {
                let pages = m.pages.read().unwrap_or_else(|p| p.into_inner());
                pages
                    .get(key)
                    .filter(|(at, _)| at.elapsed() < PAGE_TTL)
                    .map(|(_, p)| p.clone())
            }
            PageCache::Redis(kv) => {
                let (h, b) = Self::keys(kv, key);
                let res: Result<PagePair, _> = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.get(&h).get(&b);
                        RedisCall::Pipe(p)
                    })
                    .await;
                match res {
                    Ok((Some(html), Some(br))) => Some(CachedPage {
                        html: html.into(),
                        br: br.into(),
                    }),
                    Ok(_) => None,
                    Err(e) => {
                        tracing::warn!(error = %e, "page cache unavailable");
                        None
                    }
                }
            }
        }
    }

    /// Stores a page rendered at `generation`, unless the cache was cleared since.
    pub async fn put(&self, key: &str, page: CachedPage, generation: Option<u64>) {
        let Some(generation) = generation else { return };
        match self {
            PageCache::Memory(m) => {
                let mut pages = m.pages.write().unwrap_or_else(|p| p.into_inner());
                if m.generation.load(Ordering::SeqCst) != generation {
                    return;
                }
                if pages.len() >= MAX_MEMORY_PAGES {
                    pages.clear();
                }
                pages.insert(key.to_string(), (Instant::now(), page));
            }
            PageCache::Redis(kv) => {
                let (h, b) = Self::keys(kv, key);
                let secs = PAGE_TTL.as_secs();
                let stored: Result<(), _> = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.atomic()
                            .set_ex(&h, page.html.as_ref(), secs)
                            .ignore()
                            .set_ex(&b, page.br.as_ref(), secs)
                            .ignore();
                        RedisCall::Pipe(p)
                    })
                    .await;
                if let Err(e) = stored {
                    tracing::warn!(error = %e, "page cache write failed");
                    return;
                }
                // Cleared while we rendered: take the stale page back out.
                if self.generation().await != Some(generation) {
                    let _: Result<(), _> =
                        kv.run(|| RedisCall::Cmd(redis::Cmd::del(&[&h, &b]))).await;
                }
            }
        }
    }

    /// Forgets every cached page (after any change of public content).
    pub async fn clear(&self) {
        match self {
            PageCache::Memory(m) => {
                let mut pages = m.pages.write().unwrap_or_else(|p| p.into_inner());
                m.generation.fetch_add(1, Ordering::SeqCst);
                pages.clear();
            }
            PageCache::Redis(kv) => {
                let gen_key = kv.key("page-generation");
                let bumped: Result<u64, _> = kv
                    .run(|| RedisCall::Cmd(redis::Cmd::incr(&gen_key, 1)))
                    .await;
                if bumped.is_err() {
                    tracing::warn!(
                        "page cache generation not bumped; pages expire within five minutes"
                    );
                }
                let pattern = kv.key("page:*");
                let mut cursor: u64 = 0;
                loop {
                    let res: Result<(u64, Vec<String>), _> = kv
                        .run(|| {
                            let mut c = redis::cmd("SCAN");
                            c.arg(cursor)
                                .arg("MATCH")
                                .arg(&pattern)
                                .arg("COUNT")
                                .arg(500);
                            RedisCall::Cmd(c)
                        })
                        .await;
                    let Ok((next, keys)) = res else {
                        tracing::warn!("page cache clear failed; pages expire within five minutes");
                        return;
                    };
                    if !keys.is_empty() {
                        let _: Result<(), _> =
                            kv.run(|| RedisCall::Cmd(redis::Cmd::del(&keys))).await;
                    }
                    if next == 0 {
                        break;
                    }
                    cursor = next;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_page_rendered_before_a_clear_is_not_stored_after_it() {
        let cache = PageCache::memory();
        let before = cache.generation().await;
        cache.clear().await;
        cache
            .put("/", CachedPage::new("<p>old</p>".into()), before)
            .await;
        assert!(cache.get("/").await.is_none(), "stale render dropped");
        let now = cache.generation().await;
        cache
            .put("/", CachedPage::new("<p>new</p>".into()), now)
            .await;
        assert_eq!(cache.get("/").await.unwrap().html, "<p>new</p>");
    }
}
