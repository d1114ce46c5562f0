-- Version 6: profiles and the social graph. Follower and following counts live on the
-- user row and move in the same transaction as the follows they count; a change locks
-- both users' rows (in id order), so a follow racing a block cannot survive it.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN protected BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN followers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN following BIGINT NOT NULL DEFAULT 0;

CREATE TABLE follows (
    follower_id  BIGINT NOT NULL,
    followee_id  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_by_followee ON follows(followee_id, created_at, follower_id);
CREATE INDEX follows_by_follower ON follows(follower_id, created_at, followee_id);

CREATE TABLE follow_requests (
    requester_id  BIGINT NOT NULL,
    target_id     BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (requester_id, target_id)
);
CREATE INDEX follow_requests_by_target ON follow_requests(target_id, created_at, requester_id);

CREATE TABLE blocks (
    blocker_id  BIGINT NOT NULL,
    blocked_id  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_by_blocked ON blocks(blocked_id, blocker_id);
CREATE INDEX blocks_by_time ON blocks(blocker_id, created_at, blocked_id);

CREATE TABLE mutes (
    muter_id    BIGINT NOT NULL,
    muted_id    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (muter_id, muted_id)
);
CREATE INDEX mutes_by_time ON mutes(muter_id, created_at, muted_id);
