-- Version 10: where a tweet sits in lists (see the SQLite migration 0008). `position` is
-- the tweet's id, or for a draft published later a Snowflake drawn when it was published;
-- lists are ordered and paged by it. Hashtag rows carry their tweet's position. A post
-- delivery's position is NULL when it is the tweet's id (the batched creates write none).
ALTER TABLE tweets ADD COLUMN position BIGINT;
UPDATE tweets SET position = id;
ALTER TABLE tweets ALTER COLUMN position SET NOT NULL;
DROP INDEX tweets_by_author;
CREATE INDEX tweets_by_author ON tweets(author_id, position);
CREATE INDEX tweets_by_position ON tweets(position);
DROP INDEX tweets_by_quoted;
CREATE INDEX tweets_by_quoted ON tweets(quote_of_id, position) WHERE quote_of_id IS NOT NULL;

ALTER TABLE hashtags ADD COLUMN position BIGINT;
UPDATE hashtags SET position = tweet_id;
ALTER TABLE hashtags ALTER COLUMN position SET NOT NULL;
DROP INDEX hashtags_by_tag;
CREATE INDEX hashtags_by_tag ON hashtags(tag, position);

ALTER TABLE deliveries ADD COLUMN position BIGINT;
