// Tweets announced by the stream and held behind a "N new tweets" banner until the
// reader asks for them, so the list being read never moves by itself. Pure functions
// over an array kept newest first; the Latest page and the home feed (home.tsx) share them.

import type { Tweet } from './api/types';

/** Snowflake ids are decimal strings of up to 20 digits: compare them as numbers. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order lists have, newest first as a comparator's negative: by when each entered view
 * (`createdAt`: a draft published later is as new as its publication, while its id is the
 * draft's), then by id. Times are RFC 3339 in UTC with milliseconds, so they compare as text.
 */
export function compareListed(a: Tweet, b: Tweet): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return compareIds(a.id, b.id);
}

/**
 * Adds an announced entry: once per id, not when the list already shows it, kept newest
 * first as lists are (announcements from several nodes can arrive out of order).
 */
export function collect(waiting: readonly Tweet[], entry: Tweet, listed: ReadonlySet<string>): readonly Tweet[] {
  if (listed.has(entry.id) || waiting.some((t) => t.id === entry.id)) return waiting;
  const at = waiting.findIndex((t) => compareListed(t, entry) < 0);
  return at < 0 ? [...waiting, entry] : [...waiting.slice(0, at), entry, ...waiting.slice(at)];
}

/**
 * A list's first page, read after updates may have been missed: the reader's own entries
 * (to put on top at once, as the compose box does) and the others, collected behind the
 * banner unless the list shows them.
 */
export function caughtUp(
  waiting: readonly Tweet[],
  page: readonly Tweet[],
  listed: ReadonlySet<string>,
  readerId: string | null,
): { own: Tweet[]; waiting: readonly Tweet[] } {
  const mine = (t: Tweet) => readerId !== null && t.author.id === readerId;
  return {
    own: page.filter(mine),
    waiting: page.filter((t) => !mine(t)).reduce((acc, t) => collect(acc, t, listed), waiting),
  };
}

/** Drops what the list now shows (it was refetched, or the reader's own entry was put on top). */
export function withoutListed(waiting: readonly Tweet[], listed: ReadonlySet<string>): readonly Tweet[] {
  const kept = waiting.filter((t) => !listed.has(t.id));
  return kept.length === waiting.length ? waiting : kept;
}

/** Drops a tweet that left view, and the retweet entries of it. */
export function withoutTweet(waiting: readonly Tweet[], id: string): readonly Tweet[] {
  const kept = waiting.filter((t) => t.id !== id && t.retweetOf?.id !== id);
  return kept.length === waiting.length ? waiting : kept;
}

/** Drops the entries of an account (its tweets and its retweets, and retweets of its tweets). */
export function withoutAuthor(waiting: readonly Tweet[], userId: string): readonly Tweet[] {
  const kept = waiting.filter((t) => t.author.id !== userId && t.retweetOf?.author.id !== userId);
  return kept.length === waiting.length ? waiting : kept;
}

/**
 * The stream's copy of an edited tweet, for a waiting entry or the original inside a waiting
 * retweet. The stream's copy is viewer-neutral, so the reader's own like and retweet flags stay.
 */
export function withEdit(waiting: readonly Tweet[], edited: Tweet): readonly Tweet[] {
  const merge = (t: Tweet): Tweet => ({
    ...edited,
    engagement: {
      ...edited.engagement,
      likedByCurrentUser: t.engagement.likedByCurrentUser,
      retweetedByCurrentUser: t.engagement.retweetedByCurrentUser,
    },
  });
  let changed = false;
  const next = waiting.map((t) => {
    if (t.id === edited.id) {
      changed = true;
      return merge(t);
    }
    if (t.retweetOf?.id === edited.id) {
      changed = true;
      return { ...t, retweetOf: merge(t.retweetOf) };
    }
    return t;
  });
  return changed ? next : waiting;
}
