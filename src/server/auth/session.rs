//! Sessions: a random token in an HttpOnly cookie; the store keeps only its SHA-256. Kept in
//! Redis when configured (shared by every instance), otherwise in the database.

use crate::domain::UserId;
use crate::server::db::{self, Db};
use crate::server::error::AppError;
use crate::server::kv::{RedisCall, RedisKv};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const COOKIE_NAME: &str = "doongji_session";

/// The session cookie's name: on https with the `__Host-` prefix, which browsers accept only
/// when Secure, for `Path=/` and without a domain, so no other site or subdomain can set it.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-doongji_session"
    } else {
        COOKIE_NAME
    }
}

#[derive(Clone)]
pub enum SessionStore {
    Database(Db),
    Redis(RedisKv),
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl SessionStore {
    pub fn kind(&self) -> &'static str {
        match self {
            SessionStore::Database(_) => "database",
            SessionStore::Redis(_) => "redis",
        }
    }

    /// Starts a session for the user and returns the token for the cookie. It ends after `ttl`
    /// whatever happens, and earlier when unused for `idle` (see [`Self::user_of`]).
    pub async fn create(
        &self,
        user: UserId,
        ttl: Duration,
        idle: Duration,
    ) -> Result<String, AppError> {
        let token = new_token();
        let hash = token_hash(&token);
        match self {
            SessionStore::Database(db) => {
                let ttl = chrono::Duration::from_std(ttl)
                    .map_err(|e| AppError::internal(format!("session ttl: {e}")))?;
                db::sessions::insert(db, &hash, user, db::now_utc() + ttl).await?;
            }
            SessionStore::Redis(kv) => {
                let key = kv.key(&format!("session:{hash}"));
                let seen = kv.key(&format!("session-seen:{hash}"));
                let index = kv.key(&format!("user-sessions:{}", user.0));
                let secs = ttl.as_secs();
                let idle_secs = idle.as_secs().clamp(1, secs.max(1));
                let _: () = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.atomic()
                            .set_ex(&key, user.0, secs)
                            .ignore()
                            .set_ex(&seen, 1, idle_secs)
                            .ignore()
                            .sadd(&index, &hash)
                            .ignore()
                            .expire(&index, secs as i64)
                            .ignore();
                        RedisCall::Pipe(p)
                    })
                    .await?;
            }
        }
        Ok(token)
    }

    /// The session's user, if it has not expired and was used within `idle`; each use moves
    /// the idle deadline forward.
    pub async fn user_of(&self, token: &str, idle: Duration) -> Result<Option<UserId>, AppError> {
        let hash = token_hash(token);
        match self {
            SessionStore::Database(db) => db::sessions::find_user(db, &hash, idle).await,
            SessionStore::Redis(kv) => {
                let key = kv.key(&format!("session:{hash}"));
                let seen = kv.key(&format!("session-seen:{hash}"));
                let idle_secs = idle.as_secs().max(1) as i64;
                // One round trip: the session, and the idle marker pushed forward if still there.
                let (id, alive): (Option<i64>, i64) = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.get(&key).expire(&seen, idle_secs);
                        RedisCall::Pipe(p)
                    })
                    .await?;
                match id {
                    Some(id) if alive == 1 => Ok(Some(UserId(id))),
                    Some(_) => {
                        let _: () = kv.run(|| RedisCall::Cmd(redis::Cmd::del(&key))).await?;
                        Ok(None)
                    }
                    None => Ok(None),
                }
            }
        }
    }

    pub async fn delete(&self, token: &str) -> Result<(), AppError> {
        let hash = token_hash(token);
        match self {
            SessionStore::Database(db) => db::sessions::delete(db, &hash).await,
            SessionStore::Redis(kv) => {
                let keys = [
                    kv.key(&format!("session:{hash}")),
                    kv.key(&format!("session-seen:{hash}")),
                ];
                let _: () = kv.run(|| RedisCall::Cmd(redis::Cmd::del(&keys))).await?;
                Ok(())
            }
        }
    }

    /// Ends every session of a user but the one holding `keep` (their own password change:
    /// a thief's session ends, the person's own goes on).
    pub async fn delete_others_of_user(&self, user: UserId, keep: &str) -> Result<(), AppError> {
        let keep = token_hash(keep);
        match self {
            SessionStore::Database(db) => {
                db::sessions::delete_for_user_except(db, user, &keep).await
            }
            SessionStore::Redis(kv) => {
                let index = kv.key(&format!("user-sessions:{}", user.0));
                let hashes: Vec<String> = kv
                    .run(|| RedisCall::Cmd(redis::Cmd::smembers(&index)))
                    .await?;
                let others: Vec<&String> = hashes.iter().filter(|h| **h != keep).collect();
                if others.is_empty() {
                    return Ok(());
                }
                let keys: Vec<String> = others
                    .iter()
                    .flat_map(|h| {
                        [
                            kv.key(&format!("session:{h}")),
                            kv.key(&format!("session-seen:{h}")),
                        ]
                    })
                    .collect();
                let _: () = kv
                    .run(|| {
                        let mut p = redis::pipe();
                        p.del(&keys).ignore().srem(&index, &others).ignore();
                        RedisCall::Pipe(p)
                    })
                    .await?;
                Ok(())
            }
        }
    }

    /// Ends every session of a user (deactivation, password reset).
    pub async fn delete_for_user(&self, user: UserId) -> Result<(), AppError> {
        match self {
            SessionStore::Database(db) => db::sessions::delete_for_user(db, user).await,
            SessionStore::Redis(kv) => {
                let index = kv.key(&format!("user-sessions:{}", user.0));
                let hashes: Vec<String> = kv
                    .run(|| RedisCall::Cmd(redis::Cmd::smembers(&index)))
                    .await?;
                let mut keys: Vec<String> = hashes
                    .iter()
                    .flat_map(|h| {
                        [
                            kv.key(&format!("session:{h}")),
                            kv.key(&format!("session-seen:{h}")),
                        ]
                    })
                    .collect();
                keys.push(index);
                let _: () = kv.run(|| RedisCall::Cmd(redis::Cmd::del(&keys))).await?;
                Ok(())
            }
        }
    }
}

/// Reads one cookie from a request's `Cookie` headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `Set-Cookie` for a new session, or (with `None`) one that removes it.
pub fn set_cookie_header(token: Option<&str>, ttl: Duration, https: bool) -> String {
    let name = cookie_name(https);
    let secure = if https { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{name}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            ttl.as_secs()
        ),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert!(a.len() >= 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookie_is_http_only_and_same_site() {
        let c = set_cookie_header(Some("abc"), Duration::from_secs(60), false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        let https = set_cookie_header(Some("abc"), Duration::from_secs(60), true);
        assert!(
            https.starts_with("__Host-doongji_session=abc; Path=/;"),
            "{https}"
        );
        assert!(https.contains("; Secure") && !https.contains("Domain"));
    }

    #[test]
    fn reads_one_cookie_among_several() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; doongji_session=tok; b=2".parse().unwrap(),
        );
        assert_eq!(cookie_value(&h, COOKIE_NAME).as_deref(), Some("tok"));
        assert_eq!(cookie_value(&h, "zzz"), None);
    }
}
