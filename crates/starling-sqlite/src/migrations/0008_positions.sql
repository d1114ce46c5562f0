-- Version 8: where a tweet sits in lists. `position` is a Snowflake: the tweet's own id,
-- except for a draft published later, which draws a new one when it is published, so it
-- lists (profiles, the public timeline, hashtags, quotes, home timelines) where a tweet
-- posted at that moment would. Lists are ordered and paged by it; ids stay what links
-- and events refer to. Hashtag rows and post deliveries carry the position of their tweet
-- so those lists read in index order too.
ALTER TABLE tweets ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE tweets SET position = id;
DROP INDEX tweets_by_author;
CREATE INDEX tweets_by_author ON tweets(author_id, position);
CREATE INDEX tweets_by_position ON tweets(position);
DROP INDEX tweets_by_quoted;
CREATE INDEX tweets_by_quoted ON tweets(quote_of_id, position) WHERE quote_of_id IS NOT NULL;

ALTER TABLE hashtags ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE hashtags SET position = tweet_id;
DROP INDEX hashtags_by_tag;
CREATE INDEX hashtags_by_tag ON hashtags(tag, position);

ALTER TABLE deliveries ADD COLUMN position INTEGER;
UPDATE deliveries SET position = tweet_id WHERE kind = 0;
