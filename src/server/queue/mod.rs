//! The durable work queue on the outbox (README "Work queue"). Domain changes write
//! `domain_events` in their own transaction; here each event is fanned out once into one work
//! item per consumer that wants its kind, and each item is handled at least once, by one instance
//! at a time, retried with backoff and finally given up as dead for an admin to look at.
//!
//! - `store`: the SQL (fan-out, claim, finish, reaper, the admin page's lists and retry).
//! - `worker`: the loop each instance runs, woken by new work (in process, and through Redis
//!   when configured) or by a short poll; the database stays the truth.
//!
//! A consumer's handler must be idempotent: an item whose instance died mid-way is handled
//! again. Handlers that write rows key them by the event (`INSERT … OR IGNORE` on the event id),
//! so a second handling has no effect.

pub mod store;
pub mod worker;

use crate::server::error::AppError;
use crate::server::state::AppState;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// An item is given up as dead after this many failed attempts.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `attempts + 1` after `attempts` failures: 10 s, 20 s, 40 s … capped
/// at one hour.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    let secs = 10u64.saturating_mul(1u64 << exp.min(16));
    Duration::from_secs(secs.min(3600))
}

/// One domain event as a handler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub entity: String,
    pub entity_id: i64,
    pub payload: String,
    pub created_at: DateTime<Utc>,
}

pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), AppError>> + Send>>;
/// A consumer's work for one event. It must be idempotent (see the module's notes).
pub type HandlerFn = Arc<dyn Fn(AppState, Event) -> HandlerFuture + Send + Sync>;

#[derive(Clone)]
pub struct ConsumerDef {
    /// Stable identifier (rows, the admin page): `activity.feed`.
    pub name: &'static str,
    pub label_ko: &'static str,
    /// The event kinds it wants: an exact kind (`lease.created`) or a prefix ending in a dot
    /// (`lease.`).
    pub kinds: &'static [&'static str],
    pub handle: HandlerFn,
}

impl ConsumerDef {
    pub fn new<F, Fut>(
        name: &'static str,
        label_ko: &'static str,
        kinds: &'static [&'static str],
        handle: F,
    ) -> Self
    where
        F: Fn(AppState, Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), AppError>> + Send + 'static,
    {
        ConsumerDef {
            name,
            label_ko,
            kinds,
            handle: Arc::new(move |state, event| Box::pin(handle(state, event))),
        }
    }

    pub fn wants(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| {
            if k.ends_with('.') {
                kind.starts_with(k)
            } else {
                kind == *k
            }
        })
    }
}

impl std::fmt::Debug for ConsumerDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsumerDef")
            .field("name", &self.name)
            .field("kinds", &self.kinds)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(10));
        assert_eq!(backoff(2), Duration::from_secs(20));
        assert_eq!(backoff(3), Duration::from_secs(40));
        assert_eq!(backoff(9), Duration::from_secs(2560));
        assert_eq!(backoff(10), Duration::from_secs(3600));
        assert_eq!(backoff(1000), Duration::from_secs(3600));
        assert_eq!(backoff(0), Duration::from_secs(10));
    }

    #[test]
    fn a_consumer_wants_exact_kinds_and_prefixes() {
        let c = ConsumerDef::new("t", "t", &["lease.", "contract.created"], |_, _| async {
            Ok(())
        });
        assert!(c.wants("lease.created"));
        assert!(c.wants("lease.ended"));
        assert!(c.wants("contract.created"));
        assert!(!c.wants("contract.changed"));
        assert!(!c.wants("leases.created"));
    }
}
