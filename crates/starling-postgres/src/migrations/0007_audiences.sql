-- Version 7: who may read a tweet and where it sits in a conversation (as SQLite's
-- version 5). visibility: starling_core::Visibility::code; tweets written before it
-- existed were all public. conversation_id: the root of the reply chain. mentions: the
-- accounts the current version's @mentions named when it was written (`name:id`
-- separated by spaces); earlier tweets have none recorded.
ALTER TABLE tweets ADD COLUMN visibility BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tweets ADD COLUMN conversation_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tweets ADD COLUMN reply_to_user_id BIGINT;
ALTER TABLE tweets ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
-- A retweet is a tweet row of its own (its author the retweeter, its body the original's
-- at the time) pointing at the original; a quote is a tweet that embeds another, which
-- counts its quotes while they are readable by anyone with the link.
ALTER TABLE tweets ADD COLUMN retweet_of_id BIGINT;
ALTER TABLE tweets ADD COLUMN quote_of_id BIGINT;
ALTER TABLE tweets ADD COLUMN quotes BIGINT NOT NULL DEFAULT 0;
-- The entry a retweet made (NULL for retweets counted before entries existed).
ALTER TABLE retweets ADD COLUMN entry_id BIGINT;

WITH RECURSIVE chain(id, root) AS (
    SELECT id, id FROM tweets WHERE reply_to_id IS NULL
    UNION ALL
    SELECT t.id, c.root FROM tweets t JOIN chain c ON t.reply_to_id = c.id
)
UPDATE tweets SET conversation_id = chain.root FROM chain WHERE chain.id = tweets.id;
UPDATE tweets SET conversation_id = id WHERE conversation_id = 0;
UPDATE tweets t SET reply_to_user_id = p.author_id FROM tweets p
WHERE t.reply_to_id = p.id;

CREATE INDEX tweets_by_conversation ON tweets(conversation_id, id);

-- A profile's tweet count (its tweets and retweets in public view: published or edited),
-- moved in the same transaction as the rows it counts instead of counted on each read.
ALTER TABLE users ADD COLUMN tweets BIGINT NOT NULL DEFAULT 0;
UPDATE users SET tweets = (SELECT COUNT(*) FROM tweets t
                           WHERE t.author_id = users.id AND t.state IN (1, 2));
CREATE INDEX tweets_by_quoted ON tweets(quote_of_id, id) WHERE quote_of_id IS NOT NULL;
