//! Accounts and sessions: sign-up, sign-in (throttled, on a bounded argon2 pool),
//! sessions that expire and can be revoked, and authentication with a bounded cache.

use crate::*;
use starling_core::{DisplayName, Password, Username};

impl Engine {
    pub async fn register(
        &self,
        username: &str,
        password: &str,
        display_name: Option<&str>,
    ) -> Result<(User, String)> {
        let username = Username::parse(username)?;
        let password = Password::parse_new(password, &username)?;
        let display_name = match display_name {
            Some(d) => DisplayName::parse(d)?.as_str().to_string(),
            None => username.as_str().to_string(),
        };
        // Fail fast before paying for a hash; the store still decides atomically.
        if self
            .account_store()
            .user_by_username(username.as_str())
            .await?
            .is_some()
        {
            return Err(EngineError::Refused(Refusal::UsernameTaken));
        }
        let password_hash = self.hash(password).await?;
        let user = self
            .account_store()
            .create_user(NewUser {
                username: username.as_str().to_string(),
                display_name,
                password_hash,
                now: self.clock.now(),
            })
            .await?;
        let token = self.issue_token(&user).await?;
        Ok((user, token))
    }

    /// Run an argon2 computation on a blocking thread, at most `hashing_concurrency` at
    /// once. The permit moves into the blocking task: a client that disconnects cannot
    /// free its slot while its hash is still being computed.
    pub(crate) async fn argon2<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        use std::sync::atomic::Ordering;
        /// Leaves the queue however the wait ends (a client that disconnects included).
        struct Waiting(Arc<std::sync::atomic::AtomicUsize>);
        impl Drop for Waiting {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        let waiting = Waiting(self.hashing_waiting.clone());
        if waiting.0.fetch_add(1, Ordering::AcqRel) >= self.config.hashing_queue {
            return Err(EngineError::Overloaded);
        }
        let permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(EngineError::internal)?;
        drop(waiting);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(EngineError::internal)
    }

    pub(crate) async fn hash(&self, password: Password) -> Result<String> {
        self.argon2(move || auth::hash_password(password.expose()))
            .await?
            .map_err(EngineError::internal)
    }

    pub(crate) async fn issue_token(&self, user: &User) -> Result<String> {
        let token = auth::new_token();
        let now = self.clock.now();
        self.account_store()
            .create_session(NewSession {
                token_hash: auth::token_hash(&token),
                user: user.id,
                now,
                expires_at: now + self.config.session_ttl.as_millis() as i64,
            })
            .await?;
        Ok(token)
    }

    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<(User, String)> {
        self.throttle
            .check(username, address, self.clock.now())
            .map_err(|retry_after| {
                EngineError::Refused(Refusal::TooManyAttempts { retry_after })
            })?;
        let found = self.account_store().credentials(username).await?;
        let password = password.to_string();
        // An unknown user still costs one verification, so timing does not reveal
        // which usernames exist.
        let (user, phc) = match found {
            Some((user, phc)) => (Some(user), phc),
            None => (None, DUMMY_HASH.to_string()),
        };
        let ok = self
            .argon2(move || auth::verify_password(&password, &phc))
            .await?;
        match (user, ok) {
            (Some(user), true) => {
                self.throttle.succeeded(username);
                let token = self.issue_token(&user).await?;
                Ok((user, token))
            }
            _ => {
                self.throttle.failed(username, address, self.clock.now());
                Err(EngineError::Refused(Refusal::InvalidCredentials))
            }
        }
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let ended = self
            .account_store()
            .delete_sessions(RevokeSessions::Token(auth::token_hash(token)))
            .await?;
        self.sessions_ended(ended);
        Ok(())
    }

    /// End every session of `user`, this one included.
    pub async fn logout_everywhere(&self, user: &User) -> Result<()> {
        let ended = self
            .account_store()
            .delete_sessions(RevokeSessions::AllOf(user.id))
            .await?;
        self.sessions_ended(ended);
        Ok(())
    }

