// Query keys and the helpers that keep one tweet consistent in every cached list.
// A tweet can sit in the latest timeline, a filtered timeline, the home timeline,
// "My tweets", a notification and its own detail query at once; a like or an edit must
// show in all of them.

import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { ListTweetsParams } from './client';
import { atTop } from './paging';
import type { Ancestor, Engagement, NotificationGroupPage, Page, ThreadReply, Tweet, TweetState } from './types';

export const keys = {
  sessions: ['session'] as const,
  /** Who the token is (`GET /api/me`): the session (session.tsx). */
  session: (token: string | null) => ['session', token] as const,
  all: ['tweets'] as const,
  timelines: ['tweets', 'list'] as const,
  timeline: (p: Omit<ListTweetsParams, 'cursor'>) => ['tweets', 'list', p] as const,
  // Under 'list' with the other timelines: a removal or an archive leaves it too, and a
  // change that invalidates the timelines (a publish, a quote) refreshes it.
  home: ['tweets', 'list', 'home'] as const,
  mine: (state: TweetState | 'all') => ['tweets', 'mine', state] as const,
  tweet: (id: string) => ['tweets', 'one', id] as const,
  versions: (id: string) => ['tweets', 'versions', id] as const,
  // Under 'tweets' so likes, edits and removals reach these lists too.
  userTweets: (username: string, replies: boolean) => ['tweets', 'user', username.toLowerCase(), replies] as const,
  thread: (id: string) => ['tweets', 'thread', id] as const,
  // Under 'tweets': edits and removals reach the tweets notifications show, and signing in or
  // out drops them with the other viewer-specific lists. Not under 'list' (not a timeline).
  notifications: ['tweets', 'notifications'] as const,
  notificationList: (filter: 'all' | 'mentions') => ['tweets', 'notifications', filter] as const,
  profiles: ['profile'] as const,
  profile: (username: string) => ['profile', username.toLowerCase()] as const,
  followRequests: ['follow-requests'] as const,
  // Under 'profile' so a follow, block or mute that refreshes profiles refreshes these too.
  userList: (list: string, username: string) => ['profile', 'list', list, username.toLowerCase()] as const,
  suggestions: ['profile', 'suggestions'] as const,
};

type TweetPages = InfiniteData<Page<Tweet>, unknown>;

function isPages(data: unknown): data is TweetPages {
  return typeof data === 'object' && data !== null && Array.isArray((data as TweetPages).pages);
}

interface ThreadData {
  ancestors: Ancestor[];
  tweet: Tweet;
  descendants: { items: ThreadReply[]; nextCursor: string | null };
}

function isThread(data: unknown): data is InfiniteData<ThreadData, string | null> {
  return isPages(data) && data.pages.length > 0 && 'descendants' in (data.pages[0] as object);
}

function isNotificationPages(data: unknown): data is InfiniteData<NotificationGroupPage, string | null> {
  // Thread pages have no `items`: ask each page.
  return isPages(data) && data.pages.some((p) => Array.isArray(p.items) && p.items.some((i) => 'actors' in (i as object)));
}

function isTweet(data: unknown): data is Tweet {
  return typeof data === 'object' && data !== null && typeof (data as Tweet).id === 'string' && 'content' in data;
}

/**
 * Applies `fn` to every cached copy of every tweet. `fn` returns the new tweet,
 * the same object for "unchanged", or null to drop it from lists.
 */
