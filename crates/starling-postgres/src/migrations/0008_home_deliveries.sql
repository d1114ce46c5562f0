-- Version 8: the outbox of home-timeline deliveries, and the authors merged at read time
-- (see the SQLite migration 0006 for the meaning of each column). Workers on every node
-- claim deliveries with FOR UPDATE SKIP LOCKED.
CREATE TABLE deliveries (
    id            BIGSERIAL PRIMARY KEY,
    kind          BIGINT NOT NULL,
    tweet_id      BIGINT,
    author_id     BIGINT NOT NULL,
    user_id       BIGINT,
    created_at    BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    attempts      BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE merged_authors (
    user_id BIGINT PRIMARY KEY,
    since   BIGINT NOT NULL
);
-- Accounts to suggest, the most followed first.
CREATE INDEX users_by_followers ON users(followers DESC, id);
-- Notifications (see the SQLite migration 0006).
CREATE TABLE notifications (
    id           BIGSERIAL PRIMARY KEY,
    recipient_id BIGINT NOT NULL,
    kind         BIGINT NOT NULL,
    actor_id     BIGINT NOT NULL,
    tweet_id     BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX notifications_once
    ON notifications(recipient_id, kind, actor_id, COALESCE(tweet_id, 0));
CREATE INDEX notifications_by_recipient ON notifications(recipient_id, id);
CREATE TABLE notification_marks (
    user_id    BIGINT PRIMARY KEY,
    read_up_to BIGINT NOT NULL
);
