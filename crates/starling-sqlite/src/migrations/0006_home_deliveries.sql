-- Version 6: the outbox of home-timeline deliveries and notifications, the authors merged
-- at read time, and the notifications themselves.
-- A delivery is recorded in the same transaction as what it delivers (a tweet or retweet
-- entering view, a follow), so an acknowledged write is delivered at least once even if
-- the process dies right after; workers claim deliveries (claimed_until), carry them
-- out idempotently and delete them. kind: 0 a post (tweet_id by author_id), 1 a follow
-- (user_id started following author_id).
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          INTEGER NOT NULL,
    tweet_id      INTEGER,
    author_id     INTEGER NOT NULL,
    user_id       INTEGER,
    created_at    INTEGER NOT NULL,
    claimed_until INTEGER NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0
);
-- Authors with too many followers to fan out to: their tweets are merged into their
-- followers' home timelines at read time. An author leaves only after their recent
-- tweets were delivered to every follower (so crossing the threshold down loses nothing).
CREATE TABLE merged_authors (
    user_id INTEGER PRIMARY KEY,
    since   INTEGER NOT NULL
);
-- Accounts to suggest, the most followed first.
CREATE INDEX users_by_followers ON users(followers DESC, id);
-- Notifications, made by the delivery workers from the outbox: one row per recipient,
-- kind (starling_store::NotificationKind::code), actor and tweet (none for follows), so a
-- delivery carried out twice notifies once. Reads leave out actors the recipient blocks,
-- is blocked by or mutes, and tweets no longer in view.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    actor_id     INTEGER NOT NULL,
    tweet_id     INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX notifications_once
    ON notifications(recipient_id, kind, actor_id, COALESCE(tweet_id, 0));
CREATE INDEX notifications_by_recipient ON notifications(recipient_id, id);
-- How far each user has read their notifications (a notification id).
CREATE TABLE notification_marks (
    user_id    INTEGER PRIMARY KEY,
    read_up_to INTEGER NOT NULL
);