export function mapCachedTweets(
  qc: QueryClient,
  fn: (t: Tweet) => Tweet | null,
  which: readonly unknown[] = keys.all,
): void {
  // A retweet entry or a quote carries the original inside it: a like on the
  // original must show there too, and an original that leaves takes its retweet entries along.
  const deep = (t: Tweet): Tweet | null => {
    const next = fn(t);
    if (!next) return null;
    if (next.retweetOf) {
      const inner = deep(next.retweetOf);
      if (!inner) return null;
      if (inner !== next.retweetOf) return { ...next, retweetOf: inner };
    }
    if (next.quoteOf && !('unavailable' in next.quoteOf)) {
      const inner = fn(next.quoteOf);
      if (inner && inner !== next.quoteOf) return { ...next, quoteOf: inner };
    }
    return next;
  };
  qc.setQueriesData<unknown>({ queryKey: which }, (data: unknown) => {
    if (isNotificationPages(data)) {
      // A group about a tweet that left view goes with it (the server lists it no more either).
      let changed = false;
      const pages = data.pages.map((page) => {
        let pageChanged = false;
        const items = page.items.flatMap((g) => {
          if (!g.tweet) return [g];
          const next = deep(g.tweet);
          if (next === g.tweet) return [g];
          pageChanged = true;
          return next ? [{ ...g, tweet: next }] : [];
        });
        if (!pageChanged) return page;
        changed = true;
        return { ...page, items };
      });
      return changed ? { ...data, pages } : data;
    }
    if (isThread(data)) {
      let changed = false;
      const pages = data.pages.map((page) => {
        const tweet = deep(page.tweet) ?? page.tweet;
        const ancestors = page.ancestors.map((a) => ('unavailable' in a ? a : (deep(a) ?? a)));
        const items: ThreadReply[] = [];
        for (const r of page.descendants.items) {
          const next = deep(r);
          if (next) items.push(next === r ? r : { ...next, depth: r.depth });
        }
        const same =
          tweet === page.tweet &&
          ancestors.every((a, i) => a === page.ancestors[i]) &&
          items.length === page.descendants.items.length &&
          items.every((r, i) => r === page.descendants.items[i]);
        if (same) return page;
        changed = true;
        return { ...page, tweet, ancestors, descendants: { ...page.descendants, items } };
      });
      return changed ? { ...data, pages } : data;
    }
    if (isPages(data)) {
      let changed = false;
      const pages = data.pages.map((page) => {
        let pageChanged = false;
        const items: Tweet[] = [];
        for (const t of page.items) {
          const next = deep(t);
          if (next !== t) pageChanged = true;
          if (next) items.push(next);
        }
        if (!pageChanged) return page;
        changed = true;
        return { ...page, items };
      });
      return changed ? { ...data, pages } : data;
    }
    if (isTweet(data)) {
      // A single-tweet query keeps its tweet even when lists drop it.
      return deep(data) ?? data;
    }
    return data;
  });
}

export function patchCachedTweet(qc: QueryClient, id: string, fn: (t: Tweet) => Tweet): void {
  mapCachedTweets(qc, (t) => (t.id === id ? fn(t) : t));
}

/** Replaces a tweet everywhere with the server's copy. */
export function putCachedTweet(qc: QueryClient, tweet: Tweet): void {
  patchCachedTweet(qc, tweet.id, () => tweet);
  qc.setQueryData(keys.tweet(tweet.id), tweet);
}

export function removeCachedTweet(qc: QueryClient, id: string, which: readonly unknown[] = keys.all): void {
  mapCachedTweets(qc, (t) => (t.id === id ? null : t), which);
}

/**
 * Counts from the stream are viewer-neutral (`likedByCurrentUser` is always
 * false there), so only the counts are taken and the viewer's own flags kept.
 */
export function applyStreamEngagement(qc: QueryClient, id: string, e: Engagement): void {
  patchCachedTweet(qc, id, (t) => ({
    ...t,
    engagement: {
      ...e,
      likedByCurrentUser: t.engagement.likedByCurrentUser,
      retweetedByCurrentUser: t.engagement.retweetedByCurrentUser,
    },
  }));
}

/** The stream's copy of an edited tweet, keeping the viewer's own flags. */
export function applyStreamTweet(qc: QueryClient, incoming: Tweet): void {
  patchCachedTweet(qc, incoming.id, (t) => ({
    ...incoming,
    engagement: {
      ...incoming.engagement,
      likedByCurrentUser: t.engagement.likedByCurrentUser,
      retweetedByCurrentUser: t.engagement.retweetedByCurrentUser,
    },
  }));
}

