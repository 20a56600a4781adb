//! Shared key/value services with an in-process and a Redis-backed implementation behind one
//! interface, chosen by settings. Redis is reached through a connection manager that reconnects
//! by itself; every call has a short timeout so a vanished Redis never hangs a request.

use crate::server::error::AppError;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REDIS_CALL_TIMEOUT: Duration = Duration::from_millis(1500);

/// A Redis connection plus the key prefix that separates this deployment (or test) from others.
#[derive(Clone)]
pub struct RedisKv {
    inner: Arc<RedisInner>,
}

struct RedisInner {
    client: redis::Client,
    manager: ConnectionManager,
    prefix: String,
}

impl RedisKv {
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(2)
            .set_max_delay(500);
        let manager = ConnectionManager::new_with_config(client.clone(), config).await?;
        let prefix = prefix.to_string();
        Ok(RedisKv {
            inner: Arc::new(RedisInner {
                client,
                manager,
                prefix,
            }),
        })
    }

    /// A connection of its own for subscribing (a subscribed connection serves nothing else).
    pub async fn pubsub(&self) -> Result<redis::aio::PubSub, AppError> {
        match tokio::time::timeout(Duration::from_secs(2), self.inner.client.get_async_pubsub())
            .await
        {
            Ok(r) => Ok(r?),
            Err(_) => Err(AppError::Redis(redis::RedisError::from((
                redis::ErrorKind::IoError,
                "redis connect timed out",
            )))),
        }
    }

    pub fn key(&self, suffix: &str) -> String {
        format!("{}{}", self.inner.prefix, suffix)
    }

    /// Runs one command or pipeline with a timeout, mapping both failures to `AppError::Redis`.
    pub async fn run<T: redis::FromRedisValue>(
        &self,
        cmd: impl FnOnce() -> RedisCall,
    ) -> Result<T, AppError> {
        let mut conn = self.inner.manager.clone();
        let fut = async move {
            match cmd() {
                RedisCall::Cmd(c) => c.query_async::<T>(&mut conn).await,
                RedisCall::Pipe(p) => p.query_async::<T>(&mut conn).await,
            }
        };
        match tokio::time::timeout(REDIS_CALL_TIMEOUT, fut).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(AppError::Redis(redis::RedisError::from((
                redis::ErrorKind::IoError,
                "redis call timed out",
            )))),
        }
    }

    pub async fn ping(&self) -> Result<(), AppError> {
        let _: String = self.run(|| RedisCall::Cmd(redis::cmd("PING"))).await?;
        Ok(())
    }
}

pub enum RedisCall {
    Cmd(redis::Cmd),
    Pipe(redis::Pipeline),
}

/// Counters that reset after a fixed window: "how many failures for this key in the last 10
/// minutes, and when does the window end". Used by login throttling (and later by other limits).
#[derive(Clone)]
pub enum WindowCounters {
    Memory(MemoryCounters),
    Redis {
        kv: RedisKv,
        fallback: MemoryCounters,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterState {
    pub count: u64,
    /// Time left in the current window; zero when the key has no window.
    pub remaining: Duration,
}

impl WindowCounters {
    pub fn memory() -> Self {
        WindowCounters::Memory(MemoryCounters::default())
    }

    pub fn redis(kv: RedisKv) -> Self {
        WindowCounters::Redis {
            kv,
            fallback: MemoryCounters::default(),
        }
    }

    pub async fn get(&self, key: &str) -> CounterState {
        match self {
            WindowCounters::Memory(m) => m.get(key),
            WindowCounters::Redis { kv, fallback } => {
                let k = kv.key(key);
                let res: Result<(Option<u64>, i64), AppError> = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.get(&k).cmd("PTTL").arg(&k);
                        RedisCall::Pipe(p)
                    })
                    .await;
                match res {
                    Ok((count, pttl)) => {
                        let redis_state = CounterState {
                            count: count.unwrap_or(0),
                            remaining: Duration::from_millis(pttl.max(0) as u64),
                        };
                        // Failures counted locally while Redis was away still count.
                        let local = fallback.get(key);
                        if local.count > redis_state.count {
                            local
                        } else {
                            redis_state
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "redis counters unavailable; using in-process counts");
                        fallback.get(key)
                    }
                }
            }
        }
    }

