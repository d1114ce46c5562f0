import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { patchCachedTweet } from '../api/cache';
import { useTweetMutation } from '../api/mutations';
import type { Engagement, EngagementAction, Tweet } from '../api/types';

type Kind = 'like' | 'retweet';

const FIELDS: Record<Kind, { count: 'likes' | 'retweets'; flag: 'likedByCurrentUser' | 'retweetedByCurrentUser' }> = {
  like: { count: 'likes', flag: 'likedByCurrentUser' },
  retweet: { count: 'retweets', flag: 'retweetedByCurrentUser' },
};

function shift(e: Engagement, kind: Kind, on: boolean): Engagement {
  const { count, flag } = FIELDS[kind];
  return { ...e, [count]: Math.max(0, e[count] + (on ? 1 : -1)), [flag]: on };
}

/**
 * Like or retweet (a tweet mutation, api/mutations.ts): the count moves at once, a second
 * click while the request is out does nothing, the server's answer replaces the guess, and
 * a refusal puts the count back with a message.
 */
export function useEngagementToggle(tweet: Tweet, kind: Kind) {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  // Set at the click, before the mutation's state reaches a render: a double click counts once.
  const pending = useRef(false);
  const mutation = useTweetMutation({
    mutationFn: ({ action }: { action: EngagementAction; wasOn: boolean }) => api.engage(tweet.id, action),
    optimistic: ({ wasOn }) => {
      setError(null);
      patchCachedTweet(qc, tweet.id, (t) => ({ ...t, engagement: shift(t.engagement, kind, !wasOn) }));
    },
    onSuccess: (engagement) => {
      pending.current = false;
      // The answer speaks for this kind only: a like and a retweet clicked together may be
      // answered in either order, and each answer predates the other's change.
      const other = FIELDS[kind === 'like' ? 'retweet' : 'like'];
      patchCachedTweet(qc, tweet.id, (t) => ({
        ...t,
        engagement: { ...engagement, [other.count]: t.engagement[other.count], [other.flag]: t.engagement[other.flag] },
      }));
      // A retweet is an entry in the retweeter's profile list: it appears or leaves there.
      if (kind === 'retweet') void qc.invalidateQueries({ queryKey: ['tweets', 'user'] });
    },
    onError: (e, { wasOn }) => {
      pending.current = false;
      // Undo our own change only, not counts the stream brought meanwhile.
      patchCachedTweet(qc, tweet.id, (t) => ({ ...t, engagement: shift(t.engagement, kind, wasOn) }));
      const what = kind === 'like' ? (wasOn ? 'unlike' : 'like') : wasOn ? 'undo the retweet of' : 'retweet';
      setError(`Could not ${what} this tweet: ${e.message}`);
    },
  });

  function toggle() {
    if (pending.current) return;
    pending.current = true;
    const wasOn = tweet.engagement[FIELDS[kind].flag];
    const action: EngagementAction = wasOn ? (kind === 'like' ? 'unlike' : 'unretweet') : kind;
    mutation.mutate({ action, wasOn });
  }

  return { toggle, busy: mutation.isPending, error };
}

function HeartIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M12 20s-7-4.3-8.9-8.6C1.7 8.2 3.7 5 7 5c2 0 3.3 1 4 2.2.7-1.2 2-2.2 4-2.2 3.3 0 5.3 3.2 3.9 6.4C19 15.7 12 20 12 20z" />
    </svg>
  );
}

function RetweetIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M7 7h9l-2.5-2.5L15 3l5 5-5 5-1.5-1.5L16 9H9v4H7V7zm10 10H8l2.5 2.5L9 21l-5-5 5-5 1.5 1.5L8 15h7v-4h2v6z" />
    </svg>
  );
}

function ReplyIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M4 5h16v11H9l-5 4V5zm2 2v8.8L8.3 14H18V7H6z" />
    </svg>
  );
}

function QuoteIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M4 4h16v12H8l-4 4V4zm2 2v9.2L7.2 14H18V6H6zm2 2h8v2H8V8zm0 3h5v2H8v-2z" />
    </svg>
  );
}

function ViewsIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M4 20V10h3v10H4zm6.5 0V4h3v16h-3zM17 20v-7h3v7h-3z" />
    </svg>
  );
}

/**
 * "Like, 3 likes": the action, then the count the button shows, so the name holds the visible
 * number (WCAG label in name: speech users say what they see) and reads as a sentence.
 */
export function actionName(action: 'Like' | 'Retweet' | 'Quote', count: number): string {
  const noun = action.toLowerCase();
  return `${action}, ${count} ${count === 1 ? noun : `${noun}s`}`;
}

function ToggleButton({ tweet, kind, disabled }: { tweet: Tweet; kind: Kind; disabled: boolean }) {
  const { toggle, busy, error } = useEngagementToggle(tweet, kind);
  const on = tweet.engagement[FIELDS[kind].flag];
  const count = tweet.engagement[FIELDS[kind].count];
  const label = kind === 'like' ? 'Like' : 'Retweet';
  return (
    <>
      <button
        type="button"
        className={`engage engage-${kind}`}
        aria-pressed={on}
        aria-label={actionName(label, count)}
        aria-busy={busy || undefined}
        aria-disabled={disabled || undefined}
        data-testid={`${kind}-button`}
        onClick={() => {
          if (!disabled) void toggle();
        }}
      >
        {kind === 'like' ? <HeartIcon /> : <RetweetIcon />}
        <span className="engage-count" data-testid={`${kind}-count`}>
          {count}
        </span>
      </button>
      {error && (
        <span role="alert" className="inline-error">
          {error}
        </span>
      )}
    </>
  );
}

/** Counts and the like, retweet and quote buttons under a tweet. */
export function EngagementBar({ tweet, canEngage, onQuote }: { tweet: Tweet; canEngage: boolean; onQuote?: () => void }) {
  const e = tweet.engagement;
  return (
    <div className="engagement-bar">
      <span className="stat" title="Replies">
        <ReplyIcon />
        <span className="visually-hidden">Replies: </span>
        {e.replies}
      </span>
      {/* Followers-only tweets cannot be retweeted (the server answers 422). */}
      <ToggleButton tweet={tweet} kind="retweet" disabled={!canEngage || tweet.visibility === 'followers'} />
      <ToggleButton tweet={tweet} kind="like" disabled={!canEngage} />
      {onQuote && (
        <button type="button" className="engage engage-quote" aria-label={actionName('Quote', e.quotes)} onClick={onQuote}>
          <QuoteIcon />
          <span className="engage-count">{e.quotes}</span>
        </button>
      )}
      <span className="stat" title="Views">
        <ViewsIcon />
        <span className="visually-hidden">Views: </span>
        {e.views}
      </span>
    </div>
  );
}
