//! Rendered public pages, kept until their content changes (cleared by every edit) or five
//! minutes pass (so a post scheduled for later appears on time). In Redis when configured, so
//! one edit clears every instance; in process otherwise. A Redis failure is only a cache miss.

use crate::server::kv::{RedisCall, RedisKv};
use axum::body::Bytes;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub const PAGE_TTL: Duration = Duration::from_secs(300);
const MAX_MEMORY_PAGES: usize = 2_000;

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

#[derive(Clone)]
pub enum PageCache {
    Memory(Arc<RwLock<HashMap<String, (Instant, CachedPage)>>>),
    Redis(RedisKv),
}

impl PageCache {
    pub fn memory() -> Self {
        PageCache::Memory(Arc::default())
    }

    pub async fn get(&self, key: &str) -> Option<CachedPage> {
        match self {
            PageCache::Memory(map) => {
                let map = map.read().unwrap_or_else(|p| p.into_inner());
                map.get(key)
                    .filter(|(at, _)| at.elapsed() < PAGE_TTL)
                    .map(|(_, p)| p.clone())
            }
            PageCache::Redis(kv) => {
                let (h, b) = (
                    kv.key(&format!("page:{key}:html")),
                    kv.key(&format!("page:{key}:br")),
                );
                let res: Result<(Option<Vec<u8>>, Option<Vec<u8>>), _> = kv
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

    pub async fn put(&self, key: &str, page: CachedPage) {
        match self {
            PageCache::Memory(map) => {
                let mut map = map.write().unwrap_or_else(|p| p.into_inner());
                if map.len() >= MAX_MEMORY_PAGES {
                    map.clear();
                }
                map.insert(key.to_string(), (Instant::now(), page));
            }
            PageCache::Redis(kv) => {
                let (h, b) = (
                    kv.key(&format!("page:{key}:html")),
                    kv.key(&format!("page:{key}:br")),
                );
                let secs = PAGE_TTL.as_secs();
                let res: Result<(), _> = kv
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
                if let Err(e) = res {
                    tracing::warn!(error = %e, "page cache write failed");
                }
            }
        }
    }

    /// Forgets every cached page (after any change of public content).
    pub async fn clear(&self) {
        match self {
            PageCache::Memory(map) => map.write().unwrap_or_else(|p| p.into_inner()).clear(),
            PageCache::Redis(kv) => {
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
