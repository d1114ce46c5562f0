// Catching up after updates may have been missed (a reconnection, a tab shown again after
// a while): the server does not replay events, so the app asks what became of the tweets it
// shows (`GET /api/tweets/lookup`, 100 at a time) and puts the answers into every cached
// copy: edits and counts land, tweets deleted, archived or hidden meanwhile leave. Lists
// not on screen are only marked stale, so they are read again when next shown. New tweets
// are each list's own business (home.tsx, timelines.tsx, notifications.tsx).

import type { QueryClient } from '@tanstack/react-query';
import { api } from './api/client';
import { keys, mapCachedTweets, tweetsIn } from './api/cache';
import type { Tweet } from './api/types';

export const LOOKUP_BATCH = 100;
/** At most this many tweets are asked about: what is on screen is near the top of its list. */
export const MAX_LOOKED_UP = 300;

/** Ids of the tweets the mounted queries show (retweeted and quoted originals too), top first. */
export function shownTweetIds(qc: QueryClient, max = MAX_LOOKED_UP): string[] {
  const ids = new Set<string>();
  const add = (t: Tweet) => {
    ids.add(t.id);
    if (t.retweetOf) ids.add(t.retweetOf.id);
    if (t.quoteOf && !('unavailable' in t.quoteOf)) ids.add(t.quoteOf.id);
  };
  for (const q of qc.getQueryCache().findAll({ queryKey: keys.all, type: 'active' })) {
    for (const t of tweetsIn(q.state.data)) {
      if (ids.size >= max) break;
      add(t);
    }
  }
  return [...ids].slice(0, max);
}

/** The same object when nothing the reader can see changed, so memoised cards do not redraw. */
function sameTweet(a: Tweet, b: Tweet): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function catchUpShownTweets(qc: QueryClient, signal?: AbortSignal): Promise<void> {
  const ids = shownTweetIds(qc);
  const fresh = new Map<string, Tweet>();
  const gone = new Set<string>();
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const answer = await api.lookupTweets(ids.slice(i, i + LOOKUP_BATCH), signal);
    for (const t of answer.items ?? []) fresh.set(t.id, t);
    for (const id of answer.missing ?? []) gone.add(id);
  }
  if (signal?.aborted) return;
  if (fresh.size > 0 || gone.size > 0) {
    // The lookup answers as the reader sees each tweet (their own like and retweet flags
    // included), so its copy replaces the cached one whole.
    mapCachedTweets(qc, (t) => {
      if (gone.has(t.id)) return null;
      const now = fresh.get(t.id);
      return now && !sameTweet(now, t) ? now : t;
    });
  }
  // A tweet's own page keeps its copy when lists drop it: read it again (it now answers "not found").
  for (const id of gone) {
    void qc.invalidateQueries({ queryKey: keys.tweet(id) });
    void qc.invalidateQueries({ queryKey: keys.thread(id) });
  }
  void qc.invalidateQueries({ queryKey: keys.all, type: 'inactive', refetchType: 'none' });
}
