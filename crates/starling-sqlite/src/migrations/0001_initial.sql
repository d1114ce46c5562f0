-- Starling's SQLite schema, version 1 (the initial schema; later migrations change it).
-- Tweets are a projection of the append-only tweet_events log; bodies are
-- content-addressed by the SHA-256 of their NFC-normalized text.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL,
    username_key   TEXT    NOT NULL UNIQUE,   -- lower-cased: unique case-insensitively
    display_name   TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);

-- Only SHA-256 hashes of tokens are stored.
CREATE TABLE tokens (
    hash        BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE bodies (
    hash        BLOB    PRIMARY KEY,
    content     TEXT    NOT NULL,
    entities    TEXT    NOT NULL,   -- JSON, derived from content
    tags        TEXT    NOT NULL,   -- lower-cased hashtags, space-separated
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tweets (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES users(id),
    body_hash    BLOB    NOT NULL REFERENCES bodies(hash),
    version      INTEGER NOT NULL,
    state        INTEGER NOT NULL,   -- starling_core::TweetState::code
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    reply_to_id  INTEGER,
    likes        INTEGER NOT NULL DEFAULT 0,
    retweets     INTEGER NOT NULL DEFAULT 0,
    replies      INTEGER NOT NULL DEFAULT 0,
    views        INTEGER NOT NULL DEFAULT 0,
    rev          INTEGER NOT NULL,   -- bumped by every change, orders cache updates
    last_seq     INTEGER NOT NULL    -- seq of the latest event
);
CREATE INDEX tweets_by_author ON tweets(author_id, id);

CREATE TABLE tweet_events (
    tweet_id   INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    kind       INTEGER NOT NULL,     -- starling_store::EventKind::code
    version    INTEGER NOT NULL,     -- the tweet's version after the event
    body_hash  BLOB    NOT NULL,     -- the tweet's content after the event
    actor_id   INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (tweet_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER tweet_events_are_immutable_u BEFORE UPDATE ON tweet_events
BEGIN SELECT RAISE(ABORT, 'tweet_events are immutable'); END;
CREATE TRIGGER tweet_events_are_immutable_d BEFORE DELETE ON tweet_events
BEGIN SELECT RAISE(ABORT, 'tweet_events are immutable'); END;
CREATE TRIGGER bodies_are_immutable_u BEFORE UPDATE ON bodies
BEGIN SELECT RAISE(ABORT, 'bodies are immutable'); END;
CREATE TRIGGER bodies_are_immutable_d BEFORE DELETE ON bodies
BEGIN SELECT RAISE(ABORT, 'bodies are immutable'); END;

-- Hashtags of each tweet's current version.
CREATE TABLE hashtags (
    tweet_id  INTEGER NOT NULL,
    tag       TEXT    NOT NULL,
    PRIMARY KEY (tweet_id, tag)
) WITHOUT ROWID;
CREATE INDEX hashtags_by_tag ON hashtags(tag, tweet_id);

CREATE TABLE likes (
    tweet_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tweet_id, user_id)
) WITHOUT ROWID;
CREATE INDEX likes_by_time ON likes(created_at);

CREATE TABLE retweets (
    tweet_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tweet_id, user_id)
) WITHOUT ROWID;
CREATE INDEX retweets_by_time ON retweets(created_at);

CREATE TABLE idempotency_keys (
    user_id     INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    tweet_id    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Running totals, moved by each batch in the same transaction as the rows they count,
-- so the stats endpoint reads one row instead of counting millions.
CREATE TABLE totals (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    tweets    INTEGER NOT NULL,   -- in any state but deleted
    versions  INTEGER NOT NULL,
    bodies    INTEGER NOT NULL,
    likes     INTEGER NOT NULL,
    retweets  INTEGER NOT NULL,
    replies   INTEGER NOT NULL,
    views     INTEGER NOT NULL
);
INSERT INTO totals VALUES (1, 0, 0, 0, 0, 0, 0, 0);
