-- Version 2: bodies move from a WITHOUT ROWID table keyed by their SHA-256 to a rowid
-- table in insertion order with a unique index on the hash.
--
-- Why: a hash key is random, so every new body landed on a random page of a b-tree
-- holding whole bodies (about 15 to a page). Each create dirtied one such page, split
-- one every ~15 inserts, and pushed a 4 KiB frame per tweet through the WAL and the
-- checkpoint. Now bodies append to the end of the table (a batch shares its pages) and
-- only the index, about 80 hashes to a page, takes random inserts: fewer pages, fewer
-- splits, and an index that stays in the writer's cache (docs/BENCHMARKS.md).
-- Tweets and events still refer to bodies by hash; joins go through the index.

CREATE TABLE bodies_v2 (
    id          INTEGER PRIMARY KEY,
    hash        BLOB    NOT NULL UNIQUE,
    content     TEXT    NOT NULL,
    entities    TEXT    NOT NULL,   -- JSON, derived from content
    tags        TEXT    NOT NULL,   -- lower-cased hashtags, space-separated
    created_at  INTEGER NOT NULL
);
-- In the old table's (hash) order, not by time: no sort, so memory stays flat (an ORDER BY
-- held every body in the in-memory sorter: 313 MiB peak RSS for a million), and the new
-- unique index receives its keys in order.
INSERT INTO bodies_v2 (hash, content, entities, tags, created_at)
    SELECT hash, content, entities, tags, created_at FROM bodies;
-- Dropping the table drops its immutability triggers; they are made again below.
DROP TABLE bodies;
ALTER TABLE bodies_v2 RENAME TO bodies;

CREATE TRIGGER bodies_are_immutable_u BEFORE UPDATE ON bodies
BEGIN SELECT RAISE(ABORT, 'bodies are immutable'); END;
CREATE TRIGGER bodies_are_immutable_d BEFORE DELETE ON bodies
BEGIN SELECT RAISE(ABORT, 'bodies are immutable'); END;
