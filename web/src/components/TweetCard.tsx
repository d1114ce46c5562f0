import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { tweetMedia } from '../api/media';
import type { Tweet } from '../api/types';
import { useSession } from '../session';
import { AuthorActions } from './AuthorActions';
import { ComposeBox, isPlaceholder } from './ComposeBox';
import { EditTweetForm } from './EditTweetForm';
import { EmbeddedTweet } from './EmbeddedTweet';
import { EngagementBar } from './EngagementBar';
import { MediaGrid } from './MediaGrid';
import { RelativeTime } from './RelativeTime';
import { TweetText } from './TweetText';
import { useCountView } from '../views';

const STATE_BADGE: Partial<Record<Tweet['state'], string>> = { draft: 'Draft', archived: 'Archived' };

export function profilePath(username: string): string {
  return `/u/${encodeURIComponent(username)}`;
}

/**
 * One entry of a list. A retweet is an entry of its own but is read as the
 * original, so the original is shown (and engaged with) under a line naming the retweeter.
 * Memoised: the cache keeps an unchanged tweet the same object (api/cache.ts), so a like
 * arriving for one tweet redraws that card, not the whole list.
 */
export const TweetCard = memo(function TweetCard({ tweet, onGone }: { tweet: Tweet; onGone?: () => void }) {
  if (tweet.kind === 'retweet') {
    return (
      <div className="retweet-entry" data-retweet-id={tweet.id}>
        <p className="retweet-note muted">
          <span aria-hidden="true">↻ </span>
          <Link to={profilePath(tweet.author.username)}>{tweet.author.displayName}</Link> retweeted
        </p>
        {tweet.retweetOf ? (
          <SingleTweet tweet={tweet.retweetOf} />
        ) : (
          <div className="embedded unavailable">This tweet is unavailable</div>
        )}
      </div>
    );
  }
  return <SingleTweet tweet={tweet} onGone={onGone} />;
});

/** One tweet: author, time, text with its entities, counts, and the author's actions. */
function SingleTweet({ tweet, onGone }: { tweet: Tweet; onGone?: () => void }) {
  const { user } = useSession();
  const [editing, setEditing] = useState(false);
  // After an edit is saved or cancelled the form (which had focus) goes: focus returns to Edit.
  const [returnFocus, setReturnFocus] = useState(false);
  const articleRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!returnFocus || editing) return;
    setReturnFocus(false);
    const article = articleRef.current;
    (article?.querySelector<HTMLElement>('[data-action="edit"]') ?? article)?.focus();
  }, [returnFocus, editing]);
  const [quoting, setQuoting] = useState(false);
  const sending = isPlaceholder(tweet);
  const mine = !!user && user.id === tweet.author.id;
  const edited = tweet.state === 'edited' || tweet.version > 1;
  const badge = STATE_BADGE[tweet.state];
  const headingId = `tweet-${tweet.id}-author`;
  const publicState = tweet.state === 'published' || tweet.state === 'edited';
  // Its view is counted once it has been seen (views.ts); drafts and unsent ones are not.
  const countView = useCountView(publicState && !sending ? tweet.id : null);
  const setArticle = useCallback(
    (element: HTMLElement | null) => {
      articleRef.current = element;
      countView(element);
    },
    [countView],
  );

  return (
    <article
      ref={setArticle}
      // Focusable from script (j/k, and after an action removed what had focus), not a tab stop.
      tabIndex={-1}
      className={`tweet${sending ? ' sending' : ''}`}
      aria-labelledby={headingId} data-tweet-id={tweet.id} aria-busy={sending || undefined}>
      <div className="avatar" aria-hidden="true">
        {(tweet.author.displayName || tweet.author.username).slice(0, 1).toUpperCase()}
      </div>
      <div className="tweet-body">
        <header className="tweet-header">
          <span id={headingId}>
            <Link to={profilePath(tweet.author.username)} className="display-name">
              {tweet.author.displayName}
            </Link>{' '}
            <span className="muted">@{tweet.author.username}</span>
          </span>
          <span className="muted" aria-hidden="true">
            ·
          </span>
          {sending ? (
            <span className="muted">Sending…</span>
          ) : (
            <Link to={`/tweets/${tweet.id}`} className="muted time-link">
              <RelativeTime iso={tweet.createdAt} />
            </Link>
          )}
          {edited && !sending && (
            <Link to={`/tweets/${tweet.id}/history`} className="edited-marker" title={`Edited · version ${tweet.version}`}>
              Edited
            </Link>
          )}
          {badge && <span className="badge">{badge}</span>}
        </header>
        {editing ? (
          <EditTweetForm
            tweet={tweet}
            onDone={() => {
              setEditing(false);
              setReturnFocus(true);
            }}
          />
        ) : (
          <>
            {/* A tweet of media alone has no text, and no empty paragraph either. */}
            {tweet.content && <TweetText content={tweet.content} entities={tweet.entities} />}
            <MediaGrid media={tweetMedia(tweet)} />
          </>
        )}
        {tweet.kind === 'quote' && tweet.quoteOf && <EmbeddedTweet tweet={tweet.quoteOf} />}
        {!sending && tweet.state !== 'draft' && (
          <EngagementBar
            tweet={tweet}
            canEngage={!!user && publicState}
            // Only tweets anyone with the link may read can be quoted.
            onQuote={user && publicState && tweet.visibility !== 'followers' ? () => setQuoting((q) => !q) : undefined}
          />
        )}
        {quoting && user && <ComposeBox user={user} quoteOf={tweet} autoFocus onPosted={() => setQuoting(false)} />}
        {mine && !sending && !editing && <AuthorActions tweet={tweet} onEdit={() => setEditing(true)} onGone={onGone} />}
      </div>
    </article>
  );
}
