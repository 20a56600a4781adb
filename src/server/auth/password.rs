//! Argon2id password hashes, computed off the async threads.

use crate::server::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// At most this many hashes at once: each takes about 19 MiB and a core for a moment, and a
/// burst of logins must not take the memory or the CPU of the whole server.
const CONCURRENT_HASHES: usize = 4;

async fn hashing_permit() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS
        .get_or_init(|| Semaphore::new(CONCURRENT_HASHES))
        .acquire()
        .await
        .map_err(|e| AppError::internal(format!("hash permits: {e}")))
}

pub async fn hash(password: String) -> Result<String, AppError> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::internal(format!("hash task: {e}")))?
}

pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2 hash: {e}")))
}

/// Checks a password against a stored hash. With no hash (unknown account) it still does the
/// work against a fixed hash, so response time does not tell which emails exist.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = match stored {
            Some(s) => s,
            None => dummy_hash().to_string(),
        };
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| AppError::internal(format!("stored hash unreadable: {e}")))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && known)
    })
    .await
    .map_err(|e| AppError::internal(format!("verify task: {e}")))?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_blocking("not-a-real-password-0000")
            .unwrap_or_else(|_| String::from("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = hash("tiger-Lake-48".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify("tiger-Lake-48".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("tiger-Lake-49".into(), Some(h)).await.unwrap());
        assert!(!verify("tiger-Lake-48".into(), None).await.unwrap());
    }
}