    /// End one of `user`'s own sessions; another user's is not found.
    pub async fn revoke_session(&self, user: &User, id: SessionId) -> Result<()> {
        let ended = self
            .account_store()
            .delete_sessions(RevokeSessions::One { user: user.id, id })
            .await?;
        self.sessions_ended(ended);
        Ok(())
    }

    pub async fn sessions(&self, user: &User) -> Result<Vec<Session>> {
        let now = self.clock.now();
        let mut sessions = self.account_store().sessions(user.id).await?;
        sessions.retain(|s| s.expires_at > now);
        Ok(sessions)
    }

    /// Drop cached sessions of `user` (their user record changed).
    pub(crate) fn forget_user(&self, user: UserId) {
        let mut tokens = self.tokens.lock();
        let stale: Vec<[u8; 32]> = tokens
            .iter()
            .filter(|(_, cached)| cached.user.id == user)
            .map(|(hash, _)| *hash)
            .collect();
        for hash in stale {
            tokens.pop(&hash);
        }
    }

    /// Sessions that ended on another node: drop their cached tokens here.
    pub(crate) fn forget_sessions(&self, ids: &[SessionId]) {
        let mut tokens = self.tokens.lock();
        let stale: Vec<[u8; 32]> = tokens
            .iter()
            .filter(|(_, cached)| ids.contains(&cached.session.id))
            .map(|(hash, _)| *hash)
            .collect();
        for hash in stale {
            tokens.pop(&hash);
        }
    }

    pub(crate) fn sessions_ended(&self, ended: Vec<Session>) {
        let mut tokens = self.tokens.lock();
        for s in &ended {
            tokens.pop(&s.token_hash);
        }
        drop(tokens);
        if !ended.is_empty() {
            self.emit(Event::SessionsEnded(ended.iter().map(|s| s.id).collect()));
        }
    }

    pub async fn authenticate(&self, token: &str) -> Result<User> {
        self.authenticate_session(token).await.map(|(user, _)| user)
    }

    /// The user and session a token opens, if it has not expired or been revoked.
    pub async fn authenticate_session(&self, token: &str) -> Result<(User, Session)> {
        let hash = auth::token_hash(token);
        let now = self.clock.now();
        let renewal = self.config.session_renewal.as_millis() as i64;
        // The store's cache epoch before reading it: a session read under the epoch that
        // still holds was read while no other process could end it unseen.
        let epoch = self.cache_usable();
        if let Some(cached) = self.tokens.lock().get(&hash)
            && (now - cached.read_at < TOKEN_RECHECK_MS
                || (epoch.is_some() && cached.epoch == epoch))
            && cached.session.expires_at > now
            && now - cached.session.last_used_at < renewal
        {
            return Ok((cached.user.clone(), cached.session.clone()));
        }
        let (user, mut session) = self
            .account_store()
            .session_by_token(hash)
            .await?
            .filter(|(_, s)| s.expires_at > now)
            .ok_or(EngineError::Refused(Refusal::Unauthorized))?;
        // Sliding expiry, written at most once per renewal period.
        if now - session.last_used_at >= renewal {
            let expires_at = now + self.config.session_ttl.as_millis() as i64;
            self.account_store()
                .renew_session(session.id, now, expires_at)
                .await?;
            session.last_used_at = now;
            session.expires_at = expires_at;
        }
        self.tokens.lock().put(
            hash,
            CachedSession {
                user: user.clone(),
                session: session.clone(),
                read_at: now,
                epoch,
            },
        );
        Ok((user, session))
    }
}

/// A valid argon2id hash of a random password, verified against when the username is
/// unknown so that a failed login costs the same either way.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RhcmxpbmdkdW1teXNhbHQ$3cMq/Wlk3hdQnFN7s/H5pH6cp7BRlnA+fkz5cExmV0o";

#[cfg(test)]
mod tests {
    #[test]
    pub(crate) fn the_dummy_hash_is_a_real_argon2id_hash() {
        // If it did not parse, an unknown username would fail fast and timing would
        // tell unknown usernames from wrong passwords.
        let parsed =
            argon2::password_hash::PasswordHash::new(super::DUMMY_HASH).expect("valid PHC string");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(!super::auth::verify_password(
            "anything at all",
            super::DUMMY_HASH
        ));
    }
}
