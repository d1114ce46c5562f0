import { Link } from 'react-router';
import { tweetMedia } from '../api/media';
import type { Ancestor } from '../api/types';
import { MediaGrid } from './MediaGrid';
import { RelativeTime } from './RelativeTime';
import { TweetText } from './TweetText';

/** A quoted tweet shown inside another: who, when and what, linking to the tweet itself. */
export function EmbeddedTweet({ tweet }: { tweet: Ancestor }) {
  if ('unavailable' in tweet) {
    return (
      <div className="embedded unavailable" data-quoted-id={tweet.id}>
        This tweet is unavailable
      </div>
    );
  }
  return (
    <div className="embedded" data-quoted-id={tweet.id}>
      <div className="tweet-header">
        <Link to={`/u/${encodeURIComponent(tweet.author.username)}`} className="display-name">
          {tweet.author.displayName}
        </Link>{' '}
        <span className="muted">@{tweet.author.username}</span>
        <span className="muted" aria-hidden="true">
          ·
        </span>
        <Link to={`/tweets/${tweet.id}`} className="muted time-link">
          <RelativeTime iso={tweet.createdAt} />
        </Link>
      </div>
      {tweet.content && <TweetText content={tweet.content} entities={tweet.entities} />}
      <MediaGrid media={tweetMedia(tweet)} />
    </div>
  );
}
