-- Version 4: profiles and the social graph. Follower and following counts live on the
-- user row and move in the same transaction as the follows they count.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN protected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN followers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN following INTEGER NOT NULL DEFAULT 0;

CREATE TABLE follows (
    follower_id  INTEGER NOT NULL,
    followee_id  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
-- A user's followers, and whom a user follows, newest first.
CREATE INDEX follows_by_followee ON follows(followee_id, created_at, follower_id);
CREATE INDEX follows_by_follower ON follows(follower_id, created_at, followee_id);

-- Requests to follow a protected account, waiting for its answer.
CREATE TABLE follow_requests (
    requester_id  INTEGER NOT NULL,
    target_id     INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (requester_id, target_id)
) WITHOUT ROWID;
CREATE INDEX follow_requests_by_target ON follow_requests(target_id, created_at, requester_id);

CREATE TABLE blocks (
    blocker_id  INTEGER NOT NULL,
    blocked_id  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
) WITHOUT ROWID;
CREATE INDEX blocks_by_blocked ON blocks(blocked_id, blocker_id);
CREATE INDEX blocks_by_time ON blocks(blocker_id, created_at, blocked_id);

CREATE TABLE mutes (
    muter_id    INTEGER NOT NULL,
    muted_id    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (muter_id, muted_id)
) WITHOUT ROWID;
CREATE INDEX mutes_by_time ON mutes(muter_id, created_at, muted_id);
