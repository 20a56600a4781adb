//! The loop every instance runs: fan new events out, claim a batch of ready items, handle them,
//! finish them, and free the items of instances that died (the reaper). It sleeps until new
//! work is announced (a write request in this process, or a Redis message from another
//! instance) or the poll interval passes: the announcement only shortens the wait, the database
//! says what there is to do, so a lost message or a Redis outage delays work by one poll at most.

use super::store::{self, Claimed, again_on_conflict};
use super::{ConsumerDef, store::FAN_OUT_BATCH};
use crate::server::db::now_utc;
use crate::server::error::AppError;
use crate::server::state::AppState;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Items claimed at once.
pub const CLAIM_BATCH: i64 = 50;
/// Longest a handler may take for one item before its attempt counts as failed.
pub const HANDLER_TIMEOUT: Duration = Duration::from_secs(60);
/// The Redis channel (under the deployment's key prefix) that announces new work.
pub const WAKE_CHANNEL: &str = "queue:wake";

#[derive(Clone)]
pub struct Queue {
    inner: Arc<Inner>,
}

struct Inner {
    consumers: Vec<ConsumerDef>,
    /// This instance, in the claim tokens it writes.
    holder: String,
    seq: AtomicU64,
    wake: Notify,
    /// How long a claimed batch stays this instance's without renewal.
    claim: Duration,
    /// The longest sleep between two looks when nothing is announced.
    poll: Duration,
    reap_every: Duration,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub fanned_out: usize,
    pub handled: usize,
    pub failed: usize,
    pub dead: usize,
}

impl Pass {
    fn add(&mut self, other: Pass) {
        self.fanned_out += other.fanned_out;
        self.handled += other.handled;
        self.failed += other.failed;
        self.dead += other.dead;
    }
}

impl Queue {
    pub fn new(
        consumers: Vec<ConsumerDef>,
        holder: impl Into<String>,
        claim: Duration,
        poll: Duration,
    ) -> Self {
        Queue {
            inner: Arc::new(Inner {
                consumers,
                holder: holder.into(),
                seq: AtomicU64::new(0),
                wake: Notify::new(),
                claim,
                poll,
                reap_every: claim / 2,
            }),
        }
    }

    pub fn consumers(&self) -> &[ConsumerDef] {
        &self.inner.consumers
    }

    pub fn consumer(&self, name: &str) -> Option<&ConsumerDef> {
        self.inner.consumers.iter().find(|c| c.name == name)
    }

    /// Announces new work: this instance's worker looks at once, and, through Redis when
    /// configured, every other instance's too.
    pub fn announce(&self, state: &AppState) {
        self.inner.wake.notify_one();
        if let Some(kv) = state.redis.clone() {
            tokio::spawn(async move {
                let channel = kv.key(WAKE_CHANNEL);
                let r: Result<i64, AppError> = kv
                    .run(|| {
                        crate::server::kv::RedisCall::Cmd(
                            redis::cmd("PUBLISH").arg(channel).arg(1).clone(),
                        )
                    })
                    .await;
                if let Err(e) = r {
                    tracing::debug!(error = %e, "could not announce new work through Redis");
                }
            });
        }
    }

    /// Works until the process ends.
    pub async fn run_forever(self, state: AppState) {
        // Stops with the worker (a task left behind would reconnect to Redis forever).
        let _listener = state
            .redis
            .clone()
            .map(|kv| AbortOnDrop(tokio::spawn(listen(kv, self.clone()))));
        let mut last_reap: Option<Instant> = None;
        loop {
            if last_reap.is_none_or(|t| t.elapsed() >= self.inner.reap_every) {
                match again_on_conflict(|| store::reap(&state.db, now_utc())).await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(items = n, "queue items of a stopped instance freed"),
                    Err(e) => tracing::warn!(error = %e, "queue reaper failed"),
                }
                last_reap = Some(Instant::now());
            }
            match self.pass(&state).await {
                // A full batch: there may be more right away.
                Ok(p)
                    if p.handled + p.failed + p.dead >= CLAIM_BATCH as usize
                        || p.fanned_out >= FAN_OUT_BATCH as usize =>
                {
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queue pass failed"),
            }
            tokio::select! {
                _ = self.inner.wake.notified() => {}
                _ = tokio::time::sleep(self.inner.poll) => {}
            }
        }
    }

