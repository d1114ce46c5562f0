-- Version 9: media items, the blobs they refer to, and the media each tweet version
-- carries (see the SQLite migration 0007 for the meaning of each column).
CREATE TABLE media (
    id         BIGINT PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES users(id),
    kind       BIGINT NOT NULL,
    state      BIGINT NOT NULL,
    alt_text   TEXT NOT NULL DEFAULT '',
    processed  TEXT NOT NULL DEFAULT '',
    error      TEXT,
    tweet_id   BIGINT,
    node_id    BIGINT NOT NULL,
    deadline   BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX media_unattached ON media(created_at) WHERE tweet_id IS NULL;
CREATE INDEX media_failed ON media(updated_at) WHERE state = 2;
CREATE INDEX media_processing ON media(deadline) WHERE state = 0;
CREATE TABLE media_blobs (
    key      TEXT NOT NULL,
    media_id BIGINT NOT NULL,
    PRIMARY KEY (key, media_id)
);
CREATE INDEX media_blobs_by_item ON media_blobs(media_id);
ALTER TABLE tweets ADD COLUMN media TEXT NOT NULL DEFAULT '';
ALTER TABLE tweet_events ADD COLUMN media TEXT NOT NULL DEFAULT '';
