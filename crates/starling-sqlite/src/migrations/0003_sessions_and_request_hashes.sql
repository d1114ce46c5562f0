-- Version 3: sessions replace bare tokens, and idempotency keys remember their request.
--
-- Why: a token must expire, and its owner must be able to list and revoke it, so each
-- gets an id, a last-use time and an expiry. Tokens from before get the default
-- lifetime (30 days) from their creation. An idempotency key reused with another
-- request must be refused, so the key keeps a hash of the request it was first used
-- with (NULL for keys from before, which are accepted as they were).

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB    NOT NULL UNIQUE,   -- SHA-256 of the token; never the token
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id, id);
INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at)
    SELECT hash, user_id, created_at, created_at, created_at + 2592000000 FROM tokens;
DROP TABLE tokens;

ALTER TABLE idempotency_keys ADD COLUMN request_hash BLOB;
