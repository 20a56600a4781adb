//! Password-guessing throttle: after N failures for one account or one address within the
//! window, login is refused (429) until the window passes.

use crate::server::kv::WindowCounters;
use std::time::Duration;

#[derive(Clone)]
pub struct LoginThrottle {
    counters: WindowCounters,
    max_failures: u64,
    window: Duration,
}

impl LoginThrottle {
    pub fn new(counters: WindowCounters, max_failures: u32, window: Duration) -> Self {
        LoginThrottle {
            counters,
            max_failures: u64::from(max_failures),
            window,
        }
    }

    /// Counter keys of a fixed length whatever the caller typed: the account and address are
    /// hashed, so a 10,000-character "email" costs no more memory than a short one.
    fn key(kind: &str, value: &str) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(value.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("login-fail:{kind}:{hex}")
    }

    fn keys(account: &str, ip: &str) -> [String; 2] {
        [Self::key("account", account), Self::key("ip", ip)]
    }

    /// How long the caller must wait, if either the account or the address is locked.
    pub async fn blocked_for(&self, account: &str, ip: &str) -> Option<Duration> {
        let mut wait = None;
        for key in Self::keys(account, ip) {
            let state = self.counters.get(&key).await;
            if state.count >= self.max_failures {
                wait = Some(wait.map_or(state.remaining, |w: Duration| w.max(state.remaining)));
            }
        }
        wait
    }

    pub async fn record_failure(&self, account: &str, ip: &str) {
        for key in Self::keys(account, ip) {
            self.counters.increment(&key, self.window).await;
        }
    }

    /// A successful login clears the account's count (not the address's).
    pub async fn record_success(&self, account: &str) {
        self.counters.reset(&Self::key("account", account)).await;
    }
}

/// "N분" for the Korean wait message, never less than one minute.
pub fn wait_minutes(wait: Duration) -> u64 {
    wait.as_secs().div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn locks_after_max_failures_per_account_or_address() {
        let t = LoginThrottle::new(WindowCounters::memory(), 3, Duration::from_secs(600));
        for _ in 0..2 {
            t.record_failure("a@x.kr", "1.1.1.1").await;
        }
        assert!(t.blocked_for("a@x.kr", "1.1.1.1").await.is_none());
        t.record_failure("a@x.kr", "1.1.1.1").await;
        assert!(
            t.blocked_for("a@x.kr", "2.2.2.2").await.is_some(),
            "account locked"
        );
        assert!(
            t.blocked_for("b@x.kr", "1.1.1.1").await.is_some(),
            "address locked"
        );
        assert!(t.blocked_for("b@x.kr", "2.2.2.2").await.is_none());
    }

    #[test]
    fn keys_have_one_length_whatever_the_input() {
        let long = "a".repeat(10_000);
        let [a, b] = LoginThrottle::keys(&long, "1.1.1.1");
        let [c, d] = LoginThrottle::keys("a@x.kr", "2001:db8::1");
        assert_eq!(a.len(), c.len());
        assert_eq!(b.len(), d.len());
        assert!(a.len() < 60 && !a.contains(&long[..20]));
        assert_ne!(a, c);
    }

    #[test]
    fn wait_is_rounded_up_to_minutes() {
        assert_eq!(wait_minutes(Duration::from_secs(1)), 1);
        assert_eq!(wait_minutes(Duration::from_secs(61)), 2);
        assert_eq!(wait_minutes(Duration::from_secs(600)), 10);
    }
}
