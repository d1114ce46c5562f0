-- Version 7: media items (uploads and what processing made of them), the blobs they refer
-- to, and the media each tweet version carries.
-- state: 0 processing, 1 ready, 2 failed (starling_core::media::MediaState::code); kind:
-- 0 image, 1 gif, 2 video. processed: starling_core::media::Processed as JSON once ready.
-- tweet_id: the tweet it was attached to (any version); it never changes after.
-- node_id and deadline: which node processes it and until when it answers for it.
CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL,
    kind       INTEGER NOT NULL,
    state      INTEGER NOT NULL,
    alt_text   TEXT NOT NULL DEFAULT '',
    processed  TEXT NOT NULL DEFAULT '',
    error      TEXT,
    tweet_id   INTEGER,
    node_id    INTEGER NOT NULL,
    deadline   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX media_unattached ON media(created_at) WHERE tweet_id IS NULL;
CREATE INDEX media_failed ON media(updated_at) WHERE state = 2;
CREATE INDEX media_processing ON media(deadline) WHERE state = 0;
-- Blob keys (SHA-256 of the stored bytes, hex) each item refers to: a blob no row names
-- may be deleted from the blob store.
CREATE TABLE media_blobs (
    key      TEXT NOT NULL,
    media_id INTEGER NOT NULL,
    PRIMARY KEY (key, media_id)
) WITHOUT ROWID;
CREATE INDEX media_blobs_by_item ON media_blobs(media_id);
-- The current version's media and each version's, as starling_core::media::Attachment's
-- stored form (a JSON array; '' for none). Attached media never change, so a version
-- keeps them as they were.
ALTER TABLE tweets ADD COLUMN media TEXT NOT NULL DEFAULT '';
ALTER TABLE tweet_events ADD COLUMN media TEXT NOT NULL DEFAULT '';