/** Every tweet a cached query holds, in the order shown (a thread: ancestors, the tweet, its replies). */
export function tweetsIn(data: unknown): Tweet[] {
  if (isNotificationPages(data)) return data.pages.flatMap((p) => p.items.flatMap((g) => (g.tweet ? [g.tweet] : [])));
  if (isThread(data))
    return data.pages.flatMap((p) => [
      ...p.ancestors.filter((a): a is Tweet => !('unavailable' in a)),
      p.tweet,
      ...p.descendants.items,
    ]);
  if (isPages(data)) return data.pages.flatMap((p) => (Array.isArray(p.items) ? p.items : []));
  if (isTweet(data)) return [data];
  return [];
}

export function cachedTweetIds(qc: QueryClient, which: readonly unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const [, data] of qc.getQueriesData<unknown>({ queryKey: which })) {
    if (isPages(data)) for (const p of data.pages) for (const t of p.items) ids.add(t.id);
  }
  return ids;
}

/**
 * Pages with `tweets` on top of the first one, in the order given, skipping any already
 * in a page (and repeats among them); the same object when nothing is new.
 */
export function prependToPages<P extends Page<Tweet>, D extends { pages: P[]; pageParams?: unknown[] }>(
  data: D,
  tweets: readonly Tweet[],
): D {
  // Pages dropped above (a bounded list, api/paging.ts): the first page kept is not the top.
  if (data.pages.length === 0 || !atTop(data)) return data;
  const present = new Set(data.pages.flatMap((p) => p.items.map((t) => t.id)));
  const fresh: Tweet[] = [];
  for (const t of tweets) {
    if (present.has(t.id)) continue;
    present.add(t.id);
    fresh.push(t);
  }
  if (fresh.length === 0) return data;
  const [first, ...rest] = data.pages as [P, ...P[]];
  return { ...data, pages: [{ ...first, items: [...fresh, ...first.items] }, ...rest] };
}

/**
 * Puts tweets at the top of one list (give them newest first), skipping any already in it.
 * A list whose top pages were dropped (the reader is far down a bounded list) is read again
 * from its top instead, which holds them.
 */
export function prependToList(qc: QueryClient, queryKey: readonly unknown[], tweets: readonly Tweet[]): void {
  const data = qc.getQueryData<TweetPages>(queryKey);
  if (data && tweets.length > 0 && !atTop(data)) {
    void qc.resetQueries({ queryKey, exact: true });
    return;
  }
  qc.setQueryData<TweetPages>(queryKey, (data) => (data ? prependToPages(data, tweets) : data));
}

/**
 * The entries of a paged list in order, each id once. Cursor pages never overlap, but a
 * tweet put on top (by the compose box, the stream or the banner) may later come back in a
 * refetched page; the first copy, the one higher up, is kept.
 */
export function listedTweets(pages: readonly Page<Tweet>[]): Tweet[] {
  const seen = new Set<string>();
  const out: Tweet[] = [];
  for (const p of pages)
    for (const t of p.items) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push(t);
    }
  return out;
}

/** Swaps the optimistic placeholder for the server's tweet (or drops it if the stream got there first). */
export function replaceInList(qc: QueryClient, queryKey: readonly unknown[], placeholderId: string, tweet: Tweet | null): void {
  qc.setQueryData<TweetPages>(queryKey, (data) => {
    if (!data) return data;
    const present = data.pages.some((p) => p.items.some((t) => t.id === tweet?.id));
    return {
      ...data,
      pages: data.pages.map((p) => ({
        ...p,
        items: p.items.flatMap((t) => (t.id !== placeholderId ? [t] : tweet && !present ? [tweet] : [])),
      })),
    };
  });
}