    /// Adds one to the key, starting a window of `window` if none is running.
    pub async fn increment(&self, key: &str, window: Duration) -> CounterState {
        match self {
            WindowCounters::Memory(m) => m.increment(key, window),
            WindowCounters::Redis { kv, fallback } => {
                let k = kv.key(key);
                let ms = window.as_millis() as u64;
                let res: Result<(u64, i64), AppError> = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.atomic()
                            .incr(&k, 1u64)
                            .cmd("PEXPIRE")
                            .arg(&k)
                            .arg(ms)
                            .arg("NX")
                            .ignore()
                            .cmd("PTTL")
                            .arg(&k);
                        RedisCall::Pipe(p)
                    })
                    .await;
                match res {
                    Ok((count, pttl)) => CounterState {
                        count,
                        remaining: Duration::from_millis(pttl.max(0) as u64),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "redis counters unavailable; counting in process");
                        fallback.increment(key, window)
                    }
                }
            }
        }
    }

    /// Takes one back (an attempt counted first that turned out fine); never below zero, and
    /// a key whose window ended stays gone.
    pub async fn decrement(&self, key: &str) {
        match self {
            WindowCounters::Memory(m) => m.decrement(key),
            WindowCounters::Redis { kv, fallback } => {
                fallback.decrement(key);
                let k = kv.key(key);
                let res: Result<i64, AppError> = kv
                    .run(|| {
                        let mut c = redis::cmd("EVAL");
                        c.arg(
                            "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then \
                             return redis.call('DECR', KEYS[1]) end return 0",
                        )
                        .arg(1)
                        .arg(&k);
                        RedisCall::Cmd(c)
                    })
                    .await;
                if let Err(e) = res {
                    tracing::warn!(error = %e, "could not decrement redis counter");
                }
            }
        }
    }

    pub async fn reset(&self, key: &str) {
        match self {
            WindowCounters::Memory(m) => m.reset(key),
            WindowCounters::Redis { kv, fallback } => {
                fallback.reset(key);
                let k = kv.key(key);
                let res: Result<(), AppError> =
                    kv.run(|| RedisCall::Cmd(redis::Cmd::del(&k))).await;
                if let Err(e) = res {
                    tracing::warn!(error = %e, "could not reset redis counter");
                }
            }
        }
    }
}

#[derive(Clone, Default)]
pub struct MemoryCounters {
    inner: Arc<Mutex<HashMap<String, (u64, Instant)>>>,
}

impl MemoryCounters {
    /// The most counters kept in memory (each well under 100 bytes).
    pub const MAX_KEYS: usize = 100_000;

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, Instant)>> {
        // A poisoned lock only means another thread panicked mid-update of a counter.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, key: &str) -> CounterState {
        let now = Instant::now();
        match self.lock().get(key) {
            Some((count, ends)) if *ends > now => CounterState {
                count: *count,
                remaining: *ends - now,
            },
            _ => CounterState {
                count: 0,
                remaining: Duration::ZERO,
            },
        }
    }

    pub fn increment(&self, key: &str, window: Duration) -> CounterState {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= Self::MAX_KEYS {
            map.retain(|_, (_, ends)| *ends > now);
        }
        if map.len() >= Self::MAX_KEYS {
            // Still full of live counters (a flood of keys): the half closest to expiring goes,
            // so memory stays bounded; the cost is paid once per MAX_KEYS / 2 new keys.
            let mut ends: Vec<Instant> = map.values().map(|(_, e)| *e).collect();
            let mid = ends.len() / 2;
            let (_, median, _) = ends.select_nth_unstable(mid);
            let median = *median;
            map.retain(|_, (_, e)| *e > median);
        }
        let entry = map.entry(key.to_string()).or_insert((0, now + window));
        if entry.1 <= now {
            *entry = (0, now + window);
        }
        entry.0 += 1;
        CounterState {
            count: entry.0,
            remaining: entry.1 - now,
        }
    }

    pub fn decrement(&self, key: &str) {
        if let Some(entry) = self.lock().get_mut(key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    pub fn reset(&self, key: &str) {
        self.lock().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_counter_counts_within_the_window_and_forgets_after() {
        let c = MemoryCounters::default();
        let w = Duration::from_millis(50);
        assert_eq!(c.increment("k", w).count, 1);
        assert_eq!(c.increment("k", w).count, 2);
        assert_eq!(c.get("k").count, 2);
        assert!(c.get("k").remaining <= w);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(c.get("k").count, 0);
        assert_eq!(c.increment("k", w).count, 1);
        c.reset("k");
        assert_eq!(c.get("k").count, 0);
    }

    #[test]
    fn a_flood_of_live_keys_stays_bounded() {
        let c = MemoryCounters::default();
        let w = Duration::from_secs(600);
        for i in 0..(MemoryCounters::MAX_KEYS + 10) {
            c.increment(&format!("k{i}"), w);
        }
        assert!(c.lock().len() <= MemoryCounters::MAX_KEYS);
        assert_eq!(
            c.get(&format!("k{}", MemoryCounters::MAX_KEYS + 9)).count,
            1
        );
    }
}
