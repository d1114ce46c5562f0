-- Starling's PostgreSQL schema, version 1: the same model as the SQLite backend's
-- (users, sessions, content-addressed bodies, tweets as a projection of an append-only
-- event log, engagement rows with counters kept beside them). Times are Unix ms; states
-- and event kinds are starling-core's codes.

CREATE TABLE users (
    id             BIGINT PRIMARY KEY,
    username       TEXT   NOT NULL,
    username_key   TEXT   NOT NULL UNIQUE,   -- lower-cased: unique case-insensitively
    display_name   TEXT   NOT NULL,
    password_hash  TEXT   NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE sessions (
    id            BIGINT PRIMARY KEY,
    token_hash    BYTEA  NOT NULL UNIQUE,     -- SHA-256 of the token; never the token
    user_id       BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id, id);

CREATE TABLE bodies (
    hash        BYTEA  PRIMARY KEY,           -- SHA-256 of the NFC-normalized text
    content     TEXT   NOT NULL,
    entities    TEXT   NOT NULL,              -- JSON, derived from content
    tags        TEXT   NOT NULL,              -- lower-cased hashtags, space-separated
    created_at  BIGINT NOT NULL
);

CREATE TABLE tweets (
    id           BIGINT PRIMARY KEY,
    author_id    BIGINT NOT NULL REFERENCES users(id),
    body_hash    BYTEA  NOT NULL REFERENCES bodies(hash),
    version      BIGINT NOT NULL,
    state        BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    reply_to_id  BIGINT,
    likes        BIGINT NOT NULL DEFAULT 0,
    retweets     BIGINT NOT NULL DEFAULT 0,
    replies      BIGINT NOT NULL DEFAULT 0,
    views        BIGINT NOT NULL DEFAULT 0,
    rev          BIGINT NOT NULL,             -- bumped by every change, orders cache updates
    last_seq     BIGINT NOT NULL              -- seq of the latest event
);
CREATE INDEX tweets_by_author ON tweets(author_id, id);
CREATE INDEX tweets_by_parent ON tweets(reply_to_id) WHERE reply_to_id IS NOT NULL;

CREATE TABLE tweet_events (
    tweet_id   BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    kind       BIGINT NOT NULL,
    version    BIGINT NOT NULL,               -- the tweet's version after the event
    body_hash  BYTEA  NOT NULL,               -- the tweet's content after the event
    actor_id   BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (tweet_id, seq)
);

-- Events and bodies are immutable, enforced by the database as on SQLite.
CREATE FUNCTION starling_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are immutable', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER tweet_events_are_immutable BEFORE UPDATE OR DELETE ON tweet_events
    FOR EACH ROW EXECUTE FUNCTION starling_refuse_change();
CREATE TRIGGER tweet_events_are_not_truncated BEFORE TRUNCATE ON tweet_events
    FOR EACH STATEMENT EXECUTE FUNCTION starling_refuse_change();
CREATE TRIGGER bodies_are_immutable BEFORE UPDATE OR DELETE ON bodies
    FOR EACH ROW EXECUTE FUNCTION starling_refuse_change();
CREATE TRIGGER bodies_are_not_truncated BEFORE TRUNCATE ON bodies
    FOR EACH STATEMENT EXECUTE FUNCTION starling_refuse_change();

-- Hashtags of each tweet's current version.
CREATE TABLE hashtags (
    tweet_id  BIGINT NOT NULL,
    tag       TEXT   NOT NULL,
    PRIMARY KEY (tweet_id, tag)
);
CREATE INDEX hashtags_by_tag ON hashtags(tag, tweet_id);

CREATE TABLE likes (
    tweet_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tweet_id, user_id)
);
CREATE INDEX likes_by_time ON likes(created_at);

CREATE TABLE retweets (
    tweet_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tweet_id, user_id)
);
CREATE INDEX retweets_by_time ON retweets(created_at);

CREATE TABLE idempotency_keys (
    user_id       BIGINT NOT NULL,
    key           TEXT   NOT NULL,
    tweet_id      BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    request_hash  BYTEA  NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Running totals, moved in the same transaction as the rows they count. One row would
-- serialize every write in the cluster on its lock, so they are spread over 16 shards
-- (each transaction moves one, picked at random) and summed on read.
CREATE TABLE totals (
    shard     BIGINT PRIMARY KEY,
    tweets    BIGINT NOT NULL DEFAULT 0,      -- in any state but deleted
    versions  BIGINT NOT NULL DEFAULT 0,
    bodies    BIGINT NOT NULL DEFAULT 0,
    likes     BIGINT NOT NULL DEFAULT 0,
    retweets  BIGINT NOT NULL DEFAULT 0,
    replies   BIGINT NOT NULL DEFAULT 0,
    views     BIGINT NOT NULL DEFAULT 0
);
INSERT INTO totals (shard) SELECT generate_series(0, 15);
