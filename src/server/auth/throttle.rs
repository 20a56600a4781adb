//! Password-guessing throttle. Every attempt is counted before the password is checked (one
//! atomic increment, in memory or in Redis), so a burst of parallel guesses cannot slip past
//! the limit. Two hard limits, each N attempts in the window: one account from one address,
//! and one address (whatever accounts it tries). An account is never locked for everyone:
//! failures from anywhere only slow its next attempts, so its owner can still sign in from
//! another address.

use crate::server::kv::WindowCounters;
use std::time::Duration;

#[derive(Clone)]
pub struct LoginThrottle {
    counters: WindowCounters,
    max_failures: u64,
    window: Duration,
}

/// What a login attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password, after waiting `delay` (the account has failed often lately).
    Open { delay: Duration },
    /// Refused without checking the password until the window passes.
    Closed(Duration),
}

/// The longest an account's failures slow an attempt.
const MAX_DELAY: Duration = Duration::from_secs(5);

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
        format!("login:{kind}:{hex}")
    }

    fn pair(account: &str, ip: &str) -> String {
        Self::key("pair", &format!("{account}\n{ip}"))
    }

    /// Counts this attempt, then decides.
    pub async fn admit(&self, account: &str, ip: &str) -> Gate {
        let pair = self
            .counters
            .increment(&Self::pair(account, ip), self.window)
            .await;
        let address = self
            .counters
            .increment(&Self::key("ip", ip), self.window)
            .await;
        let closed = [pair, address]
            .into_iter()
            .filter(|c| c.count > self.max_failures)
            .map(|c| c.remaining)
            .max();
        if let Some(wait) = closed {
            return Gate::Closed(wait);
        }
        let failures = self
            .counters
            .get(&Self::key("account", account))
            .await
            .count;
        Gate::Open {
            delay: account_delay(failures, self.max_failures),
        }
    }

    /// A wrong password: the account's attempts slow down from now on.
    pub async fn record_failure(&self, account: &str) {
        self.counters
            .increment(&Self::key("account", account), self.window)
            .await;
    }

    /// A successful login clears the account and its pair with this address, and takes this
    /// attempt back from the address (an office behind one address signs in all day).
    pub async fn record_success(&self, account: &str, ip: &str) {
        self.counters.reset(&Self::key("account", account)).await;
        self.counters.reset(&Self::pair(account, ip)).await;
        self.counters.decrement(&Self::key("ip", ip)).await;
    }
}

/// Half a second more for each failure past the limit, up to [`MAX_DELAY`].
fn account_delay(failures: u64, limit: u64) -> Duration {
    if failures < limit {
        return Duration::ZERO;
    }
    (Duration::from_millis(500) * (failures - limit + 1).min(10) as u32).min(MAX_DELAY)
}

/// "N분" for the Korean wait message, never less than one minute.
pub fn wait_minutes(wait: Duration) -> u64 {
    wait.as_secs().div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(WindowCounters::memory(), 3, Duration::from_secs(600))
    }

    #[tokio::test]
    async fn one_account_from_one_address_gets_the_limit_and_no_more() {
        let t = throttle();
        for _ in 0..3 {
            assert!(matches!(t.admit("a", "1.1.1.1").await, Gate::Open { .. }));
            t.record_failure("a").await;
        }
        assert!(matches!(t.admit("a", "1.1.1.1").await, Gate::Closed(_)));
        // The owner, elsewhere, is slowed but let in.
        assert_eq!(
            t.admit("a", "2.2.2.2").await,
            Gate::Open {
                delay: Duration::from_millis(500)
            }
        );
    }

    #[tokio::test]
    async fn an_address_trying_many_accounts_is_closed() {
        let t = throttle();
        for i in 0..3 {
            assert!(matches!(
                t.admit(&format!("u{i}"), "1.1.1.1").await,
                Gate::Open { .. }
            ));
        }
        assert!(matches!(t.admit("u9", "1.1.1.1").await, Gate::Closed(_)));
        assert!(matches!(t.admit("u9", "3.3.3.3").await, Gate::Open { .. }));
    }

    #[tokio::test]
    async fn successes_do_not_use_up_an_address() {
        let t = throttle();
        for i in 0..10 {
            let who = format!("staff{i}");
            assert!(matches!(t.admit(&who, "10.0.0.1").await, Gate::Open { .. }));
            t.record_success(&who, "10.0.0.1").await;
        }
    }

    #[test]
    fn delays_grow_and_stop_at_five_seconds() {
        assert_eq!(account_delay(2, 3), Duration::ZERO);
        assert_eq!(account_delay(3, 3), Duration::from_millis(500));
        assert_eq!(account_delay(5, 3), Duration::from_millis(1500));
        assert_eq!(account_delay(1_000, 3), MAX_DELAY);
    }

    #[test]
    fn keys_have_one_length_whatever_the_input() {
        let long = "a".repeat(10_000);
        let a = LoginThrottle::key("account", &long);
        let c = LoginThrottle::key("account", "a@x.kr");
        assert_eq!(a.len(), c.len());
        assert!(a.len() < 60 && !a.contains(&long[..20]));
        assert_ne!(a, c);
        assert_ne!(LoginThrottle::pair("a", "1"), LoginThrottle::pair("a", "2"));
    }

    #[test]
    fn wait_is_rounded_up_to_minutes() {
        assert_eq!(wait_minutes(Duration::from_secs(1)), 1);
        assert_eq!(wait_minutes(Duration::from_secs(61)), 2);
        assert_eq!(wait_minutes(Duration::from_secs(600)), 10);
    }
}