    /// Passes until nothing is ready now (tests, benchmarks, and a command that drains).
    pub async fn drain(&self, state: &AppState) -> Result<Pass, AppError> {
        let mut total = Pass::default();
        loop {
            let p = self.pass(state).await?;
            total.add(p);
            if p == Pass::default() && !store::has_ready(&state.db, now_utc()).await? {
                return Ok(total);
            }
        }
    }

    /// One pass: fan out new events, then claim and handle one batch.
    pub async fn pass(&self, state: &AppState) -> Result<Pass, AppError> {
        // A read first: a wake-up with nothing to do takes no write lock.
        if !store::has_ready(&state.db, now_utc()).await? {
            return Ok(Pass::default());
        }
        let mut pass = Pass {
            fanned_out: again_on_conflict(|| {
                store::fan_out(&state.db, &self.inner.consumers, now_utc())
            })
            .await?,
            ..Pass::default()
        };
        let token = format!(
            "{}#{}",
            self.inner.holder,
            self.inner.seq.fetch_add(1, Ordering::Relaxed)
        );
        let now = now_utc();
        let claimed_at = Instant::now();
        let until = now + chrono::Duration::from_std(self.inner.claim).unwrap_or_default();
        let items =
            again_on_conflict(|| store::claim(&state.db, &token, now, until, CLAIM_BATCH)).await?;
        let mut last_renew = claimed_at;
        let mut done = Vec::with_capacity(items.len());
        for item in items {
            if last_renew.elapsed() > self.inner.claim / 3 {
                let until =
                    now_utc() + chrono::Duration::from_std(self.inner.claim).unwrap_or_default();
                again_on_conflict(|| store::renew(&state.db, &token, until)).await?;
                last_renew = Instant::now();
            }
            match self.handle(state, &item).await {
                Ok(()) => done.push(item.id),
                Err(error) => {
                    tracing::warn!(consumer = %item.consumer, event = item.event.id, attempt = item.attempts, %error, "queue item failed");
                    if store::fail(&state.db, &token, item.id, item.attempts, &error, now_utc())
                        .await?
                    {
                        pass.dead += 1;
                    } else {
                        pass.failed += 1;
                    }
                }
            }
        }
        again_on_conflict(|| store::complete(&state.db, &token, &done, now_utc())).await?;
        pass.handled = done.len();
        Ok(pass)
    }

    /// Runs the item's handler in a task of its own (a panic is a failed attempt), with a time
    /// limit. The error is what admins read on the queue page.
    async fn handle(&self, state: &AppState, item: &Claimed) -> Result<(), String> {
        let Some(consumer) = self.consumer(&item.consumer) else {
            return Err(format!(
                "이 버전에는 처리기 ‘{}’가 없습니다.",
                item.consumer
            ));
        };
        let mut work = tokio::spawn((consumer.handle)(state.clone(), item.event.clone()));
        // At most half the claim, so a claim renewed before each item never lapses mid-item.
        let limit = HANDLER_TIMEOUT.min(self.inner.claim / 2);
        match tokio::time::timeout(limit, &mut work).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(AppError::Api(api)))) => Err(api.to_string()),
            Ok(Ok(Err(other))) => Err(format!("서버 오류 (기술 정보: {other})")),
            Ok(Err(join)) => Err(format!("처리 중 중단되었습니다: {join}")),
            Err(_) => {
                work.abort();
                Err(format!(
                    "{}초 안에 끝나지 않았습니다.",
                    limit.as_secs_f64().ceil()
                ))
            }
        }
    }

    fn wake_local(&self) {
        self.inner.wake.notify_one();
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Wakes the worker whenever another instance announces work through Redis; reconnects after a
/// failure (the poll carries on meanwhile).
async fn listen(kv: crate::server::kv::RedisKv, queue: Queue) {
    use futures_util::StreamExt;
    let channel = kv.key(WAKE_CHANNEL);
    loop {
        match kv.pubsub().await {
            Ok(mut pubsub) => {
                if let Err(e) = pubsub.subscribe(&channel).await {
                    tracing::debug!(error = %e, "queue wake-up: subscribe failed");
                } else {
                    let mut messages = pubsub.on_message();
                    while messages.next().await.is_some() {
                        queue.wake_local();
                    }
                }
            }
            Err(e) => tracing::debug!(error = %e, "queue wake-up: Redis unavailable"),
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}
